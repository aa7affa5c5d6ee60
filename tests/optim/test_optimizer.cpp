// The interface every optimizer shares: parameter groups, options by name, the learning
// rate and momentum that schedules change, skipped parameters, effective step sizes.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

namespace {

// Seed 000: the slope k and the intercept b of a line with different learning rates, one line.
TEST(Optimizer, ParameterGroupsWithTheirOwnOptions) {
  tg::Tensor k = tg::tensor({0.0}, true), b = tg::tensor({0.0}, true);
  tg::optim::SGD opt({{{k}, {.lr = 0.01}}, {{b}, {.lr = 0.1}}});
  EXPECT_EQ(opt.num_param_groups(), 2u);
  EXPECT_EQ(opt.param_groups()[1].options.lr, 0.1);
  (3.0 * k + b).sum().backward();  // dk = 3, db = 1
  opt.step();
  EXPECT_DOUBLE_EQ(k.item(), -0.03);
  EXPECT_DOUBLE_EQ(b.item(), -0.1);
  // Options are plain typed fields: a schedule, or you, can change them.
  opt.param_groups()[0].options.lr = 0.5;
  EXPECT_EQ(opt.lr(0), 0.5);
  opt.set_lr(0.2, 1);
  EXPECT_EQ(opt.param_groups()[1].options.lr, 0.2);
}

TEST(Optimizer, AddParamGroup) {
  tg::Tensor a = tg::tensor({1.0}, true), c = tg::tensor({1.0}, true);
  tg::optim::Adam opt({a});
  opt.add_param_group({{c}, {.lr = 0.5}});
  EXPECT_EQ(opt.parameters().size(), 2u);
  EXPECT_EQ(opt.lr(1), 0.5);
  EXPECT_THROW(opt.add_param_group({{c}, {.lr = -1.0}}), tg::ValueError);
  EXPECT_EQ(opt.num_param_groups(), 2u) << "a rejected group is not added";
  (a + c).sum().backward();
  opt.step();
  EXPECT_NEAR(c.item(), 0.5, 1e-7) << "Adam's first step is lr·sign(g)";
}

TEST(Optimizer, OptionsByName) {
  tg::Tensor p = tg::tensor({1.0, 2.0}, true);
  tg::optim::Adam opt({p}, {.lr = 0.05, .betas = {0.8, 0.99}});
  EXPECT_EQ(opt.option_names(), (std::vector<std::string>{"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"}));
  EXPECT_EQ(opt.option("betas"), "(0.8,0.99)");
  EXPECT_EQ(opt.option("eps"), "1e-08");
  opt.set_option("betas", "0.5,0.9");
  EXPECT_EQ(opt.param_groups()[0].options.betas[0], 0.5);
  opt.set_option("amsgrad", "true");
  EXPECT_TRUE(opt.param_groups()[0].options.amsgrad);
  // An invalid value is refused and leaves the option as it was.
  EXPECT_THROW(opt.set_option("betas", "(1.5,0.9)"), tg::ValueError);
  EXPECT_EQ(opt.option("betas"), "(0.5,0.9)");
  EXPECT_THROW(opt.set_option("eps", "zero"), tg::ValueError);
  EXPECT_THROW(opt.set_option("momentum", "0.9"), tg::ValueError);
  EXPECT_THROW(opt.option("lr", 3), tg::IndexError);
  // A direct write through param_groups() is checked at the next step.
  opt.param_groups()[0].options.eps = -1.0;
  p.sum().backward();
  EXPECT_THROW(opt.step(), tg::ValueError);
}

TEST(Optimizer, OptionsThatAreOnlyValidTogether) {
  tg::Tensor w = tg::tensor({{1.0, 2.0}, {3.0, 4.0}}, true);
  tg::optim::Adafactor opt({w});  // relative step sizes: no lr
  EXPECT_THROW(opt.set_option("relative_step", "false"), tg::ValueError) << "then lr would be missing";
  EXPECT_THROW(opt.set_lr(0.01), tg::ValueError) << "an lr is not used with relative steps";
  opt.set_options({{"relative_step", "false"}, {"lr", "0.01"}});
  EXPECT_EQ(opt.lr(), 0.01);
  EXPECT_THROW(opt.set_options({{"lr", "0.02"}, {"eps2", "-1"}}), tg::ValueError);
  EXPECT_EQ(opt.lr(), 0.01) << "a rejected set changes nothing";
}

TEST(Optimizer, ValidationNamesOptionAndValue) {
  tg::Tensor p = tg::tensor({1.0}, true);
  auto message = [](auto&& build) {
    try {
      build();
    } catch (const tg::ValueError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { tg::optim::SGD({p}, {.lr = -0.1}); }), "sgd: invalid lr = -0.1 (expected a finite value >= 0)");
  EXPECT_EQ(message([&] { tg::optim::SGD({p}, {}); }), "sgd: option lr is required (it has no default)");
  EXPECT_EQ(message([&] { tg::optim::Adam({p}, {.betas = {0.9, 1.0}}); }),
            "adam: invalid betas[1] = 1 (expected 0 <= value < 1)");
  EXPECT_EQ(message([&] { tg::optim::Adam({p}, {.eps = 0.0}); }), "adam: invalid eps = 0 (expected a finite value > 0)");
  EXPECT_EQ(message([&] { tg::optim::AdamW({p}, {.weight_decay = -1e-2}); }),
            "adamw: invalid weight_decay = -0.01 (expected a finite value >= 0)");
  EXPECT_EQ(message([&] { tg::optim::SGD({p}, {.lr = 0.1, .nesterov = true}); }),
            "sgd: nesterov = true needs momentum > 0 and dampening = 0 (got momentum = 0, dampening = 0)");
  EXPECT_EQ(message([&] { tg::optim::make_optimizer("adamm", {p}); }).rfind("unknown optimizer 'adamm' (known: sgd, adam", 0), 0u);
  EXPECT_EQ(message([&] { tg::optim::make_optimizer("adam", {p}, {{"beta", "0.9"}}); }),
            "adam: unknown option 'beta' (options: lr, betas, eps, weight_decay, amsgrad, maximize)");
}

TEST(Optimizer, MomentumForCyclicSchedules) {
  tg::Tensor p = tg::tensor({1.0}, true);
  tg::optim::SGD sgd({p}, {.lr = 0.1, .momentum = 0.9});
  EXPECT_TRUE(sgd.has_momentum());
  sgd.set_momentum(0.8);
  EXPECT_EQ(sgd.momentum(), 0.8);
  tg::optim::Adam adam({p});
  EXPECT_EQ(adam.momentum(), 0.9) << "beta1 of betas";
  tg::optim::Adagrad adagrad({p});
  EXPECT_FALSE(adagrad.has_momentum());
  EXPECT_THROW(adagrad.momentum(), tg::ValueError);
}

TEST(Optimizer, SkipsParametersWithoutGradient) {
  tg::Tensor used = tg::tensor({1.0}, true), unused = tg::tensor({1.0}, true);
  tg::optim::SGD opt({used, unused}, {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.1});
  for (int i = 0; i < 3; ++i) {
    opt.zero_grad();
    (used * 2.0).sum().backward();
    opt.step();
  }
  EXPECT_EQ(unused.item(), 1.0) << "no gradient: no decay, no momentum";
  EXPECT_FALSE(opt.state(0, 1).momentum_buffer.defined());
}

TEST(Optimizer, ZeroGrad) {
  tg::Tensor p = tg::tensor({1.0, 2.0}, true);
  tg::optim::SGD opt({p}, {.lr = 0.1});
  p.square().sum().backward();
  opt.zero_grad(/*set_to_none=*/false);
  EXPECT_EQ(p.grad().to_vector(), (std::vector<double>{0.0, 0.0}));
  opt.zero_grad();
  EXPECT_FALSE(p.grad().defined());
}

// The effective step size is (θ_before − θ_after)/g: lr itself for plain SGD, the seed-000
// picture of why b crawls when its gradient is small but its lr is the same.
TEST(Optimizer, EffectiveStepSizes) {
  tg::Tensor k = tg::tensor({0.0}, true), b = tg::tensor({0.0}, true);
  tg::optim::SGD sgd({k, b}, {.lr = 0.01});
  sgd.track_step_sizes();
  (3.0 * k + b).sum().backward();
  sgd.step();
  ASSERT_EQ(sgd.step_sizes().size(), 2u);
  EXPECT_DOUBLE_EQ(sgd.step_sizes()[0].item(), 0.01);
  EXPECT_DOUBLE_EQ(sgd.step_sizes()[1].item(), 0.01);

  // Adam's effective step is lr/|g| on its first step: per parameter.
  tg::Tensor p = tg::tensor({1.0, 1.0}, true);
  tg::optim::Adam adam({p}, {.lr = 0.1});
  adam.track_step_sizes();
  (p * tg::tensor({4.0, 0.5})).sum().backward();
  adam.step();
  EXPECT_NEAR(adam.step_sizes()[0].at({0}), 0.1 / 4.0, 1e-7);  // ε shifts it by ~ε/|g|
  EXPECT_NEAR(adam.step_sizes()[0].at({1}), 0.1 / 0.5, 1e-7);

  // A parameter the step skipped has no step size.
  tg::Tensor q = tg::tensor({1.0}, true), r = tg::tensor({1.0}, true);
  tg::optim::SGD opt({q, r}, {.lr = 0.1});
  opt.track_step_sizes();
  q.sum().backward();
  opt.step();
  EXPECT_TRUE(opt.step_sizes()[0].defined());
  EXPECT_FALSE(opt.step_sizes()[1].defined());
}

TEST(Optimizer, StepWithClosureReturnsTheLoss) {
  tg::Tensor p = tg::tensor({3.0}, true);
  tg::optim::SGD opt({p}, {.lr = 0.25});
  const tg::Tensor loss = opt.step([&] {
    opt.zero_grad();
    tg::Tensor f = p.square().sum();
    f.backward();
    return f;
  });
  EXPECT_EQ(loss.item(), 9.0);
  EXPECT_EQ(p.item(), 1.5);
}

TEST(Optimizer, MakeByNameListsEveryOptimizer) {
  const auto all = tg::optim::optimizers();
  EXPECT_EQ(all.size(), 36u);
  tg::Tensor p = tg::tensor({1.0}, true);
  for (const auto& info : all) {
    EXPECT_FALSE(info.summary.empty()) << info.name;
    EXPECT_FALSE(info.defaults.empty()) << info.name;
  }
  auto opt = tg::optim::make_optimizer("adam", {p}, {{"lr", "0.05"}, {"betas", "0.8,0.99"}, {"amsgrad", "true"}});
  EXPECT_STREQ(opt->name(), "adam");
  EXPECT_EQ(opt->option("betas"), "(0.8,0.99)");
  EXPECT_EQ(opt->option("amsgrad"), "true");
}

}  // namespace
