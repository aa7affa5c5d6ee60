// AMSGrad as the lessons write it: Reddi, Kale & Kumar (2018), "On the Convergence of Adam and
// Beyond", Algorithm 2, with the first moment bias-corrected and the second not (canonical
// name "amsgrad_nobc2").
//
//   options: lr (required), betas (β1, β2) = (0.9, 0.999), eps ε = 1e-8
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g
//     v ← β2·v + (1 − β2)·g²
//     v̂ ← max(v̂, v)                          (the running maximum of the raw v)
//     θ ← θ − lr·(m / (1 − β1ᵗ)) / (√v̂ + ε)
//
// Adam(amsgrad = true) divides √v̂ by √(1 − β2ᵗ); without that correction the early steps
// are 1/√(1 − β2ᵗ) times larger (31.6·lr at t = 1 for β2 = 0.999). The paper's algorithm
// corrects neither moment.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AMSGradOptions {
  TG_OPTIONS(AMSGradOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct AMSGradState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;  // m, v, v̂
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
    v("max_exp_avg_sq", max_exp_avg_sq);
  }
};

class AMSGrad : public BasicOptimizer<AMSGradOptions, AMSGradState, AMSGrad> {
 public:
  static constexpr const char* kName = "amsgrad_nobc2";
  static constexpr const char* kSummary =
      "AMSGrad with m bias-corrected and the running max of v not";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AMSGradState& state, const AMSGradOptions& o) override;
};

// Instantiated once, in amsgrad.cpp.
extern template class BasicOptimizer<AMSGradOptions, AMSGradState, AMSGrad>;

}  // namespace tg::optim
