// RAdam (torch.optim.RAdam; canonical name "radam"). Liu, Jiang, He, Chen, Liu, Gao & Han
// (2020), "On the Variance of the Adaptive Learning Rate and Beyond", ICLR, Algorithm 2.
//
//   options: lr, betas (β1, β2), eps ε, weight_decay λ          (no maximize in 1.13)
//   state: t = 0, m = 0, v = 0
//   each step:
//     t ← t + 1;  g ← ∇f(θ)
//     if λ ≠ 0:  g ← g + λθ                        (coupled L2)
//     m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
//     m̂ ← m / (1 − β1ᵗ)
//     ρ∞ ← 2/(1 − β2) − 1;     ρ_t ← ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
//     if ρ_t > 5:  r ← √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
//                  θ ← θ − lr·m̂ · √(1 − β2ᵗ)/(√v + ε) · r     (ε on the uncorrected √v)
//     else:        θ ← θ − lr·m̂                               (un-adapted momentum step)
//
// ρ_t ≈ t for small t: with β2 = 0.999 the first five steps are plain bias-corrected momentum
// steps and the rectified Adam step starts at t = 6. 1.13's multi-tensor path drops ε; this
// is the single-tensor form.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct RAdamOptions {
  TG_OPTIONS(RAdamOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
};

struct RAdamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class RAdam : public BasicOptimizer<RAdamOptions, RAdamState, RAdam> {
 public:
  static constexpr const char* kName = "radam";
  static constexpr const char* kSummary =
      "Adam with the variance rectification; momentum steps while rho_t <= 5";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, RAdamState& state, const RAdamOptions& o) override;
};

// Instantiated once, in radam.cpp.
extern template class BasicOptimizer<RAdamOptions, RAdamState, RAdam>;

}  // namespace tg::optim
