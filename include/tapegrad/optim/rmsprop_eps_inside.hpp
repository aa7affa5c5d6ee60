// RMSprop with ε inside the square root: Tieleman & Hinton (2012), Lecture 6.5, as written in
// Ruder (2016) (canonical name "rmsprop_eps_inside").
//
//   options: lr = 0.001, rho ρ = 0.9, eps ε = 1e-8
//   each step:
//     E ← ρ·E + (1 − ρ)·g²
//     θ ← θ − lr·g / √(E + ε)               (ε INSIDE the root)
//
// PyTorch's RMSprop puts ε outside (√E + ε), calls ρ alpha (default 0.99) and adds the
// centered and momentum options. Neither form corrects the zero start of E.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct RMSpropEpsInsideOptions {
  TG_OPTIONS(RMSpropEpsInsideOptions);
  TG_OPTION(double, lr, check::lr) = 1e-3;
  TG_OPTION(double, rho, check::unit_interval) = 0.9;
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct RMSpropEpsInsideState {
  Tensor square_avg;  // E
  void visit(auto& v) { v("square_avg", square_avg); }
};

class RMSpropEpsInside : public BasicOptimizer<RMSpropEpsInsideOptions, RMSpropEpsInsideState, RMSpropEpsInside> {
 public:
  static constexpr const char* kName = "rmsprop_eps_inside";
  static constexpr const char* kSummary =
      "RMSprop with eps inside the square root (Hinton's lecture)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, RMSpropEpsInsideState& state,
              const RMSpropEpsInsideOptions& o) override;
};

// Instantiated once, in rmsprop_eps_inside.cpp.
extern template class BasicOptimizer<RMSpropEpsInsideOptions, RMSpropEpsInsideState, RMSpropEpsInside>;

}  // namespace tg::optim
