// Nesterov's accelerated gradient in look-ahead form (Sutskever, Martens, Dahl & Hinton 2013;
// canonical name "nesterov_lookahead").
//
//   options: lr (required), gamma γ = 0.9
//   each step:
//     g ← ∇f(θ_{t-1} − γ·v)                 (the gradient at the look-ahead point)
//     v ← γ·v + lr·g
//     θ ← θ − v
//
// The gradient is taken away from θ, so step() needs the closure: it moves every parameter
// to θ − γ·v, calls the closure (which clears the gradients, evaluates the loss and calls
// backward()), puts the saved values of θ back exactly, then updates v and θ. step() without
// a closure throws tg::ValueError. SGD(nesterov = true) is a different parametrisation
// (gradient at θ, d = g + μ·buf) and follows a different trajectory; HeavyBall is this rule
// with the gradient at θ.
#pragma once

#include <vector>

#include "tapegrad/optim/momentum.hpp"
#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct NesterovLookaheadOptions {
  TG_OPTIONS(NesterovLookaheadOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, gamma, check::unit_interval) = 0.9;
};

class NesterovLookahead : public BasicOptimizer<NesterovLookaheadOptions, VelocityState> {
 public:
  static constexpr const char* kName = "nesterov_lookahead";
  static constexpr const char* kSummary =
      "Nesterov momentum with the gradient at the look-ahead point (needs a closure)";
  NesterovLookahead(std::vector<Tensor> params, NesterovLookaheadOptions options)
      : NesterovLookahead({{std::move(params), options}}) {}
  explicit NesterovLookahead(std::vector<ParamGroup> groups)
      : BasicOptimizer(kName, std::move(groups)) {}

  using Optimizer::step;
  Tensor step(const Closure& closure) override;

 protected:
  void update(Tensor& param, const Tensor& grad, VelocityState& state, const NesterovLookaheadOptions& o) override;

 private:
  /// Copies `saved` (the values of every parameter, in parameters() order) back.
  void restore(const std::vector<std::vector<double>>& saved);
};

// Instantiated once, in nesterov_lookahead.cpp.
extern template class BasicOptimizer<NesterovLookaheadOptions, VelocityState>;

}  // namespace tg::optim
