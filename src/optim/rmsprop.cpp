#include "tapegrad/optim/rmsprop.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

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
  const double weight_decay = o.weight_decay;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    v[i] = detail::ema_sq(v[i], g, o.alpha);
    double a;
    if (gbar) {
      gbar[i] = detail::ema(gbar[i], g, o.alpha);
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

template class BasicOptimizer<RMSpropOptions, RMSpropState, RMSprop>;

}  // namespace tg::optim
