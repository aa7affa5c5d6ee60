// Learning-rate schedules (torch.optim.lr_scheduler, PyTorch 1.13's conventions).
//
//   tg::optim::SGD opt(params, {.lr = 0.1, .momentum = 0.9});
//   tg::optim::CosineAnnealingLR schedule(opt, {.T_max = 100});   // the constructor is step 0
//   for (int epoch = 0; epoch < 100; ++epoch) {
//     ...; loss.backward(); opt.step();    // uses lr(epoch)
//     schedule.step();                     // then: lr(epoch + 1)
//   }
//
//   e = last_epoch(): the number of step() calls; base_lr: each group's lr when the first
//   scheduler of the optimizer was built (PyTorch's initial_lr).
//     constructor:  e ← 0;      every group's lr ← lr(0)
//     step():       e ← e + 1;  every group's lr ← lr(e)
//
//   StepLR                  base_lr·γ^⌊e/step_size⌋
//   MultiStepLR             base_lr·γ^(number of milestones ≤ e)
//   ExponentialLR           base_lr·γ^e
//   MultiplicativeLR        lr(e−1)·f(e)                  (f(e) = a constant: lr *= 1.03)
//   InverseTimeLR           base_lr / (1 + decay·e)
//   LambdaLR                base_lr·λ(e)
//   LinearLR                base_lr·(s + (t − s)·min(e, n)/n)   s, t: start/end factor, n: total_iters
//   CosineAnnealingLR       η_min + (base_lr − η_min)·(1 + cos(π·e/T_max))/2
//   CosineAnnealingWarmRestarts   the same with e and T_max replaced by the steps since the
//                           last restart and the current period (T_0, T_0·T_mult, ...)
//   CyclicLR                base_lr + (max_lr − base_lr)·triangle(e)·scale
//   OneCycleLR              max_lr/div_factor ↗ max_lr ↘ max_lr/(div_factor·final_div_factor)
//   SequentialLR            one schedule after another, each restarted at 0 at its milestone
//   ReduceLROnPlateau       lr·factor after more than `patience` steps without improvement
//
// Most schedules compute lr(e) from the lr the optimizer holds, as PyTorch's "chainable"
// get_lr() does (StepLR multiplies by γ at each multiple of step_size, CosineAnnealingLR
// uses a ratio of cosines): the values equal the closed forms above up to rounding, and
// PyTorch's bit for bit. Invalid options throw tg::ValueError naming the schedule, the
// option and the value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

/// What every schedule shares: the optimizer, each group's base lr, the step counter.
class LRScheduler {
 public:
  virtual ~LRScheduler();
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  /// Advances the schedule: last_epoch() + 1, and every group's lr set to its new value.
  /// Call it after optimizer.step().
  virtual void step();
  /// The lr of every group, as set by the last step (or the constructor).
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  /// The number of step() calls since construction (0 right after it).
  int64_t last_epoch() const { return last_epoch_; }
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  Optimizer& optimizer() const { return optimizer_; }
  /// The class name ("StepLR"), used in error messages.
  const char* name() const { return name_; }

  /// The schedule's counters, as PyTorch's scheduler.state_dict(): {"scheduler": name,
  /// "last_epoch", "base_lrs", "last_lr"} and what the schedule keeps besides (SGDR's T_cur
  /// and T_i, the momentum a cyclic schedule set, SequentialLR's schedulers). The options are
  /// not in it: build the schedule with the same options, then load. Lambdas are not saved.
  StateDict state_dict() const;
  /// Restores what state_dict() returned, and sets every group's lr (and momentum, for cyclic
  /// schedules) to the value the schedule had set, so the order in which the optimizer and
  /// the schedule are rebuilt and loaded does not matter. Everything is checked first (the
  /// schedule's class, the number of groups, the counters): on an error (tg::ValueError
  /// naming the mismatch) nothing changes.
  void load_state_dict(const StateDict& state);

 protected:
  /// What a schedule keeps besides the base counters (none by default).
  virtual void save_extra(StateDict& state) const;
  virtual void check_extra(const StateDict& state) const;
  virtual void load_extra(const StateDict& state);
  void check_state(const StateDict& state) const;
  void apply_state(const StateDict& state);

  /// Takes the base lrs; the concrete constructor validates its options, then calls
  /// initial_step().
  LRScheduler(Optimizer& optimizer, const char* name);
  /// Step 0: the last line of every concrete constructor.
  void initial_step();
  /// lr(last_epoch()) of every group (may read the lrs the optimizer holds).
  virtual std::vector<double> get_lr() = 0;
  /// lr(last_epoch()) from the base lrs alone, where the schedule has a closed form.
  virtual std::vector<double> closed_form_lr() { return get_lr(); }
  /// PyTorch's step(epoch): jumps to `epoch` (SequentialLR restarts a schedule at 0).
  virtual void step_to(int64_t epoch);
  /// Sets every group's lr and remembers them for get_last_lr().
  void set_lrs(const std::vector<double>& lrs);
  /// The lr group `g` holds now.
  double group_lr(std::size_t g) const { return optimizer_.lr(g); }
  /// Replaces the base lrs, and the optimizer's initial lrs that later schedules start from
  /// (OneCycleLR: max_lr/div_factor).
  void set_initial_lrs(const std::vector<double>& lrs);

  int64_t last_epoch_ = -1;
  std::vector<double> base_lrs_;
  std::vector<double> last_lr_;

 private:
  Optimizer& optimizer_;
  const char* name_;
  friend class SequentialLR;
};

// ---- step decays -----------------------------------------------------------------------------

struct StepLROptions {
  int64_t step_size = 0;  // required: decay every step_size steps
  double gamma = 0.1;
};

/// base_lr·γ^⌊e/step_size⌋: the lr drops by γ every step_size steps.
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, StepLROptions options);

 protected:
  std::vector<double> get_lr() override;
  std::vector<double> closed_form_lr() override;

 private:
  StepLROptions o_;
};

struct MultiStepLROptions {
  std::vector<int64_t> milestones{};  // step numbers; a repeated one decays twice
  double gamma = 0.1;
};

/// base_lr·γ^(number of milestones ≤ e).
class MultiStepLR : public LRScheduler {
 public:
  MultiStepLR(Optimizer& optimizer, MultiStepLROptions options);

 protected:
  std::vector<double> get_lr() override;
  std::vector<double> closed_form_lr() override;

 private:
  MultiStepLROptions o_;  // milestones sorted
};

struct ExponentialLROptions {
  double gamma = kRequired;  // > 1 grows the lr
};

/// base_lr·γ^e.
class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(Optimizer& optimizer, ExponentialLROptions options);

 protected:
  std::vector<double> get_lr() override;
  std::vector<double> closed_form_lr() override;

 private:
  ExponentialLROptions o_;
};

/// A factor of the step number e (LambdaLR, MultiplicativeLR).
using LRLambda = std::function<double(int64_t)>;

/// lr(e) = lr(e−1)·f(e) for e ≥ 1: the same factor for every group, one per group, or a
/// constant (MultiplicativeLR(opt, 1.03) is `lr *= 1.03` after every step).
class MultiplicativeLR : public LRScheduler {
 public:
  MultiplicativeLR(Optimizer& optimizer, double factor);
  MultiplicativeLR(Optimizer& optimizer, LRLambda lr_lambda);
  MultiplicativeLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas);

 protected:
  std::vector<double> get_lr() override;

 private:
  std::vector<LRLambda> lambdas_;
};

struct InverseTimeLROptions {
  double decay = kRequired;  // k in base_lr / (1 + k·e)
};

/// base_lr / (1 + decay·e): the 1/t decay of stochastic approximation (not in PyTorch).
class InverseTimeLR : public LRScheduler {
 public:
  InverseTimeLR(Optimizer& optimizer, InverseTimeLROptions options);

 protected:
  std::vector<double> get_lr() override;

 private:
  InverseTimeLROptions o_;
};

/// base_lr·λ(e), with one λ for every group or one per group.
class LambdaLR : public LRScheduler {
 public:
  LambdaLR(Optimizer& optimizer, LRLambda lr_lambda);
  LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas);

 protected:
  std::vector<double> get_lr() override;

 private:
  std::vector<LRLambda> lambdas_;
};

struct LinearLROptions {
  double start_factor = 1.0 / 3.0;  // 0 < start_factor ≤ 1
  double end_factor = 1.0;          // 0 ≤ end_factor ≤ 1
  int64_t total_iters = 5;
};

/// base_lr·(s + (t − s)·min(e, n)/n): a linear ramp over n steps, then constant. With
/// SequentialLR (or warmup()) it is a linear warmup.
class LinearLR : public LRScheduler {
 public:
  LinearLR(Optimizer& optimizer, LinearLROptions options = {});

 protected:
  std::vector<double> get_lr() override;
  std::vector<double> closed_form_lr() override;

 private:
  LinearLROptions o_;
};

// ---- cosine and cyclic schedules -------------------------------------------------------------

struct CosineAnnealingLROptions {
  int64_t T_max = 0;  // required: half a period
  double eta_min = 0.0;
};

/// η_min + (base_lr − η_min)·(1 + cos(π·e/T_max))/2: base_lr down to η_min at e = T_max,
/// then back up (period 2·T_max; not clamped).
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, CosineAnnealingLROptions options);

 protected:
  std::vector<double> get_lr() override;
  std::vector<double> closed_form_lr() override;

 private:
  CosineAnnealingLROptions o_;
};

struct CosineAnnealingWarmRestartsOptions {
  int64_t T_0 = 0;     // required: steps until the first restart
  int64_t T_mult = 1;  // each period is T_mult times the previous one
  double eta_min = 0.0;
};

/// SGDR: cosine annealing from base_lr towards η_min over T_i steps, then a restart at
/// base_lr with T_{i+1} = T_mult·T_i.
class CosineAnnealingWarmRestarts : public LRScheduler {
 public:
  CosineAnnealingWarmRestarts(Optimizer& optimizer, CosineAnnealingWarmRestartsOptions options);
  void step() override;
  /// Steps since the last restart, and the current period.
  double T_cur() const { return T_cur_; }
  int64_t T_i() const { return T_i_; }

 protected:
  std::vector<double> get_lr() override;
  void step_to(int64_t epoch) override;
  void save_extra(StateDict& state) const override;
  void check_extra(const StateDict& state) const override;
  void load_extra(const StateDict& state) override;

 private:
  CosineAnnealingWarmRestartsOptions o_;
  double T_cur_ = -1.0;
  int64_t T_i_ = 0;
};

enum class CyclicMode { triangular, triangular2, exp_range };
enum class ScaleMode { cycle, iterations };

struct CyclicLROptions {
  double base_lr = kRequired;  // the bottom of the cycle; set as every group's lr
  double max_lr = kRequired;   // the top, before scaling
  int64_t step_size_up = 2000;
  std::optional<int64_t> step_size_down{};  // default: step_size_up
  CyclicMode mode = CyclicMode::triangular;
  double gamma = 1.0;  // exp_range: the amplitude is scaled by γ^e
  /// A custom amplitude scale in [0, 1] of the cycle number (1, 2, ...) or of e; replaces mode.
  std::function<double(double)> scale_fn{};
  ScaleMode scale_mode = ScaleMode::cycle;  // what scale_fn receives
  bool cycle_momentum = true;               // momentum (or Adam's β1) moves opposite to lr
  double base_momentum = 0.8;
  double max_momentum = 0.9;
};

/// Triangular cycles between base_lr and max_lr (Smith 2017), step_size_up steps up and
/// step_size_down down; triangular2 halves the amplitude every cycle, exp_range multiplies it
/// by γ every step. Stepped after every batch.
class CyclicLR : public LRScheduler {
 public:
  CyclicLR(Optimizer& optimizer, CyclicLROptions options);

 protected:
  std::vector<double> get_lr() override;
  void save_extra(StateDict& state) const override;
  void check_extra(const StateDict& state) const override;
  void load_extra(const StateDict& state) override;

 private:
  static Optimizer& prepare(Optimizer& optimizer, const CyclicLROptions& o);
  double scale(double x) const;

  CyclicLROptions o_;
  double total_size_, step_ratio_;
};

enum class AnnealStrategy { cos, linear };

struct OneCycleLROptions {
  double max_lr = kRequired;
  /// The length of the cycle: total_steps, or epochs·steps_per_epoch.
  std::optional<int64_t> total_steps{};
  std::optional<int64_t> epochs{};
  std::optional<int64_t> steps_per_epoch{};
  double pct_start = 0.3;  // the fraction of the cycle spent increasing the lr, in (0, 1)
  AnnealStrategy anneal_strategy = AnnealStrategy::cos;
  bool cycle_momentum = true;  // momentum (or Adam's β1) moves opposite to lr
  double base_momentum = 0.85;
  double max_momentum = 0.95;
  double div_factor = 25.0;         // initial lr = max_lr / div_factor
  double final_div_factor = 1e4;    // final lr = initial lr / final_div_factor
  bool three_phase = false;         // up, down to the initial lr, then down to the final lr
};

/// The 1cycle policy (Smith & Topin 2017): one warmup from max_lr/div_factor to max_lr over
/// pct_start of the run, then an anneal to a much smaller lr. Stepped after every batch;
/// step() after the last step of the cycle throws, as in PyTorch.
class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(Optimizer& optimizer, OneCycleLROptions options);
  int64_t total_steps() const { return total_steps_; }

 protected:
  std::vector<double> get_lr() override;
  void save_extra(StateDict& state) const override;
  void check_extra(const StateDict& state) const override;
  void load_extra(const StateDict& state) override;

 private:
  struct Phase {
    double end_step, start_lr, end_lr, start_momentum, end_momentum;
  };
  double anneal(double start, double end, double pct) const;

  OneCycleLROptions o_;
  int64_t total_steps_ = 0;
  std::vector<Phase> phases_;
};

// ---- schedules of schedules ------------------------------------------------------------------

/// Runs schedulers[0] until milestones[0], then schedulers[1] restarted at 0, and so on
/// (PyTorch's SequentialLR): the way to put a warmup in front of another schedule. The
/// schedulers must belong to `optimizer`; build them in the order they run.
class SequentialLR : public LRScheduler {
 public:
  SequentialLR(Optimizer& optimizer, std::vector<std::unique_ptr<LRScheduler>> schedulers,
               std::vector<int64_t> milestones);
  void step() override;
  const std::vector<std::unique_ptr<LRScheduler>>& schedulers() const { return schedulers_; }
  const std::vector<int64_t>& milestones() const { return milestones_; }

 protected:
  std::vector<double> get_lr() override;
  void step_to(int64_t epoch) override;
  void save_extra(StateDict& state) const override;
  void check_extra(const StateDict& state) const override;
  void load_extra(const StateDict& state) override;

 private:
  std::vector<std::unique_ptr<LRScheduler>> schedulers_;
  std::vector<int64_t> milestones_;
};

/// A linear warmup from start_factor·base_lr over warmup_steps steps, then `after` from
/// its step 0: SequentialLR({LinearLR({start_factor, 1, warmup_steps}), after}, {warmup_steps}).
std::unique_ptr<SequentialLR> warmup(Optimizer& optimizer, int64_t warmup_steps, std::unique_ptr<LRScheduler> after,
                                     double start_factor = 1.0 / 3.0);

// ---- driven by a metric ----------------------------------------------------------------------

enum class PlateauMode { min, max };
enum class ThresholdMode { rel, abs };

struct ReduceLROnPlateauOptions {
  PlateauMode mode = PlateauMode::min;  // min: the metric should decrease (a loss)
  double factor = 0.1;                  // new lr = lr·factor, 0 ≤ factor < 1
  int64_t patience = 10;                // steps without improvement tolerated
  double threshold = 1e-4;              // how much better counts as better
  ThresholdMode threshold_mode = ThresholdMode::rel;
  int64_t cooldown = 0;  // steps after a reduction during which bad steps are not counted
  double min_lr = 0.0;
  double eps = 1e-8;  // reductions smaller than eps are skipped
};

/// Lowers the lr when a metric stops improving (not an LRScheduler: step() takes the metric).
///
///   each step(metric):
///     better: metric < best·(1 − threshold) (min, rel); < best − threshold (min, abs);
///             > best·(1 + threshold) (max, rel); > best + threshold (max, abs)
///     if better: best ← metric, bad ← 0;  else bad ← bad + 1
///     if cooling down: cooldown_counter ← cooldown_counter − 1, bad ← 0
///     if bad > patience: every group's lr ← max(lr·factor, min_lr) where that lowers it
///                        by more than eps;  cooldown_counter ← cooldown, bad ← 0
class ReduceLROnPlateau {
 public:
  explicit ReduceLROnPlateau(Optimizer& optimizer, ReduceLROnPlateauOptions options = {});
  void step(double metric);
  std::vector<double> get_last_lr() const;
  int64_t last_epoch() const { return last_epoch_; }
  /// The best metric so far (±inf before the first step).
  double best() const { return best_; }
  int64_t num_bad_epochs() const { return num_bad_epochs_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }
  Optimizer& optimizer() const { return optimizer_; }
  /// {"scheduler": "ReduceLROnPlateau", "last_epoch", "best", "num_bad_epochs",
  /// "cooldown_counter"}; the lrs it lowered are the optimizer's (in its state_dict).
  StateDict state_dict() const;
  void load_state_dict(const StateDict& state);

 private:
  bool is_better(double metric) const;

  Optimizer& optimizer_;
  ReduceLROnPlateauOptions o_;
  int64_t last_epoch_ = 0;
  double best_;
  int64_t num_bad_epochs_ = 0;
  int64_t cooldown_counter_ = 0;
};

}  // namespace tg::optim
