// LAMB: Adam's direction scaled by a layer-wise trust ratio (You et al. 2020, "Large Batch
// Optimization for Deep Learning: Training BERT in 76 minutes", Algorithm 2 with φ = identity;
// canonical name "lamb"). One layer is one whole parameter tensor.
//
//   options: lr (required), betas (β1, β2) = (0.9, 0.999), eps ε = 1e-6, weight_decay λ = 0.01
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g²
//     m̂ ← m / (1 − β1ᵗ) ;  v̂ ← v / (1 − β2ᵗ)
//     r ← m̂ / (√v̂ + ε) + λ·θ                       (decoupled decay, added to the direction)
//     trust ← ‖θ‖ / ‖r‖                             (1 if either norm is 0)
//     θ ← θ − lr·trust·r
//
// Every step moves θ by lr·‖θ‖ (lr·‖r‖ from θ = 0): the step length follows the size of the
// weights, not of the gradient. Adam is this without the trust ratio (and with the decay in
// the gradient); LARS is the same idea on plain momentum SGD.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct LambOptions {
  TG_OPTIONS(LambOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-6;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.01;
};

struct LambState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class Lamb : public BasicOptimizer<LambOptions, LambState, Lamb> {
 public:
  static constexpr const char* kName = "lamb";
  static constexpr const char* kSummary =
      "Adam's direction scaled by the layer-wise trust ratio ||theta||/||r||";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, LambState& state, const LambOptions& o) override;
};

// Instantiated once, in lamb.cpp.
extern template class BasicOptimizer<LambOptions, LambState, Lamb>;

}  // namespace tg::optim
