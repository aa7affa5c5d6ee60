// YellowFin: momentum SGD whose lr and momentum μ are tuned at every step from measured
// curvature, gradient variance and distance to the optimum (Zhang & Mitliagkas, "YellowFin
// and the Art of Momentum Tuning", 2019), as the authors' PyTorch code does it (YFOptimizer
// of JianGoForIt/YellowFin_Pytorch, tuner_utils/yellowfin.py; canonical name "yellowfin").
// The statistics span all parameters at once, as if they were one vector.
//
//   options: lr = 1e-4 and mu = 0 (used at step 0 only), beta β = 0.999, curv_win_width
//            w = 20, zero_debias = true, clip_thresh = none, weight_decay = 0,
//            h_min_log_smooth = h_max_log_smooth = true, adapt_clip = true,
//            stat_protect_fac = 100, catastrophic_move_thresh = 100, auto_clip_fac = none,
//            sparsity_debias = false, force_non_inc_step = false;  ε = 1e-6
//   each step (t = 0, 1, ...; D = 1 − βᵗ⁺¹ with zero_debias, else 1;
//   clip(g, c): every g ← g·min(1, c / (‖g‖ + 1e-6)), torch's clip_grad_norm_):
//     g ← clip(g, clip_thresh), or clip(g, √h_max·auto_clip_fac) if t ≠ 0     (if set)
//     if adapt_clip and t > 1:  g ← clip(g, √(stat_protect_fac·h_max) + ε)
//     s ← Σg² ;  exploding ← t ≥ 1 and s ≥ h_max (the previous step's h_max)
//     s̄ ← β·s̄ + (1 − β)·s ;  W[t mod w] ← s       (the curvature window)
//     h_min ← exp(EMA_β(log(min W + ε)) / D)  (EMA_β(min W)/D without log smoothing); h_max alike
//     ḡ ← β·ḡ + (1 − β)·g ;  C ← max(s̄/D − ‖ḡ‖²/D², ε)                  (gradient variance)
//     n̄ ← β·n̄ + (1 − β)·√s ;  d̄ ← β·d̄ + (1 − β)·n̄/(s̄ + ε) ;  dist ← d̄/D
//     if t > 0:  the cubic, by Vieta's substitution:
//                P ← (dist + ε)²(h_min + ε)²/2/(C + ε) ;  ω ← ∛((−√(P² + 4P³/27) − P)/2)
//                x ← ω − P/3/(ω + ε) + 1 ;  r ← max((h_max + ε)/(h_min + ε), 1 + ε)
//                μ_t ← max(x², ((√r − 1)/(√r + 1))²)
//                lr_t ← (1 − √μ_t)²/(h_min + ε) ;  lr_t ← min(lr_t, lr_t·(t + 1)/(10w))   (slow start)
//     lr ← lr_t ;  if adapt_clip and lr·√s ≥ catastrophic_move_thresh: lr ← catastrophic_move_thresh/√(s + ε)
//     if adapt_clip and exploding:  g ← clip(g, √h_max + ε)   (the previous step's h_max)
//     torch's SGD step with momentum μ_t, lr and weight_decay:
//       d ← g + weight_decay·θ ;  b ← μ_t·b + d (b ← d the first time) ;  θ ← θ − lr·b
//
// Before step 1, lr_t and μ_t are the options lr and mu. sparsity_debias scales h_min,
// h_max and C by the debiased EMA ρ of the fraction of non-zero gradient entries, and dist
// by 1/(√ρ + ε); force_non_inc_step keeps the lr at the option's value for w steps, then
// takes the β-average of lr_t, capped so that lr·‖g‖ (both smoothed) stays under twice the
// smallest value it had, without the catastrophic-move clip (docs/optimizers.md gives both
// in full).
// Where the cubic's inputs or root are not finite, the step is undone: the parameters and the
// statistics return to the copy taken at the last step t with t mod 1000 = 0 (before its
// momentum step), every parameter + 1e-8, as the authors' code does. tuned_lr() and
// tuned_momentum() give the lr and μ of the last step.
#pragma once

#include <optional>
#include <vector>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct YellowFinOptions {
  TG_OPTIONS(YellowFinOptions);
  TG_OPTION(double, lr, check::lr) = 1e-4;
  TG_OPTION(double, mu, check::unit_interval) = 0.0;
  TG_OPTION(double, beta, check::unit_interval) = 0.999;
  TG_OPTION(int64_t, curv_win_width, check::positive) = 20;
  TG_OPTION(bool, zero_debias, check::any) = true;
  TG_OPTION(std::optional<double>, clip_thresh, check::positive) = std::nullopt;  // none: no fixed clipping
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(bool, h_min_log_smooth, check::any) = true;
  TG_OPTION(bool, h_max_log_smooth, check::any) = true;
  TG_OPTION(bool, adapt_clip, check::any) = true;
  TG_OPTION(double, stat_protect_fac, check::positive) = 100.0;
  TG_OPTION(double, catastrophic_move_thresh, check::positive) = 100.0;
  TG_OPTION(std::optional<double>, auto_clip_fac, check::positive) = std::nullopt;  // none: no clipping relative to √h_max
  TG_OPTION(bool, sparsity_debias, check::any) = false;
  TG_OPTION(bool, force_non_inc_step, check::any) = false;
};

/// Every parameter keeps grad_avg (ḡ) and momentum_buffer (b); the tuner's statistics, which
/// span all parameters, are kept with the first parameter (empty with the others).
struct YellowFinState {
  Tensor grad_avg, momentum_buffer;
  // The tuner (first parameter only). step is t, the number of steps taken.
  int64_t step = 0;
  double lr_t = 0.0, mu_t = 0.0;      // the tuned values (the options lr, mu before step 1)
  double sgd_lr = 0.0;                // the lr of the last momentum step (after the move clip)
  double lr_avg = 0.0, mu_avg = 0.0;  // β-EMAs of lr_t and μ_t (read by force_non_inc_step)
  double h_min = 0.0, h_max = 0.0, grad_var = 0.0, dist_to_opt = 0.0;
  double grad_norm_squared = 0.0;
  double grad_norm_squared_avg = 0.0, h_min_avg = 0.0, h_max_avg = 0.0;
  double grad_norm_avg = 0.0, dist_to_opt_avg = 0.0, sparsity_avg = 0.0;
  Tensor curv_win;                             // W: the last w values of ‖g‖²
  int64_t exploding = 0;                       // 1 while the exploding-gradient clip is on
  double exploding_clip_target = 0.0;          // √h_max of the step that detected it
  int64_t lr_grad_norm_steps = 0;              // force_non_inc_step: steps averaged so far
  double lr_grad_norm_avg = 0.0, lr_grad_norm_avg_min = 0.0, grad_norm_squared_avg_log = 0.0;
  void visit(auto& v) {
    v("grad_avg", grad_avg);
    v("momentum_buffer", momentum_buffer);
    v("step", step);
    v("lr_t", lr_t);
    v("mu_t", mu_t);
    v("sgd_lr", sgd_lr);
    v("lr_avg", lr_avg);
    v("mu_avg", mu_avg);
    v("h_min", h_min);
    v("h_max", h_max);
    v("grad_var", grad_var);
    v("dist_to_opt", dist_to_opt);
    v("grad_norm_squared", grad_norm_squared);
    v("grad_norm_squared_avg", grad_norm_squared_avg);
    v("h_min_avg", h_min_avg);
    v("h_max_avg", h_max_avg);
    v("grad_norm_avg", grad_norm_avg);
    v("dist_to_opt_avg", dist_to_opt_avg);
    v("sparsity_avg", sparsity_avg);
    v("curv_win", curv_win);
    v("exploding", exploding);
    v("exploding_clip_target", exploding_clip_target);
    v("lr_grad_norm_steps", lr_grad_norm_steps);
    v("lr_grad_norm_avg", lr_grad_norm_avg);
    v("lr_grad_norm_avg_min", lr_grad_norm_avg_min);
    v("grad_norm_squared_avg_log", grad_norm_squared_avg_log);
  }
};

class YellowFin : public BasicOptimizer<YellowFinOptions, YellowFinState> {
 public:
  static constexpr const char* kName = "yellowfin";
  static constexpr const char* kSummary =
      "momentum SGD with lr and momentum tuned each step from curvature, variance, distance";
  YellowFin(std::vector<Tensor> params, YellowFinOptions options = {}) : YellowFin({{std::move(params), options}}) {}
  /// Exactly one group (tg::ValueError otherwise): the tuner sees all parameters at once.
  explicit YellowFin(std::vector<ParamGroup> groups);

  using Optimizer::step;
  Tensor step(const Closure& closure) override;
  /// As every optimizer's; the copy a failed step returns to is not in checkpoints.
  void load_state(const CheckpointReader& in) override;

  /// The lr and momentum μ the last step's momentum SGD used: the tuned lr_t (after the
  /// catastrophic-move clip) and μ_t; before the first step, the options lr and mu.
  double tuned_lr() const;
  double tuned_momentum() const;
  /// The tuner's statistics (h_min, h_max, grad_var, dist_to_opt, ...), kept with the first parameter.
  const YellowFinState& yellowfin_state() const { return state(0, 0); }

 protected:
  void update(Tensor& param, const Tensor& grad, YellowFinState& state, const YellowFinOptions& o) override;
  /// grad_avg and momentum_buffer are shaped like their parameter; the first parameter's
  /// curv_win has curv_win_width values once a step was taken.
  void check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index, YellowFinState& loaded,
                          const YellowFinOptions& o) override;

 private:
  // The copy the step returns to when the cubic gets non-finite values (taken every 1000
  // steps, as the authors' checkpoint_interval; not saved in checkpoints, as there).
  struct Snapshot {
    std::vector<Tensor> params;
    std::vector<YellowFinState> states;
  };
  void take_snapshot();
  void restore_snapshot();
  std::optional<Snapshot> snapshot_;
};

// Instantiated once, in yellowfin.cpp.
extern template class BasicOptimizer<YellowFinOptions, YellowFinState>;

}  // namespace tg::optim
