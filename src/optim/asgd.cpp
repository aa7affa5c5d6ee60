#include "tapegrad/optim/asgd.hpp"

#include <algorithm>
#include <cmath>

#include "rule.hpp"

namespace tg::optim {

Tensor ASGD::averaged(std::size_t group, std::size_t index) const {
  const Tensor& param = params(group).at(index);
  const Tensor& ax = state(group, index).ax;
  return (ax.defined() ? ax : param).detach();
}

void ASGD::update(Tensor& param, const Tensor& grad, ASGDState& s, const ASGDOptions& o) {
  const int64_t n = param.numel();
  if (s.step == 0) s.eta = o.lr;
  detail::init_zeros(s.ax, param);
  s.step += 1;

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* ax = detail::write(s.ax);
  const double weight_decay = o.weight_decay;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    p[i] = p[i] * (1.0 - o.lambd * s.eta);
    p[i] = p[i] + (-s.eta) * g;
    ax[i] = s.mu != 1.0 ? ax[i] + (p[i] - ax[i]) * s.mu : p[i];
  }
  const double t = static_cast<double>(s.step);
  s.eta = o.lr / std::pow(1.0 + o.lambd * o.lr * t, o.alpha);
  s.mu = 1.0 / std::max(1.0, t - o.t0);
}

template class BasicOptimizer<ASGDOptions, ASGDState, ASGD>;

}  // namespace tg::optim
