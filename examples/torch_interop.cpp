// Handing a model to PyTorch and back (docs/checkpoints.md).
//
//   torch_interop save FILE   trains nothing: builds Sequential(Linear(4, 8), Tanh(), Linear(8, 3))
//                             with seed 0, saves its state_dict() to FILE (an .npz) and prints
//                             its outputs for x = linspace(-2, 2, 20).reshape(5, 4);
//   torch_interop load FILE   loads a PyTorch state_dict saved with numpy.savez into the same
//                             Sequential and prints its outputs for that x.
//
// The keys are PyTorch's ("0.weight", "2.bias"), so the file goes both ways unchanged.
#include <cstdio>
#include <string>

#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "save" && std::string(argv[1]) != "load")) {
    std::fprintf(stderr, "usage: torch_interop save|load FILE\n");
    return 2;
  }
  tg::manual_seed(0);
  tg::nn::Sequential model(tg::nn::Linear(4, 8), tg::nn::Tanh(), tg::nn::Linear(8, 3));
  if (std::string(argv[1]) == "save") {
    tg::save(model.state_dict(), argv[2]);
    std::printf("saved %s: %zu tensors\n", argv[2], model.state_dict().size());
  } else {
    const tg::StateDict state = tg::load(argv[2]);
    for (const auto& [key, value] : state) std::printf("%-9s %s\n", key.c_str(), value.to_tensor().shape().str().c_str());
    model.load_state_dict(state);
  }
  const tg::Tensor x = tg::linspace(-2.0, 2.0, 20).reshape({5, 4});
  const tg::Tensor y = model(x);
  const std::vector<double> v = y.to_vector();
  for (int64_t i = 0; i < 5; ++i) std::printf("y[%lld] = % .17g % .17g % .17g\n", static_cast<long long>(i), v[3 * i], v[3 * i + 1], v[3 * i + 2]);
  return 0;
}
