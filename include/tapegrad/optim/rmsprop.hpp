// RMSprop (torch.optim.RMSprop; canonical name "rmsprop"). Tieleman & Hinton (2012), Coursera
// "Neural Networks for Machine Learning", Lecture 6.5; the centered variant from Graves
// (2013), "Generating Sequences With Recurrent Neural Networks", arXiv 1308.0850, Eq. 38-45.
//
//   options: lr, alpha α, eps ε, weight_decay λ, momentum μ, centered, maximize
//   state: v = 0 (square_avg), ḡ = 0 (grad_avg, centered only), buf = 0 (momentum only)
//   each step:
//     g ← ∇f(θ);  if maximize: g ← −g
//     if λ ≠ 0:  g ← g + λθ                        (coupled L2)
//     v ← α·v + (1 − α)·g²
//     centered:  ḡ ← α·ḡ + (1 − α)·g;  a ← √(v − ḡ²) + ε
//     else:      a ← √v + ε                        (ε OUTSIDE the root)
//     if μ > 0:  buf ← μ·buf + g/a;  θ ← θ − lr·buf
//     else:      θ ← θ − lr·g/a
//
// No bias correction: with α = 0.99 the first step is 10·lr per coordinate. The momentum
// buffer starts at zero and accumulates g/a (SGD's copies g on its first step). Differs from
// RMSpropEpsInside (√(E + ε), ρ = 0.9) in where ε sits; Adagrad sums g² instead of averaging.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct RMSpropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum = 0.0;
  bool centered = false;
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("alpha", alpha);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("momentum", momentum);
    v("centered", centered);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

struct RMSpropState {
  int64_t step = 0;
  Tensor square_avg, grad_avg, momentum_buffer;
  template <class V>
  void visit(V& v) {
    v("step", step);
    v("square_avg", square_avg);
    v("grad_avg", grad_avg);
    v("momentum_buffer", momentum_buffer);
  }
};

class RMSprop : public BasicOptimizer<RMSpropOptions, RMSpropState> {
 public:
  RMSprop(std::vector<Tensor> params, RMSpropOptions options = {}) : RMSprop({{std::move(params), options}}) {}
  explicit RMSprop(std::vector<ParamGroup> groups) : BasicOptimizer("rmsprop", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, RMSpropState& state, const RMSpropOptions& o) override;
};

// Instantiated once, in rmsprop.cpp.
extern template class BasicOptimizer<RMSpropOptions, RMSpropState>;

}  // namespace tg::optim
