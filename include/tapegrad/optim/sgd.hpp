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
  double lr = kRequired;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("momentum", momentum);
    v("dampening", dampening);
    v("weight_decay", weight_decay);
    v("nesterov", nesterov);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

struct SGDState {
  Tensor momentum_buffer;
  template <class V>
  void visit(V& v) {
    v("momentum_buffer", momentum_buffer);
  }
};

class SGD : public BasicOptimizer<SGDOptions, SGDState> {
 public:
  SGD(std::vector<Tensor> params, SGDOptions options) : SGD({{std::move(params), options}}) {}
  explicit SGD(std::vector<ParamGroup> groups) : BasicOptimizer("sgd", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, SGDState& state, const SGDOptions& o) override;
};

// Instantiated once, in sgd.cpp.
extern template class BasicOptimizer<SGDOptions, SGDState>;

}  // namespace tg::optim
