// A first neural network with tg::nn: an MLP, its named parameters, a training loop with Adam
// that fits y = sin(x) on [-3, 3], and saving and reloading the trained parameters.
//
//   nn_intro [checkpoint path]   (default: nn_intro.ckpt in the system's temporary directory)
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: nn_intro [checkpoint path]\n");
    return 2;
  }
  const std::string path =
      argc == 2 ? argv[1] : (std::filesystem::temp_directory_path() / "nn_intro.ckpt").string();

  // The model: Linear(1, 16), Tanh, Linear(16, 16), Tanh, Linear(16, 1), drawn from seed 0.
  tg::manual_seed(0);
  tg::nn::MLP model({1, 16, 16, 1}, tg::nn::Activation::tanh);
  std::cout << model << "\n\nParameters:\n";
  int64_t count = 0;
  for (const auto& [name, p] : model.named_parameters()) {
    std::printf("  %-16s %s\n", name.c_str(), p.shape().str().c_str());
    count += p.numel();
  }
  std::printf("  %lld numbers in all\n\n", static_cast<long long>(count));

  // The data: 200 points of sin on [-3, 3], one feature per row.
  const tg::Tensor x = tg::linspace(-3.0, 3.0, 200).reshape({200, 1});
  const tg::Tensor y = tg::sin(x);

  std::printf("Fitting sin(x) on [-3, 3] with Adam (lr 0.01), 1000 steps\n");
  tg::optim::Adam opt(model.parameters(), {.lr = 0.01});
  try {
    for (int step = 1; step <= 1000; ++step) {
      opt.zero_grad();
      const tg::Tensor loss = (model(x) - y).square().mean();  // MSE
      tg::train::check_finite(loss, step);  // stops the run with a tg::NumericalError
      loss.backward();
      opt.step();
      if (step % 100 == 0) std::printf("step %4d: MSE %.3e\n", step, loss.item());
    }
  } catch (const tg::NumericalError& e) {
    std::fprintf(stderr, "nn_intro: %s\n", e.what());
    return 1;
  }

  model.eval();  // no layer here behaves differently, but it is the habit before predicting
  std::printf("\n     x     sin(x)   model(x)\n");
  for (double v : {-2.5, -1.0, 0.0, 1.0, 2.5}) {
    std::printf("%6.2f  %9.5f  %9.5f\n", v, std::sin(v), model(tg::tensor({{v}})).item());
  }

  model.save(path);
  tg::nn::MLP reloaded({1, 16, 16, 1}, tg::nn::Activation::tanh);  // other random weights
  reloaded.load(path);
  const double difference = tg::max(tg::abs(reloaded(x) - model(x))).item();
  std::printf("\nSaved and reloaded: largest difference in the predictions %g\n", difference);

  tg::nn::MLP other({1, 32, 1}, tg::nn::Activation::tanh);
  try {
    other.load(path);
  } catch (const tg::FormatError& e) {
    std::printf("Loading into an MLP({1, 32, 1}) is refused:\n  %s\n", e.what());
  }
  return difference == 0.0 ? 0 : 1;
}
