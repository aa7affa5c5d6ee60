// LARC (apex's apex.parallel.LARC) around SGD against the trajectories of apex's own code
// (reference/oracle_ext/larc/), and around Adam against a hand computation; the zero-norm
// guard, both clip modes, options by name, bad options, checkpoints.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "oracle.hpp"

namespace {

using tg::Tensor;
using tg::optim::LARC;

// The relative 1e-9 of the reference trajectories.
void expect_close(const std::vector<double>& actual, const std::vector<double>& expected, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], 1e-12 + 1e-9 * std::fabs(expected[i])) << what << " component " << i;
}

Tensor bowl_step(tg::optim::Optimizer& opt, const Tensor& p) {
  return opt.step([&] {
    opt.zero_grad();
    Tensor f = oracle::evaluate("quadratic", p);
    f.backward();
    return f;
  });
}

TEST(LarcOracle, ReproducesEveryTrajectoryOfApex) {
  const std::vector<oracle::Entry>& entries = oracle::ext_entries("larc");
  ASSERT_EQ(entries.size(), 59u) << "53 strict and 6 relaxed entries";
  for (const oracle::Entry& e : entries) {
    EXPECT_EQ(e.optimizer, "larc_sgd");
    EXPECT_EQ(oracle::compare(e, oracle::run(e)), "");
  }
}

// extra.sgd_grad of the references: the gradient apex hands to torch's SGD, (g + λθ)·a.
TEST(Larc, TheGradientTheInnerSgdReceives) {
  Tensor p = tg::tensor({-1.5, 2.0}, true);
  auto opt = tg::optim::make_optimizer("larc_sgd", {p},
                                       {{"lr", "0.1"}, {"momentum", "0.9"}, {"trust_coefficient", "0.1"}, {"weight_decay", "0.01"}});
  const std::vector<std::vector<double>> sgd_grad = {{-1.8677597754824131, 1.6616121352600057},
                                                     {-1.685121790116463, 1.499132197086415},
                                                     {-1.3588135841349427, 1.2088391508333045}};
  const std::vector<std::vector<double>> params = {{-1.3132240224517586, 1.8338387864739993},
                                                   {-0.9766134636466951, 1.5343804745919574},
                                                   {-0.5377826023086436, 1.143984078814789}};
  for (std::size_t k = 0; k < 3; ++k) {
    bowl_step(*opt, p);
    expect_close(p.grad().to_vector(), sgd_grad[k], "sgd_grad step " + std::to_string(k));
    expect_close(p.to_vector(), params[k], "params after step " + std::to_string(k));
  }
  EXPECT_EQ(opt->option("weight_decay"), "0.01") << "the inner weight decay is restored after the step";
}

TEST(Larc, ZeroNormGuardLeavesTheGradientAndSkipsTheWeightDecay) {
  // θ = 0: the first step is plain SGD on g = (-6, 4), without λθ (which is 0 anyway) and
  // without the trust ratio (apex: rosenbrock from (0,0) has sgd_grad[0] = g = (-2, 0)).
  Tensor p = tg::zeros({2}, true);
  LARC opt(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{p}, tg::optim::SGDOptions{.lr = 0.1, .weight_decay = 0.5}));
  bowl_step(opt, p);
  EXPECT_EQ(p.grad().to_vector(), (std::vector<double>{-6.0, 4.0}));
  EXPECT_EQ(p.to_vector(), (std::vector<double>{0.6000000000000001, -0.4}));

  // g = 0 at the bowl's minimum: no step at all, although λθ = 0.5·(3, -2) is not 0 (plain
  // SGD with this weight decay would move to (2.85, -1.9)).
  Tensor q = tg::tensor({3.0, -2.0}, true);
  LARC at_minimum(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{q}, tg::optim::SGDOptions{.lr = 0.1, .weight_decay = 0.5}));
  bowl_step(at_minimum, q);
  EXPECT_EQ(q.to_vector(), (std::vector<double>{3.0, -2.0}));
  EXPECT_EQ(at_minimum.option("weight_decay"), "0.5");
}

// From θ = (-1.5, 2) on the bowl: g = (-9, 8), ‖θ‖ = 2.5, ‖g‖ = √145, a = η‖θ‖/(‖g‖ + ε).
TEST(Larc, ClipMakesTheStepMinOfLrAndTheLocalLr) {
  const double eta = 0.02, eps = 1e-8;
  const double a = eta * 2.5 / (std::sqrt(145.0) + eps);  // 0.0041523...
  auto first_step = [](double lr, bool clip) {
    Tensor p = tg::tensor({-1.5, 2.0}, true);
    LARC opt(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{p}, tg::optim::SGDOptions{.lr = lr}), {.clip = clip});
    bowl_step(opt, p);
    return p.to_vector();
  };
  // clip, lr = 0.1 > a: the step is a·g.
  expect_close(first_step(0.1, true), {-1.5 + 0.1 * (a / 0.1) * 9.0, 2.0 - 0.1 * (a / 0.1) * 8.0}, "clip, lr 0.1");
  // clip, lr = 0.001 < a: min(a/lr, 1) = 1, plain SGD.
  EXPECT_EQ(first_step(0.001, true), (std::vector<double>{-1.5 + 0.001 * 9.0, 2.0 - 0.001 * 8.0}));
  // no clip: the step is lr·a·g whatever lr is (LARS without momentum).
  expect_close(first_step(0.1, false), {-1.5 + 0.1 * a * 9.0, 2.0 - 0.1 * a * 8.0}, "no clip, lr 0.1");
  expect_close(first_step(0.001, false), {-1.5 + 0.001 * a * 9.0, 2.0 - 0.001 * a * 8.0}, "no clip, lr 0.001");
}

// LARC around torch's Adam (lr 0.1, weight_decay 0.1 taken over by LARC), two steps by hand.
TEST(Larc, AroundAdamAgainstAHandComputation) {
  Tensor p = tg::tensor({-1.5, 2.0}, true);
  LARC opt(std::make_unique<tg::optim::Adam>(std::vector<Tensor>{p}, tg::optim::AdamOptions{.lr = 0.1, .weight_decay = 0.1}),
           {.trust_coefficient = 0.05});
  EXPECT_STREQ(opt.name(), "larc_adam");
  EXPECT_STREQ(opt.optimizer().name(), "larc_adam");

  const double lr = 0.1, wd = 0.1, eta = 0.05, eps = 1e-8, b1 = 0.9, b2 = 0.999, adam_eps = 1e-8;
  std::vector<double> theta = {-1.5, 2.0}, m = {0, 0}, v = {0, 0};
  for (int t = 1; t <= 2; ++t) {
    const std::vector<double> g = {2.0 * (theta[0] - 3.0), 2.0 * (theta[1] + 2.0)};
    const double pn = std::hypot(theta[0], theta[1]), gn = std::hypot(g[0], g[1]);
    const double a = std::min(eta * pn / (gn + pn * wd + eps) / lr, 1.0);
    for (int i = 0; i < 2; ++i) {
      const double scaled = (g[i] + wd * theta[i]) * a;  // what Adam receives; its own decay is 0
      m[i] = b1 * m[i] + (1 - b1) * scaled;
      v[i] = b2 * v[i] + (1 - b2) * scaled * scaled;
      const double bc1 = 1 - std::pow(b1, t), bc2 = 1 - std::pow(b2, t);
      theta[i] -= lr / bc1 * m[i] / (std::sqrt(v[i]) / std::sqrt(bc2) + adam_eps);
    }
    bowl_step(opt, p);
    const std::vector<double> got = p.to_vector();
    for (int i = 0; i < 2; ++i) EXPECT_NEAR(got[i], theta[i], 1e-14) << "step " << t << " component " << i;
  }
  EXPECT_EQ(opt.option("weight_decay"), "0.1");
}

// Without clip and with eps = 0, LARC around SGD is LARS (docs/optimizers.md): lars's velocity
// v = μv + lr·a·(g + λθ) is lr times SGD's buffer of the scaled gradients while lr is constant.
TEST(Larc, WithoutClipAndEpsItFollowsLars) {
  for (const std::string function : {"ravine", "rosenbrock"}) {
    oracle::Entry lars{.key = function + "/lars",
                       .function = function,
                       .optimizer = "lars",
                       .options = {{"lr", "0.5"}, {"momentum", "0.9"}, {"trust_coef", "0.05"}, {"weight_decay", "0.01"}},
                       .start = {-1.5, 2.0},
                       .params = {}};
    oracle::Entry larc{.key = function + "/larc_sgd",
                       .function = function,
                       .optimizer = "larc_sgd",
                       .options = {{"lr", "0.5"}, {"momentum", "0.9"}, {"trust_coefficient", "0.05"},
                                   {"weight_decay", "0.01"}, {"clip", "false"}, {"eps", "0"}},
                       .start = {-1.5, 2.0},
                       .params = {}};
    lars.params = oracle::run(lars);
    EXPECT_EQ(oracle::compare(lars, oracle::run(larc)), "") << function;
    EXPECT_GT(std::fabs(lars.params.back()[0] + 1.5), 0.1) << function << ": it moved";
  }
}

// apex takes any group's weight_decay: AdamW's decoupled decay becomes coupled, so LARC around
// AdamW and around Adam (whose decay is coupled, and 0 while it steps) take the same steps.
TEST(Larc, TheWeightDecayOfAdamWBecomesCoupled) {
  Tensor a = tg::tensor({-1.5, 2.0}, true), b = tg::tensor({-1.5, 2.0}, true);
  LARC around_adamw(std::make_unique<tg::optim::AdamW>(std::vector<Tensor>{a}, tg::optim::AdamWOptions{.lr = 0.1, .weight_decay = 0.1}));
  LARC around_adam(std::make_unique<tg::optim::Adam>(std::vector<Tensor>{b}, tg::optim::AdamOptions{.lr = 0.1, .weight_decay = 0.1}));
  for (int i = 0; i < 20; ++i) {
    bowl_step(around_adamw, a);
    bowl_step(around_adam, b);
  }
  expect_close(a.to_vector(), b.to_vector(), "AdamW against Adam");
  EXPECT_EQ(around_adamw.option("weight_decay"), "0.1");
}

TEST(Larc, OptionsByNameAreTheInnerOnesThenLarcs) {
  Tensor p = tg::tensor({1.0, 2.0}, true);
  auto opt = tg::optim::make_optimizer("larc_sgd", {p}, {{"lr", "0.05"}, {"clip", "false"}, {"momentum", "0.9"}});
  EXPECT_STREQ(opt->name(), "larc_sgd");
  EXPECT_EQ(opt->option_names(), (std::vector<std::string>{"lr", "momentum", "dampening", "weight_decay", "nesterov",
                                                           "maximize", "trust_coefficient", "clip", "eps"}));
  EXPECT_EQ(opt->option("clip"), "false");
  EXPECT_EQ(opt->option("trust_coefficient"), "0.02");
  EXPECT_EQ(opt->momentum(), 0.9);
  opt->set_lr(0.2);  // what schedules do: the inner SGD's lr
  auto& larc = dynamic_cast<LARC&>(*opt);
  EXPECT_EQ(dynamic_cast<tg::optim::SGD&>(larc.optimizer()).param_groups()[0].options.lr, 0.2);
  opt->set_option("trust_coefficient", "0.1");
  EXPECT_EQ(larc.options().trust_coefficient, 0.1);
}

TEST(Larc, ASchedulePacesTheWrappedLrAndTheClip) {
  // StepLR halves lr after each step; with clip the step is min(lr, a)·g, so once lr is below
  // the local rate the schedule alone sets the step.
  Tensor p = tg::tensor({-1.5, 2.0}, true);
  LARC opt(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{p}, tg::optim::SGDOptions{.lr = 0.004}));
  tg::optim::StepLR schedule(opt, {.step_size = 1, .gamma = 0.5});
  bowl_step(opt, p);  // lr 0.004 < a = 0.0041523: the step is lr·g
  EXPECT_EQ(p.to_vector(), (std::vector<double>{-1.5 + 0.004 * 9.0, 2.0 - 0.004 * 8.0}));
  schedule.step();
  EXPECT_EQ(dynamic_cast<tg::optim::SGD&>(opt.optimizer()).param_groups()[0].options.lr, 0.002);
  const std::vector<double> before = p.to_vector();
  bowl_step(opt, p);
  const std::vector<double> g = {2.0 * (before[0] - 3.0), 2.0 * (before[1] + 2.0)};
  EXPECT_EQ(p.to_vector(), (std::vector<double>{before[0] - 0.002 * g[0], before[1] - 0.002 * g[1]}));
}

TEST(Larc, EachGroupClipsWithItsOwnLr) {
  // Both parameters at (-1.5, 2) with g = (-9, 8), so a = 0.0041523 for both; the group with
  // lr 0.001 < a steps by lr·g, the one with lr 0.1 by a·g.
  Tensor slow = tg::tensor({-1.5, 2.0}, true), fast = tg::tensor({-1.5, 2.0}, true);
  LARC opt(std::make_unique<tg::optim::SGD>(std::vector<tg::optim::SGD::ParamGroup>{{{slow}, {.lr = 0.001}}, {{fast}, {.lr = 0.1}}}));
  opt.zero_grad();
  (oracle::evaluate("quadratic", slow) + oracle::evaluate("quadratic", fast)).backward();
  opt.step();
  const double a = 0.02 * 2.5 / (std::sqrt(145.0) + 1e-8);
  EXPECT_EQ(slow.to_vector(), (std::vector<double>{-1.5 + 0.001 * 9.0, 2.0 - 0.001 * 8.0}));
  expect_close(fast.to_vector(), {-1.5 + a * 9.0, 2.0 - a * 8.0}, "lr 0.1 group");
  EXPECT_EQ(opt.option("trust_coefficient", 1), "0.02") << "LARC's options hold for every group";
}

TEST(Larc, StepSizesAreAgainstTheGradientTheParameterHeld) {
  // No clip, no momentum: θ moves by lr·a·g, so the effective step size is lr·a.
  Tensor p = tg::tensor({-1.5, 2.0}, true);
  LARC opt(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{p}, tg::optim::SGDOptions{.lr = 0.5}), {.clip = false});
  opt.track_step_sizes();
  bowl_step(opt, p);
  const double a = 0.02 * 2.5 / (std::sqrt(145.0) + 1e-8);
  expect_close(opt.step_sizes().at(0).to_vector(), {0.5 * a, 0.5 * a}, "step sizes");
}

TEST(Larc, BadOptionsAreClearErrors) {
  Tensor p = tg::zeros({2}, true);
  auto message = [&](const tg::optim::OptionList& options) {
    try {
      tg::optim::make_optimizer("larc_sgd", {p}, options);
    } catch (const tg::ValueError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"lr", "0.1"}, {"trust_coefficient", "-0.02"}}),
            "larc_sgd: invalid trust_coefficient = -0.02 (expected a finite value > 0)");
  EXPECT_EQ(message({{"lr", "0.1"}, {"trust_coefficient", "0"}}),
            "larc_sgd: invalid trust_coefficient = 0 (expected a finite value > 0)");
  EXPECT_EQ(message({{"lr", "0.1"}, {"eps", "-1e-08"}}), "larc_sgd: invalid eps = -1e-08 (expected a finite value >= 0)");
  EXPECT_EQ(message({{"lr", "0.1"}, {"clip", "sometimes"}}), "larc_sgd: option clip = 'sometimes' is not true or false");
  EXPECT_EQ(message({{"lr", "0.1"}, {"momentum", "-0.9"}}),
            "larc_sgd: invalid momentum = -0.9 (expected a finite value >= 0)");
  EXPECT_NE(message({}).find("larc_sgd: option lr is required"), std::string::npos) << message({});
  EXPECT_NE(message({{"lr", "0.1"}, {"trust_coef", "0.1"}}).find("larc_sgd: unknown option 'trust_coef'"), std::string::npos)
      << message({{"lr", "0.1"}, {"trust_coef", "0.1"}});

  EXPECT_THROW(LARC(nullptr), tg::ValueError);
  EXPECT_THROW(LARC(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{p}, tg::optim::SGDOptions{.lr = 0.1}),
                    {.eps = -1.0}),
               tg::ValueError);

  // A rejected change leaves the option as it was.
  auto opt = tg::optim::make_optimizer("larc_sgd", {p}, {{"lr", "0.1"}});
  EXPECT_THROW(opt->set_option("trust_coefficient", "-1"), tg::ValueError);
  EXPECT_EQ(opt->option("trust_coefficient"), "0.02");

  // clip divides by the learning rate: Adafactor's relative steps have none.
  Tensor w = tg::tensor({{1.0, 2.0}, {3.0, 4.0}}, true);
  LARC around_adafactor(tg::optim::make_optimizer("adafactor", {w}));
  w.square().sum().backward();
  try {
    around_adafactor.step();
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_EQ(std::string(e.what()),
              "larc_adafactor: clip = true divides by the learning rate, and group 0 has no positive finite lr");
  }
  EXPECT_EQ(w.to_vector(), (std::vector<double>{1.0, 2.0, 3.0, 4.0})) << "nothing changed";
}

TEST(Larc, CheckpointsResumeExactly) {
  auto make = [](const Tensor& p, double trust) {
    return LARC(std::make_unique<tg::optim::SGD>(std::vector<Tensor>{p}, tg::optim::SGDOptions{.lr = 0.1, .momentum = 0.9,
                                                                                                .weight_decay = 0.01}),
                {.trust_coefficient = trust});
  };
  Tensor straight = tg::tensor({-1.5, 2.0}, true);
  LARC a = make(straight, 0.1);
  for (int i = 0; i < 10; ++i) bowl_step(a, straight);

  Tensor first = tg::tensor({-1.5, 2.0}, true);
  LARC b = make(first, 0.1);
  for (int i = 0; i < 5; ++i) bowl_step(b, first);
  tg::CheckpointWriter out;
  b.save_state(out);
  const tg::CheckpointReader in(out.bytes(), "larc.ckpt");
  EXPECT_EQ(in.get("optimizer"), "larc_sgd");
  EXPECT_EQ(in.get("larc.trust_coefficient"), "0.1");

  Tensor resumed = tg::tensor(first.to_vector(), tg::Shape{2}, true);
  LARC c = make(resumed, 0.02);  // the checkpoint's trust_coefficient replaces this one
  c.load_state(in);
  EXPECT_EQ(c.options().trust_coefficient, 0.1);
  for (int i = 0; i < 5; ++i) bowl_step(c, resumed);
  EXPECT_EQ(resumed.to_vector(), straight.to_vector()) << "bit-identical after resuming";

  // Neither a plain SGD checkpoint into LARC nor the other way round.
  tg::optim::SGD sgd({first}, {.lr = 0.1, .momentum = 0.9});
  try {
    sgd.load_state(in);
    ADD_FAILURE() << "no error";
  } catch (const tg::FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "larc.ckpt: the checkpoint is of optimizer 'larc_sgd', not 'sgd'");
  }
  tg::CheckpointWriter plain;
  sgd.save_state(plain);
  EXPECT_THROW(c.load_state(tg::CheckpointReader(plain.bytes(), "sgd.ckpt")), tg::FormatError);
  EXPECT_EQ(c.options().trust_coefficient, 0.1);
}

}  // namespace
