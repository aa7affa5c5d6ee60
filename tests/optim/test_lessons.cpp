// The lessons' claims about optimizers, as tests.
#include <gtest/gtest.h>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

namespace {

using Loss = std::function<tg::Tensor(const tg::Tensor&)>;

tg::Tensor ravine(const tg::Tensor& p) { return p[0].pow(2) + 10.0 * p[1].pow(2); }
tg::Tensor bowl(const tg::Tensor& p) { return (p[0] - 3.0).pow(2) + (p[1] + 2.0).pow(2); }

// Runs `steps` steps and returns the parameter after each (row 0 = the start).
std::vector<std::vector<double>> trajectory(tg::optim::Optimizer& opt, const tg::Tensor& p, const Loss& f,
                                            int steps) {
  std::vector<std::vector<double>> rows{p.to_vector()};
  for (int i = 0; i < steps; ++i) {
    opt.step([&] {
      opt.zero_grad();
      tg::Tensor loss = f(p);
      loss.backward();
      return loss;
    });
    rows.push_back(p.to_vector());
  }
  return rows;
}

int steps_to_reach(const std::vector<std::vector<double>>& rows, double x, double y, double tol) {
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (std::hypot(rows[i][0] - x, rows[i][1] - y) < tol) return static_cast<int>(i);
  return -1;
}

// Seed 004: on x² + 10y² at lr 0.095, gradient descent zig-zags across the ravine — y
// changes sign at every step, since 1 − 0.095·20 = −0.9 — while momentum gets there sooner.
TEST(Lessons, GradientDescentZigZagsInARavineAndMomentumIsFaster) {
  tg::Tensor p = tg::tensor({-1.5, 2.0}, true);
  tg::optim::SGD gd({p}, {.lr = 0.095});
  const auto plain = trajectory(gd, p, ravine, 400);
  for (int t = 1; t <= 100; ++t) {
    EXPECT_LT(plain[t][1] * plain[t - 1][1], 0.0) << "step " << t;
  }
  EXPECT_NEAR(plain[1][1] / plain[0][1], -0.9, 1e-15);

  tg::Tensor q = tg::tensor({-1.5, 2.0}, true);
  tg::optim::SGD momentum({q}, {.lr = 0.095, .momentum = 0.5});
  const auto heavy = trajectory(momentum, q, ravine, 400);
  const int gd_steps = steps_to_reach(plain, 0, 0, 1e-6);
  const int momentum_steps = steps_to_reach(heavy, 0, 0, 1e-6);
  ASSERT_GT(gd_steps, 0);
  ASSERT_GT(momentum_steps, 0);
  EXPECT_LT(momentum_steps, gd_steps / 2) << "momentum " << momentum_steps << " steps, GD " << gd_steps;
}

// Seed 004: AdaGrad divides by the root of the sum of all squared gradients so far, which
// only grows: each parameter's effective learning rate can only shrink.
TEST(Lessons, AdagradEffectiveLearningRateNeverGrows) {
  for (const char* name : {"adagrad", "adagrad_eps_inside"}) {
    tg::Tensor p = tg::tensor({0.0, 0.0}, true);
    auto opt = tg::optim::make_optimizer(name, {p}, {{"lr", "0.5"}});
    opt->track_step_sizes();
    std::vector<double> previous;
    // 30 steps, while the updates are large enough for (θ_before − θ_after)/g to be exact
    // to ~1e-12 (near the minimum the difference of nearly equal θ loses digits).
    for (int t = 0; t < 30; ++t) {
      trajectory(*opt, p, bowl, 1);
      const std::vector<double> now = opt->step_sizes()[0].to_vector();
      for (std::size_t i = 0; i < now.size(); ++i) {
        EXPECT_GT(now[i], 0.0);
        // (θ_before − θ_after)/g carries rounding of a few ulps, hence the 1e-12
        if (!previous.empty()) {
          EXPECT_LE(now[i], previous[i] * (1 + 1e-12)) << name << " step " << t << " coordinate " << i;
        }
      }
      previous = now;
    }
  }
}

// Seed 004: AMSGrad keeps the largest second moment seen, so its denominator never shrinks
// (Adam's can, when gradients become small).
TEST(Lessons, AmsgradDenominatorNeverShrinks) {
  tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  tg::optim::AMSGrad ams({p}, {.lr = 0.01});
  tg::Tensor q = tg::tensor({-1.2, 1.0}, true);
  tg::optim::Adam adam({q}, {.lr = 0.01});
  auto rosenbrock = [](const tg::Tensor& x) { return (1.0 - x[0]).pow(2) + 100.0 * (x[1] - x[0].pow(2)).pow(2); };
  std::vector<double> previous;
  bool adam_shrank = false;
  std::vector<double> adam_previous;
  for (int t = 0; t < 300; ++t) {
    trajectory(ams, p, rosenbrock, 1);
    trajectory(adam, q, rosenbrock, 1);
    const std::vector<double> now = ams.state(0, 0).max_exp_avg_sq.to_vector();
    const std::vector<double> adam_now = adam.state(0, 0).exp_avg_sq.to_vector();
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (!previous.empty()) {
        EXPECT_GE(now[i], previous[i]) << "step " << t;
      }
      if (!adam_previous.empty() && adam_now[i] < adam_previous[i]) adam_shrank = true;
    }
    previous = now;
    adam_previous = adam_now;
  }
  EXPECT_TRUE(adam_shrank) << "on this run Adam's second moment does shrink, so the test can tell them apart";
}

// Seed 004 (AdamW): decoupled decay shrinks the weights by lr·λ·θ whatever the gradients'
// scale; Adam's L2 term is divided by √v̂ like the gradient, so its effect depends on it.
TEST(Lessons, AdamwDecayDoesNotDependOnGradientScale) {
  auto final_value = [](const std::string& name, double scale) {
    tg::Tensor p = tg::tensor({2.0}, true);
    auto opt = tg::optim::make_optimizer(name, {p}, {{"lr", "0.01"}, {"weight_decay", "0.5"}});
    const auto rows = trajectory(*opt, p, [scale](const tg::Tensor& x) { return scale * (x - 1.0).square().sum(); }, 100);
    return rows.back()[0];
  };
  // Adam itself is invariant to the gradient's scale (up to eps), so AdamW is too...
  EXPECT_NEAR(final_value("adamw", 1.0), final_value("adamw", 1000.0), 1e-6);
  // ...but with L2 in the gradient the decay's weight changes with the scale.
  EXPECT_GT(std::fabs(final_value("adam", 1.0) - final_value("adam", 1000.0)), 1e-2);
}

// Every optimizer, with settings suited to it, converges on the bowl (x−3)² + (y+2)².
TEST(Lessons, EveryOptimizerConvergesOnTheBowl) {
  // Options per optimizer where its defaults are not suited to a 2-parameter bowl. LAMB and
  // LARS take steps proportional to ‖θ‖, so with a constant lr they circle the minimum at a
  // distance of about lr·‖θ‖: they get a small lr here (in training, a schedule).
  const std::map<std::string, tg::optim::OptionList> settings = {
      {"sgd", {{"lr", "0.1"}}},
      {"momentum_ema", {{"lr", "0.1"}}},
      {"heavy_ball", {{"lr", "0.05"}}},
      {"nesterov_lookahead", {{"lr", "0.05"}}},
      {"qhm", {{"lr", "0.1"}, {"beta", "0.9"}}},
      {"aggmo", {{"lr", "0.05"}}},
      {"demon_sgdm", {{"lr", "0.05"}, {"T", "3000"}}},
      {"demon_adam", {{"lr", "0.05"}, {"T", "3000"}}},
      {"adagrad", {{"lr", "1"}}},
      {"adagrad_eps_inside", {{"lr", "1"}}},
      {"adadelta", {{"lr", "10"}}},
      {"adadelta_nolr", {{"eps", "1e-2"}}},
      {"rmsprop", {{"lr", "0.01"}}},
      {"rmsprop_eps_inside", {{"lr", "0.01"}}},
      {"adam", {{"lr", "0.05"}}},
      {"adamw", {{"lr", "0.05"}, {"weight_decay", "0"}}},
      {"adamw_after", {{"lr", "0.05"}, {"weight_decay", "0"}}},
      {"adam_efficient", {{"lr", "0.05"}}},
      {"amsgrad_nobc2", {{"lr", "0.01"}}},
      {"adamax", {{"lr", "0.05"}}},
      {"adamax_textbook", {{"lr", "0.05"}}},
      {"nadam", {{"lr", "0.05"}}},
      {"nadam_simplified", {{"lr", "0.05"}}},
      {"radam", {{"lr", "0.05"}}},
      {"qhadam", {{"lr", "0.05"}, {"betas", "(0.9,0.999)"}}},
      {"adabelief", {{"lr", "0.05"}}},
      {"lion", {{"lr", "0.001"}}},
      {"lamb", {{"lr", "0.001"}, {"weight_decay", "0"}}},
      {"lars", {{"lr", "0.02"}, {"momentum", "0.5"}, {"trust_coef", "0.05"}, {"weight_decay", "0"}}},
      {"larc_sgd", {{"lr", "0.1"}}},
      {"adafactor", {{"lr", "0.05"}, {"relative_step", "false"}}},
      {"shampoo", {{"lr", "0.5"}}},
      {"rprop", {}},
      {"asgd", {{"lr", "0.1"}}},
      {"lbfgs", {}},
      {"yellowfin", {}},
  };
  for (const tg::optim::OptimizerInfo& info : tg::optim::optimizers()) {
    const auto it = settings.find(info.name);
    ASSERT_NE(it, settings.end()) << "no settings for " << info.name;
    tg::Tensor p = tg::tensor({0.5, 0.5}, true);
    auto opt = tg::optim::make_optimizer(info.name, {p}, it->second);
    const auto rows = trajectory(*opt, p, bowl, 3000);
    EXPECT_LT(std::hypot(rows.back()[0] - 3.0, rows.back()[1] + 2.0), 1e-2)
        << info.name << " ended at (" << rows.back()[0] << ", " << rows.back()[1] << ")";
  }
}

}  // namespace
