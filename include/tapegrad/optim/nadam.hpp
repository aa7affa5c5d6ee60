// NAdam (torch.optim.NAdam; canonical name "nadam"). Dozat (2016), "Incorporating Nesterov
// Momentum into Adam", ICLR workshop, with the momentum schedule PyTorch uses.
//
//   options: lr, betas (β1, β2), eps ε, weight_decay λ, momentum_decay ψ   (no maximize in 1.13)
//   state: t = 0, m = 0, v = 0, μ_product = 1
//   each step:
//     t ← t + 1;  g ← ∇f(θ)
//     if λ ≠ 0:  g ← g + λθ                        (coupled L2)
//     μ_t ← β1·(1 − ½·0.96^(t·ψ));   μ_next ← β1·(1 − ½·0.96^((t+1)·ψ))
//     μ_product ← μ_product·μ_t;     μ_product_next ← μ_product·μ_next
//     m ← β1·m + (1 − β1)·g                        (constant β1 in the average)
//     v ← β2·v + (1 − β2)·g²
//     d ← √v / √(1 − β2ᵗ) + ε                      (= √(v/(1 − β2ᵗ)) + ε)
//     θ ← θ − lr·(1 − μ_t)/(1 − μ_product) · g/d
//     θ ← θ − lr·μ_next/(1 − μ_product_next) · m/d
//
// μ_product_next is the corrected formula of torch ≥ 2.0 and of 1.13's multi-tensor path
// (foreach), whose order of operations this follows; 1.13's single-tensor path multiplies by
// μ_t twice. The schedule starts at half of β1 (μ_1 ≈ 0.45 for β1 = 0.9), so the first steps
// differ clearly from NadamSimplified (constant β1, 1 − β1ᵗ corrections, one combined step).
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct NAdamOptions {
  TG_OPTIONS(NAdamOptions);
  TG_OPTION(double, lr, check::lr) = 2e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(double, momentum_decay, check::non_negative) = 4e-3;
};

struct NAdamState {
  int64_t step = 0;
  double mu_product = 1.0;
  Tensor exp_avg, exp_avg_sq;
  void visit(auto& v) {
    v("step", step);
    v("mu_product", mu_product);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class NAdam : public BasicOptimizer<NAdamOptions, NAdamState, NAdam> {
 public:
  static constexpr const char* kName = "nadam";
  static constexpr const char* kSummary =
      "Adam with Nesterov momentum and Dozat's momentum schedule";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, NAdamState& state, const NAdamOptions& o) override;
};

// Instantiated once, in nadam.cpp.
extern template class BasicOptimizer<NAdamOptions, NAdamState, NAdam>;

}  // namespace tg::optim
