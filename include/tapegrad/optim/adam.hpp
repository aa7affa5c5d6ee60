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
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("betas", betas);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("amsgrad", amsgrad);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

/// AdamW's options: Adam's, with PyTorch's default weight decay 0.01.
struct AdamWOptions {
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("betas", betas);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("amsgrad", amsgrad);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

struct AdamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;
  template <class V>
  void visit(V& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
    v("max_exp_avg_sq", max_exp_avg_sq);
  }
};

class Adam : public BasicOptimizer<AdamOptions, AdamState> {
 public:
  Adam(std::vector<Tensor> params, AdamOptions options = {}) : Adam({{std::move(params), options}}) {}
  explicit Adam(std::vector<ParamGroup> groups) : BasicOptimizer("adam", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, AdamState& state, const AdamOptions& o) override;
};

class AdamW : public BasicOptimizer<AdamWOptions, AdamState> {
 public:
  AdamW(std::vector<Tensor> params, AdamWOptions options = {}) : AdamW({{std::move(params), options}}) {}
  explicit AdamW(std::vector<ParamGroup> groups) : BasicOptimizer("adamw", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, AdamState& state, const AdamWOptions& o) override;
};

// Instantiated once, in adam.cpp.
extern template class BasicOptimizer<AdamOptions, AdamState>;
extern template class BasicOptimizer<AdamWOptions, AdamState>;

}  // namespace tg::optim
