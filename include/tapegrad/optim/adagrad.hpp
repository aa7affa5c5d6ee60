// Adagrad (torch.optim.Adagrad; canonical name "adagrad"). Duchi, Hazan & Singer (2011),
// "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization", JMLR 12.
//
//   options: lr, lr_decay, weight_decay λ, initial_accumulator_value S₀, eps ε, maximize
//   state: t = 0, S filled with S₀
//   each step:
//     t ← t + 1;  g ← ∇f(θ);  if maximize: g ← −g
//     if λ ≠ 0:  g ← g + λθ                      (coupled L2)
//     clr ← lr / (1 + (t − 1)·lr_decay)
//     S ← S + g²
//     θ ← θ − clr·g / (√S + ε)                   (ε OUTSIDE the root)
//
// The accumulator only grows, so the step size of every coordinate only shrinks. Differs from
// AdagradEpsInside (Ruder's √(G + ε), no lr_decay, no initial accumulator) in where ε sits;
// RMSprop replaces the sum by an exponential average.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdagradOptions {
  TG_OPTIONS(AdagradOptions);
  TG_OPTION(double, lr, check::lr) = 1e-2;
  TG_OPTION(double, lr_decay, check::non_negative) = 0.0;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(double, initial_accumulator_value, check::non_negative) = 0.0;
  TG_OPTION(double, eps, check::positive) = 1e-10;
  TG_OPTION(bool, maximize, check::any) = false;
};

struct AdagradState {
  int64_t step = 0;
  Tensor sum;
  void visit(auto& v) {
    v("step", step);
    v("sum", sum);
  }
};

class Adagrad : public BasicOptimizer<AdagradOptions, AdagradState, Adagrad> {
 public:
  static constexpr const char* kName = "adagrad";
  static constexpr const char* kSummary =
      "Adagrad: per-coordinate steps from the sum of squared gradients";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdagradState& state, const AdagradOptions& o) override;
};

// Instantiated once, in adagrad.cpp.
extern template class BasicOptimizer<AdagradOptions, AdagradState, Adagrad>;

}  // namespace tg::optim
