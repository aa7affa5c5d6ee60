// L-BFGS (torch.optim.LBFGS of PyTorch 1.13, itself a port of minFunc; canonical name "lbfgs").
// One step() runs up to max_iter quasi-Newton iterations and calls the closure several times;
// it treats all parameters as one flat vector θ (parameters without a gradient count as 0).
//
//   options: lr = 1, max_iter = 20, max_eval = 0 (0: max_iter·5/4, PyTorch's None),
//            tolerance_grad = 1e-7, tolerance_change = 1e-9, history_size = 100,
//            line_search_fn = "" (fixed step) or "strong_wolfe"
//   a step: f, g ← closure();  stop if max|g| ≤ tolerance_grad
//   each iteration (n counts iterations over all steps):
//     n = 1:  d ← −g, no history, H_diag ← 1
//     else:   y ← g − g_prev, s ← t·d;  if yᵀs > 1e-10: append (y, s, ρ = 1/yᵀs) to the
//             history (dropping the oldest beyond history_size), H_diag ← yᵀs / yᵀy
//             d ← −H g by the two-loop recursion over the history, H₀ = H_diag·I
//     t ← min(1, 1/Σ|g|)·lr on the very first iteration, else lr
//     stop if gᵀd > −tolerance_change
//     strong_wolfe: t, f, g ← the strong Wolfe line search along d (c1 = 1e-4, c2 = 0.9,
//                   25 evaluations at most, cubic interpolation), then θ ← θ + t·d
//     otherwise:    θ ← θ + t·d, and f, g ← closure() unless this is the last iteration
//     stop after max_iter iterations or max_eval evaluations, or if max|g| ≤ tolerance_grad,
//     max|t·d| ≤ tolerance_change or |f − f_prev| < tolerance_change
//
// step() returns the loss of its first closure call. The state (history, d, t, previous
// loss and gradient, counters) is kept once, with the first parameter, as in PyTorch; one
// parameter group only.
#pragma once

#include <string>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

/// "" or "strong_wolfe".
void check_line_search_fn(const char* optimizer, const char* option, const std::string& value);

struct LBFGSOptions {
  TG_OPTIONS(LBFGSOptions);
  TG_OPTION(double, lr, check::lr) = 1.0;
  TG_OPTION(int64_t, max_iter, check::positive) = 20;
  TG_OPTION(int64_t, max_eval, check::non_negative) = 0;  // 0: max_iter * 5 / 4
  TG_OPTION(double, tolerance_grad, check::non_negative) = 1e-7;
  TG_OPTION(double, tolerance_change, check::non_negative) = 1e-9;
  TG_OPTION(int64_t, history_size, check::positive) = 100;
  TG_OPTION(std::string, line_search_fn, check_line_search_fn) = "";  // or "strong_wolfe"
};

struct LBFGSState {
  int64_t func_evals = 0;  // closure calls, over all steps
  int64_t n_iter = 0;      // iterations, over all steps
  Tensor d;                // the last direction
  double t = 0.0;          // the last step length
  std::vector<Tensor> old_dirs, old_stps, ro;  // history: y, s and 1/yᵀs (0-d tensors)
  double H_diag = 1.0;
  Tensor prev_flat_grad;
  double prev_loss = 0.0;
  void visit(auto& v) {
    v("func_evals", func_evals);
    v("n_iter", n_iter);
    v("d", d);
    v("t", t);
    v("old_dirs", old_dirs);
    v("old_stps", old_stps);
    v("ro", ro);
    v("H_diag", H_diag);
    v("prev_flat_grad", prev_flat_grad);
    v("prev_loss", prev_loss);
  }
};

class LBFGS : public BasicOptimizer<LBFGSOptions, LBFGSState> {
 public:
  static constexpr const char* kName = "lbfgs";
  static constexpr const char* kSummary =
      "limited-memory BFGS with optional strong Wolfe line search (closure, PyTorch 1.13)";
  LBFGS(std::vector<Tensor> params, LBFGSOptions options = {}) : LBFGS({{std::move(params), options}}) {}
  /// Exactly one group (tg::ValueError otherwise).
  explicit LBFGS(std::vector<ParamGroup> groups);

  using Optimizer::step;
  /// Needs a closure (tg::ValueError without one).
  Tensor step(const Closure& closure) override;

  /// The state, kept with the first parameter.
  LBFGSState& lbfgs_state() { return state(0, 0); }

 protected:
  void update(Tensor& param, const Tensor& grad, LBFGSState& state, const LBFGSOptions& o) override;
  /// A loaded state is checked against the flat vector of all parameters (n values): with the
  /// first parameter, d and prev_flat_grad of shape (n,) (both there once n_iter > 0), and a
  /// history of as many y (old_dirs) and s (old_stps) of shape (n,) as 0-d ρ (ro); nothing
  /// with the others.
  void check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index, LBFGSState& loaded,
                          const LBFGSOptions& o) override;
};

// Instantiated once, in lbfgs.cpp.
extern template class BasicOptimizer<LBFGSOptions, LBFGSState>;

}  // namespace tg::optim
