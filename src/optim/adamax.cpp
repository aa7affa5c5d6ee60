#include "tapegrad/optim/adamax.hpp"

#include <algorithm>
#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void Adamax::update(Tensor& param, const Tensor& grad, AdamaxState& s, const AdamaxOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_inf, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double clr = o.lr / (detail::bias_correction(beta1, static_cast<double>(s.step)));

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* u = detail::write(s.exp_inf);
  const double weight_decay = o.weight_decay;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    m[i] = detail::ema(m[i], g, beta1);
    u[i] = std::max(u[i] * beta2, std::abs(g) + o.eps);
    p[i] = p[i] + (-clr) * m[i] / u[i];
  }
}

template class BasicOptimizer<AdamaxOptions, AdamaxState, Adamax>;

}  // namespace tg::optim
