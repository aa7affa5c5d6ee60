#include "tapegrad/optim/adamax_textbook.hpp"

#include <algorithm>
#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void AdamaxTextbook::update(Tensor& param, const Tensor& grad, AdamaxTextbookState& s, const AdamaxTextbookOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_inf, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double bias_correction1 = detail::bias_correction(beta1, static_cast<double>(s.step));
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* u = detail::write(s.exp_inf);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = detail::ema(m[i], g[i], beta1);
    u[i] = std::max(beta2 * u[i], std::fabs(g[i]));
    const double m_hat = m[i] / bias_correction1;
    p[i] = p[i] - o.lr * m_hat / (u[i] + o.eps);
  }
}

template class BasicOptimizer<AdamaxTextbookOptions, AdamaxTextbookState, AdamaxTextbook>;

}  // namespace tg::optim
