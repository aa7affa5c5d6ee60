#include "tapegrad/optim/adamw_after.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void AdamWAfter::update(Tensor& param, const Tensor& grad, AdamWAfterState& s, const AdamWAfterOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double t = static_cast<double>(s.step);
  const double bias_correction1 = detail::bias_correction(beta1, t);
  const double bias_correction2 = detail::bias_correction(beta2, t);
  const double decay = o.lr * o.weight_decay;
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
    p[i] = p[i] - o.lr * m_hat / (std::sqrt(v_hat) + o.eps);
    p[i] = p[i] - decay * p[i];
  }
}

template class BasicOptimizer<AdamWAfterOptions, AdamWAfterState, AdamWAfter>;

}  // namespace tg::optim
