#include "tapegrad/optim/larc.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>
#include <string>

#include "param_access.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/checkpoint.hpp"

namespace tg::optim {

namespace {

// "larc_" + the wrapped optimizer's name, kept for the life of the program (names are
// const char*, and LARC objects come and go).
const char* larc_name(const Optimizer* inner) {
  if (!inner) throw ValueError("LARC: the optimizer to wrap is null");
  static std::mutex mutex;
  static std::set<std::string> names;
  const std::lock_guard<std::mutex> lock(mutex);
  return names.insert("larc_" + std::string(inner->name())).first->c_str();
}

std::string larc_key(const std::string& option) { return "larc." + option; }

// One parameter's gradient, in place, as apex scales it (lr is read only with clip):
//   a = η‖θ‖ / (‖g‖ + λ‖θ‖ + ε),  a ← min(a/lr, 1) with clip,  g ← (g + λθ)·a
// and left alone, without the weight decay, when ‖θ‖ or ‖g‖ is 0.
void larc_scale_gradient(const Tensor& param, const Tensor& grad, double weight_decay, double lr,
                         const LARCOptions& o) {
  const int64_t n = param.numel();
  const double* p = detail::read(param);
  const double* g = detail::read(grad);
  double param_sq = 0.0, grad_sq = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    param_sq += p[i] * p[i];
    grad_sq += g[i] * g[i];
  }
  const double param_norm = std::sqrt(param_sq), grad_norm = std::sqrt(grad_sq);
  if (param_norm == 0.0 || grad_norm == 0.0) return;
  double adaptive_lr = o.trust_coefficient * param_norm / (grad_norm + param_norm * weight_decay + o.eps);
  if (o.clip) adaptive_lr = std::min(adaptive_lr / lr, 1.0);  // the step lr·a is then min(lr, a)
  double* d = detail::write(grad);
  for (int64_t i = 0; i < n; ++i) d[i] = (d[i] + weight_decay * p[i]) * adaptive_lr;
}

}  // namespace

LARC::LARC(std::unique_ptr<Optimizer> optimizer, LARCOptions options)
    : Optimizer(larc_name(optimizer.get())), inner_(std::move(optimizer)), options_(options) {
  validate_options(options_, name());
  inner_->name_ = name();
}

OptionList LARC::group_options(std::size_t group) const {
  OptionList all = inner_->group_options(group);
  for (auto& option : format_options(options_)) all.push_back(std::move(option));
  return all;
}

namespace detail {
void split_larc_options(const OptionList& values, OptionList& larc, OptionList& inner) {
  const std::vector<std::string> own = option_names(LARCOptions());
  for (const auto& value : values) {
    const bool is_own = std::find(own.begin(), own.end(), value.first) != own.end();
    (is_own ? larc : inner).push_back(value);
  }
}
}  // namespace detail

// An unknown name is refused with the options of both listed.
void LARC::apply_group_options(std::size_t group, const OptionList& values) {
  const std::vector<std::string> all = option_names();
  for (const auto& value : values)
    if (std::find(all.begin(), all.end(), value.first) == all.end())
      detail::throw_unknown_option(name(), value.first, all);
  OptionList larc_values, inner_values;
  detail::split_larc_options(values, larc_values, inner_values);
  inner_->apply_group_options(group, inner_values);
  apply_options(name(), larc_values, options_);
}

double* LARC::number_option(std::size_t group, const std::string& option, bool first_of_list) {
  double* inner = inner_->number_option(group, option, first_of_list);
  return inner ? inner : find_number(options_, option, first_of_list);
}

const double* LARC::number_option(std::size_t group, const std::string& option, bool first_of_list) const {
  const Optimizer& inner = *inner_;
  const double* found = inner.number_option(group, option, first_of_list);
  return found ? found : find_number(options_, option, first_of_list);
}

void LARC::validate_group(std::size_t group) const {
  inner_->validate_group(group);
  validate_options(options_, name());
}

Tensor LARC::step(const Closure& closure) {
  Tensor loss = detail::evaluate_closure(closure);
  validate_options(options_, name());
  const std::size_t groups = group_count();
  // The lr and weight_decay of each group of the wrapped optimizer (null if it has none).
  struct GroupFields {
    double* lr;
    double* weight_decay;
  };
  std::vector<GroupFields> fields(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    fields[g] = {inner_->number_option(g, "lr", false), inner_->number_option(g, "weight_decay", false)};
    if (options_.clip && !(fields[g].lr && std::isfinite(*fields[g].lr) && *fields[g].lr > 0.0)) {
      throw ValueError(std::string(name()) + ": clip = true divides by the learning rate, and group " +
                       std::to_string(g) + " has no positive finite lr");
    }
  }

  begin_step();
  std::vector<Tensor> held;  // the gradients as the parameters held them, for step_sizes()
  std::size_t flat = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const double wd = fields[g].weight_decay ? *fields[g].weight_decay : 0.0;
    for (const Tensor& param : group_params(g)) {
      const Tensor grad = param.grad();
      const std::size_t index = flat++;
      if (!grad.defined()) continue;
      if (track_step_sizes_) {
        before_update(index, param);
        held.resize(flat);
        held[index] = grad.detach().clone();
      }
      larc_scale_gradient(param, grad, wd, options_.clip ? *fields[g].lr : 0.0, options_);
    }
  }

  // The weight decay is in the gradients now: the wrapped optimizer steps without it.
  std::vector<double> decays(groups, 0.0);
  for (std::size_t g = 0; g < groups; ++g) {
    if (!fields[g].weight_decay) continue;
    decays[g] = *fields[g].weight_decay;
    *fields[g].weight_decay = 0.0;
  }
  auto restore = [&] {
    for (std::size_t g = 0; g < groups; ++g)
      if (fields[g].weight_decay) *fields[g].weight_decay = decays[g];
  };
  try {
    inner_->step();
  } catch (...) {
    restore();
    throw;
  }
  restore();

  flat = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    for (const Tensor& param : group_params(g)) {
      const std::size_t index = flat++;
      if (index < held.size() && held[index].defined()) after_update(index, param, held[index]);
    }
  }
  return loss;
}

void LARC::save_state(CheckpointWriter& out) const {
  inner_->save_state(out);
  for (const auto& [option, text] : format_options(options_)) out.set(larc_key(option), text);
  save_initial_lrs(out);  // schedules attach to the wrapper, which keeps the initial lrs
}

void LARC::load_state(const CheckpointReader& in) {
  std::vector<std::size_t> counts;
  for (std::size_t g = 0; g < group_count(); ++g) counts.push_back(group_params(g).size());
  detail::check_layout(in, name(), counts);
  LARCOptions loaded = options_;
  OptionList saved;
  for (const std::string& option : tg::optim::option_names(loaded)) saved.emplace_back(option, in.get(larc_key(option)));
  apply_options(name(), saved, loaded);
  validate_options(loaded, name());
  const std::vector<double> initial_lrs = read_initial_lrs(in);
  inner_->load_state(in);
  options_ = loaded;
  restore_initial_lrs(initial_lrs);
}

}  // namespace tg::optim
