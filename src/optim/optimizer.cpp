// What every optimizer shares: gradients cleared, options by name, the learning rate and
// momentum that schedules change, and the effective step sizes of the last step.
#include "tapegrad/optim/optimizer.hpp"

#include <cmath>
#include <limits>

#include "tapegrad/error.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/tape.hpp"

namespace tg::optim {

namespace detail {
Tensor evaluate_closure(const Closure& closure) {
  if (!closure) return Tensor();
  const bool was_enabled = is_grad_enabled();
  set_grad_enabled(true);
  try {
    Tensor loss = closure();
    set_grad_enabled(was_enabled);
    return loss;
  } catch (...) {
    set_grad_enabled(was_enabled);
    throw;
  }
}
}  // namespace detail

void Optimizer::zero_grad(bool set_to_none) {
  for (std::size_t g = 0; g < group_count(); ++g)
    for (const Tensor& p : group_params(g)) p.zero_grad(set_to_none);
}

const std::vector<Tensor>& Optimizer::params(std::size_t group) const {
  if (group >= group_count()) {
    throw IndexError(std::string(name_) + ": parameter group " + std::to_string(group) + " does not exist (" +
                     std::to_string(group_count()) + " groups)");
  }
  return group_params(group);
}

std::vector<Tensor> Optimizer::parameters() const {
  std::vector<Tensor> all;
  for (std::size_t g = 0; g < group_count(); ++g) {
    const std::vector<Tensor>& ps = group_params(g);
    all.insert(all.end(), ps.begin(), ps.end());
  }
  return all;
}

std::vector<std::string> Optimizer::option_names() const {
  std::vector<std::string> names;
  if (group_count() > 0)
    for (const auto& entry : group_options(0)) names.push_back(entry.first);
  return names;
}

std::string Optimizer::option(const std::string& name, std::size_t group) const {
  params(group);  // checks the group index
  for (const auto& [n, text] : group_options(group))
    if (n == name) return text;
  throw ValueError(std::string(name_) + ": unknown option '" + name + "'");
}

void Optimizer::set_option(const std::string& name, const std::string& value, std::size_t group) {
  set_options({{name, value}}, group);
}

void Optimizer::set_options(const OptionList& values, std::size_t group) {
  params(group);  // checks the group index
  const OptionList old = group_options(group);
  try {
    apply_group_options(group, values);
    validate_group(group);
  } catch (...) {
    apply_group_options(group, old);
    throw;
  }
}

double Optimizer::lr(std::size_t group) const {
  params(group);
  const double* lr = number_option(group, "lr", false);
  if (!lr) throw ValueError(std::string(name_) + ": this optimizer has no learning rate");
  return *lr;
}

namespace {
// Sets *field to value, keeping the old value if `validate` refuses the new one.
template <class Validate>
void set_validated(double* field, double value, Validate validate) {
  const double old = *field;
  *field = value;
  try {
    validate();
  } catch (...) {
    *field = old;
    throw;
  }
}
}  // namespace

void Optimizer::set_lr(double lr, std::size_t group) {
  params(group);
  check_lr(name_, lr);
  double* field = number_option(group, "lr", false);
  if (!field) throw ValueError(std::string(name_) + ": this optimizer has no learning rate");
  set_validated(field, lr, [&] { validate_group(group); });
}

double Optimizer::initial_lr(std::size_t group) {
  const double current = lr(group);
  if (initial_lrs_.size() <= group) initial_lrs_.resize(group + 1, std::numeric_limits<double>::quiet_NaN());
  if (std::isnan(initial_lrs_[group])) initial_lrs_[group] = current;  // setdefault
  return initial_lrs_[group];
}

void Optimizer::set_initial_lr(double lr, std::size_t group) {
  params(group);
  check_lr(name_, lr);
  if (initial_lrs_.size() <= group) initial_lrs_.resize(group + 1, std::numeric_limits<double>::quiet_NaN());
  initial_lrs_[group] = lr;
}

namespace {
std::string initial_lr_key(std::size_t group) { return "group." + std::to_string(group) + ".initial_lr"; }
}  // namespace

void Optimizer::save_initial_lrs(CheckpointWriter& out) const {
  for (std::size_t g = 0; g < initial_lrs_.size() && g < group_count(); ++g)
    if (!std::isnan(initial_lrs_[g])) out.set(initial_lr_key(g), format_value(initial_lrs_[g]));
}

std::vector<double> Optimizer::read_initial_lrs(const CheckpointReader& in) const {
  std::vector<double> lrs(group_count(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t g = 0; g < lrs.size(); ++g) {
    if (!in.has(initial_lr_key(g))) continue;
    lrs[g] = in.get_double(initial_lr_key(g));
    if (!std::isfinite(lrs[g]) || lrs[g] < 0.0) {
      throw FormatError(in.source() + ": entry '" + initial_lr_key(g) + "' = " + format_value(lrs[g]) +
                        " is not a valid learning rate");
    }
  }
  return lrs;
}

void Optimizer::restore_initial_lrs(const std::vector<double>& lrs) {
  if (initial_lrs_.size() < lrs.size()) initial_lrs_.resize(lrs.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t g = 0; g < lrs.size(); ++g)
    if (!std::isnan(lrs[g])) initial_lrs_[g] = lrs[g];  // a file without one keeps what a schedule set here
}

bool Optimizer::has_momentum() const {
  return group_count() > 0 && (number_option(0, "momentum", false) || number_option(0, "betas", true));
}

double Optimizer::momentum(std::size_t group) const {
  params(group);
  const double* m = number_option(group, "momentum", false);
  if (!m) m = number_option(group, "betas", true);
  if (!m) throw ValueError(std::string(name_) + ": this optimizer has neither momentum nor betas");
  return *m;
}

void Optimizer::set_momentum(double value, std::size_t group) {
  params(group);
  double* m = number_option(group, "momentum", false);
  if (!m) m = number_option(group, "betas", true);
  if (!m) throw ValueError(std::string(name_) + ": this optimizer has neither momentum nor betas");
  set_validated(m, value, [&] { validate_group(group); });
}

void Optimizer::begin_step() {
  if (!track_step_sizes_) return;
  std::size_t n = 0;
  for (std::size_t g = 0; g < group_count(); ++g) n += group_params(g).size();
  step_sizes_.assign(n, Tensor());
}

void Optimizer::before_update(std::size_t flat, const Tensor& param) {
  if (!track_step_sizes_) return;
  if (before_.size() <= flat) before_.resize(flat + 1);
  before_[flat] = param.detach();
}

void Optimizer::after_update(std::size_t flat, const Tensor& param, const Tensor& grad) {
  if (!track_step_sizes_) return;
  if (step_sizes_.size() <= flat) step_sizes_.resize(flat + 1);
  const double* before = before_[flat].data();
  const double* after = param.data();
  const double* g = grad.data();
  std::vector<double> sizes(static_cast<std::size_t>(param.numel()));
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const double moved = before[i] - after[i];
    sizes[i] = (moved == 0.0 && g[i] == 0.0) ? 0.0 : moved / g[i];
  }
  step_sizes_[flat] = Tensor(sizes, param.shape());
}

std::vector<Tensor> Optimizer::step_sizes() const {
  std::vector<Tensor> out = step_sizes_;
  std::size_t n = 0;
  for (std::size_t g = 0; g < group_count(); ++g) n += group_params(g).size();
  out.resize(n);
  return out;
}

}  // namespace tg::optim
