// Gradient clipping against the reference's test vectors (torch 1.13; optimizers.md,
// "Gradient clipping"): two parameters with gradients (3, ±4) and (12).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <tapegrad/tapegrad.hpp>
#include <tapegrad/optim/clip_grad.hpp>

namespace {

using tg::optim::clip_grad_norm_;
using tg::optim::clip_grad_value_;

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A parameter whose gradient is `g` (through backward(), as in training).
tg::Tensor with_grad(const std::vector<double>& g) {
  const auto n = static_cast<int64_t>(g.size());
  tg::Tensor p = tg::zeros({n}, true);
  tg::sum(p * tg::Tensor(g, {n})).backward();
  return p;
}

std::vector<double> grads(const std::vector<tg::Tensor>& params) {
  std::vector<double> out;
  for (const tg::Tensor& p : params) {
    const tg::Tensor g = p.grad();
    out.insert(out.end(), g.data(), g.data() + g.numel());
  }
  return out;
}

TEST(ClipGradNorm, L2) {
  const std::vector<tg::Tensor> ps{with_grad({3, 4}), with_grad({12})};
  EXPECT_EQ(clip_grad_norm_(ps, 1.0), 13.0);
  EXPECT_EQ(grads(ps), (std::vector<double>{0.23076921301775288, 0.30769228402367049, 0.92307685207101153}));
}

TEST(ClipGradNorm, Infinity) {
  const std::vector<tg::Tensor> ps{with_grad({3, -4}), with_grad({12})};
  EXPECT_EQ(clip_grad_norm_(ps, 5.0, kInf), 12.0);
  EXPECT_EQ(grads(ps), (std::vector<double>{1.249999895833342, -1.6666665277777895, 4.9999995833333681}));
}

TEST(ClipGradNorm, L1) {
  const std::vector<tg::Tensor> ps{with_grad({3, -4}), with_grad({12})};
  EXPECT_EQ(clip_grad_norm_(ps, 2.0, 1.0), 19.0);
  EXPECT_EQ(grads(ps), (std::vector<double>{0.31578945706371275, -0.42105260941828371, 1.263157828254851}));
}

TEST(ClipGradNorm, BelowTheLimitNothingChanges) {
  const std::vector<tg::Tensor> ps{with_grad({3, -4}), with_grad({12})};
  EXPECT_EQ(clip_grad_norm_(ps, 100.0), 13.0);
  EXPECT_EQ(grads(ps), (std::vector<double>{3, -4, 12}));
}

TEST(ClipGradNorm, AClippedNormIsSlightlyBelowMaxNorm) {
  const std::vector<tg::Tensor> ps{with_grad({3, 4}), with_grad({12})};
  clip_grad_norm_(ps, 1.0);
  const double after = clip_grad_norm_(ps, 1.0);  // measures again; clips nothing more
  EXPECT_LT(after, 1.0);
  EXPECT_NEAR(after, 13.0 / (13.0 + 1e-6), 1e-15);
}

TEST(ClipGradNorm, GeneralP) {
  // ‖(‖(3,4)‖₃, ‖12‖₃)‖₃ = (3³ + 4³ + 12³)^(1/3)
  const std::vector<tg::Tensor> ps{with_grad({3, 4}), with_grad({12})};
  EXPECT_NEAR(clip_grad_norm_(ps, kInf, 3.0), std::cbrt(1819.0), 1e-15 * std::cbrt(1819.0));
  EXPECT_EQ(grads(ps), (std::vector<double>{3, 4, 12}));  // max_norm = inf only measures
}

TEST(ClipGradNorm, ParametersWithoutGradientAreIgnored) {
  const tg::Tensor no_grad = tg::zeros({3}, true);
  const std::vector<tg::Tensor> ps{with_grad({3, 4}), no_grad, with_grad({12})};
  EXPECT_EQ(clip_grad_norm_(ps, 1.0), 13.0);
  EXPECT_FALSE(no_grad.grad().defined());
  EXPECT_EQ(grads({ps[0], ps[2]}),
            (std::vector<double>{0.23076921301775288, 0.30769228402367049, 0.92307685207101153}));
  EXPECT_EQ(clip_grad_norm_({no_grad}, 1.0), 0.0);
  EXPECT_EQ(clip_grad_norm_({}, 1.0), 0.0);
}

TEST(ClipGradNorm, ErrorIfNonfinite) {
  for (double bad : {kInf, std::nan("")}) {
    const std::vector<tg::Tensor> ps{with_grad({3, bad}), with_grad({12})};
    try {
      clip_grad_norm_(ps, 1.0, 2.0, /*error_if_nonfinite=*/true);
      ADD_FAILURE() << "expected tg::ValueError for a gradient holding " << bad;
    } catch (const tg::ValueError& e) {
      EXPECT_NE(std::string(e.what()).find("clip_grad_norm_"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("non-finite"), std::string::npos) << e.what();
    }
    EXPECT_EQ(grads(ps)[0], 3.0);  // nothing was changed
  }
  // Without the check the gradients are scaled by the non-finite norm, as in PyTorch.
  const std::vector<tg::Tensor> ps{with_grad({3, kInf}), with_grad({12})};
  EXPECT_EQ(clip_grad_norm_(ps, 1.0), kInf);
  EXPECT_EQ(grads(ps)[0], 0.0);
  EXPECT_TRUE(std::isnan(grads(ps)[1]));
}

TEST(ClipGradNorm, InvalidArguments) {
  const std::vector<tg::Tensor> ps{with_grad({3, 4})};
  EXPECT_THROW(clip_grad_norm_(ps, -1.0), tg::ValueError);
  EXPECT_THROW(clip_grad_norm_(ps, std::nan("")), tg::ValueError);
  EXPECT_THROW(clip_grad_norm_(ps, 1.0, 0.0), tg::ValueError);
  EXPECT_THROW(clip_grad_value_(ps, -0.5), tg::ValueError);
  EXPECT_EQ(grads(ps), (std::vector<double>{3, 4}));
}

TEST(ClipGradValue, ClampsEveryElement) {
  const tg::Tensor no_grad = tg::zeros({1}, true);
  const std::vector<tg::Tensor> ps{with_grad({3, -4}), no_grad, with_grad({12, -1})};
  clip_grad_value_(ps, 3.5);
  EXPECT_EQ(grads({ps[0], ps[2]}), (std::vector<double>{3, -3.5, 3.5, -1}));
  EXPECT_FALSE(no_grad.grad().defined());
}

}  // namespace
