// LARS: momentum SGD with a layer-wise learning rate (You, Gitman & Ginsburg 2017, "Large
// Batch Training of Convolutional Networks", arXiv 1708.03888, Algorithm 1; canonical name
// "lars"). One layer is one whole parameter tensor.
//
//   options: lr (required), momentum μ = 0.9, trust_coef η = 0.001, weight_decay λ = 5e-4
//   each step:
//     local_lr ← η·‖θ‖ / (‖g‖ + λ·‖θ‖)             (1 if ‖θ‖ or ‖g‖ is 0)
//     v ← μ·v + lr·local_lr·(g + λθ)
//     θ ← θ − v
//
// From θ = 0 the first step is a plain lr·g step. The velocity holds lr like heavy_ball's;
// LAMB applies the same kind of trust ratio to Adam's direction.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct LarsOptions {
  TG_OPTIONS(LarsOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, momentum, check::unit_interval) = 0.9;
  TG_OPTION(double, trust_coef, check::positive) = 0.001;
  TG_OPTION(double, weight_decay, check::non_negative) = 5e-4;
};

struct LarsState {
  Tensor velocity;
  void visit(auto& v) { v("velocity", velocity); }
};

class Lars : public BasicOptimizer<LarsOptions, LarsState, Lars> {
 public:
  static constexpr const char* kName = "lars";
  static constexpr const char* kSummary =
      "momentum SGD with a layer-wise learning rate trust_coef*||w||/(||g|| + wd*||w||)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, LarsState& state, const LarsOptions& o) override;
};

// Instantiated once, in lars.cpp.
extern template class BasicOptimizer<LarsOptions, LarsState, Lars>;

}  // namespace tg::optim
