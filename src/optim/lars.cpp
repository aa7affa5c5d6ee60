#include "tapegrad/optim/lars.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

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

template class BasicOptimizer<LarsOptions, LarsState, Lars>;

}  // namespace tg::optim
