// What every optimizer shares: gradients cleared, options by name, the learning rate and
// momentum that schedules change, and the effective step sizes of the last step.
#include "tapegrad/optim/optimizer.hpp"

#include <cmath>
#include <limits>

#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"

namespace tg::optim {

namespace {

// Finds a double field by name (or element 0 of a pair/list), to read or write it.
class NumberAccess : public OptionVisitor {
 public:
  NumberAccess(std::string name, bool first_of_list) : name_(std::move(name)), first_(first_of_list) {}
  double* target = nullptr;
  void field(const char* n, double& v) override {
    if (!first_ && name_ == n) target = &v;
  }
  void field(const char*, bool&) override {}
  void field(const char*, int64_t&) override {}
  void field(const char* n, std::array<double, 2>& v) override {
    if (first_ && name_ == n) target = &v[0];
  }
  void field(const char* n, std::vector<double>& v) override {
    if (first_ && name_ == n && !v.empty()) target = &v[0];
  }
  void field(const char*, std::string&) override {}
  void field(const char*, std::optional<double>&) override {}

 private:
  std::string name_;
  bool first_;
};

class NameList : public OptionVisitor {
 public:
  std::vector<std::string> names;
  void field(const char* n, double&) override { names.emplace_back(n); }
  void field(const char* n, bool&) override { names.emplace_back(n); }
  void field(const char* n, int64_t&) override { names.emplace_back(n); }
  void field(const char* n, std::array<double, 2>&) override { names.emplace_back(n); }
  void field(const char* n, std::vector<double>&) override { names.emplace_back(n); }
  void field(const char* n, std::string&) override { names.emplace_back(n); }
  void field(const char* n, std::optional<double>&) override { names.emplace_back(n); }
};

}  // namespace

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
  NameList names;
  if (group_count() > 0) const_cast<Optimizer*>(this)->visit_group_options(0, names);
  return names.names;
}

namespace {
// The options of one group, in the form detail::apply_options and format_options take.
struct GroupRef {
  Optimizer* optimizer;
  std::size_t group;
  void (*visit_fn)(Optimizer&, std::size_t, OptionVisitor&);
};
void visit_group(void* o, OptionVisitor& v) {
  auto* r = static_cast<GroupRef*>(o);
  r->visit_fn(*r->optimizer, r->group, v);
}
}  // namespace

std::string Optimizer::option(const std::string& name, std::size_t group) const {
  params(group);  // checks the group index
  GroupRef ref{const_cast<Optimizer*>(this), group,
               [](Optimizer& o, std::size_t g, OptionVisitor& v) { o.visit_group_options(g, v); }};
  for (auto& [n, text] : detail::format_options(visit_group, &ref))
    if (n == name) return text;
  throw ValueError(std::string(name_) + ": unknown option '" + name + "'");
}

void Optimizer::set_option(const std::string& name, const std::string& value, std::size_t group) {
  set_options({{name, value}}, group);
}

void Optimizer::set_options(const OptionList& values, std::size_t group) {
  params(group);  // checks the group index
  GroupRef ref{this, group, [](Optimizer& o, std::size_t g, OptionVisitor& v) { o.visit_group_options(g, v); }};
  const OptionList old = detail::format_options(visit_group, &ref);
  try {
    detail::apply_options(name_, values, visit_group, &ref);
    validate_group(group);
  } catch (...) {
    detail::apply_options(name_, old, visit_group, &ref);
    throw;
  }
}

double Optimizer::lr(std::size_t group) const {
  params(group);
  NumberAccess a("lr", false);
  const_cast<Optimizer*>(this)->visit_group_options(group, a);
  if (!a.target) throw ValueError(std::string(name_) + ": this optimizer has no learning rate");
  return *a.target;
}

void Optimizer::set_lr(double lr, std::size_t group) {
  params(group);
  check_lr(name_, lr);
  NumberAccess a("lr", false);
  visit_group_options(group, a);
  if (!a.target) throw ValueError(std::string(name_) + ": this optimizer has no learning rate");
  const double old = *a.target;
  *a.target = lr;
  try {
    validate_group(group);
  } catch (...) {
    *a.target = old;
    throw;
  }
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

namespace {
double* momentum_field(Optimizer& opt, std::size_t group,
                       void (*visit)(Optimizer&, std::size_t, OptionVisitor&)) {
  NumberAccess m("momentum", false);
  visit(opt, group, m);
  if (m.target) return m.target;
  NumberAccess b("betas", true);
  visit(opt, group, b);
  return b.target;
}
}  // namespace

bool Optimizer::has_momentum() const {
  if (group_count() == 0) return false;
  NumberAccess m("momentum", false), b("betas", true);
  auto* self = const_cast<Optimizer*>(this);
  self->visit_group_options(0, m);
  self->visit_group_options(0, b);
  return m.target || b.target;
}

double Optimizer::momentum(std::size_t group) const {
  params(group);
  double* f = momentum_field(*const_cast<Optimizer*>(this), group,
                             [](Optimizer& o, std::size_t g, OptionVisitor& v) { o.visit_group_options(g, v); });
  if (!f) throw ValueError(std::string(name_) + ": this optimizer has neither momentum nor betas");
  return *f;
}

void Optimizer::set_momentum(double value, std::size_t group) {
  params(group);
  double* f = momentum_field(*this, group,
                             [](Optimizer& o, std::size_t g, OptionVisitor& v) { o.visit_group_options(g, v); });
  if (!f) throw ValueError(std::string(name_) + ": this optimizer has neither momentum nor betas");
  const double old = *f;
  *f = value;
  try {
    validate_group(group);
  } catch (...) {
    *f = old;
    throw;
  }
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
