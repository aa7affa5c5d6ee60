#include "tapegrad/optim/qhadam.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void QHAdam::update(Tensor& param, const Tensor& grad, QHAdamState& s, const QHAdamOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const auto [nu1, nu2] = o.nus.get();
  const double t = static_cast<double>(s.step);
  const double bias_correction1 = detail::bias_correction(beta1, t);
  const double bias_correction2 = detail::bias_correction(beta2, t);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* g1 = detail::write(s.exp_avg);
  double* g2 = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    g1[i] = detail::ema(g1[i], g[i], beta1);
    g2[i] = detail::ema_sq(g2[i], g[i], beta2);
    const double g1_hat = g1[i] / bias_correction1;
    const double g2_hat = g2[i] / bias_correction2;
    const double num = (1.0 - nu1) * g[i] + nu1 * g1_hat;
    const double den = std::sqrt((1.0 - nu2) * g[i] * g[i] + nu2 * g2_hat) + o.eps;
    p[i] = p[i] - o.lr * num / den;
  }
}

template class BasicOptimizer<QHAdamOptions, QHAdamState, QHAdam>;

}  // namespace tg::optim
