#include "tapegrad/optim/rmsprop_eps_inside.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void RMSpropEpsInside::update(Tensor& param, const Tensor& grad, RMSpropEpsInsideState& s,
                              const RMSpropEpsInsideOptions& o) {
  detail::init_zeros(s.square_avg, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* E = detail::write(s.square_avg);
  for (int64_t i = 0; i < n; ++i) {
    E[i] = detail::ema_sq(E[i], g[i], o.rho);
    p[i] = p[i] - o.lr * g[i] / std::sqrt(E[i] + o.eps);
  }
}

template class BasicOptimizer<RMSpropEpsInsideOptions, RMSpropEpsInsideState, RMSpropEpsInside>;

}  // namespace tg::optim
