#include "tapegrad/optim/nadam_simplified.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void NAdamSimplified::update(Tensor& param, const Tensor& grad, NAdamSimplifiedState& s,
                             const NAdamSimplifiedOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double t = static_cast<double>(s.step);
  const double bias_correction1 = detail::bias_correction(beta1, t);
  const double bias_correction2 = detail::bias_correction(beta2, t);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = detail::ema(m[i], g[i], beta1);
    v[i] = detail::ema_sq(v[i], g[i], beta2);
    const double m_hat = m[i] / bias_correction1;
    const double v_hat = v[i] / bias_correction2;
    const double m_nesterov = beta1 * m_hat + (1.0 - beta1) * g[i] / bias_correction1;
    p[i] = p[i] - o.lr * m_nesterov / (std::sqrt(v_hat) + o.eps);
  }
}

template class BasicOptimizer<NAdamSimplifiedOptions, NAdamSimplifiedState, NAdamSimplified>;

}  // namespace tg::optim
