#include "tapegrad/optim/yellowfin.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "rule.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/optim/clip_grad.hpp"

namespace tg::optim {

namespace {

constexpr double kYellowFinEps = 1e-6;           // the authors' module-level eps
constexpr int64_t kSnapshotInterval = 1000;      // their checkpoint_interval

// torch's clip_grad_norm_, which a NaN limit turns into a scaling by NaN.
void clip_yellowfin_grads(const std::vector<Tensor>& params, double max_norm) {
  if (!std::isnan(max_norm)) {
    clip_grad_norm_(params, max_norm);
    return;
  }
  for (const Tensor& p : params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;
    double* v = detail::write(g);
    for (int64_t i = 0; i < g.numel(); ++i) v[i] = v[i] * max_norm;
  }
}

// min and max of the first n window values; NaN if any is NaN, as torch.min / torch.max.
std::pair<double, double> window_extremes(const double* w, int64_t n) {
  double lo = w[0], hi = w[0];
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(w[i])) return {w[i], w[i]};
    lo = std::min(lo, w[i]);
    hi = std::max(hi, w[i]);
  }
  return {lo, hi};
}

// x = √μ minimises x²·dist² + (1 − x)⁴·C/h_min² (the paper's SingleStep); with x = y + 1 this is
// y³ + P·y = −P, solved by Vieta's substitution y = ω − P/(3ω). NaN/inf where the authors'
// code raises.
double cubic_root(double dist, double h_min, double grad_var) {
  const double eps = kYellowFinEps;
  const double dist_e = dist + eps, h_min_e = h_min + eps;
  const double p = dist_e * dist_e * (h_min_e * h_min_e) / 2.0 / (grad_var + eps);
  const double w3 = (-std::sqrt(p * p + 4.0 / 27.0 * (p * p * p)) - p) / 2.0;
  const double w = std::copysign(1.0, w3) * std::pow(std::fabs(w3), 1.0 / 3.0);
  const double y = w - p / 3.0 / (w + eps);
  return y + 1.0;
}

bool finite(double x) { return std::isfinite(x); }

}  // namespace

YellowFin::YellowFin(std::vector<ParamGroup> groups) : BasicOptimizer(kName, std::move(groups)) {
  if (groups_.size() != 1) {
    throw ValueError("yellowfin: one parameter group only (got " + std::to_string(groups_.size()) +
                     "); its tuner measures all parameters at once");
  }
  if (groups_[0].params.empty()) throw ValueError("yellowfin: the parameter list is empty");
}

void YellowFin::update(Tensor&, const Tensor&, YellowFinState&, const YellowFinOptions&) {
  throw ValueError("yellowfin: the update works on all parameters at once, through step()");
}

double YellowFin::tuned_lr() const {
  const YellowFinState& s = state(0, 0);
  return s.curv_win.defined() ? s.sgd_lr : groups_[0].options.lr.get();
}

double YellowFin::tuned_momentum() const {
  const YellowFinState& s = state(0, 0);
  return s.curv_win.defined() ? s.mu_t : groups_[0].options.mu.get();
}

void YellowFin::take_snapshot() {
  Snapshot snap;
  for (const Tensor& p : groups_[0].params) snap.params.push_back(p.detach().clone());
  for (YellowFinState s : state_[0]) {
    for (Tensor* t : {&s.grad_avg, &s.momentum_buffer, &s.curv_win})
      if (t->defined()) *t = t->clone();
    snap.states.push_back(std::move(s));
  }
  snapshot_ = std::move(snap);
}

// What the authors' load_state_dict_perturb brings back: everything but the tuned lr_t, μ_t,
// the exploding-gradient detection and the last variance and distance estimates.
void YellowFin::restore_snapshot() {
  YellowFinState& now = state_[0][0];
  const YellowFinState kept = now;
  if (!snapshot_) {
    throw NumericalError("yellowfin: the statistics going into the cubic are not finite at step " +
                         std::to_string(now.step) + " and there is no copy to return to (none taken since the "
                         "checkpoint was loaded)");
  }
  std::vector<YellowFinState> states = snapshot_->states;
  for (YellowFinState& s : states) {
    for (Tensor* t : {&s.grad_avg, &s.momentum_buffer, &s.curv_win})
      if (t->defined()) *t = t->clone();
  }
  state_[0] = std::move(states);
  YellowFinState& s = state_[0][0];
  s.lr_t = kept.lr_t;
  s.mu_t = kept.mu_t;
  s.exploding = kept.exploding;
  s.exploding_clip_target = kept.exploding_clip_target;
  s.grad_var = kept.grad_var;
  s.dist_to_opt = kept.dist_to_opt;
  const std::vector<Tensor>& params = groups_[0].params;
  for (std::size_t k = 0; k < params.size(); ++k) {
    double* x = detail::write(params[k]);
    const double* saved = detail::read(snapshot_->params[k]);
    for (int64_t i = 0; i < params[k].numel(); ++i) x[i] = saved[i] + 1e-8;
  }
}

Tensor YellowFin::step(const Closure& closure) {
  Tensor loss = evaluate(closure);
  if (groups_.size() != 1) {
    throw ValueError("yellowfin: one parameter group only (got " + std::to_string(groups_.size()) + ")");
  }
  const YellowFinOptions& o = groups_[0].options;
  validate_options(o, name());
  const std::vector<Tensor>& params = groups_[0].params;
  if (state_[0].size() < params.size()) state_[0].resize(params.size());
  std::vector<Tensor> grads;
  for (const Tensor& p : params) grads.push_back(p.grad());
  if (std::none_of(grads.begin(), grads.end(), [](const Tensor& g) { return g.defined(); })) return loss;

  YellowFinState& s = state_[0][0];
  const double eps = kYellowFinEps, beta = o.beta;
  const int64_t t = s.step, width = o.curv_win_width;
  if (!s.curv_win.defined()) {
    s.lr_t = s.lr_avg = s.sgd_lr = o.lr;
    s.mu_t = s.mu_avg = o.mu;
  } else if (s.curv_win.numel() != width) {
    throw ValueError("yellowfin: curv_win_width = " + std::to_string(width) + " but the curvature window holds " +
                     std::to_string(s.curv_win.numel()) + " values; it cannot change after the first step");
  }
  begin_step();
  for (std::size_t k = 0; k < params.size(); ++k)
    if (grads[k].defined()) before_update(k, params[k]);

  if (o.clip_thresh) {
    clip_yellowfin_grads(params, *o.clip_thresh);
  } else if (t != 0 && o.auto_clip_fac) {
    clip_yellowfin_grads(params, std::sqrt(s.h_max) * *o.auto_clip_fac);
  }
  if (o.adapt_clip && t > 1) clip_yellowfin_grads(params, std::sqrt(o.stat_protect_fac * s.h_max) + eps);

  // Statistics, all from the gradient after the clips above.
  const double zero_debias = detail::bias_correction(beta, static_cast<double>(t + 1));
  const double debias = o.zero_debias ? zero_debias : 1.0;
  if (t == 0) {
    s.grad_norm_squared_avg = s.h_min_avg = s.h_max_avg = s.h_min = s.h_max = 0.0;
    s.grad_norm_avg = s.dist_to_opt_avg = s.sparsity_avg = 0.0;
    s.curv_win = tg::zeros({width});
  }
  double gns = 0.0;
  for (const Tensor& g : grads) {
    if (!g.defined()) continue;
    const double* v = detail::read(g);
    double sum = 0.0;
    for (int64_t i = 0; i < g.numel(); ++i) sum += v[i] * v[i];
    gns += sum;
  }
  s.grad_norm_squared = gns;
  if (t >= 1) {
    s.exploding = gns >= s.h_max ? 1 : 0;
    s.exploding_clip_target = std::sqrt(s.h_max);
  }
  s.grad_norm_squared_avg = detail::ema(s.grad_norm_squared_avg, gns, beta);

  double sparsity = 1.0;  // the debiased EMA of the fraction of non-zero gradient entries
  if (o.sparsity_debias) {
    double non_zero = 0.0, all = 0.0;
    for (const Tensor& g : grads) {
      if (!g.defined()) continue;
      const double* v = detail::read(g);
      for (int64_t i = 0; i < g.numel(); ++i) non_zero += v[i] != 0.0 ? 1.0 : 0.0;
      all += static_cast<double>(g.numel());
    }
    s.sparsity_avg = beta * s.sparsity_avg + (1.0 - beta) * non_zero / all;
    sparsity = s.sparsity_avg / zero_debias;
  }

  // Curvature range: log-smoothed extremes of the window of ‖g‖².
  double* window = detail::write(s.curv_win);
  window[t % width] = gns;
  const auto [lo, hi] = window_extremes(window, std::min(width, t + 1));
  s.h_min_avg = detail::ema(s.h_min_avg, o.h_min_log_smooth ? std::log(lo + eps) : lo, beta);
  s.h_max_avg = detail::ema(s.h_max_avg, o.h_max_log_smooth ? std::log(hi + eps) : hi, beta);
  s.h_min = o.h_min_log_smooth ? std::exp(s.h_min_avg / debias) : s.h_min_avg / debias;
  s.h_max = o.h_max_log_smooth ? std::exp(s.h_max_avg / debias) : s.h_max_avg / debias;
  s.h_min *= sparsity;
  s.h_max *= sparsity;

  // Gradient variance C = E[g²] − ‖E[g]‖², each debiased.
  double avg_sq = 0.0;
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (!grads[k].defined()) continue;
    YellowFinState& ps = state_[0][k];
    if (t == 0 || !ps.grad_avg.defined()) ps.grad_avg = tg::zeros(params[k].shape());
    const double* g = detail::read(grads[k]);
    double* m = detail::write(ps.grad_avg);
    double sum = 0.0;
    for (int64_t i = 0; i < grads[k].numel(); ++i) {
      m[i] = detail::ema(m[i], g[i], beta);
      sum += m[i] * m[i];
    }
    avg_sq += sum;
  }
  s.grad_var = avg_sq / -(debias * debias);
  s.grad_var += s.grad_norm_squared_avg / debias;
  s.grad_var = std::max(s.grad_var, eps) * sparsity;

  // Distance to the optimum ≈ E[‖g‖]/E[‖g‖²].
  s.grad_norm_avg = detail::ema(s.grad_norm_avg, std::sqrt(gns), beta);
  s.dist_to_opt_avg = s.dist_to_opt_avg * beta + (1.0 - beta) * s.grad_norm_avg / (s.grad_norm_squared_avg + eps);
  s.dist_to_opt = s.dist_to_opt_avg / debias;
  if (o.sparsity_debias) s.dist_to_opt /= std::sqrt(sparsity) + eps;

  if (t > 0) {
    const bool inputs_finite = finite(s.dist_to_opt) && finite(s.h_min) && finite(s.grad_var);
    const double root = inputs_finite ? cubic_root(s.dist_to_opt, s.h_min, s.grad_var) : NAN;
    if (!finite(root)) {
      restore_snapshot();
      for (std::size_t k = 0; k < params.size(); ++k)
        if (grads[k].defined()) after_update(k, params[k], grads[k]);
      return loss;
    }
    const double dr = std::max((s.h_max + eps) / (s.h_min + eps), 1.0 + eps);
    const double sqrt_dr = std::sqrt(dr);
    const double ratio = (sqrt_dr - 1.0) / (sqrt_dr + 1.0);
    s.mu_t = std::max(root * root, ratio * ratio);
    const double one_minus = 1.0 - std::sqrt(s.mu_t);
    s.lr_t = one_minus * one_minus / (s.h_min + eps);
    s.lr_t = std::min(s.lr_t, s.lr_t * static_cast<double>(t + 1) / (10.0 * static_cast<double>(width)));  // slow start
    s.lr_avg = detail::ema(s.lr_avg, s.lr_t, beta);
    s.mu_avg = detail::ema(s.mu_avg, s.mu_t, beta);
  }

  // The lr of the momentum step.
  if (!o.force_non_inc_step) {
    s.sgd_lr = s.lr_t;
    if (o.adapt_clip && s.sgd_lr * std::sqrt(gns) >= o.catastrophic_move_thresh) {
      s.sgd_lr = o.catastrophic_move_thresh / std::sqrt(gns + eps);
    }
  } else if (t > width) {
    // lr·‖g‖ may not exceed twice the smallest smoothed value it had.
    if (s.lr_grad_norm_steps == 0) s.grad_norm_squared_avg_log = s.lr_grad_norm_avg = 0.0;
    s.grad_norm_squared_avg_log = detail::ema(s.grad_norm_squared_avg_log, std::log(gns + eps), beta);
    s.lr_grad_norm_avg = detail::ema(s.lr_grad_norm_avg, std::log(s.lr_avg * std::sqrt(gns) + eps), beta);
    const double smallest = std::exp(s.lr_grad_norm_avg / zero_debias);
    s.lr_grad_norm_avg_min = s.lr_grad_norm_steps == 0 ? smallest : std::min(s.lr_grad_norm_avg_min, smallest);
    s.lr_grad_norm_steps += 1;
    s.sgd_lr = std::min(s.lr_avg, 2.0 * s.lr_grad_norm_avg_min /
                                      (std::sqrt(std::exp(s.grad_norm_squared_avg_log / zero_debias)) + eps));
  }
  if (t % kSnapshotInterval == 0) take_snapshot();

  if (o.adapt_clip && s.exploding) clip_yellowfin_grads(params, s.exploding_clip_target + eps);

  // torch's SGD step with momentum μ_t.
  const double lr = s.sgd_lr, momentum = s.mu_t;
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (!grads[k].defined()) continue;
    YellowFinState& ps = state_[0][k];
    const int64_t n = params[k].numel();
    double* p = detail::write(params[k]);
    const double* g = detail::read(grads[k]);
    const bool first = !ps.momentum_buffer.defined();
    if (momentum != 0.0 && first) ps.momentum_buffer = tg::zeros(params[k].shape());
    double* buf = momentum != 0.0 ? detail::write(ps.momentum_buffer) : nullptr;
    for (int64_t i = 0; i < n; ++i) {
      double d = g[i];
      if (o.weight_decay != 0.0) d = d + o.weight_decay * p[i];
      if (buf) {
        buf[i] = first ? d : momentum * buf[i] + d;
        d = buf[i];
      }
      p[i] = p[i] - lr * d;
    }
    after_update(k, params[k], grads[k]);
  }
  s.step = t + 1;
  return loss;
}

void YellowFin::load_state(const CheckpointReader& in) {
  BasicOptimizer::load_state(in);
  snapshot_.reset();
}

void YellowFin::check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index,
                                   YellowFinState& loaded, const YellowFinOptions& o) {
  const Tensor& param = groups_[group].params[index];
  const detail::StateSite site{in, group, index, param.shape()};
  const detail::StateLayout saved = detail::layout_of(loaded);
  detail::check_numbers(site, saved);
  YellowFinState expected;
  expected.grad_avg = tg::zeros(param.shape());
  expected.momentum_buffer = tg::zeros(param.shape());
  if (index == 0) expected.curv_win = tg::zeros({o.curv_win_width});
  detail::check_shapes(site, saved, detail::layout_of(expected));
}

template class BasicOptimizer<YellowFinOptions, YellowFinState>;

}  // namespace tg::optim
