#include "tapegrad/optim/demon_adam.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void DemonAdam::update(Tensor& param, const Tensor& grad, DemonAdamState& s, const DemonAdamOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const double beta1 = demon_beta(o.beta_init, s.step - 1, o.T);
  const double bias_correction2 = detail::bias_correction(o.beta2, static_cast<double>(s.step));
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = g[i] + beta1 * m[i];
    v[i] = detail::ema_sq(v[i], g[i], o.beta2);
    const double v_hat = v[i] / bias_correction2;
    p[i] = p[i] - o.lr * m[i] / (std::sqrt(v_hat) + o.eps);
  }
}

template class BasicOptimizer<DemonAdamOptions, DemonAdamState, DemonAdam>;

}  // namespace tg::optim
