// The members of BasicOptimizer, and the checkpoint code they use. Included by the file that
// instantiates an optimizer (`template class BasicOptimizer<LionOptions, LionState, Lion>;` in
// lion.cpp, through src/optim/rule.hpp), or by a program that defines its own optimizer, not by users of the optimizers.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

namespace detail {
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

template <class Options, class State, class Self>
BasicOptimizer<Options, State, Self>::BasicOptimizer(const char* name, std::vector<ParamGroup> groups)
    : Optimizer(name) {
  for (ParamGroup& g : groups) add_param_group(std::move(g));
}

template <class Options, class State, class Self>
BasicOptimizer<Options, State, Self>::BasicOptimizer(const char* name, std::vector<Tensor> params, Options options)
    : Optimizer(name) {
  add_param_group({std::move(params), std::move(options)});
}

template <class Options, class State, class Self>
BasicOptimizer<Options, State, Self>::~BasicOptimizer() = default;

template <class Options, class State, class Self>
void BasicOptimizer<Options, State, Self>::add_param_group(ParamGroup group) {
  validate_options(group.options, this->name());
  state_.emplace_back(group.params.size());
  groups_.push_back(std::move(group));
}

template <class Options, class State, class Self>
void BasicOptimizer<Options, State, Self>::save_state(CheckpointWriter& out) const {
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

template <class Options, class State, class Self>
void BasicOptimizer<Options, State, Self>::load_state(const CheckpointReader& in) {
  std::vector<std::size_t> counts;
  for (const ParamGroup& g : groups_) counts.push_back(g.params.size());
  detail::check_layout(in, name(), counts);
  std::vector<Options> options;
  std::vector<std::vector<State>> states(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    Options o = groups_[g].options;
    OptionList saved;
    for (const std::string& option : tg::optim::option_names(o)) saved.emplace_back(option, in.get(detail::option_key(g, option)));
    apply_options(name(), saved, o);
    validate_options(o, name());
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

template <class Options, class State, class Self>
void BasicOptimizer<Options, State, Self>::check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index,
                                                        State& loaded, const Options& options) {
  const Tensor& param = groups_[group].params[index];
  const detail::StateSite site{in, group, index, param.shape()};
  const detail::StateLayout saved = detail::layout_of(loaded);
  detail::check_numbers(site, saved);
  if (!saved.holds_tensors()) return;  // nothing kept yet: nothing to compare
  State expected = fresh_state(param, options);
  detail::check_shapes(site, saved, detail::layout_of(expected));
}

template <class Options, class State, class Self>
Tensor BasicOptimizer<Options, State, Self>::evaluate(const Closure& closure) {
  return detail::evaluate_closure(closure);
}

template <class Options, class State, class Self>
Tensor BasicOptimizer<Options, State, Self>::step(const Closure& closure) {
  Tensor loss = evaluate(closure);
  begin_step();
  std::size_t flat = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    ParamGroup& group = groups_[g];
    validate_options(group.options, name());  // options may have been changed through param_groups()
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

template <class Options, class State, class Self>
State BasicOptimizer<Options, State, Self>::fresh_state(const Tensor& param, const Options& options) {
  Tensor copy = param.detach();
  State state;
  update(copy, tg::zeros(param.shape()), state, options);
  return state;
}

template <class Options, class State, class Self>
OptionList BasicOptimizer<Options, State, Self>::group_options(std::size_t g) const {
  return format_options(groups_.at(g).options);
}

template <class Options, class State, class Self>
void BasicOptimizer<Options, State, Self>::apply_group_options(std::size_t g, const OptionList& values) {
  apply_options(name(), values, groups_.at(g).options);
}

template <class Options, class State, class Self>
double* BasicOptimizer<Options, State, Self>::number_option(std::size_t g, const std::string& option, bool first_of_list) {
  return find_number(groups_.at(g).options, option, first_of_list);
}

template <class Options, class State, class Self>
const double* BasicOptimizer<Options, State, Self>::number_option(std::size_t g, const std::string& option,
                                                            bool first_of_list) const {
  return find_number(groups_.at(g).options, option, first_of_list);
}

template <class Options, class State, class Self>
void BasicOptimizer<Options, State, Self>::validate_group(std::size_t g) const {
  validate_options(groups_.at(g).options, name());
}

}  // namespace tg::optim
