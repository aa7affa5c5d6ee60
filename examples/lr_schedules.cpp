// Every learning-rate schedule of tg::optim over 60 steps, from a base lr of 0.1: as a small
// ASCII chart per schedule (the default), or as one CSV table (--csv) for plotting
// (docs/images/schedules.gp draws docs/images/schedules.png from it).
//
//   lr_schedules [--csv]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>
#include <tapegrad/optim/lr_scheduler.hpp>

using namespace tg::optim;

namespace {

constexpr int kSteps = 60;

struct Schedule {
  std::string name;   // the CSV column
  std::string title;  // the chart's heading
  std::function<std::vector<double>(SGD&)> run;  // lr(0), ..., lr(kSteps)
};

// lr(0) after construction, then the lr after each optimizer.step(); scheduler.step().
template <class Scheduler, class Options>
std::function<std::vector<double>(SGD&)> schedule(Options options) {
  return [options](SGD& opt) {
    Scheduler s(opt, options);
    std::vector<double> lrs{opt.lr()};
    for (int e = 1; e <= kSteps; ++e) {
      opt.step();  // the training step, with lr(e - 1)
      s.step();    // then the next lr
      lrs.push_back(opt.lr());
    }
    return lrs;
  };
}

std::vector<Schedule> schedules() {
  return {
      {"StepLR", "StepLR(step_size=15, gamma=0.5)", schedule<StepLR>(StepLROptions{.step_size = 15, .gamma = 0.5})},
      {"MultiStepLR", "MultiStepLR(milestones={20,40,50}, gamma=0.5)",
       schedule<MultiStepLR>(MultiStepLROptions{.milestones = {20, 40, 50}, .gamma = 0.5})},
      {"ExponentialLR", "ExponentialLR(gamma=0.95)", schedule<ExponentialLR>(ExponentialLROptions{.gamma = 0.95})},
      {"InverseTimeLR", "InverseTimeLR(decay=0.1)", schedule<InverseTimeLR>(InverseTimeLROptions{.decay = 0.1})},
      {"MultiplicativeLR", "MultiplicativeLR(1.03): lr *= 1.03", schedule<MultiplicativeLR>(1.03)},
      {"LambdaLR", "LambdaLR(min((e+1)/10, sqrt(10/(e+1))))",
       schedule<LambdaLR>(LRLambda([](int64_t e) {
         const double t = static_cast<double>(e + 1);
         return std::min(t / 10.0, std::sqrt(10.0 / t));  // warmup, then 1/sqrt(t)
       }))},
      {"LinearLR", "LinearLR(start_factor=0.25, total_iters=20)",
       schedule<LinearLR>(LinearLROptions{.start_factor = 0.25, .total_iters = 20})},
      {"CosineAnnealingLR", "CosineAnnealingLR(T_max=60, eta_min=0.005)",
       schedule<CosineAnnealingLR>(CosineAnnealingLROptions{.T_max = 60, .eta_min = 0.005})},
      {"CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts(T_0=10, T_mult=2, eta_min=0.005)",
       schedule<CosineAnnealingWarmRestarts>(
           CosineAnnealingWarmRestartsOptions{.T_0 = 10, .T_mult = 2, .eta_min = 0.005})},
      {"CyclicLR_triangular", "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=10)",
       schedule<CyclicLR>(CyclicLROptions{.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 10})},
      {"CyclicLR_triangular2", "CyclicLR(..., mode=triangular2)",
       schedule<CyclicLR>(CyclicLROptions{
           .base_lr = 0.01, .max_lr = 0.1, .step_size_up = 10, .mode = CyclicMode::triangular2})},
      {"CyclicLR_exp_range", "CyclicLR(..., mode=exp_range, gamma=0.97)",
       schedule<CyclicLR>(CyclicLROptions{
           .base_lr = 0.01, .max_lr = 0.1, .step_size_up = 10, .mode = CyclicMode::exp_range, .gamma = 0.97})},
      {"OneCycleLR", "OneCycleLR(max_lr=0.1, total_steps=61)",
       schedule<OneCycleLR>(OneCycleLROptions{.max_lr = 0.1, .total_steps = kSteps + 1})},
      {"SequentialLR", "warmup(10 steps from 0.1*lr) then CosineAnnealingLR(T_max=50)",
       [](SGD& opt) {
         auto s = warmup(opt, 10, std::make_unique<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 50}), 0.1);
         std::vector<double> lrs{opt.lr()};
         for (int e = 1; e <= kSteps; ++e) {
           opt.step();
           s->step();
           lrs.push_back(opt.lr());
         }
         return lrs;
       }},
      {"ReduceLROnPlateau", "ReduceLROnPlateau(factor=0.5, patience=5) on a loss flat after step 20",
       [](SGD& opt) {
         ReduceLROnPlateau s(opt, {.factor = 0.5, .patience = 5});
         std::vector<double> lrs{opt.lr()};
         for (int e = 1; e <= kSteps; ++e) {
           opt.step();
           s.step(std::max(0.4, 1.0 - 0.03 * e));  // the validation loss after epoch e
           lrs.push_back(opt.lr());
         }
         return lrs;
       }},
  };
}

// A chart of `height` rows: one '*' per step, at the row of its lr.
void chart(const Schedule& s, const std::vector<double>& lrs, int height = 7) {
  const double lo = *std::min_element(lrs.begin(), lrs.end()), hi = *std::max_element(lrs.begin(), lrs.end());
  std::printf("%s\n", s.title.c_str());
  std::vector<std::string> rows(static_cast<std::size_t>(height), std::string(lrs.size(), ' '));
  for (std::size_t e = 0; e < lrs.size(); ++e) {
    const double y = hi > lo ? (lrs[e] - lo) / (hi - lo) : 1.0;
    const auto row = static_cast<std::size_t>(std::lround((1.0 - y) * (height - 1)));
    rows[row][e] = '*';
  }
  for (int r = 0; r < height; ++r) {
    char label[16] = "";
    if (r == 0) std::snprintf(label, sizeof label, "%.4g", hi);
    if (r == height - 1) std::snprintf(label, sizeof label, "%.4g", lo);
    std::string& row = rows[static_cast<std::size_t>(r)];
    row.erase(row.find_last_not_of(' ') + 1);
    std::printf("%9s |%s\n", label, row.c_str());
  }
  std::printf("%9s +%s\n", "", std::string(lrs.size(), '-').c_str());
  std::printf("%9s  0%*d\n", "", static_cast<int>(lrs.size()) - 1, kSteps);
  std::printf("  lr(0) = %s, lr(10) = %s, lr(30) = %s, lr(60) = %s\n\n", format_value(lrs[0]).c_str(),
              format_value(lrs[10]).c_str(), format_value(lrs[30]).c_str(), format_value(lrs[60]).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  bool csv = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--csv") == 0) {
      csv = true;
    } else {
      std::fprintf(stderr, "usage: lr_schedules [--csv]\n");
      return 2;
    }
  }

  std::vector<std::vector<double>> table;
  const std::vector<Schedule> all = schedules();
  for (const Schedule& s : all) {
    SGD opt({tg::zeros({1}, true)}, {.lr = 0.1, .momentum = 0.9});  // a fresh optimizer each
    table.push_back(s.run(opt));
  }

  if (csv) {
    std::printf("step");
    for (const Schedule& s : all) std::printf(",%s", s.name.c_str());
    std::printf("\n");
    for (int e = 0; e <= kSteps; ++e) {
      std::printf("%d", e);
      for (const std::vector<double>& lrs : table) std::printf(",%s", format_value(lrs[e]).c_str());
      std::printf("\n");
    }
    return 0;
  }
  std::printf("The learning rate over %d steps, base lr 0.1 (one '*' per step)\n\n", kSteps);
  for (std::size_t i = 0; i < all.size(); ++i) chart(all[i], table[i]);
  return 0;
}
