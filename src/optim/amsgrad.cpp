#include "tapegrad/optim/amsgrad.hpp"

#include <algorithm>
#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void AMSGrad::update(Tensor& param, const Tensor& grad, AMSGradState& s, const AMSGradOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  detail::init_zeros(s.max_exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double bias_correction1 = detail::bias_correction(beta1, static_cast<double>(s.step));
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  double* vmax = detail::write(s.max_exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = detail::ema(m[i], g[i], beta1);
    v[i] = detail::ema_sq(v[i], g[i], beta2);
    vmax[i] = std::max(vmax[i], v[i]);
    const double m_hat = m[i] / bias_correction1;
    p[i] = p[i] - o.lr * m_hat / (std::sqrt(vmax[i]) + o.eps);
  }
}

template class BasicOptimizer<AMSGradOptions, AMSGradState, AMSGrad>;

}  // namespace tg::optim
