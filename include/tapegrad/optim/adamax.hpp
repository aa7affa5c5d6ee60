// Adamax (torch.optim.Adamax; canonical name "adamax"). Kingma & Ba (2015), "Adam: A Method
// for Stochastic Optimization", ICLR, Section 7.1, Algorithm 2, with PyTorch's placement of ε.
//
//   options: lr, betas (β1, β2), eps ε, weight_decay λ, maximize
//   state: t = 0, m = 0 (exp_avg), u = 0 (exp_inf)
//   each step:
//     t ← t + 1;  g ← ∇f(θ);  if maximize: g ← −g
//     if λ ≠ 0:  g ← g + λθ                        (coupled L2)
//     m ← β1·m + (1 − β1)·g
//     u ← max(β2·u, |g| + ε)                       (ε INSIDE the max)
//     θ ← θ − (lr / (1 − β1ᵗ))·m / u              (no ε in the denominator)
//
// Adam with the L2 norm of past gradients replaced by the L∞ norm: u needs no bias
// correction. Differs from AdamaxTextbook (u ← max(β2·u, |g|), denominator u + ε).
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdamaxOptions {
  TG_OPTIONS(AdamaxOptions);
  TG_OPTION(double, lr, check::lr) = 2e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(bool, maximize, check::any) = false;
};

struct AdamaxState {
  int64_t step = 0;
  Tensor exp_avg, exp_inf;
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_inf", exp_inf);
  }
};

class Adamax : public BasicOptimizer<AdamaxOptions, AdamaxState, Adamax> {
 public:
  static constexpr const char* kName = "adamax";
  static constexpr const char* kSummary =
      "Adam with the infinity norm of past gradients, eps inside the max";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdamaxState& state, const AdamaxOptions& o) override;
};

// Instantiated once, in adamax.cpp.
extern template class BasicOptimizer<AdamaxOptions, AdamaxState, Adamax>;

}  // namespace tg::optim
