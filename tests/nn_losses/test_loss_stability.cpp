// The stable forms at extreme inputs, next to the naive forms they replace, and BCE's gradient
// at probabilities 0 and 1 (PyTorch's).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <tapegrad/tapegrad.hpp>
#include <vector>

namespace {

namespace F = tg::nn::functional;
using R = tg::nn::functional::Reduction;

void expect_all_finite(const tg::Tensor& t, const char* what) {
  for (const double v : t.to_vector()) EXPECT_TRUE(std::isfinite(v)) << what << " holds " << v;
}

TEST(BCEWithLogitsStability, LogitsOfPlusMinus1000AreExact) {
  const tg::Tensor x = tg::tensor({1000.0, -1000.0, 1000.0, -1000.0, 1000.0}, true);
  const tg::Tensor y = tg::tensor({0.0, 1.0, 1.0, 0.0, 0.25}, true);
  const tg::Tensor loss = F::binary_cross_entropy_with_logits(x, y, R::none);
  EXPECT_EQ(loss.to_vector(), (std::vector<double>{1000.0, 1000.0, 0.0, 0.0, 750.0}));
  loss.sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{1.0, -1.0, 0.0, 0.0, 0.75}));                  // σ(x) − y
  EXPECT_EQ(y.grad().to_vector(), (std::vector<double>{-1000.0, 1000.0, -1000.0, 1000.0, -1000.0}));  // −x
}

TEST(BCEWithLogitsStability, TinyLossesKeepTheirDigits) {
  // ℓ = softplus(−30) = ln(1 + e⁻³⁰) = 9.357622968840175e-14; (1 − y)·x + softplus(−x) would
  // compute it as −30 + 30.0000000000000937 and keep only two digits.
  const tg::Tensor loss = F::binary_cross_entropy_with_logits(tg::tensor({-30.0}), tg::tensor({0.0}), R::sum);
  EXPECT_DOUBLE_EQ(loss.item(), std::log1p(std::exp(-30.0)));
}

TEST(BCEWithLogitsStability, NaiveLogOfSigmoidOverflows) {
  // −ln σ(−1000) for a positive sample: σ(−1000) rounds to 0, ln 0 = −∞, and the gradient is
  // (−1/0)·σ'(−1000) = −∞·0 = NaN. The stable form gives 1000 and σ(x) − 1 = −1.
  const tg::Tensor x = tg::tensor({-1000.0}, true);
  const tg::Tensor naive = -tg::log(tg::sigmoid(x)).sum();
  EXPECT_TRUE(std::isinf(naive.item()));
  naive.backward();
  EXPECT_TRUE(std::isnan(x.grad().item()));

  const tg::Tensor z = tg::tensor({-1000.0}, true);
  const tg::Tensor stable = F::binary_cross_entropy_with_logits(z, tg::tensor({1.0}));
  EXPECT_EQ(stable.item(), 1000.0);
  stable.backward();
  EXPECT_EQ(z.grad().item(), -1.0);
}

TEST(BCEStability, ClampedLogHidesTheOverflowButLosesTheSignal) {
  // binary_cross_entropy(σ(−1000), 1): ln 0 is clamped at −100, so the loss is 100 (not 1000)
  // and its gradient with respect to the logit is 0 (dℓ/dp is −1e12 but σ′(−1000) is 0): the
  // model learns nothing from it.
  const tg::Tensor x = tg::tensor({-1000.0}, true);
  const tg::Tensor loss = F::binary_cross_entropy(tg::sigmoid(x), tg::tensor({1.0}));
  EXPECT_EQ(loss.item(), 100.0);
  loss.backward();
  EXPECT_EQ(x.grad().item(), 0.0);
}

TEST(BCEStability, SigmoidRoundsToOneAtLogit37) {
  // 1 − σ(37) rounds to 0: BCE on probabilities says 100 (as PyTorch); the true loss is 37.
  const tg::Tensor x = tg::tensor({37.0});
  const tg::Tensor y = tg::tensor({0.0});
  EXPECT_EQ(tg::sigmoid(x).item(), 1.0);
  EXPECT_EQ(F::binary_cross_entropy(tg::sigmoid(x), y).item(), 100.0);
  EXPECT_EQ(F::binary_cross_entropy_with_logits(x, y).item(), 37.0);
}

TEST(BCEStability, GradientAtProbabilitiesZeroAndOne) {
  // As PyTorch's hand-written backward, (p − y)/max(p(1 − p), 1e-12): ±1e12 for a wrong certain
  // answer, 0 for a right one (p = y = 0 or 1), though the clamped loss is flat at both.
  const tg::Tensor p = tg::tensor({0.0, 1.0, 0.0, 1.0}, true);
  const tg::Tensor y = tg::tensor({1.0, 0.0, 0.0, 1.0});
  const tg::Tensor loss = F::binary_cross_entropy(p, y, R::none);
  EXPECT_EQ(loss.to_vector(), (std::vector<double>{100.0, 100.0, 0.0, 0.0}));
  loss.sum().backward();
  const double epsilon = 1e-12f;  // PyTorch's EPSILON is a float
  EXPECT_EQ(p.grad().to_vector(), (std::vector<double>{-1.0 / epsilon, 1.0 / epsilon, 0.0, 0.0}));
}

TEST(BCEStability, GradientNearZeroIsCappedAt1e12) {
  // p = 1e-30: ℓ = −ln p = 69.08, and dℓ/dp = (p − 1)/max(p(1 − p), 1e-12) = −1e12, as
  // PyTorch (the exact derivative −1/p would be −1e30).
  const tg::Tensor p = tg::tensor({1e-30}, true);
  const tg::Tensor loss = F::binary_cross_entropy(p, tg::tensor({1.0}));
  EXPECT_DOUBLE_EQ(loss.item(), -std::log(1e-30));
  loss.backward();
  EXPECT_DOUBLE_EQ(p.grad().item(), -1.0 / static_cast<double>(1e-12f));  // PyTorch's EPSILON, a float
}

TEST(BCEStability, TargetGradientAtProbabilitiesZeroAndOne) {
  // dℓ/dy = −logit(p) = ln((1 − p)/p), as PyTorch: +inf at p = 0, −inf at p = 1.
  const tg::Tensor p = tg::tensor({0.0, 1.0, 0.5});
  const tg::Tensor y = tg::tensor({0.5, 0.5, 0.5}, true);
  F::binary_cross_entropy(p, y, R::sum).backward();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(y.grad().to_vector(), (std::vector<double>{inf, -inf, 0.0}));
}

TEST(CrossEntropyStability, LogitsOf1000) {
  const tg::Tensor z = tg::tensor({{1000.0, 0.0, -1000.0}, {1000.0, 1000.0, 1000.0}}, true);
  const tg::Tensor y = tg::tensor({2.0, 1.0});
  const tg::Tensor loss = F::cross_entropy(z, y, R::none);
  EXPECT_EQ(loss.at({0}), 2000.0);
  EXPECT_NEAR(loss.at({1}), std::log(3.0), 1e-12);  // 1000 − (1000 + ln 3): rounded at 1001
  loss.sum().backward();
  expect_all_finite(z.grad(), "the gradient");
  EXPECT_EQ(z.grad().at({0, 0}), 1.0);  // softmax − onehot
  EXPECT_EQ(z.grad().at({0, 2}), -1.0);
  EXPECT_NEAR(z.grad().at({1, 1}), 1.0 / 3.0 - 1.0, 1e-12);
}

TEST(CrossEntropyStability, NaiveLogOfSoftmaxOverflows) {
  // softmax((1000, 0, −1000))[2] = e⁻²⁰⁰⁰ rounds to 0 and −ln 0 = ∞; log_softmax gives 2000.
  const tg::Tensor z = tg::tensor({{1000.0, 0.0, -1000.0}});
  EXPECT_TRUE(std::isinf(-tg::log(tg::softmax(z, 1)).at({0, 2})));
  EXPECT_EQ(F::cross_entropy(z, tg::tensor({2.0})).item(), 2000.0);
}

TEST(CrossEntropyStability, LargeBatchOfExtremeLogits) {
  tg::manual_seed(3);
  const tg::Tensor z = tg::uniform({64, 10}, -1e4, 1e4, /*requires_grad=*/true);
  const tg::Tensor y = tg::randint(0, 10, {64});
  const tg::Tensor loss = F::cross_entropy(z, y);
  EXPECT_TRUE(std::isfinite(loss.item()));
  loss.backward();
  expect_all_finite(z.grad(), "the gradient");
}

TEST(HuberStability, HugeErrorsStayFinite) {
  // (1e200)² overflows; the Huber loss is linear there: delta·(|d| − delta/2).
  const tg::Tensor x = tg::tensor({1e200}, true);
  EXPECT_TRUE(std::isinf(F::mse_loss(x, tg::tensor({0.0})).item()));
  const tg::Tensor loss = F::huber_loss(x, tg::tensor({0.0}));
  EXPECT_EQ(loss.item(), 1e200);
  loss.backward();
  EXPECT_EQ(x.grad().item(), 1.0);
}

}  // namespace
