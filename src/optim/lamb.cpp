#include "tapegrad/optim/lamb.hpp"

#include <cmath>
#include <vector>

#include "rule.hpp"

namespace tg::optim {

void Lamb::update(Tensor& param, const Tensor& grad, LambState& s, const LambOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double bias_correction1 = detail::bias_correction(beta1, static_cast<double>(s.step));
  const double bias_correction2 = detail::bias_correction(beta2, static_cast<double>(s.step));

  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  std::vector<double> r(static_cast<std::size_t>(n));
  double param_sq = 0.0, r_sq = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    m[i] = detail::ema(m[i], g[i], beta1);
    v[i] = detail::ema_sq(v[i], g[i], beta2);
    const double m_hat = m[i] / bias_correction1;
    const double v_hat = v[i] / bias_correction2;
    r[i] = m_hat / (std::sqrt(v_hat) + o.eps) + o.weight_decay * p[i];
    param_sq += p[i] * p[i];
    r_sq += r[i] * r[i];
  }
  const double param_norm = std::sqrt(param_sq), r_norm = std::sqrt(r_sq);
  const double trust = (param_norm > 0.0 && r_norm > 0.0) ? param_norm / r_norm : 1.0;
  for (int64_t i = 0; i < n; ++i) p[i] = p[i] - o.lr * trust * r[i];
}

template class BasicOptimizer<LambOptions, LambState, Lamb>;

}  // namespace tg::optim
