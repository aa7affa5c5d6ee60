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
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    g = detail::add_weight_decay(g, p[i], o.weight_decay);
    double d = g;
    if (buf) {
      buf[i] = first ? g : o.momentum * buf[i] + (1.0 - o.dampening) * g;
      d = o.nesterov ? g + o.momentum * buf[i] : buf[i];
    }
    p[i] = p[i] - o.lr * d;
  }
}

template class BasicOptimizer<SGDOptions, SGDState, SGD>;

}  // namespace tg::optim
