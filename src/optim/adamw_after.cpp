#include "tapegrad/optim/adamw_after.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void AdamWAfterOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "betas[0]", betas[0]);
  check_unit_interval(optimizer, "betas[1]", betas[1]);
  check_positive(optimizer, "eps", eps);
  check_non_negative(optimizer, "weight_decay", weight_decay);
}

void AdamWAfter::update(Tensor& param, const Tensor& grad, AdamWAfterState& s, const AdamWAfterOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas;
  const double t = static_cast<double>(s.step);
  const double bias_correction1 = 1.0 - std::pow(beta1, t);
  const double bias_correction2 = 1.0 - std::pow(beta2, t);
  const double decay = o.lr * o.weight_decay;
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
    const double m_hat = m[i] / bias_correction1;
    const double v_hat = v[i] / bias_correction2;
    p[i] = p[i] - o.lr * m_hat / (std::sqrt(v_hat) + o.eps);
    p[i] = p[i] - decay * p[i];
  }
}

template class BasicOptimizer<AdamWAfterOptions, AdamWAfterState>;

}  // namespace tg::optim
