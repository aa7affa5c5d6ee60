// Batch, stochastic and mini-batch gradient descent are one update — tg::optim::SGD,
// θ ← θ − lr·g — fed gradients of losses over batches of different sizes. This fits
// y = w·x + b to the 100 samples of fit_line three ways, for the same number of epochs:
//
//   batch       all 100 rows per step                    1 update per epoch
//   mini-batch  10 rows per step, reshuffled every epoch  10 updates per epoch
//   stochastic  1 row per step, reshuffled every epoch    100 updates per epoch
//
// and prints, every few epochs, the loss on all the data and w, b of each.
//
//   gd_variants [--lr 0.02] [--epochs 50]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

struct Run {
  const char* name = "";
  int64_t batch_size = 1;
  tg::Tensor w, b;
  std::vector<double> loss, w_at, b_at;  // after each epoch
  int64_t updates = 0;
};

// The mean squared error of y = w·x + b on the rows given.
tg::Tensor mse(const tg::Tensor& w, const tg::Tensor& b, const tg::Tensor& x, const tg::Tensor& y) {
  return (w * x + b - y).square().mean();
}

// Fits w, b from zero with SGD, `batch_size` rows per step, for `epochs` passes over the data.
Run train(const char* name, int64_t batch_size, const tg::Tensor& x, const tg::Tensor& y, double lr, int epochs) {
  const int64_t n = x.numel();
  Run run;
  run.name = name;
  run.batch_size = batch_size;
  run.w = tg::zeros({1}, /*requires_grad=*/true);
  run.b = tg::zeros({1}, /*requires_grad=*/true);
  tg::optim::SGD opt({run.w, run.b}, {.lr = lr});
  tg::manual_seed(1);  // the same shuffles for the mini-batch and the stochastic run
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    tg::Tensor xs = x, ys = y;
    if (run.batch_size < n) {  // a new order of the rows every epoch
      std::vector<int64_t> order;
      for (const double i : tg::randperm(n).to_vector()) order.push_back(static_cast<int64_t>(i));
      xs = tg::index_select(x, 0, order);
      ys = tg::index_select(y, 0, order);
    }
    for (int64_t start = 0; start < n; start += run.batch_size) {
      const int64_t rows = std::min(run.batch_size, n - start);
      opt.zero_grad();
      const tg::Tensor loss = mse(run.w, run.b, tg::narrow(xs, 0, start, rows), tg::narrow(ys, 0, start, rows));
      loss.backward();
      opt.step();  // θ ← θ − lr·g, g from these rows only
      ++run.updates;
    }
    tg::NoGradGuard no_grad;
    run.loss.push_back(mse(run.w, run.b, x, y).item());  // on all the data
    run.w_at.push_back(run.w.item());
    run.b_at.push_back(run.b.item());
  }
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  double lr = 0.02;
  int epochs = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--lr") == 0) lr = std::atof(argv[i + 1]);
    else if (std::strcmp(argv[i], "--epochs") == 0) epochs = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: gd_variants [--lr LR] [--epochs N]\n");
      return 2;
    }
  }
  if (argc % 2 == 0 || epochs < 1) {
    std::fprintf(stderr, "usage: gd_variants [--lr LR] [--epochs N]\n");
    return 2;
  }

  // The data of fit_line: x ~ U(-5, 5), y = 1.5x + 2 + N(0, 1.5²), 100 samples.
  tg::manual_seed(42);
  const tg::Tensor x = tg::uniform({100}, -5.0, 5.0);
  const tg::Tensor y = 1.5 * x + 2.0 + tg::normal({100}, 0.0, 1.5);

  const std::vector<Run> runs = {train("batch", 100, x, y, lr, epochs),      // every row, every step
                                 train("mini-batch", 10, x, y, lr, epochs),  // 10 rows per step
                                 train("stochastic", 1, x, y, lr, epochs)};  // one row per step

  std::printf("Fitting y = w*x + b with tg::optim::SGD, lr = %g, %d epochs of 100 samples\n", lr, epochs);
  std::printf("loss on all the data, w, b after each epoch:\n\n");
  std::printf("      ");
  for (const Run& run : runs) {
    char label[32];
    std::snprintf(label, sizeof label, "%s (%lld %s)", run.name, static_cast<long long>(run.batch_size),
                  run.batch_size == 1 ? "row" : "rows");
    if (&run != &runs.back()) std::printf(" | %-23s", label);
    else std::printf(" | %s", label);
  }
  std::printf("\n epoch");
  for (std::size_t r = 0; r < runs.size(); ++r) std::printf(" | %7s  %6s  %6s", "loss", "w", "b");
  std::printf("\n");
  const int every = epochs >= 10 ? epochs / 10 : 1;
  for (int e = 1; e <= epochs; ++e) {
    if (e > 3 && e % every != 0) continue;
    const std::size_t i = static_cast<std::size_t>(e - 1);
    std::printf(" %5d", e);
    for (const Run& run : runs) std::printf(" | %7.4f  %6.4f  %6.4f", run.loss[i], run.w_at[i], run.b_at[i]);
    std::printf("\n");
  }

  const tg::Tensor dx = x - x.mean();
  const double w_star = ((dx * (y - y.mean())).sum() / dx.square().sum()).item();
  const double b_star = y.mean().item() - w_star * x.mean().item();
  std::printf("\n");
  for (const Run& run : runs) {
    std::printf("%-11s %5lld updates: w = %.6f, b = %.6f, loss = %.6f\n", run.name,
                static_cast<long long>(run.updates), run.w.item(), run.b.item(), run.loss.back());
  }
  std::printf("least squares:             w = %.6f, b = %.6f, loss = %.6f\n", w_star, b_star,
              mse(tg::tensor({w_star}), tg::tensor({b_star}), x, y).item());
  return 0;
}
