#include "tapegrad/optim/sgd.hpp"

#include "param_access.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

void SGDOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_non_negative(optimizer, "momentum", momentum);
  check_non_negative(optimizer, "dampening", dampening);
  check_non_negative(optimizer, "weight_decay", weight_decay);
  if (nesterov && (momentum <= 0.0 || dampening != 0.0)) {
    throw ValueError(std::string(optimizer) + ": nesterov = true needs momentum > 0 and dampening = 0 (got momentum = " +
                     format_value(momentum) + ", dampening = " + format_value(dampening) + ")");
  }
}

void SGD::update(Tensor& param, const Tensor& grad, SGDState& s, const SGDOptions& o) {
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  const bool first = !s.momentum_buffer.defined();
  if (o.momentum != 0.0 && first) s.momentum_buffer = tg::zeros(param.shape());
  double* buf = o.momentum != 0.0 ? detail::write(s.momentum_buffer) : nullptr;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    if (o.weight_decay != 0.0) g = g + o.weight_decay * p[i];
    double d = g;
    if (buf) {
      buf[i] = first ? g : o.momentum * buf[i] + (1.0 - o.dampening) * g;
      d = o.nesterov ? g + o.momentum * buf[i] : buf[i];
    }
    p[i] = p[i] - o.lr * d;
  }
}

template class BasicOptimizer<SGDOptions, SGDState>;

}  // namespace tg::optim
