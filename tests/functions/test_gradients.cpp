// The tape's gradient of every test function against its analytic gradient (analytic.hpp),
// and gradcheck, at random points of the plot window.
#include <gtest/gtest.h>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "functions/analytic.hpp"

namespace {

namespace fn = tg::functions;

// A random point: in the plot window for 2-D functions, in [-2, 2]^n otherwise.
std::vector<double> random_point(const fn::TestFunction& f) {
  if (f.dim() == 2) {
    const auto& w = f.window;
    return {tg::uniform({1}, w[0], w[1]).item(), tg::uniform({1}, w[2], w[3]).item()};
  }
  return tg::uniform({f.dim()}, -2.0, 2.0).to_vector();
}

// |tape - analytic| <= 1e-9·max(1, |analytic|max): both are exact up to rounding.
void expect_gradient(const fn::TestFunction& f, const std::vector<double>& x, const std::vector<double>& expected) {
  const std::vector<double> g = tg::gradient(f.value, tg::tensor(x, f.shape)).to_vector();
  ASSERT_EQ(g.size(), expected.size());
  double scale = 1.0;
  for (double e : expected) scale = std::max(scale, std::abs(e));
  for (std::size_t i = 0; i < g.size(); ++i)
    EXPECT_NEAR(g[i], expected[i], 1e-9 * scale) << f.name << " component " << i << " at " << tg::tensor(x, f.shape);
}

TEST(FunctionGradients, TapeEqualsAnalyticAtRandomPoints) {
  tg::manual_seed(7);
  for (const fn::TestFunction& f : fn::all()) {
    SCOPED_TRACE(f.name);
    const auto& grad = analytic::gradients().at(f.name);
    for (int k = 0; k < 20; ++k) {
      const std::vector<double> x = random_point(f);
      expect_gradient(f, x, grad(x));
    }
    for (const auto& [label, x] : f.starts) expect_gradient(f, x, grad(x));
  }
}

TEST(FunctionGradients, NDimensionalFormsMatchTheirAnalyticGradients) {
  tg::manual_seed(11);
  const std::vector<std::pair<std::string, std::function<std::vector<double>(const std::vector<double>&)>>> cases = {
      {"rosenbrock", analytic::rosenbrock_n},
      {"rastrigin", analytic::rastrigin_n},
      {"styblinski_tang", analytic::styblinski_tang_n},
      {"ackley", analytic::ackley_n}};
  for (const auto& [name, grad] : cases) {
    for (int64_t n : {1, 3, 5, 10}) {
      if (name == "rosenbrock" && n < 2) continue;
      const fn::TestFunction f = fn::make(name, n);
      SCOPED_TRACE(f.name);
      EXPECT_EQ(f.shape, tg::Shape{n});
      for (int k = 0; k < 5; ++k) {
        const std::vector<double> x = tg::uniform({n}, -2.0, 2.0).to_vector();
        expect_gradient(f, x, grad(x));
      }
    }
  }
}

TEST(FunctionGradients, GradcheckPassesForEveryFunction) {
  tg::manual_seed(3);
  for (const fn::TestFunction& f : fn::all()) {
    SCOPED_TRACE(f.name);
    const tg::Tensor x = tg::tensor(random_point(f), f.shape, /*requires_grad=*/true);
    const auto report = tg::gradcheck([&f](const std::vector<tg::Tensor>& in) { return f(in[0]); }, {x});
    EXPECT_TRUE(report.passed) << report;
  }
  for (const auto& [name, n] : std::vector<std::pair<std::string, int64_t>>{
           {"rosenbrock", 5}, {"rastrigin", 3}, {"styblinski_tang", 4}, {"ackley", 3}}) {
    const fn::TestFunction f = fn::make(name, n);
    const tg::Tensor x = tg::uniform({n}, -2.0, 2.0, /*requires_grad=*/true);
    const auto report = tg::gradcheck([&f](const std::vector<tg::Tensor>& in) { return f(in[0]); }, {x});
    EXPECT_TRUE(report.passed) << f.name << "\n" << report;
  }
}

TEST(FunctionGradients, ValuesAreZeroDimensionalAndRecorded) {
  for (const fn::TestFunction& f : fn::all()) {
    const tg::Tensor x = f.start().set_requires_grad(true);
    const tg::Tensor y = f(x);
    EXPECT_EQ(y.ndim(), 0) << f.name;
    EXPECT_TRUE(y.requires_grad()) << f.name;
    y.backward();
    EXPECT_EQ(x.grad().shape(), f.shape) << f.name;
  }
  EXPECT_EQ(tg::Tape::current().size(), 0u);
}

// Drop-Wave is smooth at its minimum (f = -1 + 36.25 r^2 + ...): the tape's gradient there is
// the mathematical (0, 0), not NaN.
TEST(FunctionGradients, DropWaveGradientAtTheOriginIsZero) {
  const auto& f = fn::get("drop_wave");
  const std::vector<double> g = tg::gradient(f.value, tg::zeros({2})).to_vector();
  EXPECT_EQ(g, (std::vector<double>{0.0, 0.0}));
  const std::vector<double> near = tg::gradient(f.value, tg::tensor({1e-9, 0.0})).to_vector();
  EXPECT_NEAR(near[0], 72.5e-9, 1e-15);  // 2 · 36.25 · r
}

// Ackley is a cone at 0: not differentiable. The tape returns the subgradient 0 there (norm()'s
// derivative at 0), and the one-sided slope is 2·sqrt(2) in every direction.
TEST(FunctionGradients, AckleyAtItsTipGivesTheZeroSubgradientAndAConeSlope) {
  const auto& f = fn::get("ackley");
  const std::vector<double> g = tg::gradient(f.value, tg::zeros({2})).to_vector();
  EXPECT_EQ(g, (std::vector<double>{0.0, 0.0}));
  const double h = 1e-8;
  for (const auto& d : std::vector<std::vector<double>>{{1, 0}, {0, -1}, {0.6, 0.8}}) {
    const double slope = f(tg::tensor({h * d[0], h * d[1]})).item() / h;
    EXPECT_NEAR(slope, 2.0 * std::sqrt(2.0), 1e-6);
  }
  const std::vector<double> beside = tg::gradient(f.value, tg::tensor({1e-10, 0.0})).to_vector();
  EXPECT_NEAR(beside[0], 2.0 * std::sqrt(2.0), 1e-6);
}

}  // namespace
