// AdamW written as two separate steps, the decay last and on the already-updated parameter:
// Loshchilov & Hutter (2019), "Decoupled Weight Decay Regularization", in the lessons' code
// (canonical name "adamw_after").
//
//   options: lr = 0.001, betas (β1, β2) = (0.9, 0.999), eps ε = 1e-8, weight_decay λ = 0.01
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
//     m̂ ← m / (1 − β1ᵗ);  v̂ ← v / (1 − β2ᵗ)
//     θ' ← θ − lr·m̂ / (√v̂ + ε)              (the plain Adam step)
//     θ ← θ' − lr·λ·θ'                         (decoupled decay, on θ')
//
// PyTorch's AdamW decays first, on θ_{t-1}; the two differ by O(lr²·λ) per step. The decay
// never enters m or v (unlike Adam's coupled weight_decay).
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdamWAfterOptions {
  TG_OPTIONS(AdamWAfterOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 1e-2;
};

struct AdamWAfterState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;  // m, v
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class AdamWAfter : public BasicOptimizer<AdamWAfterOptions, AdamWAfterState, AdamWAfter> {
 public:
  static constexpr const char* kName = "adamw_after";
  static constexpr const char* kSummary =
      "AdamW with the decoupled decay after the Adam step";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdamWAfterState& state, const AdamWAfterOptions& o) override;
};

// Instantiated once, in adamw_after.cpp.
extern template class BasicOptimizer<AdamWAfterOptions, AdamWAfterState, AdamWAfter>;

}  // namespace tg::optim
