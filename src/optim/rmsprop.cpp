#include "tapegrad/optim/rmsprop.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void RMSpropOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "alpha", alpha);
  check_positive(optimizer, "eps", eps);
  check_non_negative(optimizer, "weight_decay", weight_decay);
  check_unit_interval(optimizer, "momentum", momentum);
}

void RMSprop::update(Tensor& param, const Tensor& grad, RMSpropState& s, const RMSpropOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.square_avg, param);
  if (o.centered) detail::init_zeros(s.grad_avg, param);
  if (o.momentum > 0.0) detail::init_zeros(s.momentum_buffer, param);
  s.step += 1;

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* v = detail::write(s.square_avg);
  double* gbar = o.centered ? detail::write(s.grad_avg) : nullptr;
  double* buf = o.momentum > 0.0 ? detail::write(s.momentum_buffer) : nullptr;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    if (o.weight_decay != 0.0) g = g + o.weight_decay * p[i];
    v[i] = v[i] * o.alpha + (1.0 - o.alpha) * g * g;
    double a;
    if (gbar) {
      gbar[i] = gbar[i] * o.alpha + (1.0 - o.alpha) * g;
      a = std::sqrt(v[i] - gbar[i] * gbar[i]) + o.eps;
    } else {
      a = std::sqrt(v[i]) + o.eps;
    }
    if (buf) {
      buf[i] = buf[i] * o.momentum + g / a;
      p[i] = p[i] + (-o.lr) * buf[i];
    } else {
      p[i] = p[i] + (-o.lr) * g / a;
    }
  }
}

template class BasicOptimizer<RMSpropOptions, RMSpropState>;

}  // namespace tg::optim
