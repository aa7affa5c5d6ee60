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

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct LionOptions {
  double lr = 1e-4;
  std::array<double, 2> betas{0.9, 0.99};
  double weight_decay = 0.0;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("betas", betas);
    v("weight_decay", weight_decay);
  }
  void validate(const char* optimizer) const;
};

struct LionState {
  Tensor exp_avg;  // m
  template <class V>
  void visit(V& v) {
    v("exp_avg", exp_avg);
  }
};

class Lion : public BasicOptimizer<LionOptions, LionState> {
 public:
  Lion(std::vector<Tensor> params, LionOptions options = {}) : Lion({{std::move(params), options}}) {}
  explicit Lion(std::vector<ParamGroup> groups) : BasicOptimizer("lion", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, LionState& state, const LionOptions& o) override;
};

// Instantiated once, in lion.cpp.
extern template class BasicOptimizer<LionOptions, LionState>;

}  // namespace tg::optim
