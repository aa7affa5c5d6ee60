#include "tapegrad/optim/sgd.hpp"

#include "rule.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

void SGDOptions::extra_checks(const char* optimizer) const {
  if (nesterov && (momentum <= 0.0 || dampening != 0.0)) {
    throw ValueError(std::string(optimizer) + ": nesterov = true needs momentum > 0 and dampening = 0 (got momentum = " +
                     format_value(momentum.get()) + ", dampening = " + format_value(dampening.get()) + ")");
  }
}

void SGD::update(Tensor& param, const Tensor& grad, SGDState& s, const SGDOptions& o) {
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  const bool first = !s.momentum_buffer.defined();
  if (o.momentum != 0.0 && first) s.momentum_buffer = tg::zeros(param.shape());
  double* buf = o.momentum != 0.0 ? detail::write(s.momentum_buffer) : nullptr;
  const double lr = o.lr, momentum = o.momentum, dampening = o.dampening, weight_decay = o.weight_decay;
  const bool nesterov = o.nesterov, maximize = o.maximize;
  for (int64_t i = 0; i < n; ++i) {
    double g = maximize ? -g0[i] : g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    double d = g;
    if (buf) {
      buf[i] = first ? g : momentum * buf[i] + (1.0 - dampening) * g;
      d = nesterov ? g + momentum * buf[i] : buf[i];
    }
    p[i] = p[i] - lr * d;
  }
}

template class BasicOptimizer<SGDOptions, SGDState, SGD>;

}  // namespace tg::optim
