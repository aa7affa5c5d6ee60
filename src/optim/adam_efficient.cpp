#include "tapegrad/optim/adam_efficient.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void AdamEfficientOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "betas[0]", betas[0]);
  check_unit_interval(optimizer, "betas[1]", betas[1]);
  check_positive(optimizer, "eps", eps);
}

void AdamEfficient::update(Tensor& param, const Tensor& grad, AdamEfficientState& s, const AdamEfficientOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas;
  const double t = static_cast<double>(s.step);
  const double a = o.lr * std::sqrt(1.0 - std::pow(beta2, t)) / (1.0 - std::pow(beta1, t));
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
    p[i] = p[i] - a * m[i] / (std::sqrt(v[i]) + o.eps);
  }
}

template class BasicOptimizer<AdamEfficientOptions, AdamEfficientState>;

}  // namespace tg::optim
