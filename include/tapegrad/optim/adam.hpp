// Adam and AdamW (torch.optim.Adam / AdamW; canonical names "adam", "adamw").
//
//   options: lr, betas (β1, β2), eps ε, weight_decay λ, amsgrad, maximize
//   each step (t = 1, 2, ...):
//     g ← ∇f(θ);  if maximize: g ← −g
//     Adam:  if λ ≠ 0: g ← g + λθ              (coupled: the decay goes through m and v)
//     AdamW: θ ← θ·(1 − lr·λ)                  (decoupled, before the step, on θ_{t-1})
//     m ← β1·m + (1 − β1)·g
//     v ← β2·v + (1 − β2)·g²
//     u ← max(u, v) if amsgrad, else v          (the maximum of the raw v)
//     θ ← θ − (lr / (1 − β1ᵗ)) · m / (√u / √(1 − β2ᵗ) + ε)
//
// That is θ ← θ − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β1ᵗ), v̂ = u/(1 − β2ᵗ), in PyTorch's order.
// The lessons' variants are AdamEfficient (ε on the uncorrected √v), AMSGrad (no
// correction of v) and AdamWAfter (decay after the step).
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdamOptions {
  TG_OPTIONS(AdamOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(bool, amsgrad, check::any) = false;
  TG_OPTION(bool, maximize, check::any) = false;
};

/// AdamW's options: Adam's, with PyTorch's default weight decay 0.01.
struct AdamWOptions {
  TG_OPTIONS(AdamWOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 1e-2;
  TG_OPTION(bool, amsgrad, check::any) = false;
  TG_OPTION(bool, maximize, check::any) = false;
};

struct AdamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
    v("max_exp_avg_sq", max_exp_avg_sq);
  }
};

class Adam : public BasicOptimizer<AdamOptions, AdamState, Adam> {
 public:
  static constexpr const char* kName = "adam";
  static constexpr const char* kSummary =
      "Adam (Kingma & Ba), optionally AMSGrad, coupled L2";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdamState& state, const AdamOptions& o) override;
};

class AdamW : public BasicOptimizer<AdamWOptions, AdamState, AdamW> {
 public:
  static constexpr const char* kName = "adamw";
  static constexpr const char* kSummary =
      "Adam with decoupled weight decay, decay before the step";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdamState& state, const AdamWOptions& o) override;
};

// Instantiated once, in adam.cpp.
extern template class BasicOptimizer<AdamOptions, AdamState, Adam>;
extern template class BasicOptimizer<AdamWOptions, AdamState, AdamW>;

}  // namespace tg::optim
