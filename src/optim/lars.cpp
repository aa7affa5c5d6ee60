#include "tapegrad/optim/lars.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void LarsOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "momentum", momentum);
  check_positive(optimizer, "trust_coef", trust_coef);
  check_non_negative(optimizer, "weight_decay", weight_decay);
}

void Lars::update(Tensor& param, const Tensor& grad, LarsState& s, const LarsOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.velocity, param);
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* v = detail::write(s.velocity);
  double param_sq = 0.0, grad_sq = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    param_sq += p[i] * p[i];
    grad_sq += g[i] * g[i];
  }
  const double param_norm = std::sqrt(param_sq), grad_norm = std::sqrt(grad_sq);
  const double local_lr = (param_norm > 0.0 && grad_norm > 0.0)
                              ? o.trust_coef * param_norm / (grad_norm + o.weight_decay * param_norm)
                              : 1.0;
  for (int64_t i = 0; i < n; ++i) {
    v[i] = o.momentum * v[i] + o.lr * local_lr * (g[i] + o.weight_decay * p[i]);
    p[i] = p[i] - v[i];
  }
}

template class BasicOptimizer<LarsOptions, LarsState>;

}  // namespace tg::optim
