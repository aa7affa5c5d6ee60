#include "tapegrad/optim/rmsprop_eps_inside.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void RMSpropEpsInsideOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "rho", rho);
  check_positive(optimizer, "eps", eps);
}

void RMSpropEpsInside::update(Tensor& param, const Tensor& grad, RMSpropEpsInsideState& s,
                              const RMSpropEpsInsideOptions& o) {
  detail::init_zeros(s.square_avg, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* E = detail::write(s.square_avg);
  for (int64_t i = 0; i < n; ++i) {
    E[i] = o.rho * E[i] + (1.0 - o.rho) * g[i] * g[i];
    p[i] = p[i] - o.lr * g[i] / std::sqrt(E[i] + o.eps);
  }
}

template class BasicOptimizer<RMSpropEpsInsideOptions, RMSpropEpsInsideState>;

}  // namespace tg::optim
