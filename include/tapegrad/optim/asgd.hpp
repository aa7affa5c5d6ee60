// ASGD, averaged stochastic gradient descent (torch.optim.ASGD; canonical name "asgd").
// Polyak & Juditsky (1992), "Acceleration of Stochastic Approximation by Averaging", SIAM J.
// Control Optim. 30(4); the step-size schedule of Bottou (2012), "Stochastic Gradient Descent
// Tricks".
//
//   options: lr, lambd λ, alpha α, t0, weight_decay, maximize
//   state: t = 0, η = lr, μ = 1, ax = 0 (the Polyak average)
//   each step:
//     t ← t + 1;  g ← ∇f(θ);  if maximize: g ← −g
//     if weight_decay ≠ 0:  g ← g + weight_decay·θ      (coupled L2)
//     θ ← θ·(1 − λ·η)                                    (decay toward 0)
//     θ ← θ − η·g                                        (g taken at the old θ)
//     ax ← ax + μ·(θ − ax) if μ ≠ 1, else θ
//     η ← lr / (1 + λ·lr·t)^α                            (for the next step)
//     μ ← 1 / max(1, t − t0)
//
// The parameter follows plain SGD with a decaying step; the average ax is a separate output
// (averaged()), never written back. It equals θ until μ first drops below 1, i.e. through
// step t0 + 2 (with the default t0 = 1e6, for the whole of any short run).
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct ASGDOptions {
  TG_OPTIONS(ASGDOptions);
  TG_OPTION(double, lr, check::lr) = 1e-2;
  TG_OPTION(double, lambd, check::non_negative) = 1e-4;
  TG_OPTION(double, alpha, check::non_negative) = 0.75;
  TG_OPTION(double, t0, check::non_negative) = 1e6;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(bool, maximize, check::any) = false;
};

struct ASGDState {
  int64_t step = 0;
  double eta = 0.0;  // set to lr on the first step
  double mu = 1.0;
  Tensor ax;
  void visit(auto& v) {
    v("step", step);
    v("eta", eta);
    v("mu", mu);
    v("ax", ax);
  }
};

class ASGD : public BasicOptimizer<ASGDOptions, ASGDState, ASGD> {
 public:
  static constexpr const char* kName = "asgd";
  static constexpr const char* kSummary =
      "SGD with a decaying step and a Polyak average of the iterates";
  using BasicOptimizer::BasicOptimizer;

  /// The Polyak average of parameter `index` of group `group`, as a copy; before the
  /// parameter's first step, a copy of the parameter.
  Tensor averaged(std::size_t group, std::size_t index) const;

 protected:
  void update(Tensor& param, const Tensor& grad, ASGDState& state, const ASGDOptions& o) override;
};

// Instantiated once, in asgd.cpp.
extern template class BasicOptimizer<ASGDOptions, ASGDState, ASGD>;

}  // namespace tg::optim
