// state_dict() / load_state_dict() of modules, optimizers, schedules and data loaders.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

// A module with a buffer: a running mean of its inputs, saved with it but not trained.
class RunningMean : public tg::nn::Module {
 public:
  RunningMean() {
    scale_ = register_parameter("scale", tg::ones({2}));
    mean_ = register_buffer("running_mean", tg::zeros({2}));
  }
  tg::Tensor forward(const tg::Tensor& x) override {
    {
      tg::NoGradGuard no_grad;
      mean_.mul_(0.9).add_(x.detach().mean(0) * 0.1);
    }
    return x * scale_;
  }

 private:
  tg::Tensor scale_, mean_;
};

std::vector<std::vector<double>> values_of(const std::vector<tg::Tensor>& tensors) {
  std::vector<std::vector<double>> out;
  for (const tg::Tensor& t : tensors) out.push_back(t.to_vector());
  return out;
}

// Three steps of Adam on sum((w - c)^2) + sum(b^2).
void train_steps(tg::optim::Optimizer& opt, const std::vector<tg::Tensor>& params, int steps) {
  for (int k = 0; k < steps; ++k) {
    opt.zero_grad();
    tg::Tensor loss = ((params[0] - tg::Tensor({1.0, -2.0, 0.5}, {3})).pow(2.0)).sum() + (params[1] * params[1]).sum();
    loss.backward();
    opt.step();
  }
}

}  // namespace

TEST(ModuleState, KeysAreTorchsNames) {
  tg::nn::Sequential seq(tg::nn::Linear(2, 3), tg::nn::Tanh(), tg::nn::Linear(3, 1));
  EXPECT_EQ(seq.state_dict().keys(), (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  tg::nn::MLP mlp({4, 5, 3});
  EXPECT_EQ(mlp.state_dict().keys(),
            (std::vector<std::string>{"layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"}));
  EXPECT_EQ(mlp.state_dict().at("layers.2.weight").to_tensor().shape(), (tg::Shape{3, 5}));
}

TEST(ModuleState, IsASnapshotAndLoadsBack) {
  tg::manual_seed(3);
  tg::nn::MLP a({2, 4, 1}), b({2, 4, 1});
  const tg::StateDict saved = a.state_dict();
  {
    tg::NoGradGuard no_grad;
    a.parameters()[0].fill_(7.0);  // later changes do not reach the snapshot
  }
  EXPECT_NE(saved.at("layers.0.weight").to_tensor().to_vector()[0], 7.0);
  b.load_state_dict(saved);
  EXPECT_TRUE(b.state_dict() == saved);
}

TEST(ModuleState, BuffersAreSavedButNotTrained) {
  RunningMean m;
  (void)m(tg::Tensor({1.0, 2.0, 3.0, 4.0}, {2, 2}));
  EXPECT_EQ(m.parameters().size(), 1u);
  EXPECT_EQ(m.buffers().size(), 1u);
  const tg::StateDict state = m.state_dict();
  EXPECT_EQ(state.keys(), (std::vector<std::string>{"scale", "running_mean"}));
  EXPECT_EQ(state.at("running_mean").to_tensor().to_vector(), (std::vector<double>{0.1 * 2.0, 0.1 * 3.0}));
  RunningMean fresh;
  fresh.load_state_dict(state);
  EXPECT_EQ(fresh.buffers()[0].to_vector(), (std::vector<double>{0.1 * 2.0, 0.1 * 3.0}));
}

namespace {
class BadBuffers : public tg::nn::Module {
 public:
  explicit BadBuffers(int which) {
    register_parameter("w", tg::ones({1}));
    if (which == 0) register_buffer("w", tg::zeros({1}));
    if (which == 1) register_buffer("grad", tg::zeros({1}, true));
  }
  tg::Tensor forward(const tg::Tensor& x) override { return x; }
};
}  // namespace

TEST(ModuleState, BadBuffersAreRefused) {
  EXPECT_EQ(message_of<tg::ValueError>([] { BadBuffers b(0); }), "register_buffer: BadBuffers already has a parameter named 'w'");
  EXPECT_EQ(message_of<tg::ValueError>([] { BadBuffers b(1); }),
            "register_buffer: the tensor for 'grad' requires grad; a buffer is not trained (register it as a parameter, "
            "or pass a detach()ed copy)");
}

TEST(ModuleState, AStateThatDoesNotFitChangesNothing) {
  tg::manual_seed(4);
  tg::nn::Sequential model(tg::nn::Linear(2, 3), tg::nn::Tanh(), tg::nn::Linear(3, 1));
  const tg::StateDict before = model.state_dict();

  tg::StateDict wrong_shape = before;
  wrong_shape["2.weight"] = tg::zeros({2, 3});
  wrong_shape["0.weight"] = tg::zeros({3, 2});  // would be copied first if loading were not checked first
  EXPECT_EQ(message_of<tg::ValueError>([&] { model.load_state_dict(wrong_shape); }),
            "load_state_dict(Sequential): '2.weight' has shape (2, 3) in the state but (1, 3) in the model");
  EXPECT_TRUE(model.state_dict() == before);

  tg::StateDict renamed = before;
  renamed.erase("2.bias");
  renamed["2.b"] = tg::zeros({1});
  EXPECT_EQ(message_of<tg::ValueError>([&] { model.load_state_dict(renamed); }),
            "load_state_dict(Sequential): the state does not fit the model; missing keys: '2.bias'; unexpected keys: "
            "'2.b'; the model's keys: '0.weight', '0.bias', '2.weight', '2.bias'");
  EXPECT_TRUE(model.state_dict() == before);

  tg::StateDict not_tensor = before;
  not_tensor["0.bias"] = 1.5;
  EXPECT_EQ(message_of<tg::ValueError>([&] { model.load_state_dict(not_tensor); }),
            "load_state_dict(Sequential): '0.bias' is a number in the state, not a tensor");

  renamed["0.weight"] = tg::zeros({3, 2});
  const tg::nn::IncompatibleKeys keys = model.load_state_dict(renamed, /*strict=*/false);
  EXPECT_EQ(keys.missing_keys, (std::vector<std::string>{"2.bias"}));
  EXPECT_EQ(keys.unexpected_keys, (std::vector<std::string>{"2.b"}));
  EXPECT_EQ(model.parameters()[0].to_vector(), std::vector<double>(6, 0.0));
}

TEST(OptimizerState, HasTorchsLayout) {
  tg::Tensor w = tg::zeros({3}, true), b = tg::zeros({2}, true);
  tg::optim::Adam opt({w, b}, {.lr = 0.01, .amsgrad = true});
  train_steps(opt, {w, b}, 3);
  const tg::StateDict s = opt.state_dict();
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"optimizer", "param_groups", "state"}));
  EXPECT_EQ(s.at("optimizer").to_string(), "adam");
  const tg::StateDict& group = s.at("param_groups").at("0");
  EXPECT_EQ(group.at("params").to_int(), 2);
  EXPECT_EQ(group.at("lr").to_double(), 0.01);
  EXPECT_EQ(group.at("amsgrad").to_bool(), true);
  EXPECT_EQ(group.at("betas").to_string(), "(0.9,0.999)");
  const tg::StateDict& second = s.at("state").at("1");
  EXPECT_EQ(second.at("step").to_int(), 3);
  EXPECT_EQ(second.at("exp_avg").to_tensor().shape(), (tg::Shape{2}));
  EXPECT_EQ(second.at("max_exp_avg_sq").to_tensor().shape(), (tg::Shape{2}));
}

TEST(OptimizerState, ResumesBitForBit) {
  for (const char* name : {"adam", "sgd", "rmsprop", "shampoo", "lion", "asgd", "rprop"}) {
    tg::Tensor w = tg::zeros({3}, true), b = tg::Tensor({0.5, -0.5}, {2}).requires_grad_();
    auto opt = tg::optim::make_optimizer(name, {w, b}, {{"lr", "0.01"}});
    train_steps(*opt, {w, b}, 4);
    const tg::StateDict saved = opt->state_dict();
    const auto saved_values = values_of({w, b});
    train_steps(*opt, {w, b}, 4);
    const auto expected = values_of({w, b});

    tg::Tensor w2 = tg::Tensor(saved_values[0], {3}).requires_grad_(), b2 = tg::Tensor(saved_values[1], {2}).requires_grad_();
    auto resumed = tg::optim::make_optimizer(name, {w2, b2}, {{"lr", "0.01"}});
    resumed->load_state_dict(saved);
    EXPECT_TRUE(resumed->state_dict() == saved) << name;
    train_steps(*resumed, {w2, b2}, 4);
    EXPECT_EQ(values_of({w2, b2}), expected) << name;
  }
}

TEST(OptimizerState, AStateThatDoesNotFitChangesNothing) {
  tg::Tensor w = tg::zeros({3}, true), b = tg::zeros({2}, true);
  tg::optim::Adam adam({w, b});
  train_steps(adam, {w, b}, 2);
  const tg::StateDict before = adam.state_dict();

  tg::optim::SGD sgd({w, b}, {.lr = 0.1, .momentum = 0.9});
  train_steps(sgd, {w, b}, 1);
  EXPECT_EQ(message_of<tg::FormatError>([&] { adam.load_state_dict(sgd.state_dict()); }),
            "adam.load_state_dict: the checkpoint is of optimizer 'sgd', not 'adam'");

  tg::StateDict bad_shape = before;
  bad_shape["state"]["1"]["exp_avg"] = tg::zeros({3});
  EXPECT_EQ(message_of<tg::FormatError>([&] { adam.load_state_dict(bad_shape); }),
            "adam.load_state_dict: state entry 'state.0.1.exp_avg' has shape (3,) in the checkpoint but (2,) is "
            "expected for parameter 1 of group 0 (shape (2,))");
  tg::StateDict bad_option = before;
  bad_option["param_groups"]["0"]["lr"] = -1.0;
  EXPECT_THROW(adam.load_state_dict(bad_option), tg::ValueError);
  tg::StateDict no_state = before;
  no_state.erase("state");
  EXPECT_THROW(adam.load_state_dict(no_state), tg::ValueError);
  EXPECT_TRUE(adam.state_dict() == before);
}

// The trap: a schedule's lr after a resume must not depend on the order in which the optimizer
// and the schedule are rebuilt and loaded. CosineAnnealingLR(T_max 10) at step 6: 0.0345...
TEST(SchedulerState, ResumesWhicheverOrderTheObjectsAreBuiltAndLoaded) {
  auto run = [](tg::optim::SGD& opt, tg::optim::CosineAnnealingLR& sched, tg::Tensor& w, int steps) {
    for (int k = 0; k < steps; ++k) {
      opt.zero_grad();
      (w * w).sum().backward();
      opt.step();
      sched.step();
    }
  };
  tg::Tensor w = tg::ones({2}, true);
  tg::optim::SGD opt({w}, {.lr = 0.1});
  tg::optim::CosineAnnealingLR sched(opt, {.T_max = 10});
  run(opt, sched, w, 3);
  const tg::StateDict saved{{"optimizer", opt.state_dict()}, {"scheduler", sched.state_dict()}};
  EXPECT_EQ(saved.at("optimizer").at("param_groups").at("0").at("initial_lr").to_double(), 0.1);
  run(opt, sched, w, 3);
  EXPECT_NEAR(opt.lr(), 0.0345491502812526, 1e-15);

  for (int order = 0; order < 3; ++order) {
    tg::Tensor w2 = tg::ones({2}, true);
    tg::optim::SGD opt2({w2}, {.lr = 0.1});
    std::unique_ptr<tg::optim::CosineAnnealingLR> sched2;
    if (order == 0) {  // build both, load both
      sched2 = std::make_unique<tg::optim::CosineAnnealingLR>(opt2, tg::optim::CosineAnnealingLROptions{.T_max = 10});
      opt2.load_state_dict(saved.at("optimizer"));
      sched2->load_state_dict(saved.at("scheduler"));
    } else if (order == 1) {  // load the optimizer, then build the schedule
      opt2.load_state_dict(saved.at("optimizer"));
      sched2 = std::make_unique<tg::optim::CosineAnnealingLR>(opt2, tg::optim::CosineAnnealingLROptions{.T_max = 10});
      sched2->load_state_dict(saved.at("scheduler"));
    } else {  // the schedule's state first
      sched2 = std::make_unique<tg::optim::CosineAnnealingLR>(opt2, tg::optim::CosineAnnealingLROptions{.T_max = 10});
      sched2->load_state_dict(saved.at("scheduler"));
      opt2.load_state_dict(saved.at("optimizer"));
    }
    {
      tg::NoGradGuard no_grad;
      w2.copy_(tg::Tensor(std::vector<double>{0.0, 0.0}, {2}));  // values irrelevant to the lr
    }
    run(opt2, *sched2, w2, 3);
    EXPECT_EQ(opt2.lr(), opt.lr()) << "order " << order;
  }
}

TEST(SchedulerState, AStateOfAnotherScheduleOrShapeChangesNothing) {
  tg::Tensor w = tg::ones({2}, true);
  tg::optim::SGD opt({w}, {.lr = 0.1});
  tg::optim::StepLR step(opt, {.step_size = 2});
  tg::optim::ExponentialLR expo(opt, {.gamma = 0.5});
  expo.step();
  const tg::StateDict before = step.state_dict();
  EXPECT_EQ(message_of<tg::ValueError>([&] { step.load_state_dict(expo.state_dict()); }),
            "StepLR.load_state_dict: the state is of a ExponentialLR, not a StepLR");
  tg::StateDict two_groups = before;
  two_groups["base_lrs"] = tg::Tensor({0.1, 0.1}, {2});
  EXPECT_EQ(message_of<tg::ValueError>([&] { step.load_state_dict(two_groups); }),
            "StepLR.load_state_dict: 'base_lrs' has shape (2,) in the state, but the optimizer has 1 parameter groups");
  EXPECT_THROW(step.load_state_dict(tg::StateDict{{"scheduler", "StepLR"}}), tg::ValueError);
  EXPECT_TRUE(step.state_dict() == before);
}

TEST(SchedulerState, SequentialLRSavesItsSchedules) {
  tg::Tensor w = tg::ones({2}, true);
  tg::optim::SGD opt({w}, {.lr = 0.1});
  auto sched = tg::optim::warmup(opt, 3, std::make_unique<tg::optim::StepLR>(opt, tg::optim::StepLROptions{.step_size = 2}));
  for (int k = 0; k < 5; ++k) sched->step();
  const tg::StateDict s = sched->state_dict();
  EXPECT_EQ(s.at("schedulers").to_dict().size(), 2u);
  EXPECT_EQ(s.at("schedulers").at("0").at("scheduler").to_string(), "LinearLR");
  EXPECT_EQ(s.at("schedulers").at("1").at("last_epoch").to_int(), 2);
}

TEST(LoaderState, ResumesMidEpochWithTheSameBatches) {
  const tg::data::Dataset data(tg::arange(0.0, 10.0).reshape({10, 1}), tg::arange(0.0, 10.0));
  tg::data::DataLoader loader(data, {.batch_size = 3, .shuffle = true, .seed = 2});
  std::vector<std::vector<double>> expected, got;
  tg::StateDict saved;
  for (int epoch = 0; epoch < 3; ++epoch) {
    for (const auto& [X, y] : loader) {
      expected.push_back(y.to_vector());
      if (epoch == 1 && expected.size() == 6) saved = loader.state_dict();  // the second batch of the second pass
    }
  }
  tg::data::DataLoader resumed(data, {.batch_size = 3, .shuffle = true, .seed = 2});
  resumed.load_state_dict(saved);
  EXPECT_EQ(resumed.epoch(), 2);
  EXPECT_EQ(resumed.position(), 2);
  for (int epoch = 0; epoch < 2; ++epoch)
    for (const auto& [X, y] : resumed) got.push_back(y.to_vector());
  EXPECT_EQ(got, std::vector<std::vector<double>>(expected.begin() + 6, expected.end()));
}

TEST(LoaderState, AStateOfAnotherLoaderChangesNothing) {
  const tg::data::Dataset ten(tg::zeros({10, 1}), tg::zeros({10}));
  const tg::data::Dataset twelve(tg::zeros({12, 1}), tg::zeros({12}));
  tg::data::DataLoader a(ten, {.batch_size = 3, .shuffle = true});
  tg::data::DataLoader b(twelve, {.batch_size = 3, .shuffle = true});
  (void)b.begin();
  const tg::StateDict before = a.state_dict();
  EXPECT_EQ(message_of<tg::ValueError>([&] { a.load_state_dict(b.state_dict()); }),
            "DataLoader::load_state_dict: the state's order has shape (12,), but the dataset has 10 rows");
  tg::data::DataLoader c(ten, {.batch_size = 4});
  EXPECT_EQ(message_of<tg::ValueError>([&] { a.load_state_dict(c.state_dict()); }),
            "DataLoader::load_state_dict: the state is of a loader with batch_size 4, this one has 3");
  EXPECT_TRUE(a.state_dict() == before);
}

TEST(TrainCheckpoint, LoadsEverythingOrNothing) {
  tg::manual_seed(5);
  tg::nn::MLP model({2, 3, 1});
  tg::optim::Adam opt(model.parameters());
  tg::StateDict state = tg::train::state_dict({{"model", model}, {"optimizer", opt}, {"rng", tg::train::global_rng()}});
  EXPECT_EQ(state.keys(), (std::vector<std::string>{"model", "optimizer", "rng"}));

  const tg::StateDict model_before = model.state_dict();
  state["model"]["layers.0.weight"] = tg::ones({3, 2});
  state["optimizer"]["optimizer"] = "sgd";  // refused after the model was loaded: the model is put back
  EXPECT_THROW(tg::train::load_state_dict(state, {{"model", model}, {"optimizer", opt}}), tg::ValueError);
  EXPECT_TRUE(model.state_dict() == model_before);
  EXPECT_EQ(message_of<tg::KeyError>([&] { tg::train::load_state_dict(tg::StateDict{{"model", model_before}}, {{"model", model}, {"loader", opt}}); }),
            "tg::train::load_state_dict: the state has no entry 'loader' (its entries: 'model')");
}

TEST(OptimizerState, WrappersAndModelOptimizersRoundTrip) {
  // LARC keeps its own options beside its wrapped optimizer's: they travel under "extra".
  tg::Tensor w = tg::zeros({3}, true), b = tg::Tensor({0.5, -0.5}, {2}).requires_grad_();
  tg::optim::LARC larc(std::make_unique<tg::optim::SGD>(std::vector<tg::Tensor>{w, b}, tg::optim::SGDOptions{.lr = 0.1, .momentum = 0.9}),
                       {.trust_coefficient = 0.05, .clip = false});
  train_steps(larc, {w, b}, 3);
  const tg::StateDict saved = larc.state_dict();
  EXPECT_EQ(saved.at("extra").at("larc.trust_coefficient").to_string(), "0.05");
  const auto values = values_of({w, b});
  train_steps(larc, {w, b}, 3);
  tg::Tensor w2 = tg::Tensor(values[0], {3}).requires_grad_(), b2 = tg::Tensor(values[1], {2}).requires_grad_();
  tg::optim::LARC resumed(std::make_unique<tg::optim::SGD>(std::vector<tg::Tensor>{w2, b2}, tg::optim::SGDOptions{.lr = 0.1, .momentum = 0.9}));
  resumed.load_state_dict(saved);
  train_steps(resumed, {w2, b2}, 3);
  EXPECT_EQ(values_of({w2, b2}), values_of({w, b}));

  // K-FAC's factors and eigenbases are per-parameter state.
  tg::manual_seed(2);
  tg::nn::MLP model({4, 5, 3}, tg::nn::Activation::tanh);
  tg::optim::KFAC kfac(model, {.lr = 0.05, .TCov = 1, .TInv = 1});
  const tg::Tensor X = tg::randn({6, 4}), y = tg::Tensor({0, 1, 2, 0, 1, 2}, {6});
  for (int k = 0; k < 2; ++k) {
    kfac.zero_grad();
    const tg::Tensor out = model(X);
    kfac.gather_statistics(out, y);
    tg::nn::functional::cross_entropy(out, y).backward();
    kfac.step();
  }
  const tg::StateDict kfac_state = kfac.state_dict();
  tg::nn::MLP model2({4, 5, 3}, tg::nn::Activation::tanh);
  tg::optim::KFAC kfac2(model2, {.lr = 0.05, .TCov = 1, .TInv = 1});
  kfac2.load_state_dict(kfac_state);
  EXPECT_TRUE(kfac2.state_dict() == kfac_state);
}
