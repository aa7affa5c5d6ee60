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
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("betas", betas);
    v("eps", eps);
  }
  void validate(const char* optimizer) const;
};

struct AdamEfficientState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;  // m, v
  template <class V>
  void visit(V& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class AdamEfficient : public BasicOptimizer<AdamEfficientOptions, AdamEfficientState> {
 public:
  AdamEfficient(std::vector<Tensor> params, AdamEfficientOptions options = {})
      : AdamEfficient({{std::move(params), options}}) {}
  explicit AdamEfficient(std::vector<ParamGroup> groups) : BasicOptimizer("adam_efficient", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, AdamEfficientState& state, const AdamEfficientOptions& o) override;
};

// Instantiated once, in adam_efficient.cpp.
extern template class BasicOptimizer<AdamEfficientOptions, AdamEfficientState>;

}  // namespace tg::optim
