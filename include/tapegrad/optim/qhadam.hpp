// QHAdam, quasi-hyperbolic Adam: Ma & Yarats (2019), "Quasi-hyperbolic momentum and Adam for
// deep learning" (canonical name "qhadam").
//
//   options: lr (required), betas (β1, β2) = (0.995, 0.999), nus (ν1, ν2) = (0.7, 1.0), eps ε = 1e-8
//   each step (t = 1, 2, ...):
//     g1 ← β1·g1 + (1 − β1)·g;  g2 ← β2·g2 + (1 − β2)·g²
//     ĝ1 ← g1 / (1 − β1ᵗ);  ĝ2 ← g2 / (1 − β2ᵗ)
//     θ ← θ − lr·((1 − ν1)·g + ν1·ĝ1) / (√((1 − ν2)·g² + ν2·ĝ2) + ε)
//
// Each moment is mixed with the plain gradient: nus = (1, 1) is Adam (bias-corrected, ε
// outside the root, equal up to rounding); QHM is the same idea for SGD with momentum.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct QHAdamOptions {
  TG_OPTIONS(QHAdamOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.995, 0.999};
  TG_OPTION(Betas, nus, check::range<0.0, 1.0>) = {0.7, 1.0};
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct QHAdamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq;  // g1, g2
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_avg_sq", exp_avg_sq);
  }
};

class QHAdam : public BasicOptimizer<QHAdamOptions, QHAdamState, QHAdam> {
 public:
  static constexpr const char* kName = "qhadam";
  static constexpr const char* kSummary =
      "quasi-hyperbolic Adam: nu-mixes of the gradient and Adam's moments";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, QHAdamState& state, const QHAdamOptions& o) override;
};

// Instantiated once, in qhadam.cpp.
extern template class BasicOptimizer<QHAdamOptions, QHAdamState, QHAdam>;

}  // namespace tg::optim
