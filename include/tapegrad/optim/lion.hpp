// Lion: Chen et al. (2023), "Symbolic Discovery of Optimization Algorithms", Algorithm 2
// (canonical name "lion").
//
//   options: lr = 1e-4, betas (β1, β2) = (0.9, 0.99), weight_decay λ = 0
//   each step:
//     c ← β1·m + (1 − β1)·g                    (interpolation with the OLD m)
//     θ ← θ − lr·(sign(c) + λ·θ)               (decoupled decay on θ_{t-1}; sign(0) = 0)
//     m ← β2·m + (1 − β2)·g                    (momentum updated AFTER the step)
//
// Every coordinate moves by exactly lr (plus the decay), whatever the size of the gradient;
// the paper suggests an lr 3-10x smaller and a λ 3-10x larger than for AdamW.
#pragma once

#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

struct LionOptions {
  TG_OPTIONS(LionOptions);
  TG_OPTION(double, lr, check::lr) = 1e-4;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.99};
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
};

struct LionState {
  Tensor exp_avg;  // m
  void visit(auto& v) { v("exp_avg", exp_avg); }
};

class Lion : public BasicOptimizer<LionOptions, LionState, Lion> {
 public:
  static constexpr const char* kName = "lion";
  static constexpr const char* kSummary = "sign of an interpolated momentum, decoupled decay (evolved sign momentum)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, LionState& state, const LionOptions& o) override;
};

extern template class BasicOptimizer<LionOptions, LionState, Lion>;  // instantiated in lion.cpp

}  // namespace tg::optim
