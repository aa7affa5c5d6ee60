// AdaBelief: Zhuang et al. (2020), "AdaBelief Optimizer: Adapting Stepsizes by the Belief in
// Observed Gradients", Algorithm 2, in the form of the authors' code: ε added to s once per
// step and again in the denominator; no rectification, no weight decay (canonical name
// "adabelief").
//
//   options: lr = 0.001, betas (β1, β2) = (0.9, 0.999), eps ε = 1e-16
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g
//     s ← β2·s + (1 − β2)·(g − m)² + ε        (with the NEW m)
//     m̂ ← m / (1 − β1ᵗ);  ŝ ← s / (1 − β2ᵗ)
//     θ ← θ − lr·m̂ / (√ŝ + ε)
//
// Adam with the EMA of (g − m)², the "belief" in the gradient, in place of the EMA of g².
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdaBeliefOptions {
  TG_OPTIONS(AdaBeliefOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-16;
};

struct AdaBeliefState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_var;  // m, s
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_var", exp_avg_var);
  }
};

class AdaBelief : public BasicOptimizer<AdaBeliefOptions, AdaBeliefState, AdaBelief> {
 public:
  static constexpr const char* kName = "adabelief";
  static constexpr const char* kSummary =
      "Adam with the EMA of (g - m)^2 as the second moment";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdaBeliefState& state, const AdaBeliefOptions& o) override;
};

// Instantiated once, in adabelief.cpp.
extern template class BasicOptimizer<AdaBeliefOptions, AdaBeliefState, AdaBelief>;

}  // namespace tg::optim
