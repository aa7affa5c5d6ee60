// K-FAC against Adam and SGD with momentum on the digits: the same MLP (64-32-10, tanh) from
// the same initial weights, trained full batch on the 1437 training images, each optimizer
// with three learning rates. For each run: the training loss along the way, the steps it
// needs to bring the loss below 0.01 and 0.001, and the test accuracy; then a picture of the
// loss curves of each optimizer's best learning rate.
//
//   kfac_digits [DIR] [--steps N]
//
//   DIR      where kfac_digits.png (and .svg, and the data) are written (default: the
//            current directory); the picture is skipped if gnuplot is missing
//   --steps  the number of full-batch steps (default 60)
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

const int64_t kShown[] = {1, 10, 20, 40, 60};  // the steps of the table
const double kTargets[] = {0.01, 0.001};      // the training losses the optimizers race to

struct Setting {
  std::string optimizer;
  double lr;
};

struct Run {
  Setting setting;
  std::vector<double> loss;  // training loss before step k, k = 0..steps
  std::vector<double> nu;    // K-FAC: the KL clip's factor at each step
  double test_accuracy = 0.0;
};

// The first k with loss[k] < target (-1: never).
int64_t steps_to(const std::vector<double>& loss, double target) {
  for (std::size_t k = 0; k < loss.size(); ++k)
    if (loss[k] < target) return static_cast<int64_t>(k);
  return -1;
}

// Fewer steps to the last target first, then to the one before, then a lower final loss.
bool better(const Run& a, const Run& b) {
  for (int t = 1; t >= 0; --t) {
    const int64_t sa = steps_to(a.loss, kTargets[t]), sb = steps_to(b.loss, kTargets[t]);
    if (sa != sb) return sb < 0 || (sa >= 0 && sa < sb);
  }
  return a.loss.back() < b.loss.back();
}

std::string label(const Setting& s) { return s.optimizer + " lr " + tg::optim::format_value(s.lr); }

Run train(const Setting& setting, const tg::data::Dataset& train_set, const tg::Tensor& X_test, const tg::Tensor& y_test,
          int64_t steps) {
  tg::manual_seed(0);  // the same initial weights for every run
  tg::nn::MLP model({64, 32, 10}, tg::nn::Activation::tanh);
  std::unique_ptr<tg::optim::KFAC> kfac;
  std::unique_ptr<tg::optim::Optimizer> first_order;
  if (setting.optimizer == "K-FAC") {
    kfac = std::make_unique<tg::optim::KFAC>(model, tg::optim::KFACOptions{.lr = setting.lr, .momentum = 0.9,
                                                                           .damping = 0.01, .kl_clip = 1.0,
                                                                           .TCov = 1, .TInv = 5});
  } else if (setting.optimizer == "Adam") {
    first_order = std::make_unique<tg::optim::Adam>(model.parameters(), tg::optim::AdamOptions{.lr = setting.lr});
  } else {
    first_order =
        std::make_unique<tg::optim::SGD>(model.parameters(), tg::optim::SGDOptions{.lr = setting.lr, .momentum = 0.9});
  }
  tg::optim::Optimizer& opt = kfac ? static_cast<tg::optim::Optimizer&>(*kfac) : *first_order;
  tg::Generator fisher_generator(1234);  // K-FAC's sampled Fisher labels

  Run run{setting, {}, {}, 0.0};
  for (int64_t k = 0; k < steps; ++k) {
    opt.zero_grad();
    const tg::Tensor out = model(train_set.X);
    const tg::Tensor loss = F::cross_entropy(out, train_set.y);
    run.loss.push_back(loss.item());
    if (kfac && kfac->statistics_due())
      kfac->gather_statistics(out, tg::optim::sample_fisher_labels(out, fisher_generator));
    loss.backward();
    opt.step();
    if (kfac) run.nu.push_back(kfac->nu());
  }
  tg::NoGradGuard no_grad;
  run.loss.push_back(F::cross_entropy(model(train_set.X), train_set.y).item());
  run.test_accuracy = tg::data::accuracy(model(X_test), y_test);
  return run;
}

std::string steps_text(const std::vector<double>& loss, double target) {
  const int64_t k = steps_to(loss, target);
  return k < 0 ? "-" : std::to_string(k);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = ".";
  int64_t steps = 60;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--steps" && i + 1 < argc) {
      steps = std::stoll(argv[++i]);
    } else if (!arg.empty() && arg[0] != '-') {
      dir = arg;
    } else {
      std::fprintf(stderr, "usage: kfac_digits [DIR] [--steps N]\n");
      return 2;
    }
  }
  try {
    auto [train_set, test_set] = tg::data::load_dataset("digits");
    tg::data::StandardScaler scaler;
    const tg::data::Dataset train_scaled(scaler.fit_transform(train_set.X).detach(), train_set.y);
    const tg::Tensor X_test = scaler.transform(test_set.X).detach();

    std::printf("digits: %lld training and %lld test images; MLP 64-32-10 (tanh), full batch, %lld steps\n",
                static_cast<long long>(train_set.size()), static_cast<long long>(test_set.size()),
                static_cast<long long>(steps));
    std::printf("K-FAC: momentum 0.9, damping 0.01, kl_clip 1, TCov 1, TInv 5, sampled Fisher; SGD: momentum 0.9\n\n");
    const std::vector<Setting> settings = {{"K-FAC", 0.5}, {"K-FAC", 1.0}, {"K-FAC", 2.0}, {"K-FAC", 4.0},
                                           {"Adam", 0.03},  {"Adam", 0.1},  {"Adam", 0.3},  {"SGD", 0.3},
                                           {"SGD", 1.0},    {"SGD", 3.0},   {"SGD", 10.0}};
    std::printf("%-16s", "training loss at");
    for (int64_t k : kShown)
      if (k <= steps) std::printf("  step %-4lld", static_cast<long long>(k));
    std::printf("  below 0.01  below 0.001  test accuracy\n");
    std::vector<Run> best, runs;
    for (const Setting& setting : settings) {
      const Run& run = runs.emplace_back(train(setting, train_scaled, X_test, test_set.y, steps));
      std::printf("%-16s", label(setting).c_str());
      for (int64_t k : kShown)
        if (k <= steps) std::printf("  %-9.2e", run.loss[static_cast<std::size_t>(k)]);
      std::printf("  %-11s %-12s %.4f\n", steps_text(run.loss, kTargets[0]).c_str(),
                  steps_text(run.loss, kTargets[1]).c_str(), run.test_accuracy);
      if (best.empty() || best.back().setting.optimizer != setting.optimizer) {
        best.push_back(run);
      } else if (better(run, best.back())) {
        best.back() = run;
      }
    }
    std::printf("\nK-FAC's KL clip scaled the step down (nu < 1):\n");
    for (const Run& run : runs) {
      if (run.nu.empty()) continue;
      std::printf("  %-16s", label(run.setting).c_str());
      int clipped = 0;
      for (std::size_t k = 0; k < run.nu.size(); ++k) {
        if (run.nu[k] >= 1.0) continue;
        std::printf("%s step %zu: nu = %.3f", clipped == 0 ? "" : ",", k, run.nu[k]);
        ++clipped;
      }
      std::printf("%s\n", clipped == 0 ? " at no step" : "");
    }
    std::printf("\nthe best learning rate of each (fewest steps to a loss below 0.001):\n");
    for (const Run& r : best) {
      std::printf("  %-16s %s steps to 0.01, %s to 0.001, loss %.2e after %lld steps\n", label(r.setting).c_str(),
                  steps_text(r.loss, kTargets[0]).c_str(), steps_text(r.loss, kTargets[1]).c_str(), r.loss.back(),
                  static_cast<long long>(steps));
    }

    std::vector<tg::plot::Series> series;
    for (const Run& r : best) {
      tg::plot::Series s{label(r.setting), {}, r.loss};
      for (std::size_t k = 0; k < r.loss.size(); ++k) s.x.push_back(static_cast<double>(k));
      series.push_back(s);
    }
    const std::string base = dir + "/kfac_digits";
    if (tg::plot::lines(base, "digits, MLP 64-32-10, full batch: training loss, best lr of each", "step",
                        "cross-entropy", series, /*log_y=*/true)) {
      std::printf("\nwrote %s.png\n", base.c_str());
    } else {
      std::printf("\nplot skipped (gnuplot not found); data in %s_series.dat\n", base.c_str());
    }
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "kfac_digits: %s\n", e.what());
    return 1;
  }
  return 0;
}
