#include "tapegrad/optim/adam_efficient.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void AdamEfficient::update(Tensor& param, const Tensor& grad, AdamEfficientState& s, const AdamEfficientOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double t = static_cast<double>(s.step);
  const double a = o.lr * std::sqrt(detail::bias_correction(beta2, t)) / (detail::bias_correction(beta1, t));
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  for (int64_t i = 0; i < n; ++i) {
    m[i] = detail::ema(m[i], g[i], beta1);
    v[i] = detail::ema_sq(v[i], g[i], beta2);
    p[i] = p[i] - a * m[i] / (std::sqrt(v[i]) + o.eps);
  }
}

template class BasicOptimizer<AdamEfficientOptions, AdamEfficientState, AdamEfficient>;

}  // namespace tg::optim
