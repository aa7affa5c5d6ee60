// A small training run — an MLP with Dropout, a shuffling DataLoader, Adam and a learning-rate
// schedule — that can stop after any step with a checkpoint and be resumed from it in another
// process. tests/state/test_resume.cpp checks that stop + resume prints exactly what the
// uninterrupted run prints.
//
//   state_resume_run SCHEDULE STEPS full
//   state_resume_run SCHEDULE STEPS stop K FILE
//   state_resume_run SCHEDULE STEPS resume FILE ORDER   (ORDER: load_first or build_first)
//
// It prints every parameter value and the lr, as exact hexadecimal doubles.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

using tg::optim::LRScheduler;

struct Schedule {
  std::unique_ptr<LRScheduler> schedule;
  std::unique_ptr<tg::optim::ReduceLROnPlateau> plateau;
  void step(double loss) {
    if (plateau) plateau->step(loss);
    if (schedule) schedule->step();
  }
  tg::train::Stateful stateful() {
    if (plateau) return *plateau;
    return *schedule;
  }
};

Schedule make_schedule(const std::string& name, tg::optim::Optimizer& opt) {
  using namespace tg::optim;
  Schedule s;
  if (name == "StepLR") s.schedule = std::make_unique<StepLR>(opt, StepLROptions{.step_size = 3, .gamma = 0.5});
  else if (name == "MultiStepLR") s.schedule = std::make_unique<MultiStepLR>(opt, MultiStepLROptions{.milestones = {2, 5, 9}});
  else if (name == "ExponentialLR") s.schedule = std::make_unique<ExponentialLR>(opt, ExponentialLROptions{.gamma = 0.9});
  else if (name == "MultiplicativeLR") s.schedule = std::make_unique<MultiplicativeLR>(opt, 0.95);
  else if (name == "InverseTimeLR") s.schedule = std::make_unique<InverseTimeLR>(opt, InverseTimeLROptions{.decay = 0.3});
  else if (name == "LambdaLR") s.schedule = std::make_unique<LambdaLR>(opt, [](int64_t e) { return 1.0 / (1.0 + e * e); });
  else if (name == "LinearLR") s.schedule = std::make_unique<LinearLR>(opt, LinearLROptions{.total_iters = 8});
  else if (name == "CosineAnnealingLR") s.schedule = std::make_unique<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 10});
  else if (name == "CosineAnnealingWarmRestarts")
    s.schedule = std::make_unique<CosineAnnealingWarmRestarts>(opt, CosineAnnealingWarmRestartsOptions{.T_0 = 3, .T_mult = 2});
  else if (name == "CyclicLR")
    s.schedule = std::make_unique<CyclicLR>(opt, CyclicLROptions{.base_lr = 0.001, .max_lr = 0.05, .step_size_up = 4,
                                                                 .mode = CyclicMode::triangular2});
  else if (name == "OneCycleLR") s.schedule = std::make_unique<OneCycleLR>(opt, OneCycleLROptions{.max_lr = 0.05, .total_steps = 40});
  else if (name == "SequentialLR")
    s.schedule = warmup(opt, 4, std::make_unique<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 12}));
  else if (name == "ReduceLROnPlateau")
    s.plateau = std::make_unique<ReduceLROnPlateau>(opt, ReduceLROnPlateauOptions{.factor = 0.5, .patience = 1, .threshold = 0.05});
  else {
    std::fprintf(stderr, "unknown schedule %s\n", name.c_str());
    std::exit(2);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const std::string schedule_name = argv[1], mode = argv[3];
  const int steps = std::atoi(argv[2]);
  const int stop_at = mode == "stop" ? std::atoi(argv[4]) : -1;

  tg::manual_seed(0);  // the data; the model's initial weights come next
  const tg::data::Dataset data(tg::randn({36, 4}), tg::randint(0, 3, {36}));

  // Objects built in either order relative to the load: the result must not depend on it.
  const bool load_first = mode == "resume" && std::string(argv[5]) == "load_first";
  tg::manual_seed(1);
  tg::nn::MLP model({4, 8, 3}, tg::nn::Activation::tanh, /*dropout=*/0.25);
  tg::optim::Adam opt(model.parameters(), {.lr = 0.02});
  tg::data::DataLoader loader(data, {.batch_size = 8, .shuffle = true, .seed = 5});  // 5 batches, the last of 4 rows
  Schedule schedule;
  tg::train::NamedStates objects{{"model", model}, {"optimizer", opt}, {"loader", loader}, {"rng", tg::train::global_rng()}};
  if (mode == "resume") {
    if (load_first) tg::train::load_checkpoint(argv[4], objects);  // the schedule is built after the load
    schedule = make_schedule(schedule_name, opt);
    const tg::StateDict saved = tg::load(argv[4]);
    if (!load_first) tg::train::load_state_dict(saved, objects);
    schedule.stateful().load_state_dict(saved.at("schedule"));
  } else {
    schedule = make_schedule(schedule_name, opt);
  }

  int step = static_cast<int>((loader.epoch() > 0 ? loader.epoch() - 1 : 0) * loader.num_batches() + loader.position());
  while (step < steps) {
    for (const auto& [X, y] : loader) {
      opt.zero_grad();
      tg::Tensor loss = tg::nn::functional::cross_entropy(model(X), y);
      loss.backward();
      opt.step();
      schedule.step(loss.item());
      if (++step == stop_at) {
        tg::StateDict state = tg::train::state_dict(objects);
        state["schedule"] = schedule.stateful().state_dict();
        tg::save(state, argv[5]);
        return 0;
      }
      if (step == steps) break;
    }
  }
  for (const tg::Tensor& p : model.parameters())
    for (double v : p.to_vector()) std::printf("%a\n", v);
  std::printf("lr %a\n", opt.lr());
  return 0;
}
