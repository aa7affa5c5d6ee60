#include "tapegrad/optim/lion.hpp"

#include "rule.hpp"

namespace tg::optim {

void Lion::update(Tensor& param, const Tensor& grad, LionState& s, const LionOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  const auto [beta1, beta2] = o.betas.get();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  for (int64_t i = 0, n = param.numel(); i < n; ++i) {
    const double c = detail::ema(m[i], g[i], beta1);  // interpolation with the old m
    p[i] = p[i] - o.lr * (detail::sign(c) + o.weight_decay * p[i]);
    m[i] = detail::ema(m[i], g[i], beta2);  // the momentum, after the step
  }
}

template class BasicOptimizer<LionOptions, LionState, Lion>;

}  // namespace tg::optim
