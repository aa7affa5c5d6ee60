#include "tapegrad/optim/adagrad_eps_inside.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void AdagradEpsInside::update(Tensor& param, const Tensor& grad, AdagradEpsInsideState& s,
                              const AdagradEpsInsideOptions& o) {
  detail::init_zeros(s.sum, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* G = detail::write(s.sum);
  for (int64_t i = 0; i < n; ++i) {
    G[i] = G[i] + g[i] * g[i];
    p[i] = p[i] - o.lr * g[i] / std::sqrt(G[i] + o.eps);
  }
}

template class BasicOptimizer<AdagradEpsInsideOptions, AdagradEpsInsideState, AdagradEpsInside>;

}  // namespace tg::optim
