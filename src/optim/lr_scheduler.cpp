// Learning-rate schedules, written as torch 1.13's lr_scheduler.py computes them (same
// formulas, same order of operations), so that the lrs equal PyTorch's bit for bit.
#include "tapegrad/optim/lr_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "tapegrad/error.hpp"

namespace tg::optim {

namespace {

constexpr double kPi = std::numbers::pi;

[[noreturn]] void invalid(const char* scheduler, const std::string& option, const std::string& value,
                          const std::string& expected) {
  throw ValueError(std::string(scheduler) + ": invalid " + option + " = " + value + " (expected " + expected + ")");
}

void check_given(const char* scheduler, const char* option, double value) {
  if (std::isnan(value))
    throw ValueError(std::string(scheduler) + ": option " + option + " is required (it has no default)");
}

void check_positive_int(const char* scheduler, const char* option, int64_t value) {
  if (value <= 0) invalid(scheduler, option, std::to_string(value), "an integer > 0");
}

void check_finite_positive(const char* scheduler, const char* option, double value) {
  check_given(scheduler, option, value);
  check_positive(scheduler, option, value);
}

void check_finite_non_negative(const char* scheduler, const char* option, double value) {
  check_given(scheduler, option, value);
  check_non_negative(scheduler, option, value);
}

std::vector<LRLambda> per_group(const char* scheduler, const Optimizer& optimizer, std::vector<LRLambda> lambdas) {
  if (lambdas.size() != optimizer.num_param_groups()) {
    throw ValueError(std::string(scheduler) + ": expected " + std::to_string(optimizer.num_param_groups()) +
                     " lr_lambdas (one per parameter group), got " + std::to_string(lambdas.size()));
  }
  for (const LRLambda& f : lambdas)
    if (!f) throw ValueError(std::string(scheduler) + ": an lr_lambda is empty");
  return lambdas;
}

LRLambda constant_factor(double factor) {
  check_finite_positive("MultiplicativeLR", "factor", factor);
  return [factor](int64_t) { return factor; };
}

}  // namespace

// ---- LRScheduler -----------------------------------------------------------------------------

// A schedule starts from each group's initial lr (PyTorch's `initial_lr`, recorded by the
// first schedule built on the optimizer), not from what an earlier schedule left.
LRScheduler::LRScheduler(Optimizer& optimizer, const char* name) : optimizer_(optimizer), name_(name) {
  for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g) base_lrs_.push_back(optimizer.initial_lr(g));
}

LRScheduler::~LRScheduler() = default;

void LRScheduler::set_initial_lrs(const std::vector<double>& lrs) {
  for (std::size_t g = 0; g < lrs.size(); ++g) optimizer_.set_initial_lr(lrs[g], g);
  base_lrs_ = lrs;
}

void LRScheduler::initial_step() { step(); }

void LRScheduler::step() {
  ++last_epoch_;
  std::vector<double> lrs;
  try {
    lrs = get_lr();
  } catch (...) {
    --last_epoch_;  // OneCycleLR past its end: the schedule stays where it was
    throw;
  }
  set_lrs(lrs);
}

void LRScheduler::step_to(int64_t epoch) {
  last_epoch_ = epoch;
  set_lrs(closed_form_lr());
}

void LRScheduler::set_lrs(const std::vector<double>& lrs) {
  last_lr_.resize(lrs.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) {
    optimizer_.set_lr(lrs[g], g);
    last_lr_[g] = optimizer_.lr(g);
  }
}

// ---- step decays -----------------------------------------------------------------------------

StepLR::StepLR(Optimizer& optimizer, StepLROptions options) : LRScheduler(optimizer, "StepLR"), o_(options) {
  check_positive_int(name(), "step_size", o_.step_size);
  check_finite_positive(name(), "gamma", o_.gamma);
  initial_step();
}

std::vector<double> StepLR::get_lr() {
  std::vector<double> lrs(base_lrs_.size());
  const bool decay = last_epoch_ != 0 && last_epoch_ % o_.step_size == 0;
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = decay ? group_lr(g) * o_.gamma : group_lr(g);
  return lrs;
}

std::vector<double> StepLR::closed_form_lr() {
  std::vector<double> lrs(base_lrs_.size());
  const double k = static_cast<double>(last_epoch_ / o_.step_size);
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = base_lrs_[g] * std::pow(o_.gamma, k);
  return lrs;
}

MultiStepLR::MultiStepLR(Optimizer& optimizer, MultiStepLROptions options)
    : LRScheduler(optimizer, "MultiStepLR"), o_(std::move(options)) {
  check_finite_positive(name(), "gamma", o_.gamma);
  std::sort(o_.milestones.begin(), o_.milestones.end());
  initial_step();
}

std::vector<double> MultiStepLR::get_lr() {
  const auto [first, last] = std::equal_range(o_.milestones.begin(), o_.milestones.end(), last_epoch_);
  const double times = static_cast<double>(last - first);  // a repeated milestone decays twice
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    lrs[g] = times == 0 ? group_lr(g) : group_lr(g) * std::pow(o_.gamma, times);
  return lrs;
}

std::vector<double> MultiStepLR::closed_form_lr() {
  const double passed = static_cast<double>(
      std::upper_bound(o_.milestones.begin(), o_.milestones.end(), last_epoch_) - o_.milestones.begin());
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = base_lrs_[g] * std::pow(o_.gamma, passed);
  return lrs;
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, ExponentialLROptions options)
    : LRScheduler(optimizer, "ExponentialLR"), o_(options) {
  check_finite_positive(name(), "gamma", o_.gamma);
  initial_step();
}

std::vector<double> ExponentialLR::get_lr() {
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = last_epoch_ == 0 ? group_lr(g) : group_lr(g) * o_.gamma;
  return lrs;
}

std::vector<double> ExponentialLR::closed_form_lr() {
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    lrs[g] = base_lrs_[g] * std::pow(o_.gamma, static_cast<double>(last_epoch_));
  return lrs;
}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, double factor)
    : MultiplicativeLR(optimizer, constant_factor(factor)) {}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, LRLambda lr_lambda)
    : MultiplicativeLR(optimizer, std::vector<LRLambda>(optimizer.num_param_groups(), lr_lambda)) {}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas)
    : LRScheduler(optimizer, "MultiplicativeLR"),
      lambdas_(per_group("MultiplicativeLR", optimizer, std::move(lr_lambdas))) {
  initial_step();
}

std::vector<double> MultiplicativeLR::get_lr() {
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    lrs[g] = last_epoch_ > 0 ? group_lr(g) * lambdas_[g](last_epoch_) : group_lr(g);
  return lrs;
}

InverseTimeLR::InverseTimeLR(Optimizer& optimizer, InverseTimeLROptions options)
    : LRScheduler(optimizer, "InverseTimeLR"), o_(options) {
  check_finite_non_negative(name(), "decay", o_.decay);
  initial_step();
}

std::vector<double> InverseTimeLR::get_lr() {
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    lrs[g] = base_lrs_[g] / (1.0 + o_.decay * static_cast<double>(last_epoch_));
  return lrs;
}

LambdaLR::LambdaLR(Optimizer& optimizer, LRLambda lr_lambda)
    : LambdaLR(optimizer, std::vector<LRLambda>(optimizer.num_param_groups(), lr_lambda)) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas)
    : LRScheduler(optimizer, "LambdaLR"), lambdas_(per_group("LambdaLR", optimizer, std::move(lr_lambdas))) {
  initial_step();
}

std::vector<double> LambdaLR::get_lr() {
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = base_lrs_[g] * lambdas_[g](last_epoch_);
  return lrs;
}

LinearLR::LinearLR(Optimizer& optimizer, LinearLROptions options) : LRScheduler(optimizer, "LinearLR"), o_(options) {
  if (!(o_.start_factor > 0.0 && o_.start_factor <= 1.0))
    invalid(name(), "start_factor", format_value(o_.start_factor), "0 < start_factor <= 1");
  check_range(name(), "end_factor", o_.end_factor, 0.0, 1.0);
  check_positive_int(name(), "total_iters", o_.total_iters);
  initial_step();
}

std::vector<double> LinearLR::get_lr() {
  const double s = o_.start_factor, t = o_.end_factor, n = static_cast<double>(o_.total_iters);
  const double e = static_cast<double>(last_epoch_);
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) {
    if (last_epoch_ == 0) lrs[g] = group_lr(g) * s;
    else if (last_epoch_ > o_.total_iters) lrs[g] = group_lr(g);
    else lrs[g] = group_lr(g) * (1.0 + (t - s) / (n * s + (e - 1.0) * (t - s)));  // factor(e)/factor(e−1)
  }
  return lrs;
}

std::vector<double> LinearLR::closed_form_lr() {
  const double s = o_.start_factor, t = o_.end_factor, n = static_cast<double>(o_.total_iters);
  const double e = static_cast<double>(std::min(o_.total_iters, last_epoch_));
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = base_lrs_[g] * (s + (t - s) * e / n);
  return lrs;
}

// ---- cosine and cyclic schedules -------------------------------------------------------------

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, CosineAnnealingLROptions options)
    : LRScheduler(optimizer, "CosineAnnealingLR"), o_(options) {
  check_positive_int(name(), "T_max", o_.T_max);
  check_non_negative(name(), "eta_min", o_.eta_min);
  initial_step();
}

std::vector<double> CosineAnnealingLR::get_lr() {
  const double e = static_cast<double>(last_epoch_), T = static_cast<double>(o_.T_max), eta_min = o_.eta_min;
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) {
    if (last_epoch_ == 0) {
      lrs[g] = group_lr(g);
    } else if ((last_epoch_ - 1 - o_.T_max) % (2 * o_.T_max) == 0) {
      // the step after a minimum, where the ratio below would divide by 1 + cos(π) = 0
      lrs[g] = group_lr(g) + (base_lrs_[g] - eta_min) * (1.0 - std::cos(kPi / T)) / 2.0;
    } else {
      // (lr − η_min) scaled by the ratio of the cosine terms at e and e − 1
      const double ratio = (1.0 + std::cos(kPi * e / T)) / (1.0 + std::cos(kPi * (e - 1.0) / T));
      lrs[g] = ratio * (group_lr(g) - eta_min) + eta_min;
    }
  }
  return lrs;
}

std::vector<double> CosineAnnealingLR::closed_form_lr() {
  const double e = static_cast<double>(last_epoch_), T = static_cast<double>(o_.T_max);
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    lrs[g] = o_.eta_min + (base_lrs_[g] - o_.eta_min) * (1.0 + std::cos(kPi * e / T)) / 2.0;
  return lrs;
}

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(Optimizer& optimizer,
                                                         CosineAnnealingWarmRestartsOptions options)
    : LRScheduler(optimizer, "CosineAnnealingWarmRestarts"), o_(options), T_i_(options.T_0) {
  check_positive_int(name(), "T_0", o_.T_0);
  if (o_.T_mult < 1) invalid(name(), "T_mult", std::to_string(o_.T_mult), "an integer >= 1");
  check_non_negative(name(), "eta_min", o_.eta_min);
  initial_step();
}

void CosineAnnealingWarmRestarts::step() {
  if (last_epoch_ < 0) {
    step_to(0);
    return;
  }
  T_cur_ += 1.0;
  if (T_cur_ >= static_cast<double>(T_i_)) {  // a restart
    T_cur_ -= static_cast<double>(T_i_);
    T_i_ *= o_.T_mult;
  }
  last_epoch_ += 1;
  set_lrs(get_lr());
}

void CosineAnnealingWarmRestarts::step_to(int64_t epoch) {
  if (epoch < 0) invalid(name(), "epoch", std::to_string(epoch), "an integer >= 0");
  const double e = static_cast<double>(epoch), T_0 = static_cast<double>(o_.T_0);
  if (epoch >= o_.T_0) {
    if (o_.T_mult == 1) {
      T_cur_ = static_cast<double>(epoch % o_.T_0);
    } else {
      // the number n of completed periods: T_0·(T_mult^n − 1)/(T_mult − 1) ≤ e
      const double m = static_cast<double>(o_.T_mult);
      const auto n = static_cast<int64_t>(std::log(e / T_0 * (m - 1.0) + 1.0) / std::log(m));
      T_cur_ = e - T_0 * (std::pow(m, static_cast<double>(n)) - 1.0) / (m - 1.0);
      T_i_ = o_.T_0 * static_cast<int64_t>(std::pow(m, static_cast<double>(n)));
    }
  } else {
    T_i_ = o_.T_0;
    T_cur_ = e;
  }
  last_epoch_ = epoch;
  set_lrs(get_lr());
}

std::vector<double> CosineAnnealingWarmRestarts::get_lr() {
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    lrs[g] = o_.eta_min +
             (base_lrs_[g] - o_.eta_min) * (1.0 + std::cos(kPi * T_cur_ / static_cast<double>(T_i_))) / 2.0;
  return lrs;
}

Optimizer& CyclicLR::prepare(Optimizer& optimizer, const CyclicLROptions& o) {
  const char* name = "CyclicLR";
  check_finite_non_negative(name, "base_lr", o.base_lr);
  check_finite_non_negative(name, "max_lr", o.max_lr);
  check_positive_int(name, "step_size_up", o.step_size_up);
  if (o.step_size_down && *o.step_size_down < 0)
    invalid(name, "step_size_down", std::to_string(*o.step_size_down), "an integer >= 0");
  check_finite_positive(name, "gamma", o.gamma);
  if (o.cycle_momentum && !optimizer.has_momentum()) {
    throw ValueError(std::string(name) + ": cycle_momentum = true needs an optimizer with momentum or betas (" +
                     optimizer.name() + " has neither)");
  }
  // PyTorch sets the groups' lr (and momentum) before the base class reads the initial lrs.
  for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g) {
    optimizer.set_lr(o.base_lr, g);
    if (o.cycle_momentum) optimizer.set_momentum(o.base_momentum, g);
  }
  return optimizer;
}

CyclicLR::CyclicLR(Optimizer& optimizer, CyclicLROptions options)
    : LRScheduler(prepare(optimizer, options), "CyclicLR"), o_(std::move(options)) {
  const double up = static_cast<double>(o_.step_size_up);
  const double down = o_.step_size_down ? static_cast<double>(*o_.step_size_down) : up;
  total_size_ = up + down;
  step_ratio_ = up / total_size_;
  if (!o_.scale_fn) o_.scale_mode = o_.mode == CyclicMode::exp_range ? ScaleMode::iterations : ScaleMode::cycle;
  base_lrs_.assign(base_lrs_.size(), o_.base_lr);
  initial_step();
}

double CyclicLR::scale(double x) const {
  if (o_.scale_fn) return o_.scale_fn(x);
  switch (o_.mode) {
    case CyclicMode::triangular: return 1.0;
    case CyclicMode::triangular2: return 1.0 / std::pow(2.0, x - 1.0);  // halved every cycle
    case CyclicMode::exp_range: return std::pow(o_.gamma, x);
  }
  return 1.0;
}

std::vector<double> CyclicLR::get_lr() {
  const double e = static_cast<double>(last_epoch_);
  const double cycle = std::floor(1.0 + e / total_size_);  // 1, 2, ...
  const double x = 1.0 + e / total_size_ - cycle;         // the position in the cycle, [0, 1)
  // the height of the triangle: 0 → 1 while going up, 1 → 0 while going down
  const double height = x <= step_ratio_ ? x / step_ratio_ : (x - 1.0) / (step_ratio_ - 1.0);
  const double s = scale(o_.scale_mode == ScaleMode::cycle ? cycle : e);
  std::vector<double> lrs(base_lrs_.size());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = base_lrs_[g] + (o_.max_lr - base_lrs_[g]) * height * s;
  if (o_.cycle_momentum) {
    const double momentum = o_.max_momentum - (o_.max_momentum - o_.base_momentum) * height * s;
    for (std::size_t g = 0; g < lrs.size(); ++g) optimizer().set_momentum(momentum, g);
  }
  return lrs;
}

OneCycleLR::OneCycleLR(Optimizer& optimizer, OneCycleLROptions options)
    : LRScheduler(optimizer, "OneCycleLR"), o_(std::move(options)) {
  check_finite_non_negative(name(), "max_lr", o_.max_lr);
  if (o_.total_steps) {
    check_positive_int(name(), "total_steps", *o_.total_steps);
    total_steps_ = *o_.total_steps;
  } else if (o_.epochs && o_.steps_per_epoch) {
    check_positive_int(name(), "epochs", *o_.epochs);
    check_positive_int(name(), "steps_per_epoch", *o_.steps_per_epoch);
    total_steps_ = *o_.epochs * *o_.steps_per_epoch;
  } else {
    throw ValueError(std::string(name()) + ": give total_steps, or epochs and steps_per_epoch");
  }
  if (!(o_.pct_start > 0.0 && o_.pct_start < 1.0))
    invalid(name(), "pct_start", format_value(o_.pct_start), "0 < pct_start < 1");
  check_positive(name(), "div_factor", o_.div_factor);
  check_positive(name(), "final_div_factor", o_.final_div_factor);
  if (o_.cycle_momentum && !optimizer.has_momentum()) {
    throw ValueError(std::string(name()) + ": cycle_momentum = true needs an optimizer with momentum or betas (" +
                     optimizer.name() + " has neither)");
  }

  const double initial = o_.max_lr / o_.div_factor, min_lr = initial / o_.final_div_factor;
  const double T = static_cast<double>(total_steps_), lo = o_.base_momentum, hi = o_.max_momentum;
  if (o_.three_phase) {
    phases_ = {{o_.pct_start * T - 1.0, initial, o_.max_lr, hi, lo},
               {2.0 * o_.pct_start * T - 2.0, o_.max_lr, initial, lo, hi},
               {T - 1.0, initial, min_lr, hi, hi}};
  } else {
    phases_ = {{o_.pct_start * T - 1.0, initial, o_.max_lr, hi, lo}, {T - 1.0, o_.max_lr, min_lr, lo, hi}};
  }
  double start = 0.0;
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    if (!(phases_[i].end_step > start)) {
      throw ValueError(std::string(name()) + ": phase " + std::to_string(i + 1) + " of " +
                       std::to_string(phases_.size()) + " has no steps (pct_start = " + format_value(o_.pct_start) +
                       ", total_steps = " + std::to_string(total_steps_) + ": it would end at step " +
                       format_value(phases_[i].end_step) + ")");
    }
    start = phases_[i].end_step;
  }

  set_initial_lrs(std::vector<double>(optimizer.num_param_groups(), initial));
  if (o_.cycle_momentum)
    for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g) optimizer.set_momentum(hi, g);
  initial_step();
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  if (o_.anneal_strategy == AnnealStrategy::linear) return (end - start) * pct + start;
  const double cos_out = std::cos(kPi * pct) + 1.0;
  return end + (start - end) / 2.0 * cos_out;
}

std::vector<double> OneCycleLR::get_lr() {
  if (last_epoch_ > total_steps_) {
    throw ValueError(std::string(name()) + ": tried to step " + std::to_string(last_epoch_ + 1) +
                     " times; the specified number of total steps is " + std::to_string(total_steps_));
  }
  const double step = static_cast<double>(last_epoch_);
  double start = 0.0, lr = 0.0, momentum = 0.0;
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    const Phase& p = phases_[i];
    if (step <= p.end_step || i + 1 == phases_.size()) {
      const double pct = (step - start) / (p.end_step - start);
      lr = anneal(p.start_lr, p.end_lr, pct);
      momentum = anneal(p.start_momentum, p.end_momentum, pct);
      break;
    }
    start = p.end_step;
  }
  if (o_.cycle_momentum)
    for (std::size_t g = 0; g < base_lrs_.size(); ++g) optimizer().set_momentum(momentum, g);
  return std::vector<double>(base_lrs_.size(), lr);
}

// ---- schedules of schedules ------------------------------------------------------------------

SequentialLR::SequentialLR(Optimizer& optimizer, std::vector<std::unique_ptr<LRScheduler>> schedulers,
                           std::vector<int64_t> milestones)
    : LRScheduler(optimizer, "SequentialLR"), schedulers_(std::move(schedulers)), milestones_(std::move(milestones)) {
  if (schedulers_.empty()) throw ValueError("SequentialLR: expected at least one scheduler");
  for (std::size_t i = 0; i < schedulers_.size(); ++i) {
    const LRScheduler* s = schedulers_[i].get();
    if (!s) throw ValueError("SequentialLR: scheduler " + std::to_string(i) + " is null");
    if (&s->optimizer() != &optimizer) {
      throw ValueError("SequentialLR: scheduler " + std::to_string(i) + " (" + s->name() +
                       ") belongs to a different optimizer");
    }
    if (dynamic_cast<const SequentialLR*>(s)) {
      throw ValueError("SequentialLR: scheduler " + std::to_string(i) + " is itself a SequentialLR (not supported)");
    }
  }
  if (milestones_.size() + 1 != schedulers_.size()) {
    throw ValueError("SequentialLR: expected one milestone fewer than schedulers, got " +
                     std::to_string(schedulers_.size()) + " schedulers and " + std::to_string(milestones_.size()) +
                     " milestones");
  }
  for (std::size_t i = 0; i < milestones_.size(); ++i) {
    if (milestones_[i] <= (i == 0 ? 0 : milestones_[i - 1]))
      invalid(name(), "milestones[" + std::to_string(i) + "]", std::to_string(milestones_[i]),
              "positive and increasing milestones");
  }
  // PyTorch's construction: back to the initial lrs, every scheduler one step back, and the
  // first one's step 0 again.
  last_epoch_ = 0;
  for (std::size_t g = 0; g < base_lrs_.size(); ++g) optimizer.set_lr(base_lrs_[g], g);
  for (auto& s : schedulers_) s->last_epoch_ -= 1;
  schedulers_[0]->initial_step();
  last_lr_ = schedulers_[0]->get_last_lr();
}

void SequentialLR::step() {
  ++last_epoch_;
  const auto idx = static_cast<std::size_t>(std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) -
                                            milestones_.begin());
  LRScheduler& s = *schedulers_[idx];
  if (idx > 0 && milestones_[idx - 1] == last_epoch_) s.step_to(0);  // its step 0, from the base lrs
  else s.step();
  last_lr_ = s.get_last_lr();
}

std::vector<double> SequentialLR::get_lr() { return last_lr_; }

void SequentialLR::step_to(int64_t) { throw ValueError("SequentialLR: cannot be restarted at an epoch"); }

std::unique_ptr<SequentialLR> warmup(Optimizer& optimizer, int64_t warmup_steps, std::unique_ptr<LRScheduler> after,
                                     double start_factor) {
  check_positive_int("warmup", "warmup_steps", warmup_steps);
  std::vector<std::unique_ptr<LRScheduler>> schedulers;
  schedulers.push_back(std::make_unique<LinearLR>(
      optimizer, LinearLROptions{.start_factor = start_factor, .end_factor = 1.0, .total_iters = warmup_steps}));
  schedulers.push_back(std::move(after));
  return std::make_unique<SequentialLR>(optimizer, std::move(schedulers), std::vector<int64_t>{warmup_steps});
}

// ---- driven by a metric ----------------------------------------------------------------------

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, ReduceLROnPlateauOptions options)
    : optimizer_(optimizer), o_(options) {
  const char* name = "ReduceLROnPlateau";
  if (!(o_.factor >= 0.0 && o_.factor < 1.0)) invalid(name, "factor", format_value(o_.factor), "0 <= factor < 1");
  if (o_.patience < 0) invalid(name, "patience", std::to_string(o_.patience), "an integer >= 0");
  check_non_negative(name, "threshold", o_.threshold);
  if (o_.cooldown < 0) invalid(name, "cooldown", std::to_string(o_.cooldown), "an integer >= 0");
  check_non_negative(name, "min_lr", o_.min_lr);
  check_non_negative(name, "eps", o_.eps);
  best_ = o_.mode == PlateauMode::min ? std::numeric_limits<double>::infinity()
                                      : -std::numeric_limits<double>::infinity();
}

bool ReduceLROnPlateau::is_better(double a) const {
  const bool rel = o_.threshold_mode == ThresholdMode::rel;
  if (o_.mode == PlateauMode::min) return rel ? a < best_ * (1.0 - o_.threshold) : a < best_ - o_.threshold;
  return rel ? a > best_ * (o_.threshold + 1.0) : a > best_ + o_.threshold;
}

void ReduceLROnPlateau::step(double metric) {
  ++last_epoch_;
  if (is_better(metric)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (in_cooldown()) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;  // bad steps during the cooldown do not count
  }
  if (num_bad_epochs_ > o_.patience) {
    for (std::size_t g = 0; g < optimizer_.num_param_groups(); ++g) {
      const double old_lr = optimizer_.lr(g), new_lr = std::max(old_lr * o_.factor, o_.min_lr);
      if (old_lr - new_lr > o_.eps) optimizer_.set_lr(new_lr, g);
    }
    cooldown_counter_ = o_.cooldown;
    num_bad_epochs_ = 0;
  }
}

std::vector<double> ReduceLROnPlateau::get_last_lr() const {
  std::vector<double> lrs(optimizer_.num_param_groups());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = optimizer_.lr(g);
  return lrs;
}

}  // namespace tg::optim
