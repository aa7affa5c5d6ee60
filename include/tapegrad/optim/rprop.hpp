// Rprop (torch.optim.Rprop; canonical name "rprop"). Riedmiller & Braun (1993), "A Direct
// Adaptive Method for Faster Backpropagation Learning: The RPROP Algorithm", IEEE ICNN; the
// variant without weight backtracking (Rprop⁻ in Igel & Hüsken 2000), as in PyTorch.
//
//   options: lr (the initial step size), etas (η⁻, η⁺), step_sizes (s_min, s_max), maximize
//            (no weight decay in 1.13)
//   state: prev = 0, step filled with lr (per coordinate)
//   each step:
//     g ← ∇f(θ);  if maximize: g ← −g
//     s ← sign(g·prev)
//     step ← clip(step · (η⁺ if s > 0, η⁻ if s < 0, 1 if s = 0), s_min, s_max)
//     g ← 0 where s < 0                           (after a sign change: no move this step)
//     θ ← θ − sign(g)·step
//     prev ← g                                    (the zeroed g: the next step sees s = 0)
//
// Only the sign of the gradient is used; the magnitude of each coordinate's move is its own
// step size, grown while the sign persists and shrunk when it flips.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct RpropOptions {
  double lr = 1e-2;
  std::array<double, 2> etas{0.5, 1.2};
  std::array<double, 2> step_sizes{1e-6, 50.0};
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("etas", etas);
    v("step_sizes", step_sizes);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

struct RpropState {
  int64_t step = 0;
  Tensor prev, step_size;
  template <class V>
  void visit(V& v) {
    v("step", step);
    v("prev", prev);
    v("step_size", step_size);
  }
};

class Rprop : public BasicOptimizer<RpropOptions, RpropState> {
 public:
  Rprop(std::vector<Tensor> params, RpropOptions options = {}) : Rprop({{std::move(params), options}}) {}
  explicit Rprop(std::vector<ParamGroup> groups) : BasicOptimizer("rprop", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, RpropState& state, const RpropOptions& o) override;
};

// Instantiated once, in rprop.cpp.
extern template class BasicOptimizer<RpropOptions, RpropState>;

}  // namespace tg::optim
