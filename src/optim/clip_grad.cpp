// Gradient clipping, in PyTorch's order of operations (see the header's algorithm box).
#include "tapegrad/optim/clip_grad.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "param_access.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/optim/options.hpp"

namespace tg::optim {

namespace {

// ‖x‖_p of n values, as torch.norm: Σ|x| for p = 1, √(Σx²) for p = 2, (Σ|x|^p)^(1/p) otherwise.
double p_norm(const double* x, std::size_t n, double p) {
  double acc = 0.0;
  if (std::isinf(p)) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(x[i])) return x[i];  // as torch's max: nan wins
      acc = std::max(acc, std::fabs(x[i]));
    }
    return acc;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double a = std::fabs(x[i]);
    acc += p == 1.0 ? a : p == 2.0 ? a * a : std::pow(a, p);
  }
  return p == 1.0 ? acc : p == 2.0 ? std::sqrt(acc) : std::pow(acc, 1.0 / p);
}

std::vector<Tensor> gradients(const std::vector<Tensor>& parameters) {
  std::vector<Tensor> grads;
  for (const Tensor& p : parameters) {
    Tensor g = p.grad();
    if (g.defined()) grads.push_back(std::move(g));
  }
  return grads;
}

// max_norm and clip_value may be infinite (clip_grad_norm_(ps, inf) only measures the norm).
void check_limit(const char* function, const char* option, double value) {
  if (!(value >= 0.0)) {
    throw ValueError(std::string(function) + ": invalid " + option + " = " + format_value(value) +
                     " (expected a value >= 0)");
  }
}

}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  const char* name = "clip_grad_norm_";
  check_limit(name, "max_norm", max_norm);
  if (!(norm_type > 0.0)) {
    throw ValueError(std::string(name) + ": invalid norm_type = " + format_value(norm_type) +
                     " (expected a value > 0, or inf)");
  }
  const std::vector<Tensor> grads = gradients(parameters);
  if (grads.empty()) return 0.0;

  std::vector<double> norms;
  for (const Tensor& g : grads) norms.push_back(p_norm(g.data(), static_cast<std::size_t>(g.numel()), norm_type));
  const double total = p_norm(norms.data(), norms.size(), norm_type);
  if (error_if_nonfinite && !std::isfinite(total)) {
    throw ValueError(std::string(name) + ": the total norm of order " + format_value(norm_type) +
                     " of the gradients is non-finite (" + format_value(total) +
                     "), so it cannot be clipped; with error_if_nonfinite = false they are scaled by it anyway");
  }
  const double coef = std::min(max_norm / (total + 1e-6), 1.0);
  for (const Tensor& g : grads) {
    double* v = detail::write(g);
    for (int64_t i = 0; i < g.numel(); ++i) v[i] = v[i] * coef;
  }
  return total;
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  check_limit("clip_grad_value_", "clip_value", clip_value);
  for (const Tensor& g : gradients(parameters)) {
    double* v = detail::write(g);
    for (int64_t i = 0; i < g.numel(); ++i) v[i] = std::clamp(v[i], -clip_value, clip_value);
  }
}

}  // namespace tg::optim
