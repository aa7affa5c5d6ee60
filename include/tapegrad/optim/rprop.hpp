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

/// 0 < etas[0] < 1 < etas[1], finite.
void check_etas(const char* optimizer, const char* option, const Betas& etas);
/// 0 <= step_sizes[0] <= step_sizes[1].
void check_step_sizes(const char* optimizer, const char* option, const Betas& step_sizes);

struct RpropOptions {
  TG_OPTIONS(RpropOptions);
  TG_OPTION(double, lr, check::lr) = 1e-2;
  TG_OPTION(Betas, etas, check_etas) = {0.5, 1.2};
  TG_OPTION(Betas, step_sizes, check_step_sizes) = {1e-6, 50.0};
  TG_OPTION(bool, maximize, check::any) = false;
};

struct RpropState {
  int64_t step = 0;
  Tensor prev, step_size;
  void visit(auto& v) {
    v("step", step);
    v("prev", prev);
    v("step_size", step_size);
  }
};

class Rprop : public BasicOptimizer<RpropOptions, RpropState, Rprop> {
 public:
  static constexpr const char* kName = "rprop";
  static constexpr const char* kSummary =
      "resilient backpropagation: sign-based per-coordinate step sizes";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, RpropState& state, const RpropOptions& o) override;
};

// Instantiated once, in rprop.cpp.
extern template class BasicOptimizer<RpropOptions, RpropState, Rprop>;

}  // namespace tg::optim
