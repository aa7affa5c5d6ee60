// Adam in the "more efficient" order of Kingma & Ba (2015), Section 2, last paragraph
// (canonical name "adam_efficient").
//
//   options: lr = 0.001, betas (β1, β2) = (0.9, 0.999), eps ε = 1e-8
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g
//     v ← β2·v + (1 − β2)·g²
//     a_t ← lr·√(1 − β2ᵗ) / (1 − β1ᵗ)
//     θ ← θ − a_t·m / (√v + ε)               (ε on the UNcorrected √v)
//
// This is Adam (θ ← θ − lr·m̂/(√v̂ + ε)) with a step-dependent ε of ε/√(1 − β2ᵗ), so the two
// agree only while ε is negligible next to √v̂ (31.6·ε at t = 1 for β2 = 0.999).
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdamEfficientOptions {
  TG_OPTIONS(AdamEfficientOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct AdamEfficientState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;  // m, v
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class AdamEfficient : public BasicOptimizer<AdamEfficientOptions, AdamEfficientState, AdamEfficient> {
 public:
  static constexpr const char* kName = "adam_efficient";
  static constexpr const char* kSummary =
      "Adam in Kingma & Ba's efficient order: eps on the uncorrected sqrt(v)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdamEfficientState& state, const AdamEfficientOptions& o) override;
};

// Instantiated once, in adam_efficient.cpp.
extern template class BasicOptimizer<AdamEfficientOptions, AdamEfficientState, AdamEfficient>;

}  // namespace tg::optim
