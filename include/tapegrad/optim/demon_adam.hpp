// Demon Adam: the Demon momentum schedule applied to Adam's β1. Chen, Wolfe, Li & Kyrillidis,
// "Demon: Improved Neural Network Training with Momentum Decay", arXiv 1910.04952, Algorithm 2
// (canonical name "demon_adam"). The oracle has no trajectories for it; the reference is
// tests/reference/demon_adam_reference.py, an independent NumPy version of the rule below.
//
//   options: lr (required), beta_init β₀ = 0.9, beta2 β2 = 0.999, eps ε = 1e-8, T (required)
//   each step (t = 1, 2, ...; k = t − 1 zero-based, as in demon_sgdm):
//     β_k ← β₀·(1 − k/T) / ((1 − β₀) + β₀·(1 − k/T))      (demon_beta: 0 from k = T on)
//     m ← g + β_k·m                          (Algorithm 2's sum form: no (1 − β) factor)
//     v ← β2·v + (1 − β2)·g²
//     v̂ ← v / (1 − β2ᵗ)
//     θ ← θ − lr·m / (√v̂ + ε)
//
// Which variant: Algorithm 2 ends with θ_t = θ_{t−1} − η·m̂_t/(√v̂_t + ε) but does not define
// the hats. Here v̂ is Adam's bias correction of v, and m is NOT corrected (m̂ = m). Why:
// v is Adam's EMA started at zero and carries Adam's start-up bias (uncorrected, the first
// step would be lr/√(1 − β2) ≈ 31.6·lr); m is a plain weighted sum with m_1 = g_1, which has
// no zero-start bias, and Adam's 1/(1 − β1ᵗ) belongs to an EMA with a constant β1 (on this
// sum it would make the first step 1/(1 − β₀) = 10 times Adam's). So the first step is Adam's,
// lr·g/(|g| + ε); later the momentum lengthens steps by up to 1/(1 − β_k), a factor the
// schedule brings down to 1 at k = T, just as for demon_sgdm. Past T (outside the paper's
// loop over t = 0..T) β is 0 and the rule is Adam without momentum (RMSprop, corrected).
#pragma once

#include <cstdint>

#include "tapegrad/optim/momentum.hpp"
#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct DemonAdamOptions {
  TG_OPTIONS(DemonAdamOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, beta_init, check::unit_interval) = 0.9;
  TG_OPTION(double, beta2, check::unit_interval) = 0.999;
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(int64_t, T, check_demon_T) = 0;  // required: the total number of steps (0 = not given)
};

struct DemonAdamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;  // m, v
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class DemonAdam : public BasicOptimizer<DemonAdamOptions, DemonAdamState, DemonAdam> {
 public:
  static constexpr const char* kName = "demon_adam";
  static constexpr const char* kSummary =
      "Adam with beta1 decaying from beta_init to 0 over T steps (Demon)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, DemonAdamState& state, const DemonAdamOptions& o) override;
};

// Instantiated once, in demon_adam.cpp.
extern template class BasicOptimizer<DemonAdamOptions, DemonAdamState, DemonAdam>;

}  // namespace tg::optim
