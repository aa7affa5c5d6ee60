// Early stopping with tg::train::EarlyStopping on an MLP that overfits (docs/examples/early_stopping.md).
//
// Two moons with noise 0.3: 300 points, 100 to train on, 100 to validate, 100 to test. An MLP
// 2-64-64-2 (tanh) trained with full-batch Adam at lr 0.01 fits the 100 training points ever
// better, and after a while the validation loss climbs again: it learns the noise. The program
//
//   1. trains for 1000 epochs without stopping and records the three losses at every epoch;
//   2. trains the same model again (same seed, same steps) with EarlyStopping(patience 50,
//      restore_best_weights): it stops 50 epochs after the best validation loss and puts back
//      the weights of that epoch;
//   3. compares the test loss and accuracy of the restored weights, of the weights at the stop,
//      and of the weights after 1000 epochs, and draws the curves.
//
//   early_stopping [DIR]   writes DIR/early_stopping.png (and .svg, .gp, _*.dat); DIR defaults
//                          to the current directory and must exist.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

constexpr int kEpochs = 1000;
constexpr int64_t kPatience = 50;

struct Split {
  tg::data::Dataset train, validation, test;
};

Split moons() {
  auto [train, rest] = tg::data::train_test_split(tg::data::make_moons(300, 0.3, 0), 2.0 / 3.0, 0);
  auto [validation, test] = tg::data::train_test_split(rest, 0.5, 1);
  return {train, validation, test};
}

// The same initial weights for both runs.
tg::nn::MLP fresh_model() {
  tg::manual_seed(0);
  return tg::nn::MLP({2, 64, 64, 2}, tg::nn::Activation::tanh);
}

struct Scores {
  double train_loss, val_loss, test_loss, test_accuracy;
};

Scores evaluate(tg::nn::MLP& model, const Split& s) {
  tg::NoGradGuard no_grad;
  const tg::Tensor test_logits = model(s.test.X);
  return {F::cross_entropy(model(s.train.X), s.train.y).item(),
          F::cross_entropy(model(s.validation.X), s.validation.y).item(),
          F::cross_entropy(test_logits, s.test.y).item(), tg::data::accuracy(test_logits, s.test.y)};
}

// One epoch: one full-batch Adam step on the training points.
void train_epoch(tg::nn::MLP& model, tg::optim::Adam& opt, const tg::data::Dataset& train) {
  opt.zero_grad();
  F::cross_entropy(model(train.X), train.y).backward();
  opt.step();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr,
                 "usage: early_stopping [DIR]   (DIR: where the picture goes, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    const Split s = moons();
    std::printf(
        "two moons, noise 0.3: %lld training, %lld validation, %lld test points; MLP 2-64-64-2 (tanh), "
        "full-batch Adam lr 0.01\n\n",
        static_cast<long long>(s.train.X.size(0)), static_cast<long long>(s.validation.X.size(0)),
        static_cast<long long>(s.test.X.size(0)));

    // 1. Without stopping: every epoch's losses.
    std::vector<Scores> full;
    {
      tg::nn::MLP model = fresh_model();
      tg::optim::Adam opt(model.parameters(), {.lr = 0.01});
      for (int epoch = 1; epoch <= kEpochs; ++epoch) {
        train_epoch(model, opt, s.train);
        full.push_back(evaluate(model, s));
      }
    }
    std::printf("1. %d epochs without stopping\n   %-6s %-12s %-12s %-12s %s\n", kEpochs, "epoch", "train loss",
                "val loss", "test loss", "test accuracy");
    for (const int epoch : {1, 50, 100, 200, 400, 600, 800, 1000}) {
      const Scores& r = full[static_cast<std::size_t>(epoch - 1)];
      std::printf("   %-6d %-12.4f %-12.4f %-12.4f %.2f\n", epoch, r.train_loss, r.val_loss, r.test_loss,
                  r.test_accuracy);
    }
    const auto lowest = std::min_element(full.begin(), full.end(),
                                         [](const Scores& a, const Scores& b) { return a.val_loss < b.val_loss; });
    const int lowest_epoch = static_cast<int>(lowest - full.begin()) + 1;
    std::printf("   lowest validation loss %.4f at epoch %d\n\n", lowest->val_loss, lowest_epoch);

    // 2. The same run with early stopping.
    tg::nn::MLP model = fresh_model();
    tg::optim::Adam opt(model.parameters(), {.lr = 0.01});
    tg::train::EarlyStopping stopper(
        model.parameters(), {.patience = kPatience, .min_delta = 0.0, .mode = "min", .restore_best_weights = true});
    bool same_path = true;  // the stopped run retraces the full one
    for (int epoch = 1; epoch <= kEpochs; ++epoch) {
      train_epoch(model, opt, s.train);
      const Scores r = evaluate(model, s);
      same_path = same_path && r.val_loss == full[static_cast<std::size_t>(epoch - 1)].val_loss;
      if (stopper.step(r.val_loss)) break;
    }
    const Scores restored = evaluate(model, s);
    std::printf(
        "2. EarlyStopping(patience %lld, min_delta 0, mode \"min\", restore_best_weights) on the validation loss\n",
        static_cast<long long>(kPatience));
    std::printf(
        "   stopped at epoch %lld, %lld epochs after the best one, epoch %lld (validation loss %.4f);\n"
        "   the model holds epoch %lld's weights again: validation loss %.4f (the run retraced the first: %s)\n\n",
        static_cast<long long>(stopper.stopped_epoch()), static_cast<long long>(stopper.wait()),
        static_cast<long long>(stopper.best_epoch()), stopper.best(), static_cast<long long>(stopper.best_epoch()),
        restored.val_loss, same_path ? "yes" : "no");

    std::printf("3. On the test points\n   %-42s %-12s %-12s %-12s %s\n", "weights", "train loss", "val loss",
                "test loss", "test accuracy");
    const auto row = [](const std::string& name, const Scores& r) {
      std::printf("   %-42s %-12.4f %-12.4f %-12.4f %.2f\n", name.c_str(), r.train_loss, r.val_loss, r.test_loss,
                  r.test_accuracy);
    };
    row("epoch " + std::to_string(stopper.best_epoch()) + ", restored by EarlyStopping", restored);
    row("epoch " + std::to_string(stopper.stopped_epoch()) + ", where it stopped (not restored)",
        full[static_cast<std::size_t>(stopper.stopped_epoch() - 1)]);
    row("epoch " + std::to_string(kEpochs) + ", no early stopping", full.back());

    std::vector<double> epochs, train_loss, val_loss;
    for (int e = 1; e <= kEpochs; ++e) {
      epochs.push_back(e);
      train_loss.push_back(full[static_cast<std::size_t>(e - 1)].train_loss);
      val_loss.push_back(full[static_cast<std::size_t>(e - 1)].val_loss);
    }
    const double low = *std::min_element(train_loss.begin(), train_loss.end()) / 2;
    const double high = *std::max_element(val_loss.begin(), val_loss.end()) * 1.5;
    const auto best = static_cast<double>(stopper.best_epoch()), stop = static_cast<double>(stopper.stopped_epoch());
    const std::string base = dir + "/early_stopping";
    const std::string best_label = "best epoch " + std::to_string(stopper.best_epoch()) + " (restored)";
    const std::string stop_label =
        "stop at epoch " + std::to_string(stopper.stopped_epoch()) + " (patience " + std::to_string(kPatience) + ")";
    const bool drawn = tg::plot::lines(base, "MLP 2-64-64-2 on two moons: training and validation loss, Adam lr 0.01",
                                       "epoch", "cross-entropy loss",
                                       {{"training loss (100 points)", epochs, train_loss},
                                        {"validation loss (100 points)", epochs, val_loss},
                                        {best_label, {best, best}, {low, high}},
                                        {stop_label, {stop, stop}, {low, high}}},
                                       /*log_y=*/true, /*log_x=*/true);
    if (drawn) {
      std::printf("\n  wrote %s.png\n", base.c_str());
    } else {
      std::printf("\n  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(),
                  base.c_str(), base.c_str());
    }
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "early_stopping: %s\n", e.what());
    return 1;
  }
  return 0;
}
