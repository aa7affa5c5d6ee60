// Adamax (torch.optim.Adamax; canonical name "adamax"). Kingma & Ba (2015), "Adam: A Method
// for Stochastic Optimization", ICLR, Section 7.1, Algorithm 2, with PyTorch's placement of ε.
//
//   options: lr, betas (β1, β2), eps ε, weight_decay λ, maximize
//   state: t = 0, m = 0 (exp_avg), u = 0 (exp_inf)
//   each step:
//     t ← t + 1;  g ← ∇f(θ);  if maximize: g ← −g
//     if λ ≠ 0:  g ← g + λθ                        (coupled L2)
//     m ← β1·m + (1 − β1)·g
//     u ← max(β2·u, |g| + ε)                       (ε INSIDE the max)
//     θ ← θ − (lr / (1 − β1ᵗ))·m / u              (no ε in the denominator)
//
// Adam with the L2 norm of past gradients replaced by the L∞ norm: u needs no bias
// correction. Differs from AdamaxTextbook (u ← max(β2·u, |g|), denominator u + ε).
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdamaxOptions {
  double lr = 2e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("betas", betas);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

struct AdamaxState {
  int64_t step = 0;
  Tensor exp_avg, exp_inf;
  template <class V>
  void visit(V& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_inf", exp_inf);
  }
};

class Adamax : public BasicOptimizer<AdamaxOptions, AdamaxState> {
 public:
  Adamax(std::vector<Tensor> params, AdamaxOptions options = {}) : Adamax({{std::move(params), options}}) {}
  explicit Adamax(std::vector<ParamGroup> groups) : BasicOptimizer("adamax", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, AdamaxState& state, const AdamaxOptions& o) override;
};

// Instantiated once, in adamax.cpp.
extern template class BasicOptimizer<AdamaxOptions, AdamaxState>;

}  // namespace tg::optim
