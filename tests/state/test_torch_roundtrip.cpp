// Handing a model to PyTorch and back. A torch.nn.Sequential's state_dict saved by
// numpy.savez (tests/reference/make_torch_roundtrip.py, PyTorch 1.13) loads into the same
// tapegrad Sequential and gives PyTorch's outputs; the reverse runs when /usr/bin/python3 with
// torch is present.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <tapegrad/tapegrad.hpp>

#include "data/temp_dir.hpp"

namespace {

const std::string kReference = std::string(TAPEGRAD_TEST_REFERENCE_DIR) + "/torch_roundtrip/";

tg::nn::Sequential torch_like_mlp() { return tg::nn::Sequential(tg::nn::Linear(4, 8), tg::nn::Tanh(), tg::nn::Linear(8, 3)); }

void expect_outputs(tg::nn::Sequential& model, const std::string& expected_key, double tolerance) {
  const tg::StateDict io = tg::load(kReference + "io.npz");
  const std::vector<double> got = model(io.at("x").to_tensor()).to_vector();
  const std::vector<double> want = io.at(expected_key).to_tensor().to_vector();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "output " << i;
}

}  // namespace

TEST(TorchRoundTrip, ATorchStateDictLoadsWithItsOwnKeys) {
  tg::nn::Sequential model = torch_like_mlp();
  const tg::StateDict state = tg::load(kReference + "mlp_float64.npz");
  EXPECT_EQ(state.keys(), model.state_dict().keys());
  model.load_state_dict(state);
  expect_outputs(model, "y_float64", 1e-15);
}

TEST(TorchRoundTrip, Float32WeightsAreWidenedExactly) {
  tg::nn::Sequential model = torch_like_mlp();
  model.load_state_dict(tg::load(kReference + "mlp_float32.npz"));
  // The same float32 weights, computed in double here and in float32 by PyTorch.
  expect_outputs(model, "y_float32", 1e-6);
  const tg::StateDict f32 = tg::load(kReference + "mlp_float32.npz");
  const tg::StateDict f64 = tg::load(kReference + "mlp_float64.npz");
  const double w32 = f32.at("0.weight").to_tensor().to_vector()[0], w64 = f64.at("0.weight").to_tensor().to_vector()[0];
  EXPECT_EQ(w32, static_cast<double>(static_cast<float>(w64)));
}

TEST(TorchRoundTrip, PyTorchLoadsWhatTapegradSaves) {
  if (std::system("/usr/bin/python3 -c 'import torch, numpy' > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 with torch is not installed";
  }
  TempDir dir;
  tg::manual_seed(9);
  tg::nn::Sequential model = torch_like_mlp();
  tg::save(model.state_dict(), dir.path() + "/mlp.npz");
  const tg::Tensor x = tg::linspace(-1.0, 1.0, 8).reshape({2, 4});
  const std::vector<double> y = model(x).to_vector();

  const std::string script = dir.write("load.py", R"(import sys, numpy as np, torch
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).double()
state = {k: torch.from_numpy(v) for k, v in np.load(sys.argv[1]).items() if k != "tapegrad.txt"}
model.load_state_dict(state)
x = torch.linspace(-1, 1, 8, dtype=torch.float64).reshape(2, 4)
print(" ".join(float(v).hex() for v in model(x).detach().flatten()))
)");
  const std::string out_path = dir.path() + "/out.txt";
  ASSERT_EQ(std::system(("/usr/bin/python3 " + script + " " + dir.path() + "/mlp.npz > " + out_path).c_str()), 0);
  std::ifstream in(out_path);
  for (double expected : y) {
    std::string hex;
    in >> hex;
    EXPECT_NEAR(std::strtod(hex.c_str(), nullptr), expected, 1e-15);
  }
}
