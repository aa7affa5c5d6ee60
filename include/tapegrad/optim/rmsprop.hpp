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
  TG_OPTIONS(RMSpropOptions);
  TG_OPTION(double, lr, check::lr) = 1e-2;
  TG_OPTION(double, alpha, check::unit_interval) = 0.99;
  TG_OPTION(double, eps, check::positive) = 1e-8;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(double, momentum, check::unit_interval) = 0.0;
  TG_OPTION(bool, centered, check::any) = false;
  TG_OPTION(bool, maximize, check::any) = false;
};

struct RMSpropState {
  int64_t step = 0;
  Tensor square_avg, grad_avg, momentum_buffer;
  void visit(auto& v) {
    v("step", step);
    v("square_avg", square_avg);
    v("grad_avg", grad_avg);
    v("momentum_buffer", momentum_buffer);
  }
};

class RMSprop : public BasicOptimizer<RMSpropOptions, RMSpropState, RMSprop> {
 public:
  static constexpr const char* kName = "rmsprop";
  static constexpr const char* kSummary =
      "RMSprop, optionally centered and with momentum, eps outside the root";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, RMSpropState& state, const RMSpropOptions& o) override;
};

// Instantiated once, in rmsprop.cpp.
extern template class BasicOptimizer<RMSpropOptions, RMSpropState, RMSprop>;

}  // namespace tg::optim
