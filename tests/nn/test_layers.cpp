// Layers: Linear's initialisation, Dropout's masks and gradients, and finite-difference checks
// of every layer and of an MLP's output with respect to its input and its parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

double sample_std(const tg::Tensor& t) { return std::sqrt(tg::var(t).item()); }

// Checks the gradient of every output element with respect to every parameter of `module`
// against central differences. gradcheck() differentiates with respect to fresh copies of
// its inputs, which a module does not read; here each parameter is perturbed in place.
void expect_parameter_gradients_match_finite_differences(tg::nn::Module& module, const tg::Tensor& x) {
  const auto params = module.named_parameters();
  const int64_t outputs = module(x).numel();
  for (int64_t j = 0; j < outputs; ++j) {
    module.zero_grad();
    module(x).flatten()[j].backward();
    for (const auto& [name, param] : params) {
      const tg::Tensor analytic = param.grad().defined() ? param.grad() : tg::zeros_like(param);
      const tg::Tensor numeric = tg::numerical_gradient(
          [&, param = param](const tg::Tensor& value) {
            tg::Tensor p = param;
            const tg::Tensor saved = p.detach();
            p.copy_(value);
            const tg::Tensor out = module(x).flatten()[j];
            p.copy_(saved);
            return out;
          },
          param);
      EXPECT_TRUE(tg::allclose(analytic, numeric, 1e-4, 1e-6))
          << name << ", output element " << j << "\nanalytic " << analytic << "\nnumeric  " << numeric;
    }
  }
  module.zero_grad();
}

// ---- Linear -----------------------------------------------------------------------------------

TEST(LinearInit, DrawsWeightThenBiasUniformlyWithinOneOverRootFanIn) {
  tg::manual_seed(7);
  tg::nn::Linear layer(200, 50);
  const double bound = 1.0 / std::sqrt(200.0);
  EXPECT_EQ(layer.weight().shape(), tg::Shape({50, 200}));
  EXPECT_EQ(layer.bias().shape(), tg::Shape({50}));
  EXPECT_LE(tg::max(tg::abs(layer.weight())).item(), bound);
  EXPECT_LE(tg::max(tg::abs(layer.bias())).item(), bound);
  EXPECT_NEAR(sample_std(layer.weight()), bound / std::sqrt(3.0), 0.02 * bound);
  EXPECT_NEAR(tg::mean(layer.weight()).item(), 0.0, 0.02 * bound);
  // NumPy's np.random.seed(7); uniform(-b, b, (50, 200)); uniform(-b, b, 50), up to the rounding
  // of b (kaiming_uniform_ computes it as √3·√(2/(1+5))/√200).
  tg::manual_seed(7);
  const tg::Tensor w = tg::uniform({50, 200}, -bound, bound);
  const tg::Tensor b = tg::uniform({50}, -bound, bound);
  EXPECT_LT(tg::max(tg::abs(layer.weight() - w)).item(), 1e-16);
  EXPECT_TRUE(tg::equal(layer.bias(), b));
}

TEST(LinearInit, IsReproducibleWithManualSeed) {
  tg::manual_seed(3);
  tg::nn::Linear a(4, 5);
  tg::manual_seed(3);
  tg::nn::Linear b(4, 5);
  tg::nn::Linear c(4, 5);
  EXPECT_TRUE(tg::equal(a.weight(), b.weight()));
  EXPECT_TRUE(tg::equal(a.bias(), b.bias()));
  EXPECT_FALSE(tg::equal(a.weight(), c.weight()));
}

TEST(LinearInit, WithoutBiasOrInputsIsAsPyTorch) {
  tg::nn::Linear no_bias(3, 2, false);
  EXPECT_FALSE(no_bias.bias().defined());
  EXPECT_EQ(no_bias.parameters().size(), 1u);
  tg::nn::Linear empty(0, 2);  // no inputs: weight (2, 0), bias U(0, 0) = 0
  EXPECT_EQ(empty.weight().shape(), tg::Shape({2, 0}));
  EXPECT_TRUE(tg::equal(empty.bias(), tg::zeros({2})));
  const tg::Tensor out = empty(tg::zeros({4, 0}));
  EXPECT_TRUE(tg::equal(out, tg::zeros({4, 2})));
  out.sum().backward();
  EXPECT_TRUE(tg::equal(empty.bias().grad(), tg::full({2}, 4.0)));
}

TEST(LinearGradcheck, InputWeightAndBias) {
  tg::manual_seed(1);
  tg::nn::Linear layer(3, 2);
  const tg::Tensor x = tg::randn({4, 3}, true);
  EXPECT_TRUE(tg::gradcheck([&](const std::vector<tg::Tensor>& in) { return layer(in[0]); }, {x}));
  expect_parameter_gradients_match_finite_differences(layer, x);
}

// ---- activations --------------------------------------------------------------------------------

TEST(Activations, GradcheckAwayFromTheKinks) {
  std::vector<std::shared_ptr<tg::nn::Module>> layers = {
      std::make_shared<tg::nn::ReLU>(),        std::make_shared<tg::nn::LeakyReLU>(0.2),
      std::make_shared<tg::nn::Tanh>(),        std::make_shared<tg::nn::Sigmoid>(),
      std::make_shared<tg::nn::Softplus>(),    std::make_shared<tg::nn::Softplus>(3.0, 2.0)};
  const tg::Tensor x = tg::tensor({{-1.5, -0.4, 0.3}, {0.9, 1.7, -2.2}}, true);
  for (const auto& layer : layers) {
    const tg::GradcheckReport report =
        tg::gradcheck([&](const std::vector<tg::Tensor>& in) { return (*layer)(in[0]); }, {x});
    EXPECT_TRUE(report) << layer->str() << "\n" << report;
    EXPECT_TRUE(layer->parameters().empty());
  }
}

// ---- Dropout ------------------------------------------------------------------------------------

TEST(Dropout, IsTheIdentityInEvalMode) {
  tg::nn::Dropout dropout(0.5);
  dropout.eval();
  const tg::Tensor x = tg::randn({10, 10}, true);
  const tg::Tensor y = dropout(x);
  EXPECT_TRUE(y.is_same(x));
  y.sum().backward();
  EXPECT_TRUE(tg::equal(x.grad(), tg::ones({10, 10})));
}

TEST(Dropout, ZeroProbabilityKeepsEverythingAndDrawsNothing) {
  tg::nn::Dropout dropout(0.0);
  tg::manual_seed(9);
  const tg::Tensor x = tg::randn({5});
  EXPECT_TRUE(dropout(x).is_same(x));
  const tg::Tensor next = tg::rand({1});
  tg::manual_seed(9);
  tg::randn({5});
  EXPECT_TRUE(tg::equal(tg::rand({1}), next));
}

TEST(Dropout, ZeroesAboutAFractionPAndScalesTheRest) {
  const double p = 0.3;
  tg::nn::Dropout dropout(p);
  tg::manual_seed(0);
  const tg::Tensor y = dropout(tg::ones({100000}));
  const std::vector<double> v = y.to_vector();
  int64_t zeros = 0;
  for (double e : v) {
    if (e == 0.0) {
      ++zeros;
    } else {
      ASSERT_EQ(e, 1.0 / (1.0 - p));
    }
  }
  // The fraction has standard deviation √(p(1−p)/n) ≈ 0.0014.
  EXPECT_NEAR(static_cast<double>(zeros) / 100000.0, p, 0.007);
  EXPECT_NEAR(tg::mean(y).item(), 1.0, 0.01);
}

TEST(Dropout, MaskIsReproducibleWithManualSeedAndKeepsWhereUniformIsAtLeastP) {
  tg::nn::Dropout dropout(0.5);
  const tg::Tensor x = tg::arange(1.0, 21.0);
  tg::manual_seed(42);
  const tg::Tensor a = dropout(x);
  tg::manual_seed(42);
  const tg::Tensor b = dropout(x);
  EXPECT_TRUE(tg::equal(a, b));
  tg::manual_seed(42);
  const tg::Tensor expected = x * tg::ge(tg::rand({20}), tg::Tensor(0.5)) * 2.0;
  EXPECT_TRUE(tg::equal(a, expected));
  EXPECT_FALSE(tg::equal(dropout(x), a)) << "a new mask at every call";
}

TEST(Dropout, GradientFlowsThroughTheKeptElementsOnly) {
  const double p = 0.4;
  tg::nn::Dropout dropout(p);
  const tg::Tensor x = tg::ones({50}, true);
  tg::manual_seed(5);
  const tg::Tensor y = dropout(x);
  y.sum().backward();
  EXPECT_TRUE(tg::equal(x.grad(), y.detach())) << "1/(1-p) where kept, 0 where dropped";
  // With the mask fixed (the same seed before each call), the layer is linear in x.
  const tg::Tensor z = tg::randn({3, 4}, true);
  const tg::GradcheckReport report = tg::gradcheck(
      [&](const std::vector<tg::Tensor>& in) {
        tg::manual_seed(11);
        return dropout(in[0]);
      },
      {z});
  EXPECT_TRUE(report) << report;
}

TEST(Dropout, RejectsProbabilitiesOutsideZeroToOne) {
  EXPECT_THROW(tg::nn::Dropout(-0.1), tg::ValueError);
  EXPECT_THROW(tg::nn::Dropout(1.0), tg::ValueError);
  EXPECT_THROW(tg::nn::Dropout(std::numeric_limits<double>::quiet_NaN()), tg::ValueError);
  try {
    tg::nn::Dropout(1.5);
  } catch (const tg::ValueError& e) {
    EXPECT_EQ(std::string(e.what()), "Dropout: p must be in [0, 1), got 1.5");
  }
}

// ---- MLP ----------------------------------------------------------------------------------------

TEST(MlpGradcheck, OutputWithRespectToInputAndEveryParameter) {
  for (tg::nn::Activation act : {tg::nn::Activation::tanh, tg::nn::Activation::sigmoid,
                                 tg::nn::Activation::softplus, tg::nn::Activation::leaky_relu,
                                 tg::nn::Activation::relu}) {
    tg::manual_seed(17);
    tg::nn::MLP mlp({2, 4, 3, 2}, act);
    const tg::Tensor x = tg::randn({3, 2}, true);
    const tg::GradcheckReport report =
        tg::gradcheck([&](const std::vector<tg::Tensor>& in) { return mlp(in[0]); }, {x});
    EXPECT_TRUE(report) << mlp << "\n" << report;
    expect_parameter_gradients_match_finite_differences(mlp, x);
  }
}

TEST(MlpDropout, TrainsWithMasksAndEvaluatesWithout) {
  tg::manual_seed(2);
  tg::nn::MLP mlp({3, 16, 1}, tg::nn::Activation::relu, 0.5);
  const tg::Tensor x = tg::randn({8, 3});
  const tg::Tensor first = mlp(x);
  EXPECT_FALSE(tg::equal(mlp(x), first));
  mlp.eval();
  EXPECT_TRUE(tg::equal(mlp(x), mlp(x)));
}

}  // namespace
