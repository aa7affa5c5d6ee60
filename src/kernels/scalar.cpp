// The kernels as plain loops: the reference the vector versions are tested against, and the
// ones used on CPUs without a vector version.
#include <algorithm>
#include <cmath>

#include "kernels.hpp"

namespace tg::detail::kernels {

namespace {

void tanh_scalar(const double* x, double* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

void tanh_backward_scalar(const double* g, const double* y, double* gx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) gx[i] += g[i] * (1.0 - y[i] * y[i]);
}

// PyTorch 1.13's Adam, in the order of its operations:
//   g ← -g if maximize;  p ← p(1 - lr·wd) (AdamW) or g ← g + wd·p (Adam)
//   m ← β₁m + (1-β₁)g;   v ← β₂v + (1-β₂)g²;   v̂ ← max(v̂, v) if amsgrad
//   p ← p - step_size · m / (√v / √(1-β₂ᵗ) + ε)
void adam_scalar(const AdamStep& s) {
  const double decay = 1.0 - s.lr * s.weight_decay;
  for (int64_t i = 0; i < s.n; ++i) {
    double g = s.maximize ? -s.grad[i] : s.grad[i];
    if (s.decoupled_weight_decay) {
      s.param[i] = s.param[i] * decay;
    } else if (s.weight_decay != 0.0) {
      g = g + s.weight_decay * s.param[i];
    }
    s.exp_avg[i] = s.exp_avg[i] * s.beta1 + (1.0 - s.beta1) * g;
    s.exp_avg_sq[i] = s.exp_avg_sq[i] * s.beta2 + (1.0 - s.beta2) * (g * g);
    double v = s.exp_avg_sq[i];
    if (s.max_exp_avg_sq) v = s.max_exp_avg_sq[i] = std::max(s.max_exp_avg_sq[i], v);
    const double denom = std::sqrt(v) / s.bias_correction2_sqrt + s.eps;
    s.param[i] = s.param[i] + (-s.step_size) * s.exp_avg[i] / denom;  // addcdiv_, left to right
  }
}

}  // namespace

const KernelTable kScalar = {"scalar", tanh_scalar, tanh_backward_scalar, adam_scalar};

}  // namespace tg::detail::kernels
