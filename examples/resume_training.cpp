// Stopping a training run and resuming it exactly (docs/checkpoints.md).
//
// An MLP 4-16-3 with Dropout on iris, a shuffling DataLoader (batches of 16), Adam and a
// cosine learning-rate schedule: every object whose state matters. The run
//
//   resume_training                       trains 10 epochs without a break;
//   resume_training --stop-at 23 FILE     stops after step 23 (mid-epoch) and saves FILE;
//   resume_training --resume FILE         rebuilds everything, loads FILE and finishes.
//
// Stop + resume prints exactly the lines of the uninterrupted run after the stop, and the same
// final weights (their sum, printed with every digit, and the full-data loss).
#include <cstdio>
#include <cstdlib>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

constexpr int kEpochs = 10;

// The loss on all of `data` with Dropout off (evaluation draws no random numbers).
double full_loss(tg::nn::MLP& model, const tg::data::Dataset& data) {
  tg::NoGradGuard no_grad;
  model.eval();
  const double loss = tg::nn::functional::cross_entropy(model(data.X), data.y).item();
  model.train();
  return loss;
}

int usage() {
  std::fprintf(stderr, "usage: resume_training [--stop-at STEP FILE | --resume FILE]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int stop_at = -1;
  std::string stop_file, resume_file;
  if (argc == 4 && std::string(argv[1]) == "--stop-at") {
    stop_at = std::atoi(argv[2]);
    stop_file = argv[3];
    if (stop_at < 1) return usage();
  } else if (argc == 3 && std::string(argv[1]) == "--resume") {
    resume_file = argv[2];
  } else if (argc != 1) {
    return usage();
  }

  auto [train, test] = tg::data::load_dataset("iris");
  tg::manual_seed(0);
  tg::nn::MLP model({4, 16, 3}, tg::nn::Activation::tanh, /*dropout=*/0.2);
  tg::optim::Adam opt(model.parameters(), {.lr = 0.05});
  tg::data::DataLoader loader(train, {.batch_size = 16, .shuffle = true, .seed = 1});
  tg::optim::CosineAnnealingLR schedule(opt, {.T_max = kEpochs * loader.num_batches()});
  const tg::train::NamedStates run{{"model", model},     {"optimizer", opt},
                                   {"scheduler", schedule}, {"loader", loader},
                                   {"rng", tg::train::global_rng()}};

  int64_t step = 0;
  if (!resume_file.empty()) {
    tg::train::load_checkpoint(resume_file, run);
    step = (loader.epoch() - 1) * loader.num_batches() + loader.position();
    std::printf("resumed from %s at step %lld (epoch %lld, batch %lld)\n", resume_file.c_str(),
                static_cast<long long>(step), static_cast<long long>(loader.epoch()),
                static_cast<long long>(loader.position()));
  }
  while (step < kEpochs * loader.num_batches()) {
    for (const auto& [X, y] : loader) {
      opt.zero_grad();
      tg::Tensor loss = tg::nn::functional::cross_entropy(model(X), y);
      loss.backward();
      opt.step();
      schedule.step();
      if (++step == stop_at) {
        tg::train::save_checkpoint(stop_file, run);
        std::printf("stopped after step %d: saved %s\n", stop_at, stop_file.c_str());
        return 0;
      }
    }
    std::printf("epoch %2lld  step %3lld  lr %.6f  train loss %.6f\n", static_cast<long long>(loader.epoch()),
                static_cast<long long>(step), opt.lr(), full_loss(model, train));
  }
  double sum = 0.0;
  for (const tg::Tensor& p : model.parameters()) sum += p.sum().item();
  std::printf("sum of the weights %.17g\ntest loss %.17g\n", sum, full_loss(model, test));
  return 0;
}
