// The optimizer interface, as in PyTorch and libtorch:
//
//   tg::optim::Adam opt(model_parameters, {.lr = 1e-3, .betas = {0.9, 0.999}});
//   for (...) { opt.zero_grad(); auto loss = ...; loss.backward(); opt.step(); }
//
// Optimizer is the interface every optimizer shares (used by schedules, the command line and
// checkpoints); BasicOptimizer<Options, State> adds the typed parameter groups and runs the
// update rule of a concrete optimizer over every parameter that has a gradient.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/optim/options.hpp"
#include "tapegrad/optim/state.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {
class StateDict;
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
  /// Visits the options of a group; `validate` afterwards if anything was changed.
  virtual void visit_group_options(std::size_t group, OptionVisitor& v) = 0;
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

/// A concrete optimizer: Options holds the hyperparameters of a group (with visit() and
/// validate()), State what it keeps per parameter between steps.
template <class Options, class State>
class BasicOptimizer : public Optimizer {
 public:
  struct ParamGroup {
    std::vector<Tensor> params;
    Options options;
  };

  // The constructor, destructor and add_param_group are defined below the class, so that the
  // optimizers' `extern template` keeps their std::vector code out of every includer.
  /// Parameter groups, each with its own options: {{{k}, {.lr = 0.01}}, {{b}, {.lr = 0.1}}}.
  BasicOptimizer(const char* name, std::vector<ParamGroup> groups);
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
  Tensor step(const Closure& closure) override {
    Tensor loss = evaluate(closure);
    begin_step();
    std::size_t flat = 0;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      ParamGroup& group = groups_[g];
      group.options.validate(name());  // options may have been changed through param_groups()
      if (state_[g].size() < group.params.size()) state_[g].resize(group.params.size());
      for (std::size_t i = 0; i < group.params.size(); ++i, ++flat) {
        Tensor& p = group.params[i];
        const Tensor grad = p.grad();
        if (!grad.defined()) continue;
        before_update(flat, p);
        update(p, grad, state_[g][i], group.options);
        after_update(flat, p, grad);
      }
    }
    return loss;
  }

 protected:
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
  State fresh_state(const Tensor& param, const Options& options) {
    Tensor copy = param.detach();
    State state;
    update(copy, tg::zeros(param.shape()), state, options);
    return state;
  }

  /// Runs the closure with recording on; an undefined tensor if there is none.
  static Tensor evaluate(const Closure& closure);

  std::size_t group_count() const override { return groups_.size(); }
  const std::vector<Tensor>& group_params(std::size_t g) const override { return groups_.at(g).params; }
  void visit_group_options(std::size_t g, OptionVisitor& v) override { groups_.at(g).options.visit(v); }
  void validate_group(std::size_t g) const override { groups_.at(g).options.validate(this->name()); }

  std::vector<ParamGroup> groups_;
  std::vector<std::vector<State>> state_;
};

namespace detail {
Tensor evaluate_closure(const Closure& closure);

/// Checks the saved optimizer's name and its group and parameter counts against `expected`.
void check_layout(const CheckpointReader& in, const char* name, const std::vector<std::size_t>& params_per_group);

// Copies one parameter's state to or from a checkpoint, entry by entry.
class StateWriter : public StateVisitor {
 public:
  StateWriter(CheckpointWriter& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}
  void field(const char* name, Tensor& value) override;
  void field(const char* name, std::vector<Tensor>& value) override;
  void field(const char* name, int64_t& value) override;
  void field(const char* name, double& value) override;

 private:
  CheckpointWriter& out_;
  std::string prefix_;
};

class StateReader : public StateVisitor {
 public:
  StateReader(const CheckpointReader& in, std::string prefix) : in_(in), prefix_(std::move(prefix)) {}
  void field(const char* name, Tensor& value) override;
  void field(const char* name, std::vector<Tensor>& value) override;
  void field(const char* name, int64_t& value) override;
  void field(const char* name, double& value) override;

 private:
  const CheckpointReader& in_;
  std::string prefix_;
};

std::string state_prefix(std::size_t group, std::size_t index);
std::string option_key(std::size_t group, const std::string& option);

/// One entry of a parameter's state, as a checkpoint holds it (see StateLayout).
struct StateEntry {
  enum class Kind { kTensor, kList, kCount, kNumber };
  std::string name;
  Kind kind = Kind::kTensor;
  bool present = false;       // kTensor: defined
  Shape shape;                // kTensor
  std::vector<Shape> shapes;  // kList: one per element
  int64_t count = 0;          // kCount
  double number = 0.0;        // kNumber
};

/// The entries of a State, in visit() order: the shapes of its tensors and lists, and its
/// numbers (what load_state() checks; the values of the tensors are not kept).
class StateLayout : public StateVisitor {
 public:
  std::vector<StateEntry> entries;
  void field(const char* name, Tensor& value) override;
  void field(const char* name, std::vector<Tensor>& value) override;
  void field(const char* name, int64_t& value) override;
  void field(const char* name, double& value) override;
  /// Whether any tensor or list element is there (false for a parameter never updated).
  bool holds_tensors() const;
};

template <class State>
StateLayout layout_of(State& state) {
  StateLayout layout;
  state.visit(layout);
  return layout;
}

/// Where a loaded state belongs: the file, and the parameter (for the messages).
struct StateSite {
  const CheckpointReader& in;
  std::size_t group, index;
  Shape param_shape;
};

/// tg::FormatError "<file>: state entry 'state.G.I.<entry>' <problem>".
FormatError state_error(const StateSite& site, const std::string& entry, const std::string& problem);
/// "... is <found> in the checkpoint but <expected> is expected for parameter I of group G (shape S)".
FormatError count_error(const StateSite& site, const std::string& entry, std::size_t found, std::size_t expected);
/// Counts must not be negative, numbers must be finite.
void check_numbers(const StateSite& site, const StateLayout& loaded);
/// Every tensor and list of `loaded` against the same entry of `expected` (the rules of
/// BasicOptimizer::check_loaded_state).
void check_shapes(const StateSite& site, const StateLayout& loaded, const StateLayout& expected);
}  // namespace detail

template <class Options, class State>
BasicOptimizer<Options, State>::BasicOptimizer(const char* name, std::vector<ParamGroup> groups)
    : Optimizer(name) {
  for (ParamGroup& g : groups) add_param_group(std::move(g));
}

template <class Options, class State>
BasicOptimizer<Options, State>::~BasicOptimizer() = default;

template <class Options, class State>
void BasicOptimizer<Options, State>::add_param_group(ParamGroup group) {
  group.options.validate(this->name());
  state_.emplace_back(group.params.size());
  groups_.push_back(std::move(group));
}

template <class Options, class State>
void BasicOptimizer<Options, State>::save_state(CheckpointWriter& out) const {
  out.set("optimizer", name());
  out.set("groups", std::to_string(groups_.size()));
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    out.set("group." + std::to_string(g) + ".params", std::to_string(groups_[g].params.size()));
    for (const auto& [option, text] : format_options(groups_[g].options)) out.set(detail::option_key(g, option), text);
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      State copy = i < state_[g].size() ? state_[g][i] : State();
      detail::StateWriter w(out, detail::state_prefix(g, i));
      copy.visit(w);
    }
  }
  save_initial_lrs(out);
}

template <class Options, class State>
void BasicOptimizer<Options, State>::load_state(const CheckpointReader& in) {
  std::vector<std::size_t> counts;
  for (const ParamGroup& g : groups_) counts.push_back(g.params.size());
  detail::check_layout(in, name(), counts);
  std::vector<Options> options;
  std::vector<std::vector<State>> states(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    Options o = groups_[g].options;
    OptionList saved;
    for (const auto& entry : format_options(o)) saved.emplace_back(entry.first, in.get(detail::option_key(g, entry.first)));
    apply_options(name(), saved, o);
    o.validate(name());
    options.push_back(o);
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      State s;
      detail::StateReader r(in, detail::state_prefix(g, i));
      s.visit(r);
      check_loaded_state(in, g, i, s, o);
      states[g].push_back(std::move(s));
    }
  }
  const std::vector<double> initial_lrs = read_initial_lrs(in);
  for (std::size_t g = 0; g < groups_.size(); ++g) groups_[g].options = options[g];
  state_ = std::move(states);
  restore_initial_lrs(initial_lrs);
}

template <class Options, class State>
void BasicOptimizer<Options, State>::check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index,
                                                        State& loaded, const Options& options) {
  const Tensor& param = groups_[group].params[index];
  const detail::StateSite site{in, group, index, param.shape()};
  const detail::StateLayout saved = detail::layout_of(loaded);
  detail::check_numbers(site, saved);
  if (!saved.holds_tensors()) return;  // nothing kept yet: nothing to compare
  State expected = fresh_state(param, options);
  detail::check_shapes(site, saved, detail::layout_of(expected));
}

template <class Options, class State>
Tensor BasicOptimizer<Options, State>::evaluate(const Closure& closure) {
  return detail::evaluate_closure(closure);
}

}  // namespace tg::optim
