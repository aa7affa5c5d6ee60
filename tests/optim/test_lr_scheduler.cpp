// Learning-rate schedules against PyTorch 1.13: the test vectors of the reference
// (/work/shared/reference/optimizers.md, "Learning-rate schedules"), and the lists printed by
// tests/reference/make_schedule_reference.py (torch 1.13), pasted below as text and compared
// exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include <tapegrad/tapegrad.hpp>
#include <tapegrad/optim/lr_scheduler.hpp>
#include <tapegrad/optim/basic_optimizer.hpp>

namespace {

using namespace tg::optim;

// ---- helpers ---------------------------------------------------------------------------------

/// SGD (momentum 0.9) with one parameter group per lr.
std::unique_ptr<SGD> sgd(const std::vector<double>& lrs) {
  std::vector<SGD::ParamGroup> groups;
  for (double lr : lrs) groups.push_back({{tg::zeros({1}, true)}, {.lr = lr, .momentum = 0.9}});
  return std::make_unique<SGD>(std::move(groups));
}

/// An optimizer with an lr and nothing else (no momentum, no betas).
struct PlainOptions {
  TG_OPTIONS(PlainOptions);
  TG_OPTION(double, lr, check::any) = 0.1;
};
struct PlainState {
  template <class V>
  void visit(V&) {}
};
class Plain : public BasicOptimizer<PlainOptions, PlainState> {
 public:
  explicit Plain(std::vector<tg::Tensor> params) : BasicOptimizer("plain", {{std::move(params), {}}}) {}

 protected:
  void update(tg::Tensor&, const tg::Tensor&, PlainState&, const PlainOptions&) override {}
};

/// The lr (and momentum) of a group right after construction, then after each of `steps`
/// rounds of optimizer.step(); scheduler.step().
struct Trace {
  std::vector<double> lr, momentum;
};
Trace run(Optimizer& opt, LRScheduler& s, int steps, std::size_t group = 0) {
  Trace t;
  auto record = [&] {
    t.lr.push_back(opt.lr(group));
    t.momentum.push_back(opt.has_momentum() ? opt.momentum(group) : 0.0);
    EXPECT_EQ(s.get_last_lr().at(group), opt.lr(group));
  };
  record();
  for (int i = 0; i < steps; ++i) {
    opt.step();
    s.step();
    record();
  }
  EXPECT_EQ(s.last_epoch(), steps);
  return t;
}

/// Values printed as a list: "0.1, 0.05, 3.9999999999999998e-06".
struct Printed {
  double value;
  bool exact;  // printed with 16 or more significant digits: the double itself
};
std::vector<Printed> parse(const std::string& list) {
  std::vector<Printed> out;
  std::stringstream in(list);
  std::string token;
  while (std::getline(in, token, ',')) {
    std::size_t digits = 0;
    bool leading = true;
    for (char c : token.substr(0, token.find_first_of("eE"))) {
      if (c < '0' || c > '9') continue;
      if (c != '0') leading = false;
      if (!leading) ++digits;
    }
    out.push_back({std::strtod(token.c_str(), nullptr), digits >= 16});
  }
  return out;
}

/// The reference's values: exact where printed with 16+ digits, else to 1e-15 relative
/// ("0.05 stands for the nearest double").
void expect_printed(const std::vector<double>& actual, const std::string& expected) {
  const std::vector<Printed> want = parse(expected);
  ASSERT_EQ(actual.size(), want.size()) << expected;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].exact) EXPECT_EQ(actual[i], want[i].value) << "at step " << i;
    else EXPECT_NEAR(actual[i], want[i].value, 1e-15 * std::fabs(want[i].value)) << "at step " << i;
  }
}

/// torch's values printed by repr(): every one exactly.
void expect_exact(const std::vector<double>& actual, const std::string& expected) {
  const std::vector<Printed> want = parse(expected);
  ASSERT_EQ(actual.size(), want.size()) << expected;
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(actual[i], want[i].value) << "at step " << i;
}

template <class F>
void expect_value_error(F&& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "expected tg::ValueError mentioning " << parts.at(0);
  } catch (const tg::ValueError& e) {
    for (const std::string& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

// ---- the reference's test vectors (base lr 0.1, SGD with momentum 0.9) ----------------------

TEST(Reference, StepLR) {
  auto opt = sgd({0.1});
  StepLR s(*opt, {.step_size = 3, .gamma = 0.5});
  expect_printed(run(*opt, s, 8).lr, "0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025");
}

TEST(Reference, MultiStepLR) {
  auto opt = sgd({0.1});
  MultiStepLR s(*opt, {.milestones = {2, 5}, .gamma = 0.1});
  expect_printed(run(*opt, s, 7).lr, "0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001");
}

TEST(Reference, ExponentialLR) {
  auto opt = sgd({0.1});
  ExponentialLR s(*opt, {.gamma = 0.9});
  expect_printed(run(*opt, s, 4).lr, "0.1, 0.09, 0.081, 0.0729, 0.06561");
}

TEST(Reference, CosineAnnealingLR) {
  auto opt = sgd({0.1});
  CosineAnnealingLR s(*opt, {.T_max = 4, .eta_min = 0.01});
  expect_printed(run(*opt, s, 9).lr,
                 "0.1, 0.086819805153394644, 0.055, 0.023180194846605363, 0.01, 0.023180194846605363, 0.055, "
                 "0.086819805153394686, 0.1, 0.0868198051533947");
}

TEST(Reference, LinearLR) {
  auto opt = sgd({0.1});
  LinearLR s(*opt, {.start_factor = 0.25, .end_factor = 1.0, .total_iters = 4});
  expect_printed(run(*opt, s, 6).lr, "0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1");
}

TEST(Reference, LambdaLR) {
  auto opt = sgd({0.1});
  LambdaLR s(*opt, [](int64_t e) { return 1.0 / (1.0 + static_cast<double>(e)); });
  expect_printed(run(*opt, s, 4).lr, "0.1, 0.05, 0.033333333333333333, 0.025, 0.02");
}

TEST(Reference, OneCycleLR) {
  auto opt = sgd({0.1});
  OneCycleLR s(*opt, {.max_lr = 1.0, .total_steps = 10});
  const Trace t = run(*opt, s, 9);
  expect_printed(t.lr,
                 "0.04, 0.52, 1, 0.95048463201347366, 0.81174565394976306, 0.61126202193628931, "
                 "0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 3.9999999999999998e-06");
  expect_printed(t.momentum,
                 "0.95, 0.9, 0.85, 0.85495155660487898, 0.86882550990706331, 0.88887395330218422, "
                 "0.91112604669781572, 0.93117449009293662, 0.94504844339512095, 0.95");
  // Call number total_steps is accepted (a value outside the schedule); the next one throws.
  s.step();
  EXPECT_NEAR(opt->lr(), 0.0495, 1e-4);
  expect_value_error([&] { s.step(); }, {"OneCycleLR", "12", "10"});
  EXPECT_EQ(s.last_epoch(), 10);  // the failed step changed nothing
  expect_value_error([&] { s.step(); }, {"OneCycleLR"});
}

TEST(Reference, ReduceLROnPlateauPatience2) {
  auto opt = sgd({0.1});
  ReduceLROnPlateau s(*opt, {.factor = 0.5, .patience = 2});
  std::vector<double> lrs{opt->lr()};
  for (double m : {1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9}) {
    s.step(m);
    lrs.push_back(opt->lr());
  }
  expect_printed(lrs, "0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025");
  EXPECT_EQ(s.last_epoch(), 10);
  EXPECT_EQ(s.best(), 0.9);
}

TEST(Reference, ReduceLROnPlateauRelativeThreshold) {
  auto opt = sgd({0.1});
  ReduceLROnPlateau s(*opt, {.factor = 0.5, .patience = 1});
  std::vector<double> lrs{opt->lr()};
  for (double m : {1.0, 0.99995, 0.9999, 0.9998, 0.9997, 0.9996}) {
    s.step(m);
    lrs.push_back(opt->lr());
  }
  // changes smaller than the relative threshold 1e-4 are not improvements
  expect_printed(lrs, "0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05");
}

// ---- torch 1.13, printed by tests/reference/make_schedule_reference.py ----------------------

TEST(Torch, ClosedFormsAreBitExact) {
  auto opt = sgd({0.1});
  ExponentialLR e(*opt, {.gamma = 0.9});
  expect_exact(run(*opt, e, 8).lr,
               "0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002, "
               "0.05904900000000002, 0.05314410000000002, 0.04782969000000002, 0.043046721000000024");
  opt = sgd({0.1});
  MultiStepLR m(*opt, {.milestones = {5, 2}, .gamma = 0.1});  // any order
  expect_exact(run(*opt, m, 7).lr,
               "0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, "
               "0.0010000000000000002, 0.0010000000000000002, 0.0010000000000000002");
  opt = sgd({0.1});
  LinearLR l(*opt, {.start_factor = 0.25, .end_factor = 1.0, .total_iters = 4});
  expect_exact(run(*opt, l, 6).lr,
               "0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.10000000000000002, "
               "0.10000000000000002, 0.10000000000000002");
  opt = sgd({0.1});
  LambdaLR f(*opt, [](int64_t e) { return 1.0 / static_cast<double>(1 + e); });
  expect_exact(run(*opt, f, 4).lr, "0.1, 0.05, 0.03333333333333333, 0.025, 0.020000000000000004");
}

TEST(Torch, MultiplicativeLR) {
  // seed 000's `lr *= 1.03`; as a constant and as PyTorch's function of the step
  const char* torch = "0.1, 0.10300000000000001, 0.10609000000000002, 0.10927270000000001, 0.11255088100000002, "
                      "0.11592740743000002, 0.11940522965290003";
  auto opt = sgd({0.1});
  MultiplicativeLR constant(*opt, 1.03);
  expect_exact(run(*opt, constant, 6).lr, torch);
  opt = sgd({0.1});
  MultiplicativeLR function(*opt, [](int64_t) { return 1.03; });
  expect_exact(run(*opt, function, 6).lr, torch);
}

TEST(Torch, CosineAnnealingWarmRestarts) {
  auto opt = sgd({0.1});
  CosineAnnealingWarmRestarts s(*opt, {.T_0 = 3, .T_mult = 2, .eta_min = 0.01});
  // restarts at steps 3, 9 and 21
  expect_exact(run(*opt, s, 22).lr,
               "0.1, 0.0775, 0.032500000000000015, 0.1, 0.09397114317029975, 0.0775, 0.05500000000000001, "
               "0.032500000000000015, 0.01602885682970026, 0.1, 0.09846666218300808, 0.09397114317029975, "
               "0.08681980515339464, 0.0775, 0.06664685702961344, 0.05500000000000001, 0.04335314297038658, "
               "0.032500000000000015, 0.023180194846605363, 0.01602885682970026, 0.011533337816991932, 0.1, "
               "0.09961501876182148");
  EXPECT_EQ(s.T_i(), 24);
  EXPECT_EQ(s.T_cur(), 1.0);

  opt = sgd({0.1});
  CosineAnnealingWarmRestarts t(*opt, {.T_0 = 4});
  expect_exact(run(*opt, t, 10).lr,
               "0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1, 0.08535533905932738, 0.05, "
               "0.014644660940672627, 0.1, 0.08535533905932738, 0.05");
}

TEST(Torch, CyclicLRTriangular) {
  auto opt = sgd({0.1});
  CyclicLR s(*opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 3, .step_size_down = 2});
  const Trace t = run(*opt, s, 12);
  expect_exact(t.lr,
               "0.01, 0.039999999999999994, 0.06999999999999999, 0.09999999999999999, 0.055, 0.01, "
               "0.04000000000000003, 0.06999999999999999, 0.09999999999999999, 0.05500000000000005, 0.01, "
               "0.04000000000000003, 0.06999999999999999");
  expect_exact(t.momentum,
               "0.9, 0.8666666666666667, 0.8333333333333334, 0.8, 0.8500000000000001, 0.9, 0.8666666666666667, "
               "0.8333333333333334, 0.8, 0.85, 0.9, 0.8666666666666667, 0.8333333333333334");
}

TEST(Torch, CyclicLRTriangular2) {
  auto opt = sgd({0.1});
  CyclicLR s(*opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 2, .mode = CyclicMode::triangular2});
  const Trace t = run(*opt, s, 14);
  expect_exact(t.lr,
               "0.01, 0.05500000000000001, 0.1, 0.05500000000000001, 0.01, 0.0325, 0.05500000000000001, 0.0325, "
               "0.01, 0.02125, 0.0325, 0.02125, 0.01, 0.015625, 0.02125");
  expect_exact(t.momentum,
               "0.9, 0.8500000000000001, 0.8, 0.8500000000000001, 0.9, 0.875, 0.8500000000000001, 0.875, 0.9, "
               "0.8875000000000001, 0.875, 0.8875000000000001, 0.9, 0.89375, 0.8875000000000001");
}

TEST(Torch, CyclicLRExpRange) {
  auto opt = sgd({0.1});
  CyclicLR s(*opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 2, .mode = CyclicMode::exp_range, .gamma = 0.9});
  const Trace t = run(*opt, s, 10);
  expect_exact(t.lr,
               "0.01, 0.05050000000000001, 0.0829, 0.04280500000000001, 0.01, 0.03657205000000001, "
               "0.05782969000000001, 0.03152336050000001, 0.01, 0.027433922005000007, 0.041381059609000015");
  expect_exact(t.momentum,
               "0.9, 0.855, 0.8190000000000001, 0.86355, 0.9, 0.8704755000000001, 0.8468559, 0.8760851550000001, "
               "0.9, 0.88062897555, 0.86513215599");
}

TEST(Torch, CyclicLRCustomScale) {
  auto opt = sgd({0.1});
  CyclicLR s(*opt, {.base_lr = 0.01,
                    .max_lr = 0.1,
                    .step_size_up = 2,
                    .scale_fn = [](double x) { return 1 / (1 + x / 10); },
                    .scale_mode = ScaleMode::iterations,
                    .base_momentum = 0.85,
                    .max_momentum = 0.95});
  const Trace t = run(*opt, s, 8);
  expect_exact(t.lr,
               "0.01, 0.05090909090909092, 0.085, 0.04461538461538462, 0.01, 0.04, 0.06625, 0.03647058823529412, "
               "0.01");
  expect_exact(t.momentum,
               "0.95, 0.9045454545454545, 0.8666666666666667, 0.9115384615384615, 0.95, 0.9166666666666666, "
               "0.8875, 0.9205882352941176, 0.95");
}

TEST(Torch, OneCycleLRLinear) {
  auto opt = sgd({0.1});
  OneCycleLR s(*opt, {.max_lr = 1.0, .total_steps = 10, .anneal_strategy = AnnealStrategy::linear});
  const Trace t = run(*opt, s, 9);
  expect_exact(t.lr,
               "0.04, 0.52, 1.0, 0.8571434285714286, 0.7142868571428571, 0.5714302857142857, 0.42857371428571434, "
               "0.2857171428571429, 0.14286057142857145, 4.000000000004e-06");
  expect_exact(t.momentum,
               "0.95, 0.8999999999999999, 0.85, 0.8642857142857142, 0.8785714285714286, 0.8928571428571428, "
               "0.9071428571428571, 0.9214285714285714, 0.9357142857142857, 0.95");
}

TEST(Torch, OneCycleLRThreePhase) {
  auto opt = sgd({0.1});
  OneCycleLR s(*opt, {.max_lr = 0.5, .total_steps = 12, .pct_start = 0.25, .three_phase = true});
  const Trace t = run(*opt, s, 11);
  expect_exact(t.lr,
               "0.020000000000000018, 0.26, 0.5, 0.26, 0.02, 0.019009787710156288, 0.016235274528785478, "
               "0.012225986818629188, 0.007776013181370814, 0.0037667254712145243, 0.0009922122898437123, 2e-06");
  expect_exact(t.momentum, "0.95, 0.8999999999999999, 0.85, 0.8999999999999999, 0.95, 0.95, 0.95, 0.95, 0.95, "
                           "0.95, 0.95, 0.95");
}

TEST(Torch, OneCycleLRThreePhaseLinearFromEpochs) {
  auto opt = sgd({0.1});
  OneCycleLR s(*opt, {.max_lr = 0.5,
                      .epochs = 3,
                      .steps_per_epoch = 4,
                      .anneal_strategy = AnnealStrategy::linear,
                      .div_factor = 10.0,
                      .final_div_factor = 100.0,
                      .three_phase = true});
  EXPECT_EQ(s.total_steps(), 12);
  const Trace t = run(*opt, s, 11);
  expect_exact(t.lr,
               "0.05, 0.22307692307692312, 0.39615384615384625, 0.4307692307692307, 0.2576923076923076, "
               "0.08461538461538448, 0.043172413793103444, 0.03463793103448276, 0.026103448275862067, "
               "0.017568965517241374, 0.00903448275862069, 0.0005000000000000004");
  expect_exact(t.momentum,
               "0.95, 0.9115384615384615, 0.8730769230769231, 0.8653846153846154, 0.9038461538461539, "
               "0.9423076923076923, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95");
}

TEST(Torch, OneCycleLRCyclesAdamsBeta1) {
  // With betas instead of momentum, β1 follows the momentum schedule (PyTorch's use_beta1).
  tg::Tensor p = tg::zeros({1}, true);
  Adam opt({p}, {.lr = 0.1, .betas = {0.9, 0.999}});
  OneCycleLR s(opt, {.max_lr = 1.0, .total_steps = 10});
  const Trace t = run(opt, s, 9);
  expect_printed(t.momentum,
                 "0.95, 0.9, 0.85, 0.85495155660487898, 0.86882550990706331, 0.88887395330218422, "
                 "0.91112604669781572, 0.93117449009293662, 0.94504844339512095, 0.95");
  EXPECT_EQ(opt.param_groups()[0].options.betas[1], 0.999);
}

const char* kWarmupThenExponential =
    "0.010000000000000002, 0.04, 0.07, 0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, "
    "0.06561000000000002, 0.05904900000000002, 0.05314410000000002, 0.04782969000000002";

TEST(Torch, SequentialLRWarmupThenExponential) {
  auto opt = sgd({0.1});
  std::vector<std::unique_ptr<LRScheduler>> parts;
  parts.push_back(std::make_unique<LinearLR>(*opt, LinearLROptions{.start_factor = 0.1, .total_iters = 3}));
  parts.push_back(std::make_unique<ExponentialLR>(*opt, ExponentialLROptions{.gamma = 0.9}));
  SequentialLR s(*opt, std::move(parts), {3});
  expect_exact(run(*opt, s, 10).lr, kWarmupThenExponential);
  EXPECT_EQ(s.schedulers()[1]->last_epoch(), 7);
}

TEST(Torch, WarmupHelperIsTheSameSequence) {
  // `after` is built first here; it still starts from the optimizer's initial lr.
  auto opt = sgd({0.1});
  auto s = warmup(*opt, 3, std::make_unique<ExponentialLR>(*opt, ExponentialLROptions{.gamma = 0.9}), 0.1);
  expect_exact(run(*opt, *s, 10).lr, kWarmupThenExponential);
}

TEST(Torch, SequentialLRWarmupThenCosine) {
  // The warmup is cut at milestone 2 (before its end); the cosine starts from the initial lr
  // 0.1, not from the lr the warmup had set when the cosine was built.
  auto opt = sgd({0.1});
  std::vector<std::unique_ptr<LRScheduler>> parts;
  parts.push_back(std::make_unique<LinearLR>(*opt, LinearLROptions{.start_factor = 0.25, .total_iters = 4}));
  parts.push_back(std::make_unique<CosineAnnealingLR>(*opt, CosineAnnealingLROptions{.T_max = 5, .eta_min = 0.01}));
  SequentialLR s(*opt, std::move(parts), {2});
  expect_exact(run(*opt, s, 9).lr,
               "0.025, 0.043750000000000004, 0.1, 0.09140576474687263, 0.06890576474687263, 0.04109423525312736, "
               "0.018594235253127367, 0.01, 0.018594235253127367, 0.04109423525312739");
}

TEST(Torch, ReduceLROnPlateauMaxAbsCooldown) {
  auto opt = sgd({0.1});
  ReduceLROnPlateau s(*opt, {.mode = PlateauMode::max,
                             .factor = 0.5,
                             .patience = 1,
                             .threshold = 0.01,
                             .threshold_mode = ThresholdMode::abs,
                             .cooldown = 2,
                             .min_lr = 0.01});
  std::vector<double> lrs{opt->lr()};
  for (double m : {0.5, 0.6, 0.605, 0.61, 0.7, 0.7, 0.705, 0.7, 0.69, 0.71, 0.7, 0.7, 0.7, 0.72, 0.8, 0.8, 0.8, 0.8}) {
    s.step(m);
    lrs.push_back(opt->lr());
  }
  expect_exact(lrs,
               "0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, "
               "0.0125, 0.0125, 0.01, 0.01");
  EXPECT_EQ(s.best(), 0.8);
}

// ---- several parameter groups ----------------------------------------------------------------

TEST(MultiGroup, EachGroupFollowsItsOwnBaseLr) {
  auto opt = sgd({0.1, 0.02});
  CosineAnnealingLR s(*opt, {.T_max = 4, .eta_min = 0.001});
  EXPECT_EQ(s.base_lrs(), (std::vector<double>{0.1, 0.02}));
  std::vector<double> g0{opt->lr(0)}, g1{opt->lr(1)};
  for (int i = 0; i < 6; ++i) {
    s.step();
    ASSERT_EQ(s.get_last_lr().size(), 2u);
    EXPECT_EQ(s.get_last_lr()[0], opt->lr(0));
    EXPECT_EQ(s.get_last_lr()[1], opt->lr(1));
    g0.push_back(opt->lr(0));
    g1.push_back(opt->lr(1));
  }
  expect_exact(g0, "0.1, 0.0855017856687341, 0.0505, 0.0154982143312659, 0.001, 0.015498214331265896, "
                   "0.05050000000000001");
  expect_exact(g1, "0.02, 0.0172175144212722, 0.010499999999999999, 0.0037824855787277987, 0.001, "
                   "0.003782485578727798, 0.010500000000000002");
}

TEST(MultiGroup, StepLRAndOneCycleLR) {
  auto opt = sgd({0.1, 0.02});
  StepLR s(*opt, {.step_size = 2, .gamma = 0.5});
  expect_exact(run(*opt, s, 6, 1).lr, "0.02, 0.02, 0.01, 0.01, 0.005, 0.005, 0.0025");

  opt = sgd({0.1, 0.02});
  OneCycleLR c(*opt, {.max_lr = 1.0, .total_steps = 10});  // one max_lr: both groups alike
  expect_exact(run(*opt, c, 9, 1).lr,
               "0.040000000000000036, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631, 0.6112620219362893, "
               "0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 4e-06");
  EXPECT_EQ(opt->lr(0), opt->lr(1));
  EXPECT_EQ(opt->momentum(0), opt->momentum(1));
}

TEST(MultiGroup, OneLambdaPerGroup) {
  auto opt = sgd({0.1, 0.02});
  LambdaLR s(*opt, std::vector<LRLambda>{[](int64_t e) { return 1.0 / static_cast<double>(1 + e); },
                                         [](int64_t e) { return std::pow(0.5, static_cast<double>(e)); }});
  for (int e = 1; e <= 4; ++e) {
    s.step();
    EXPECT_EQ(opt->lr(0), 0.1 * (1.0 / (1 + e)));
    EXPECT_EQ(opt->lr(1), 0.02 * std::pow(0.5, e));
  }
  MultiplicativeLR m(*opt, std::vector<LRLambda>{[](int64_t) { return 2.0; }, [](int64_t) { return 3.0; }});
  const double lr0 = opt->lr(0), lr1 = opt->lr(1);
  m.step();
  EXPECT_EQ(opt->lr(0), lr0 * 2.0);
  EXPECT_EQ(opt->lr(1), lr1 * 3.0);
  expect_value_error([&] { LambdaLR(*opt, std::vector<LRLambda>{[](int64_t) { return 1.0; }}); },
                     {"LambdaLR", "expected 2 lr_lambdas", "got 1"});
}

TEST(MultiGroup, ReduceLROnPlateauLowersEveryGroupDownToMinLr) {
  auto opt = sgd({0.1, 0.002});
  ReduceLROnPlateau s(*opt, {.factor = 0.1, .patience = 0, .min_lr = 0.001});
  s.step(1.0);
  s.step(2.0);  // worse: patience 0 reduces at once
  EXPECT_NEAR(s.get_last_lr()[0], 0.01, 1e-17);
  EXPECT_EQ(s.get_last_lr()[1], 0.001);  // max(0.0002, min_lr)
}

// ---- schedules that are not in PyTorch -------------------------------------------------------

TEST(InverseTime, SeedFormula) {
  // seed 000: k_lr = 0.01 / (1 + 0.01·epoch), b_lr = 0.1 / (1 + 0.01·epoch)
  auto opt = sgd({0.01, 0.1});
  InverseTimeLR s(*opt, {.decay = 0.01});
  for (int e = 0; e <= 100; ++e) {
    EXPECT_EQ(opt->lr(0), 0.01 / (1.0 + 0.01 * e));
    EXPECT_EQ(opt->lr(1), 0.1 / (1.0 + 0.01 * e));
    s.step();
  }
  EXPECT_NEAR(opt->lr(0), 0.01 / (1 + 1.01), 1e-18);
}

TEST(Multiplicative, GrowsLikeTheSeedsLoop) {
  auto opt = sgd({0.05});
  MultiplicativeLR s(*opt, 1.03);
  double lr = 0.05;
  for (int i = 0; i < 50; ++i) {
    lr *= 1.03;
    s.step();
    EXPECT_EQ(opt->lr(), lr);
  }
}

// ---- conventions -----------------------------------------------------------------------------

TEST(Conventions, TheConstructorIsStepZero) {
  auto opt = sgd({0.1});
  LinearLR s(*opt, {.start_factor = 0.5, .total_iters = 2});
  EXPECT_EQ(s.last_epoch(), 0);
  EXPECT_EQ(opt->lr(), 0.05);  // lr(0) is in force for the first optimizer.step()
  EXPECT_EQ(s.get_last_lr(), std::vector<double>{0.05});
  EXPECT_EQ(std::string(s.name()), "LinearLR");
  EXPECT_EQ(&s.optimizer(), opt.get());
}

TEST(Conventions, LaterSchedulesStartFromTheInitialLr) {
  // As PyTorch's initial_lr: the base lr is the lr before the first scheduler of the optimizer.
  auto opt = sgd({0.1});
  auto first = std::make_unique<LinearLR>(*opt, LinearLROptions{.start_factor = 0.5});
  EXPECT_EQ(opt->lr(), 0.05);
  CosineAnnealingLR second(*opt, {.T_max = 10});
  EXPECT_EQ(second.base_lrs(), std::vector<double>{0.1});
  // It is kept by the optimizer, also after its schedulers are gone.
  first.reset();
  opt->set_lr(0.2);
  StepLR third(*opt, {.step_size = 1});
  EXPECT_EQ(third.base_lrs(), std::vector<double>{0.1});
}

TEST(Conventions, ANewSchedulerAfterTheOldOnesKeepsTheInitialLr) {
  // torch 1.13: the group keeps initial_lr = 0.1; ExponentialLR's step 0 leaves the lr as is.
  auto opt = sgd({0.1});
  { ExponentialLR e(*opt, {.gamma = 0.5}); e.step(); }
  EXPECT_EQ(opt->lr(), 0.05);
  ExponentialLR f(*opt, {.gamma = 0.5});
  EXPECT_EQ(f.base_lrs(), std::vector<double>{0.1});
  EXPECT_EQ(opt->lr(), 0.05);
  EXPECT_EQ(opt->initial_lr(), 0.1);
}

TEST(Conventions, CyclicLRSetsBaseLrAndMomentum) {
  auto opt = sgd({0.5, 0.7});
  CyclicLR s(*opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 4});
  EXPECT_EQ(s.base_lrs(), (std::vector<double>{0.01, 0.01}));
  EXPECT_EQ(opt->lr(1), 0.01);
  EXPECT_EQ(opt->momentum(1), 0.9);  // max_momentum at the bottom of the cycle
  CyclicLR no_momentum(*opt, {.base_lr = 0.01, .max_lr = 0.1, .cycle_momentum = false});
  EXPECT_EQ(opt->momentum(1), 0.9);
}

// ---- invalid options -------------------------------------------------------------------------

TEST(InvalidOptions, NameTheSchedulerTheOptionAndTheValue) {
  auto opt = sgd({0.1});
  expect_value_error([&] { StepLR(*opt, {}); }, {"StepLR", "step_size", "0"});
  expect_value_error([&] { StepLR(*opt, {.step_size = -2}); }, {"StepLR", "step_size", "-2"});
  expect_value_error([&] { StepLR(*opt, {.step_size = 2, .gamma = 0}); }, {"StepLR", "gamma", "0"});
  expect_value_error([&] { MultiStepLR(*opt, {.milestones = {3}, .gamma = -0.5}); }, {"MultiStepLR", "gamma", "-0.5"});
  expect_value_error([&] { ExponentialLR(*opt, {}); }, {"ExponentialLR", "gamma", "required"});
  expect_value_error([&] { ExponentialLR(*opt, {.gamma = 0}); }, {"ExponentialLR", "gamma", "0"});
  expect_value_error([&] { MultiplicativeLR(*opt, 0.0); }, {"MultiplicativeLR", "factor", "0"});
  expect_value_error([&] { InverseTimeLR(*opt, {}); }, {"InverseTimeLR", "decay", "required"});
  expect_value_error([&] { InverseTimeLR(*opt, {.decay = -1}); }, {"InverseTimeLR", "decay", "-1"});
  expect_value_error([&] { LinearLR(*opt, {.start_factor = 0}); }, {"LinearLR", "start_factor", "0"});
  expect_value_error([&] { LinearLR(*opt, {.end_factor = 1.5}); }, {"LinearLR", "end_factor", "1.5"});
  expect_value_error([&] { LinearLR(*opt, {.total_iters = 0}); }, {"LinearLR", "total_iters", "0"});
  expect_value_error([&] { CosineAnnealingLR(*opt, {}); }, {"CosineAnnealingLR", "T_max", "0"});
  expect_value_error([&] { CosineAnnealingLR(*opt, {.T_max = 5, .eta_min = -0.1}); },
                     {"CosineAnnealingLR", "eta_min", "-0.1"});
  expect_value_error([&] { CosineAnnealingWarmRestarts(*opt, {}); }, {"CosineAnnealingWarmRestarts", "T_0", "0"});
  expect_value_error([&] { CosineAnnealingWarmRestarts(*opt, {.T_0 = 5, .T_mult = 0}); },
                     {"CosineAnnealingWarmRestarts", "T_mult", "0"});
  expect_value_error([&] { CyclicLR(*opt, {.max_lr = 1}); }, {"CyclicLR", "base_lr", "required"});
  expect_value_error([&] { CyclicLR(*opt, {.base_lr = 0.1, .max_lr = 1, .step_size_up = 0}); },
                     {"CyclicLR", "step_size_up", "0"});
  expect_value_error([&] { CyclicLR(*opt, {.base_lr = 0.1, .max_lr = 1, .step_size_down = -1}); },
                     {"CyclicLR", "step_size_down", "-1"});
  expect_value_error([&] { CyclicLR(*opt, {.base_lr = 0.1, .max_lr = 1, .gamma = 0}); }, {"CyclicLR", "gamma", "0"});
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1}); }, {"OneCycleLR", "total_steps"});
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1, .total_steps = 0}); }, {"OneCycleLR", "total_steps", "0"});
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1, .epochs = 2, .steps_per_epoch = -3}); },
                     {"OneCycleLR", "steps_per_epoch", "-3"});
  expect_value_error([&] { OneCycleLR(*opt, {.total_steps = 10}); }, {"OneCycleLR", "max_lr", "required"});
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1, .total_steps = 10, .pct_start = 0}); },
                     {"OneCycleLR", "pct_start", "0"});
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1, .total_steps = 10, .pct_start = 1}); },
                     {"OneCycleLR", "pct_start", "1"});
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1, .total_steps = 10, .div_factor = 0}); },
                     {"OneCycleLR", "div_factor", "0"});
  // pct_start·total_steps − 1 = 0: the warmup would have no steps (PyTorch divides by zero)
  expect_value_error([&] { OneCycleLR(*opt, {.max_lr = 1, .total_steps = 10, .pct_start = 0.1}); },
                     {"OneCycleLR", "phase 1", "pct_start = 0.1", "total_steps = 10"});
  expect_value_error([&] { ReduceLROnPlateau(*opt, {.factor = 1.0}); }, {"ReduceLROnPlateau", "factor", "1"});
  expect_value_error([&] { ReduceLROnPlateau(*opt, {.patience = -1}); }, {"ReduceLROnPlateau", "patience", "-1"});
  expect_value_error([&] { ReduceLROnPlateau(*opt, {.threshold = -0.5}); },
                     {"ReduceLROnPlateau", "threshold", "-0.5"});
  expect_value_error([&] { ReduceLROnPlateau(*opt, {.cooldown = -2}); }, {"ReduceLROnPlateau", "cooldown", "-2"});
  expect_value_error([&] { warmup(*opt, 0, std::make_unique<StepLR>(*opt, StepLROptions{.step_size = 1})); },
                     {"warmup", "warmup_steps", "0"});
  // none of the failed constructors touched the optimizer
  EXPECT_EQ(opt->lr(), 0.1);
  EXPECT_EQ(opt->momentum(), 0.9);
}

TEST(InvalidOptions, MomentumCyclingNeedsMomentum) {
  Plain opt({tg::zeros({1}, true)});
  ASSERT_FALSE(opt.has_momentum());
  expect_value_error([&] { CyclicLR(opt, {.base_lr = 0.01, .max_lr = 0.1}); }, {"CyclicLR", "cycle_momentum", "plain"});
  expect_value_error([&] { OneCycleLR(opt, {.max_lr = 1, .total_steps = 10}); }, {"OneCycleLR", "cycle_momentum"});
  CyclicLR c(opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 2, .cycle_momentum = false});
  c.step();
  EXPECT_EQ(opt.lr(), 0.05500000000000001);  // as in the triangular2 row: (0.1 − 0.01)·0.5 + 0.01
}

TEST(InvalidOptions, SequentialLR) {
  auto opt = sgd({0.1}), other = sgd({0.1});
  auto two = [&](Optimizer& second) {
    std::vector<std::unique_ptr<LRScheduler>> v;
    v.push_back(std::make_unique<LinearLR>(*opt));
    v.push_back(std::make_unique<ExponentialLR>(second, ExponentialLROptions{.gamma = 0.9}));
    return v;
  };
  expect_value_error([&] { SequentialLR(*opt, two(*opt), {}); }, {"SequentialLR", "2 schedulers", "0 milestones"});
  expect_value_error([&] { SequentialLR(*opt, two(*opt), {0}); }, {"SequentialLR", "milestones[0]", "0"});
  expect_value_error([&] { SequentialLR(*opt, two(*other), {3}); },
                     {"SequentialLR", "scheduler 1", "ExponentialLR", "different optimizer"});
  expect_value_error([&] { SequentialLR(*opt, {}, {}); }, {"SequentialLR", "at least one"});
}

}  // namespace
