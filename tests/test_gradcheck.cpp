// gradcheck itself: it passes correct derivatives, catches wrong ones, and reports well.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

namespace {

TEST(Gradcheck, PassesACorrectDerivative) {
  const tg::Tensor x = tg::tensor({0.3, -0.7, 1.1}, true);
  const tg::GradcheckReport r = tg::gradcheck([](const auto& in) { return (in[0].sin() * in[0]).sum(); }, {x});
  EXPECT_TRUE(r.passed) << r;
  EXPECT_TRUE(static_cast<bool>(r));
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_TRUE(r.inputs[0].checked);
  EXPECT_LT(r.inputs[0].abs_error, 1e-8);
  EXPECT_FALSE(x.grad().defined()) << "the caller's tensors are left alone";
}

// x·detach(x) hides one of the two paths from the tape: its derivative is x, not 2x.
tg::Tensor half_blind_square(const std::vector<tg::Tensor>& in) { return (in[0] * in[0].detach()).sum(); }

TEST(Gradcheck, CatchesAWrongDerivative) {
  const tg::Tensor x = tg::tensor({0.5, -2.0, 3.0}, true);
  const tg::GradcheckReport r = tg::gradcheck(half_blind_square, {x});
  EXPECT_FALSE(r.passed);
  const tg::GradcheckInputReport& worst = r.inputs[0];
  EXPECT_FALSE(worst.passed);
  EXPECT_EQ(worst.element, 2);  // |x - 2x| is largest at x = 3
  EXPECT_DOUBLE_EQ(worst.analytic, 3.0);
  EXPECT_NEAR(worst.numeric, 6.0, 1e-6);
  EXPECT_NEAR(worst.abs_error, 3.0, 1e-6);
  EXPECT_NEAR(worst.rel_error, 0.5, 1e-6);
  const std::string text = r.str();
  EXPECT_NE(text.find("FAILED"), std::string::npos) << text;
  EXPECT_NE(text.find("MISMATCH"), std::string::npos) << text;
  EXPECT_NE(text.find("worst element (2,)"), std::string::npos) << text;
}

TEST(Gradcheck, CanThrow) {
  const tg::Tensor x = tg::tensor({0.5, -2.0}, true);
  tg::GradcheckOptions options;
  options.raise_exception = true;
  EXPECT_THROW(tg::gradcheck(half_blind_square, {x}, options), tg::GradcheckError);
}

TEST(Gradcheck, ChecksTheJacobianOfNonScalarFunctions) {
  const tg::Tensor a = tg::tensor({{1.0, 2.0}, {3.0, 4.0}}, true);
  const tg::Tensor b = tg::tensor({0.5, -1.0}, true);
  const tg::GradcheckReport r = tg::gradcheck([](const auto& in) { return tg::matmul(in[0], in[1]); }, {a, b});
  EXPECT_TRUE(r.passed) << r;
  // A wrong Jacobian entry in one output element is found too.
  const tg::GradcheckReport bad =
      tg::gradcheck([](const auto& in) { return in[0] * in[0].detach(); }, {tg::tensor({1.0, 2.0}, true)});
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.inputs[0].output_index, bad.inputs[0].element) << "only diagonal entries are wrong";
}

TEST(Gradcheck, SkipsInputsWithoutGrad) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  const tg::Tensor c = tg::tensor({3.0, 4.0});
  const tg::GradcheckReport r = tg::gradcheck([](const auto& in) { return (in[0] * in[1]).sum(); }, {x, c});
  EXPECT_TRUE(r.passed);
  EXPECT_FALSE(r.inputs[1].checked);
  EXPECT_NE(r.str().find("not checked"), std::string::npos);
}

TEST(Gradcheck, ToleranceOptionsMatter) {
  // Finite differences of exp at 10 have a relative error near 1e-10: a tiny rtol fails.
  const tg::Tensor x = tg::tensor({10.0}, true);
  auto f = [](const auto& in) { return in[0].exp().sum(); };
  EXPECT_TRUE(tg::gradcheck(f, {x}).passed);
  tg::GradcheckOptions strict;
  strict.atol = 0.0;
  strict.rtol = 1e-14;
  EXPECT_FALSE(tg::gradcheck(f, {x}, strict).passed);
  strict.eps = -1.0;
  EXPECT_THROW(tg::gradcheck(f, {x}, strict), tg::ValueError);
}

TEST(Gradcheck, NumericalGradient) {
  // f(x, y) = x² y + y³, ∇f = (2xy, x² + 3y²) = (12, 31) at (2, 3)
  const tg::Tensor p = tg::tensor({2.0, 3.0});
  const tg::Tensor g = tg::numerical_gradient(
      [](const tg::Tensor& q) { return q[0].square() * q[1] + q[1].pow(3); }, p);
  EXPECT_NEAR(g.at({0}), 12.0, 1e-7);
  EXPECT_NEAR(g.at({1}), 31.0, 1e-7);
  EXPECT_THROW(tg::numerical_gradient([](const tg::Tensor& q) { return q * 2.0; }, p), tg::ValueError);
}

TEST(Gradcheck, RandomBroadcastShapes) {
  // Property test: binary ops on random broadcastable shapes agree with finite differences.
  tg::Generator g(2024);
  for (int trial = 0; trial < 40; ++trial) {
    const int nd = static_cast<int>(g.randint(0, 4));
    tg::Shape sa, sb;
    for (int d = 0; d < nd; ++d) {
      const int64_t n = g.randint(1, 4);
      sa.push_back(g.randint(0, 3) == 0 ? 1 : n);
      sb.push_back(g.randint(0, 3) == 0 ? 1 : n);
    }
    while (sb.size() > 0 && g.randint(0, 3) == 0) sb.erase(0);  // fewer leading axes
    const tg::Tensor a = tg::uniform(sa, 0.5, 2.0, true), b = tg::uniform(sb, 0.5, 2.0, true);
    for (auto op : {+[](const std::vector<tg::Tensor>& x) { return x[0] * x[1] + x[0] / x[1]; },
                    +[](const std::vector<tg::Tensor>& x) { return tg::pow(x[0], x[1]) - x[1]; },
                    +[](const std::vector<tg::Tensor>& x) { return tg::maximum(x[0], x[1] * 1.01); }}) {
      const tg::GradcheckReport r = tg::gradcheck(op, {a, b});
      EXPECT_TRUE(r.passed) << sa << " with " << sb << "\n" << r;
    }
  }
}

}  // namespace
