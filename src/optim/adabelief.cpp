#include "tapegrad/optim/adabelief.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void AdaBeliefOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "betas[0]", betas[0]);
  check_unit_interval(optimizer, "betas[1]", betas[1]);
  check_positive(optimizer, "eps", eps);
}

void AdaBelief::update(Tensor& param, const Tensor& grad, AdaBeliefState& st, const AdaBeliefOptions& o) {
  detail::init_zeros(st.exp_avg, param);
  detail::init_zeros(st.exp_avg_var, param);
  st.step += 1;
  const auto [beta1, beta2] = o.betas;
  const double t = static_cast<double>(st.step);
  const double bias_correction1 = 1.0 - std::pow(beta1, t);
  const double bias_correction2 = 1.0 - std::pow(beta2, t);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(st.exp_avg);
  double* s = detail::write(st.exp_avg_var);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
    const double d = g[i] - m[i];
    s[i] = beta2 * s[i] + (1.0 - beta2) * d * d + o.eps;
    const double m_hat = m[i] / bias_correction1;
    const double s_hat = s[i] / bias_correction2;
    p[i] = p[i] - o.lr * m_hat / (std::sqrt(s_hat) + o.eps);
  }
}

template class BasicOptimizer<AdaBeliefOptions, AdaBeliefState>;

}  // namespace tg::optim
