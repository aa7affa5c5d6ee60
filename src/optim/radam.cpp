#include "tapegrad/optim/radam.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void RAdamOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "betas[0]", betas[0]);
  check_unit_interval(optimizer, "betas[1]", betas[1]);
  check_positive(optimizer, "eps", eps);
  check_non_negative(optimizer, "weight_decay", weight_decay);
}

void RAdam::update(Tensor& param, const Tensor& grad, RAdamState& s, const RAdamOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const double t = static_cast<double>(s.step);
  const auto [beta1, beta2] = o.betas;
  const double bias_correction1 = 1.0 - std::pow(beta1, t);
  const double bias_correction2 = 1.0 - std::pow(beta2, t);
  const double rho_inf = 2.0 / (1.0 - beta2) - 1.0;
  const double rho_t = rho_inf - 2.0 * t * std::pow(beta2, t) / bias_correction2;
  const bool rectified = rho_t > 5.0;
  const double rect = rectified ? std::sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf /
                                            ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                                : 0.0;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    double g = g0[i];
    if (o.weight_decay != 0.0) g = g + o.weight_decay * p[i];
    m[i] = m[i] * beta1 + (1.0 - beta1) * g;
    v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
    const double m_hat = m[i] / bias_correction1;
    if (rectified) {
      const double adaptive = bias_correction2_sqrt / (std::sqrt(v[i]) + o.eps);
      p[i] = p[i] - m_hat * o.lr * adaptive * rect;
    } else {
      p[i] = p[i] - m_hat * o.lr;
    }
  }
}

template class BasicOptimizer<RAdamOptions, RAdamState>;

}  // namespace tg::optim
