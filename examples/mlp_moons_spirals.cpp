// A small MLP learns two classic 2-D classification problems that no straight line solves:
// two interleaving half moons, and two interleaved spirals. Prints the loss and training
// accuracy as it learns, then the final accuracy.
//
//   mlp_moons_spirals
#include <cstdio>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

double fit(const char* name, const tg::data::Dataset& data, const std::vector<int64_t>& sizes, int epochs,
           double lr) {
  tg::manual_seed(0);
  tg::nn::MLP model(sizes, tg::nn::Activation::tanh);
  tg::optim::Adam opt(model.parameters(), {.lr = lr});
  std::string layers;
  for (int64_t s : sizes) {
    if (!layers.empty()) layers += '-';
    layers += std::to_string(s);
  }
  std::printf("%s: %lld points; MLP %s with tanh, Adam lr %g, full batch, %d epochs\n", name,
              static_cast<long long>(data.size()), layers.c_str(), lr, epochs);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    opt.zero_grad();
    const tg::Tensor logits = model(data.X);
    const tg::Tensor loss = F::cross_entropy(logits, data.y);  // full batch
    tg::train::check_finite(loss, epoch);  // a NaN stops the run (main prints it)
    loss.backward();
    opt.step();
    if (epoch % (epochs / 5) == 0) {
      std::printf("  epoch %4d  loss %.4f  train accuracy %.3f\n", epoch, loss.item(),
                  tg::data::accuracy(logits, data.y));
    }
  }
  tg::NoGradGuard no_grad;
  const double accuracy = tg::data::accuracy(model(data.X), data.y);
  std::printf("  final train accuracy: %.4f\n\n", accuracy);
  return accuracy;
}

}  // namespace

int main() {
  try {
    fit("two moons (noise 0.1)", tg::data::make_moons(200, 0.1, 0), {2, 16, 16, 2}, 500, 0.01);
    fit("two spirals (noise 0.2)", tg::data::make_spirals(400, 2, 0.2, 0), {2, 32, 32, 2}, 2000, 0.01);
  } catch (const tg::NumericalError& e) {
    std::fprintf(stderr, "mlp_moons_spirals: %s\n", e.what());
    return 1;
  }
  return 0;
}
