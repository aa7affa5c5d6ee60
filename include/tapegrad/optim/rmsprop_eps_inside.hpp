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
  double lr = 1e-3;
  double rho = 0.9;
  double eps = 1e-8;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("rho", rho);
    v("eps", eps);
  }
  void validate(const char* optimizer) const;
};

struct RMSpropEpsInsideState {
  Tensor square_avg;  // E
  template <class V>
  void visit(V& v) {
    v("square_avg", square_avg);
  }
};

class RMSpropEpsInside : public BasicOptimizer<RMSpropEpsInsideOptions, RMSpropEpsInsideState> {
 public:
  RMSpropEpsInside(std::vector<Tensor> params, RMSpropEpsInsideOptions options = {})
      : RMSpropEpsInside({{std::move(params), options}}) {}
  explicit RMSpropEpsInside(std::vector<ParamGroup> groups) : BasicOptimizer("rmsprop_eps_inside", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, RMSpropEpsInsideState& state,
              const RMSpropEpsInsideOptions& o) override;
};

// Instantiated once, in rmsprop_eps_inside.cpp.
extern template class BasicOptimizer<RMSpropEpsInsideOptions, RMSpropEpsInsideState>;

}  // namespace tg::optim
