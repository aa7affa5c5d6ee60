// A tour of tg::data and tg::train (docs/data.md shows its output):
//   1. synthetic datasets: a few points of make_xor and make_moons;
//   2. a DataLoader: the rows of each batch, shuffled anew every epoch;
//   3. iris: load_dataset, StandardScaler fitted on the train rows, softmax regression trained
//      on mini-batches with SGD, a Progress line every 20 epochs, a History of every epoch,
//      and the test accuracy.
//
//   data_tour [--history PATH]     (PATH: where to write the History as CSV)
#include <cstdio>
#include <cstring>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

void print_points(const char* title, const tg::data::Dataset& d, int64_t rows) {
  std::printf("%s\n", title);
  for (int64_t i = 0; i < rows; ++i) {
    std::printf("  x = (%7.4f, %7.4f)  y = %g\n", d.X.at({i, 0}), d.X.at({i, 1}), d.y.at({i}));
  }
}

std::string row_list(const tg::Tensor& v) {
  std::string out = "(";
  for (const double x : v.to_vector()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%.4f", out.size() > 1 ? ", " : "", x);
    out += buffer;
  }
  return out + ")";
}

// Mean cross-entropy of softmax(X·Wᵀ + b) against the class indices y.
tg::Tensor cross_entropy(const tg::Tensor& logits, const tg::Tensor& y) {
  return -tg::log_softmax(logits, 1).gather(1, y.reshape({-1, 1})).mean();
}

}  // namespace

int main(int argc, char** argv) {
  std::string history_path;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--history") == 0 && i + 1 < argc) {
      history_path = argv[++i];
    } else {
      std::fprintf(stderr, "usage: data_tour [--history PATH]\n");
      return 2;
    }
  }

  std::printf("== Synthetic data ==\n");
  print_points("make_xor(8, 0.1, 0): the XOR truth table on ±1, with noise", tg::data::make_xor(8, 0.1, 0), 4);
  print_points("make_moons(100, 0.1, 0): scikit-learn's moons, first rows", tg::data::make_moons(100, 0.1, 0), 3);

  std::printf("\n== A DataLoader over 10 rows: batch_size 4, shuffle, seed 3 ==\n");
  const tg::data::Dataset ten(tg::arange(10).reshape({10, 1}), tg::arange(10));
  tg::data::DataLoader loader(ten, {.batch_size = 4, .shuffle = true, .seed = 3});
  for (int epoch = 1; epoch <= 2; ++epoch) {
    std::printf("epoch %d:", epoch);
    for (const auto& [X, y] : loader) {
      std::printf(" [");
      for (int64_t i = 0; i < y.numel(); ++i) std::printf(i ? " %g" : "%g", y.at({i}));
      std::printf("]");
    }
    std::printf("\n");
  }
  for (const int64_t b : {10, 4, 1}) {
    std::printf("batch_size %2lld: %2lld updates per epoch\n", static_cast<long long>(b),
                static_cast<long long>(tg::data::DataLoader(ten, {.batch_size = b}).num_batches()));
  }

  std::printf("\n== Iris: softmax regression on mini-batches ==\n");
  auto [train, test] = tg::data::load_dataset("iris");
  std::printf("%lld train rows, %lld test rows, %lld features\n", static_cast<long long>(train.size()),
              static_cast<long long>(test.size()), static_cast<long long>(train.X.size(1)));
  tg::data::StandardScaler scaler;
  train.X = scaler.fit_transform(train.X);  // statistics of the train rows only
  test.X = scaler.transform(test.X);
  std::printf("scaler mean  %s\nscaler scale %s\n", row_list(scaler.mean()).c_str(), row_list(scaler.scale()).c_str());

  tg::Tensor W = tg::zeros({3, 4}, true), b = tg::zeros({3}, true);
  tg::optim::SGD opt({W, b}, {.lr = 0.1});
  const int epochs = 100;
  tg::data::DataLoader batches(train, {.batch_size = 16, .shuffle = true, .seed = 0});
  tg::train::Progress progress({.epochs = epochs, .every = 20});
  tg::train::History history("epoch");
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    for (const auto& [X, y] : batches) {
      opt.zero_grad();
      cross_entropy(tg::linear(X, W, b), y).backward();
      opt.step();
    }
    tg::NoGradGuard no_grad;
    const tg::Tensor train_logits = tg::linear(train.X, W, b);
    const double loss = cross_entropy(train_logits, train.y).item();
    const double train_acc = tg::data::accuracy(train_logits, train.y);
    const double test_acc = tg::data::accuracy(tg::linear(test.X, W, b), test.y);
    progress.log(epoch, loss, {{"train_acc", train_acc}, {"test_acc", test_acc}});
    history.record(epoch, {{"loss", loss}, {"train_acc", train_acc}, {"test_acc", test_acc}}, {{"b", b}});
  }
  std::printf("test accuracy %.4f (scikit-learn's LogisticRegression, C = 1: 0.9667)\n", history.last("test_acc"));
  if (!history_path.empty()) {
    history.write_csv(history_path);
    std::printf("history: %lld rows written to %s\n", static_cast<long long>(history.size()), history_path.c_str());
  }
  return 0;
}
