// SGD: gradient descent with PyTorch's momentum, dampening, Nesterov and coupled weight
// decay (torch.optim.SGD; canonical name "sgd").
//
//   options: lr (required), momentum μ, dampening τ, weight_decay λ, nesterov, maximize
//   each step:
//     g ← ∇f(θ);  if maximize: g ← −g
//     if λ ≠ 0:  g ← g + λθ                         (L2 in the gradient)
//     if μ ≠ 0:  buf ← g on the first step, else μ·buf + (1 − τ)·g
//                d ← g + μ·buf if nesterov, else buf
//     else:      d ← g
//     θ ← θ − lr·d
//
// Batch, stochastic and mini-batch gradient descent are all this update: they differ only
// in how many samples the loss behind g averages. The heavy-ball and EMA forms of momentum
// and the look-ahead form of Nesterov are HeavyBall, MomentumEMA and NesterovLookahead.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct SGDOptions {
  TG_OPTIONS(SGDOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, momentum, check::non_negative) = 0.0;
  TG_OPTION(double, dampening, check::non_negative) = 0.0;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(bool, nesterov, check::any) = false;
  TG_OPTION(bool, maximize, check::any) = false;
  /// nesterov = true needs momentum > 0 and dampening = 0.
  void extra_checks(const char* optimizer) const;
};

struct SGDState {
  Tensor momentum_buffer;
  void visit(auto& v) { v("momentum_buffer", momentum_buffer); }
};

class SGD : public BasicOptimizer<SGDOptions, SGDState, SGD> {
 public:
  static constexpr const char* kName = "sgd";
  static constexpr const char* kSummary =
      "gradient descent with PyTorch's momentum, dampening and Nesterov";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, SGDState& state, const SGDOptions& o) override;
};

// Instantiated once, in sgd.cpp.
extern template class BasicOptimizer<SGDOptions, SGDState, SGD>;

}  // namespace tg::optim
