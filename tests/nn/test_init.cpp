// tg::nn::init: PyTorch's gains and fans, the bounds and spreads of every initialiser against
// its formula, reproducibility with tg::manual_seed, and the bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace init = tg::nn::init;

double sample_std(const tg::Tensor& t) { return std::sqrt(tg::var(t).item()); }
double largest_magnitude(const tg::Tensor& t) { return tg::max(tg::abs(t)).item(); }

// For n = 60000 samples the sample standard deviation is within about 0.3% of σ (one
// standard error); 1.5% is five of them.
constexpr double kStdTolerance = 0.015;

TEST(CalculateGain, PyTorchValues) {
  using N = init::Nonlinearity;
  EXPECT_EQ(init::calculate_gain(N::linear), 1.0);
  EXPECT_EQ(init::calculate_gain(N::sigmoid), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(N::tanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(N::relu), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(init::calculate_gain(N::leaky_relu), std::sqrt(2.0 / (1.0 + 0.01 * 0.01)));
  EXPECT_DOUBLE_EQ(init::calculate_gain(N::leaky_relu, 0.2), std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(init::calculate_gain(N::leaky_relu, std::sqrt(5.0)), std::sqrt(1.0 / 3.0));
  EXPECT_EQ(init::calculate_gain(N::selu), 0.75);
  EXPECT_EQ(init::calculate_gain("conv2d"), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain("tanh"), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu", 0.2), std::sqrt(2.0 / 1.04));
  EXPECT_THROW(init::calculate_gain(N::leaky_relu, NAN), tg::ValueError);
  try {
    init::calculate_gain("gelu");
    FAIL() << "an unknown nonlinearity was accepted";
  } catch (const tg::ValueError& e) {
    EXPECT_EQ(std::string(e.what()), "init::calculate_gain: unsupported nonlinearity 'gelu'");
  }
}

TEST(Fans, FromTheFirstTwoDimensionsTimesTheReceptiveField) {
  const init::Fans linear = init::calculate_fan_in_and_fan_out(tg::zeros({200, 300}));
  EXPECT_EQ(linear.fan_in, 300);
  EXPECT_EQ(linear.fan_out, 200);
  const init::Fans conv = init::calculate_fan_in_and_fan_out(tg::zeros({4, 3, 5, 5}));
  EXPECT_EQ(conv.fan_in, 75);
  EXPECT_EQ(conv.fan_out, 100);
  try {
    init::xavier_uniform_(tg::zeros({5}));
    FAIL() << "a 1-d tensor has no fans";
  } catch (const tg::ValueError& e) {
    EXPECT_EQ(std::string(e.what()),
              "init::xavier_uniform_: fan in and fan out can not be computed for a tensor with fewer than 2 "
              "dimensions (shape (5,))");
  }
  EXPECT_THROW(init::xavier_normal_(tg::Tensor(1.0)), tg::ValueError);
  EXPECT_THROW(init::kaiming_uniform_(tg::zeros({5})), tg::ValueError);
  EXPECT_THROW(init::kaiming_normal_(tg::zeros({5})), tg::ValueError);
  EXPECT_THROW(init::calculate_fan_in_and_fan_out(tg::zeros({5})), tg::ValueError);
}

TEST(XavierUniform, WithinItsBoundWithTheExpectedSpread) {
  tg::manual_seed(0);
  const tg::Tensor w = tg::zeros({200, 300});
  init::xavier_uniform_(w);
  const double a = std::sqrt(6.0 / 500.0);
  EXPECT_LE(largest_magnitude(w), a);
  EXPECT_GT(largest_magnitude(w), 0.999 * a);
  EXPECT_NEAR(sample_std(w), a / std::sqrt(3.0), kStdTolerance * a / std::sqrt(3.0));
  init::xavier_uniform_(w, 2.0);
  EXPECT_LE(largest_magnitude(w), 2.0 * a);
  EXPECT_GT(largest_magnitude(w), 0.999 * 2.0 * a);
}

TEST(XavierNormal, StandardDeviationFromBothFans) {
  tg::manual_seed(1);
  const tg::Tensor w = tg::zeros({200, 300});
  init::xavier_normal_(w, init::calculate_gain("tanh"));
  const double sigma = 5.0 / 3.0 * std::sqrt(2.0 / 500.0);
  EXPECT_NEAR(sample_std(w), sigma, kStdTolerance * sigma);
  EXPECT_NEAR(tg::mean(w).item(), 0.0, 0.02 * sigma);
}

TEST(KaimingUniform, DefaultIsLeakyReluWithSlopeZeroOverFanIn) {
  tg::manual_seed(2);
  const tg::Tensor w = tg::zeros({200, 300});
  init::kaiming_uniform_(w);
  const double bound = std::sqrt(6.0 / 300.0);  // √3 · √2 / √fan_in
  EXPECT_LE(largest_magnitude(w), bound);
  EXPECT_GT(largest_magnitude(w), 0.999 * bound);
  EXPECT_NEAR(sample_std(w), bound / std::sqrt(3.0), kStdTolerance * bound / std::sqrt(3.0));
}

TEST(KaimingUniform, FanOutAndOtherNonlinearities) {
  tg::manual_seed(3);
  const tg::Tensor w = tg::zeros({200, 300});
  init::kaiming_uniform_(w, 0.0, init::FanMode::fan_out, init::Nonlinearity::relu);
  EXPECT_LE(largest_magnitude(w), std::sqrt(6.0 / 200.0));
  EXPECT_GT(largest_magnitude(w), 0.999 * std::sqrt(6.0 / 200.0));
  init::kaiming_uniform_(w, std::sqrt(5.0));  // Linear's default: U(−1/√fan_in, 1/√fan_in)
  EXPECT_LE(largest_magnitude(w), 1.0 / std::sqrt(300.0) * (1 + 1e-15));
  EXPECT_GT(largest_magnitude(w), 0.999 / std::sqrt(300.0));
  init::kaiming_uniform_(w, 0.0, init::FanMode::fan_in, init::Nonlinearity::tanh);
  EXPECT_LE(largest_magnitude(w), 5.0 / 3.0 * std::sqrt(3.0 / 300.0) * (1 + 1e-15));
}

TEST(KaimingNormal, StandardDeviationIsGainOverRootFan) {
  tg::manual_seed(4);
  const tg::Tensor w = tg::zeros({200, 300});
  init::kaiming_normal_(w, 0.0, init::FanMode::fan_in, init::Nonlinearity::relu);
  EXPECT_NEAR(sample_std(w), std::sqrt(2.0 / 300.0), kStdTolerance * std::sqrt(2.0 / 300.0));
  init::kaiming_normal_(w, 0.0, init::FanMode::fan_out, init::Nonlinearity::relu);
  EXPECT_NEAR(sample_std(w), std::sqrt(2.0 / 200.0), kStdTolerance * std::sqrt(2.0 / 200.0));
}

TEST(KaimingInit, ZeroSizedTensorsAreLeftAlone) {
  const tg::Tensor empty = tg::zeros({0, 3});
  EXPECT_NO_THROW(init::kaiming_uniform_(empty));
  EXPECT_NO_THROW(init::kaiming_normal_(empty));
  EXPECT_NO_THROW(init::xavier_uniform_(empty));
  EXPECT_EQ(empty.shape(), tg::Shape({0, 3}));
}

TEST(UniformAndNormal, DrawTheGlobalGeneratorsNumbers) {
  const tg::Tensor t = tg::zeros({1000});
  tg::manual_seed(5);
  init::uniform_(t, -2.0, 3.0);
  tg::manual_seed(5);
  EXPECT_TRUE(tg::equal(t, tg::uniform({1000}, -2.0, 3.0)));
  EXPECT_GE(tg::min(t).item(), -2.0);
  EXPECT_LT(tg::max(t).item(), 3.0);
  tg::manual_seed(6);
  init::normal_(t, 1.0, 0.5);
  tg::manual_seed(6);
  EXPECT_TRUE(tg::equal(t, tg::normal({1000}, 1.0, 0.5)));
  init::uniform_(t);
  EXPECT_GE(tg::min(t).item(), 0.0);
  EXPECT_LT(tg::max(t).item(), 1.0);
}

TEST(Init, IsReproducibleWithManualSeed) {
  const tg::Tensor a = tg::zeros({30, 20});
  const tg::Tensor b = tg::zeros({30, 20});
  tg::manual_seed(123);
  init::xavier_normal_(a);
  init::kaiming_uniform_(b);
  const tg::Tensor a1 = a.detach(), b1 = b.detach();
  tg::manual_seed(123);
  init::xavier_normal_(a);
  init::kaiming_uniform_(b);
  EXPECT_TRUE(tg::equal(a, a1));
  EXPECT_TRUE(tg::equal(b, b1));
}

TEST(Init, ConstantsFillInPlace) {
  const tg::Tensor t = tg::ones({2, 3});
  EXPECT_TRUE(init::zeros_(t).is_same(t));
  EXPECT_TRUE(tg::equal(t, tg::zeros({2, 3})));
  init::ones_(t);
  EXPECT_TRUE(tg::equal(t, tg::ones({2, 3})));
  init::constant_(t, -0.5);
  EXPECT_TRUE(tg::equal(t, tg::full({2, 3}, -0.5)));
}

TEST(Init, WorksOnParametersWithoutRecording) {
  tg::nn::Linear layer(4, 3);
  const std::size_t nodes = tg::Tape::current().size();
  EXPECT_TRUE(init::xavier_uniform_(layer.weight()).is_same(layer.weight()));
  init::zeros_(layer.bias());
  init::normal_(layer.bias(), 0.0, 0.1);
  EXPECT_EQ(tg::Tape::current().size(), nodes);
  EXPECT_TRUE(layer.weight().requires_grad());
  EXPECT_TRUE(layer.weight().is_leaf());
}

TEST(Init, BadArgumentsAreRefused) {
  const tg::Tensor t = tg::zeros({2, 2});
  try {
    init::uniform_(t, 1.0, 0.0);
    FAIL() << "a > b was accepted";
  } catch (const tg::ValueError& e) {
    EXPECT_EQ(std::string(e.what()), "init::uniform_: a (1.0) must not exceed b (0.0)");
  }
  EXPECT_THROW(init::normal_(t, 0.0, -1.0), tg::ValueError);
  EXPECT_THROW(init::zeros_(tg::Tensor()), tg::ValueError);
  EXPECT_THROW(init::kaiming_uniform_(tg::Tensor()), tg::ValueError);
  EXPECT_TRUE(tg::equal(t, tg::zeros({2, 2})));
}

}  // namespace
