#include "tapegrad/optim/adamax.hpp"

#include <algorithm>
#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void AdamaxOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "betas[0]", betas[0]);
  check_unit_interval(optimizer, "betas[1]", betas[1]);
  check_positive(optimizer, "eps", eps);
  check_non_negative(optimizer, "weight_decay", weight_decay);
}

void Adamax::update(Tensor& param, const Tensor& grad, AdamaxState& s, const AdamaxOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_inf, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas;
  const double clr = o.lr / (1.0 - std::pow(beta1, static_cast<double>(s.step)));

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* u = detail::write(s.exp_inf);
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    if (o.weight_decay != 0.0) g = g + o.weight_decay * p[i];
    m[i] = m[i] * beta1 + (1.0 - beta1) * g;
    u[i] = std::max(u[i] * beta2, std::abs(g) + o.eps);
    p[i] = p[i] + (-clr) * m[i] / u[i];
  }
}

template class BasicOptimizer<AdamaxOptions, AdamaxState>;

}  // namespace tg::optim
