// Nadam with a constant β1: Dozat (2016), "Incorporating Nesterov Momentum into Adam", in the
// simplified form of Ruder (2016) (canonical name "nadam_simplified").
//
//   options: lr = 0.002, betas (β1, β2) = (0.9, 0.999), eps ε = 1e-8
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g
//     v ← β2·v + (1 − β2)·g²
//     m̂ ← m / (1 − β1ᵗ);  v̂ ← v / (1 − β2ᵗ)
//     θ ← θ − lr·(β1·m̂ + (1 − β1)·g / (1 − β1ᵗ)) / (√v̂ + ε)
//
// The look-ahead uses the CURRENT m̂_t; the first step is lr·(1 + β1)·sign(g). PyTorch's NAdam
// adds the μ schedule (momentum_decay) and products of μ in the corrections.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct NAdamSimplifiedOptions {
  TG_OPTIONS(NAdamSimplifiedOptions);
  TG_OPTION(double, lr, check::lr) = 2e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct NAdamSimplifiedState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;  // m, v
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class NAdamSimplified : public BasicOptimizer<NAdamSimplifiedOptions, NAdamSimplifiedState, NAdamSimplified> {
 public:
  static constexpr const char* kName = "nadam_simplified";
  static constexpr const char* kSummary =
      "Nadam with a constant beta1 (Ruder's form)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, NAdamSimplifiedState& state, const NAdamSimplifiedOptions& o) override;
};

// Instantiated once, in nadam_simplified.cpp.
extern template class BasicOptimizer<NAdamSimplifiedOptions, NAdamSimplifiedState, NAdamSimplified>;

}  // namespace tg::optim
