#include "tapegrad/optim/radam.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void RAdam::update(Tensor& param, const Tensor& grad, RAdamState& s, const RAdamOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const double t = static_cast<double>(s.step);
  const auto [beta1, beta2] = o.betas.get();
  const double bias_correction1 = detail::bias_correction(beta1, t);
  const double bias_correction2 = detail::bias_correction(beta2, t);
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
  const double weight_decay = o.weight_decay;
  for (int64_t i = 0; i < n; ++i) {
    double g = g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    m[i] = detail::ema(m[i], g, beta1);
    v[i] = detail::ema_sq(v[i], g, beta2);
    const double m_hat = m[i] / bias_correction1;
    if (rectified) {
      const double adaptive = bias_correction2_sqrt / (std::sqrt(v[i]) + o.eps);
      p[i] = p[i] - m_hat * o.lr * adaptive * rect;
    } else {
      p[i] = p[i] - m_hat * o.lr;
    }
  }
}

template class BasicOptimizer<RAdamOptions, RAdamState, RAdam>;

}  // namespace tg::optim
