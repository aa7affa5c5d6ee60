// Adafactor: Adam-like steps from a factored second moment (Shazeer & Stern 2018, "Adafactor:
// Adaptive Learning Rates with Sublinear Memory Cost", ICML, Algorithms 4 and 5 with the
// choices of Sections 5-7; canonical name "adafactor").
//
//   options: lr (only with relative_step = false), beta1 β1 = 0 (0 = no first moment),
//            clip_threshold d = 1, decay_rate c = −0.8, eps1 ε1 = 1e-30, eps2 ε2 = 1e-3,
//            relative_step = true
//   each step (t = 1, 2, ...), RMS(x) = √(mean(x²)) over the whole tensor:
//     β2ₜ ← 1 − tᶜ                                   (0 at t = 1: V starts as g² + ε1)
//     αₜ ← max(ε2, RMS(θ))·min(1e-2, 1/√t) if relative_step, else lr
//     G2 ← g² + ε1
//     2-D θ (n×m), factored:  R ← β2ₜ·R + (1 − β2ₜ)·(row sums of G2)       (n values)
//                             C ← β2ₜ·C + (1 − β2ₜ)·(column sums of G2)    (m values)
//                             U ← g / √(R Cᵀ / ΣR)
//     any other shape:        V ← β2ₜ·V + (1 − β2ₜ)·G2 ;  U ← g / √V
//     Û ← U / max(1, RMS(U)/d)                       (update clipping)
//     if β1 ≠ 0:  M ← β1·M + (1 − β1)·Û ;  Û ← M
//     θ ← θ − αₜ·Û
//
// No bias correction: the β2ₜ schedule plays its role. A matrix keeps n + m second-moment
// values instead of Adam's n·m. Options of other implementations (scale_parameter,
// warmup_init, a fixed first-step clip) are not part of this form.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdafactorOptions {
  TG_OPTIONS(AdafactorOptions);
  TG_OPTION(double, lr, check::any) = kRequired;  // must be given with relative_step = false, and only then
  TG_OPTION(double, beta1, check::unit_interval) = 0.0;
  TG_OPTION(double, clip_threshold, check::positive) = 1.0;
  TG_OPTION(double, decay_rate, check::range<-1.0, 0.0>) = -0.8;
  TG_OPTION(double, eps1, check::positive) = 1e-30;
  TG_OPTION(double, eps2, check::positive) = 1e-3;
  TG_OPTION(bool, relative_step, check::any) = true;
  /// lr is checked as a learning rate with relative_step = false, and must be absent with it.
  void extra_checks(const char* optimizer) const;
};

struct AdafactorState {
  int64_t step = 0;
  Tensor exp_avg_sq_row, exp_avg_sq_col;  // R and C, for 2-D parameters
  Tensor exp_avg_sq;                      // V, for the others
  Tensor exp_avg;                         // M, with beta1 ≠ 0
  void visit(auto& v) {
    v("step", step);
    v("exp_avg_sq_row", exp_avg_sq_row);
    v("exp_avg_sq_col", exp_avg_sq_col);
    v("exp_avg_sq", exp_avg_sq);
    v("exp_avg", exp_avg);
  }
};

class Adafactor : public BasicOptimizer<AdafactorOptions, AdafactorState, Adafactor> {
 public:
  static constexpr const char* kName = "adafactor";
  static constexpr const char* kSummary =
      "factored second moments (row and column sums), relative step, update clipping";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdafactorState& state, const AdafactorOptions& o) override;
};

// Instantiated once, in adafactor.cpp.
extern template class BasicOptimizer<AdafactorOptions, AdafactorState, Adafactor>;

}  // namespace tg::optim
