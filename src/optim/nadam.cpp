#include "tapegrad/optim/nadam.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void NAdam::update(Tensor& param, const Tensor& grad, NAdamState& s, const NAdamOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  s.step += 1;
  const double t = static_cast<double>(s.step);
  const auto [beta1, beta2] = o.betas.get();
  const double bias_correction2_sqrt = std::sqrt(detail::bias_correction(beta2, t));
  const double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, t * o.momentum_decay));
  const double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * o.momentum_decay));
  s.mu_product *= mu;
  const double mu_product_next = s.mu_product * mu_next;
  const double grad_step = -o.lr * (1.0 - mu) / (1.0 - s.mu_product);
  const double avg_step = -o.lr * mu_next / (1.0 - mu_product_next);

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  const double weight_decay = o.weight_decay;
  for (int64_t i = 0; i < n; ++i) {
    double g = g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    m[i] = detail::ema(m[i], g, beta1);
    v[i] = detail::ema_sq(v[i], g, beta2);
    // √(v/(1 − β2ᵗ)) + ε in the order of 1.13's multi-tensor path, which made the reference
    const double denom = std::sqrt(v[i]) / bias_correction2_sqrt + o.eps;
    p[i] = p[i] + grad_step * g / denom;
    p[i] = p[i] + avg_step * m[i] / denom;
  }
}

template class BasicOptimizer<NAdamOptions, NAdamState, NAdam>;

}  // namespace tg::optim
