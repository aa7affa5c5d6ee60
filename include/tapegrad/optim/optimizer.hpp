// The optimizer interface, as in PyTorch and libtorch:
//
//   tg::optim::Adam opt(model_parameters, {.lr = 1e-3, .betas = {0.9, 0.999}});
//   for (...) { opt.zero_grad(); auto loss = ...; loss.backward(); opt.step(); }
//
// Optimizer is the interface every optimizer shares (used by schedules, the command line and
// checkpoints); BasicOptimizer<Options, State> adds the typed parameter groups and runs the
// update rule of a concrete optimizer over every parameter that has a gradient. An optimizer
// is its options (option.hpp), its per-parameter state (state.hpp) and its update rule; the
// members of BasicOptimizer are defined in basic_optimizer.hpp, which the file that
// instantiates an optimizer includes.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tapegrad/optim/options.hpp"
#include "tapegrad/optim/state.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {
class StateDict;
class CheckpointWriter;
class CheckpointReader;
}

namespace tg::optim {

/// Re-evaluates the model for optimizers that need it (L-BFGS, look-ahead Nesterov): clears
/// the gradients, computes the loss, calls backward() and returns the loss.
using Closure = std::function<Tensor()>;

class LARC;

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  explicit Optimizer(const char* name) : name_(name) {}
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  /// The canonical name, as in the reference of update rules ("adam", "heavy_ball", ...).
  const char* name() const { return name_; }

  /// Clears the gradients of all parameters (to undefined, or to zeros).
  void zero_grad(bool set_to_none = true);
  /// One update from the gradients the parameters hold. Parameters without a gradient are
  /// skipped, as in PyTorch.
  void step() { step(Closure()); }
  /// Calls closure() (with recording on) and updates; returns the closure's loss. Optimizers
  /// that need the gradient somewhere else call it more than once.
  virtual Tensor step(const Closure& closure) = 0;

  std::size_t num_param_groups() const { return group_count(); }
  const std::vector<Tensor>& params(std::size_t group) const;
  /// All parameters, group after group.
  std::vector<Tensor> parameters() const;

  /// The option names of this optimizer, in declaration order.
  std::vector<std::string> option_names() const;
  /// An option of a group as text ("0.001", "(0.9,0.999)", "true").
  std::string option(const std::string& name, std::size_t group = 0) const;
  /// Sets an option of a group from text; validated like the constructor's options, and
  /// left unchanged if invalid.
  void set_option(const std::string& name, const std::string& value, std::size_t group = 0);
  /// Sets several options of a group at once, validated together (for changes that are
  /// only valid jointly, such as Adafactor's lr with relative_step = false).
  void set_options(const OptionList& values, std::size_t group = 0);

  /// The learning rate of a group, which schedules read and write (validated like set_option).
  double lr(std::size_t group = 0) const;
  void set_lr(double lr, std::size_t group = 0);
  /// The lr a group had when the first schedule was attached to this optimizer (PyTorch's
  /// `initial_lr`): every schedule starts from it, not from what an earlier one left.
  /// The first call records the current lr.
  double initial_lr(std::size_t group = 0);
  void set_initial_lr(double lr, std::size_t group = 0);
  /// The coefficient cyclic schedules vary with the learning rate: `momentum`, or beta1 of
  /// `betas` (PyTorch's rule). has_momentum() is false for optimizers with neither.
  bool has_momentum() const;
  double momentum(std::size_t group = 0) const;
  void set_momentum(double value, std::size_t group = 0);

  /// Records, at every step, each parameter's effective step size: (θ_before − θ_after) / g
  /// elementwise, g the gradient the parameter held (0 where both are 0, ±inf where only g
  /// is 0). Off by default: it costs a copy of the parameters per step.
  void track_step_sizes(bool on = true) { track_step_sizes_ = on; }
  /// The effective step sizes of the last step, in parameters() order (undefined tensors for
  /// parameters the step skipped or before tracking was on).
  std::vector<Tensor> step_sizes() const;

  /// The whole state, as PyTorch's optimizer.state_dict(): {"optimizer": name,
  /// "param_groups": {"0": {"params": count, every option, "initial_lr" once a schedule set
  /// it}, ...}, "state": {"0": {"step": 50, "exp_avg": tensor, ...}, ...}}, the state keyed by
  /// the parameter's place in parameters(). Tensors are copies.
  StateDict state_dict() const;
  /// Restores what state_dict() returned: options, initial lrs and per-parameter state. It is
  /// checked as a checkpoint is (the optimizer's name, the group and parameter counts, every
  /// option, every state tensor's shape) and nothing changes unless all of it is valid
  /// (tg::FormatError or tg::ValueError naming what does not fit).
  void load_state_dict(const StateDict& state);

  /// Writes the optimizer's name, every group's options and every parameter's state (see
  /// save_checkpoint).
  virtual void save_state(CheckpointWriter& out) const = 0;
  /// Reads what save_state() wrote. Everything is checked first — the optimizer's name, the
  /// number of groups and parameters, every option and state entry (each state tensor must
  /// have the shape this optimizer keeps for its parameter) — and nothing changes unless all
  /// of it is valid (tg::FormatError or tg::ValueError otherwise).
  virtual void load_state(const CheckpointReader& in) = 0;

 protected:
  virtual std::size_t group_count() const = 0;
  virtual const std::vector<Tensor>& group_params(std::size_t group) const = 0;
  /// The options of a group as text, in declaration order.
  virtual OptionList group_options(std::size_t group) const = 0;
  /// Sets options of a group from text; validate_group afterwards.
  virtual void apply_group_options(std::size_t group, const OptionList& values) = 0;
  /// The number option `name` of a group (with first_of_list, element 0 of the pair or list
  /// `name`); null if there is none.
  virtual double* number_option(std::size_t group, const std::string& name, bool first_of_list) = 0;
  virtual const double* number_option(std::size_t group, const std::string& name, bool first_of_list) const = 0;
  virtual void validate_group(std::size_t group) const = 0;

  /// Called by step() implementations at the start of a step and around each update.
  void begin_step();
  void before_update(std::size_t flat_index, const Tensor& param);
  void after_update(std::size_t flat_index, const Tensor& param, const Tensor& grad);
  /// The initial lrs (group.G.initial_lr) of the groups that have one, in a checkpoint.
  void save_initial_lrs(CheckpointWriter& out) const;
  /// Those of a checkpoint, checked (NaN for a group without one), and set.
  std::vector<double> read_initial_lrs(const CheckpointReader& in) const;
  void restore_initial_lrs(const std::vector<double>& lrs);

  bool track_step_sizes_ = false;

 private:
  // LARC reads and changes the options of the optimizer it wraps, which then takes its name.
  friend class LARC;

  const char* name_;
  std::vector<double> initial_lrs_;  // per group; NaN until a schedule asks
  std::vector<Tensor> before_;      // parameter values before the step, while tracking
  std::vector<Tensor> step_sizes_;  // parameters() order
};

/// A concrete optimizer: Options holds the hyperparameters of a group (TG_OPTION fields),
/// State what it keeps per parameter between steps (with visit()), and update() is the rule.
/// Self, the optimizer's class, gives its name (Self::kName) to the constructors it inherits:
///
///   class Lion : public BasicOptimizer<LionOptions, LionState, Lion> {
///    public:
///     static constexpr const char* kName = "lion";
///     using BasicOptimizer::BasicOptimizer;   // Lion(params, {.lr = 3e-4}), Lion({{{k}, {...}}, ...})
template <class Options, class State, class Self = void>
class BasicOptimizer : public Optimizer {
 public:
  struct ParamGroup {
    std::vector<Tensor> params;
    Options options;
  };

  /// One group: Lion(params, {.lr = 3e-4}); options left out keep their defaults.
  BasicOptimizer(std::vector<Tensor> params, Options options = {})
    requires(!std::is_void_v<Self>)
      : BasicOptimizer(Self::kName, std::move(params), std::move(options)) {}
  /// Parameter groups, each with its own options: Lion({{{k}, {.lr = 0.01}}, {{b}, {.lr = 0.1}}}).
  explicit BasicOptimizer(std::vector<ParamGroup> groups)
    requires(!std::is_void_v<Self>)
      : BasicOptimizer(Self::kName, std::move(groups)) {}
  ~BasicOptimizer() override;

  std::vector<ParamGroup>& param_groups() { return groups_; }
  const std::vector<ParamGroup>& param_groups() const { return groups_; }

  void add_param_group(ParamGroup group);

  /// The state of parameter `index` of group `group` (default-constructed before its first step).
  State& state(std::size_t group, std::size_t index) { return state_.at(group).at(index); }
  const State& state(std::size_t group, std::size_t index) const { return state_.at(group).at(index); }

  void save_state(CheckpointWriter& out) const override;
  void load_state(const CheckpointReader& in) override;

  using Optimizer::step;
  /// update() for every parameter that has a gradient, group by group.
  Tensor step(const Closure& closure) override;

 protected:
  /// The same, named by the caller (for optimizers whose constructors do more).
  BasicOptimizer(const char* name, std::vector<Tensor> params, Options options);
  BasicOptimizer(const char* name, std::vector<ParamGroup> groups);

  /// The update rule for one parameter.
  virtual void update(Tensor& param, const Tensor& grad, State& state, const Options& options) = 0;

  /// Checks the state load_state() read for parameter `index` of group `group`, whose options
  /// will be `options`, before anything is assigned (tg::FormatError naming the file and the
  /// entry). Integer entries are counts (never negative), numbers must be finite, and every
  /// tensor must have the shape this optimizer keeps: the shape of the same entry in
  /// fresh_state(), or the parameter's shape for an entry the update does not create under
  /// these options (such as max_exp_avg_sq left from a run with amsgrad, which it would
  /// create shaped like the parameter). A list must have as many tensors as fresh_state()'s,
  /// each of the same shape; an empty list or a missing tensor is one not created yet, which
  /// the next update creates, as it did for fresh_state(). Optimizers whose step() is not an
  /// update per parameter (L-BFGS) override it.
  virtual void check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index, State& loaded,
                                  const Options& options);
  /// The state one update builds from nothing: update() run on a copy of `param` with a zero
  /// gradient (the parameter itself is not touched).
  State fresh_state(const Tensor& param, const Options& options);

  /// Runs the closure with recording on; an undefined tensor if there is none.
  static Tensor evaluate(const Closure& closure);

  std::size_t group_count() const override { return groups_.size(); }
  const std::vector<Tensor>& group_params(std::size_t g) const override { return groups_.at(g).params; }
  OptionList group_options(std::size_t g) const override;
  void apply_group_options(std::size_t g, const OptionList& values) override;
  double* number_option(std::size_t g, const std::string& name, bool first_of_list) override;
  const double* number_option(std::size_t g, const std::string& name, bool first_of_list) const override;
  void validate_group(std::size_t g) const override;

  std::vector<ParamGroup> groups_;
  std::vector<std::vector<State>> state_;
};

namespace detail {
Tensor evaluate_closure(const Closure& closure);
}  // namespace detail

}  // namespace tg::optim
