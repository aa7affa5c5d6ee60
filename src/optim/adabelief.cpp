#include "tapegrad/optim/adabelief.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void AdaBelief::update(Tensor& param, const Tensor& grad, AdaBeliefState& st, const AdaBeliefOptions& o) {
  detail::init_zeros(st.exp_avg, param);
  detail::init_zeros(st.exp_avg_var, param);
  st.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double t = static_cast<double>(st.step);
  const double bias_correction1 = detail::bias_correction(beta1, t);
  const double bias_correction2 = detail::bias_correction(beta2, t);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(st.exp_avg);
  double* s = detail::write(st.exp_avg_var);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = detail::ema(m[i], g[i], beta1);
    const double d = g[i] - m[i];
    s[i] = detail::ema_sq(s[i], d, beta2) + o.eps;
    const double m_hat = m[i] / bias_correction1;
    const double s_hat = s[i] / bias_correction2;
    p[i] = p[i] - o.lr * m_hat / (std::sqrt(s_hat) + o.eps);
  }
}

template class BasicOptimizer<AdaBeliefOptions, AdaBeliefState, AdaBelief>;

}  // namespace tg::optim
