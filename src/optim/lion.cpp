#include "tapegrad/optim/lion.hpp"

#include "param_access.hpp"

namespace tg::optim {

namespace {
// 0 at 0; NaN stays NaN.
double sign_keeping_nan(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
}  // namespace

void LionOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_unit_interval(optimizer, "betas[0]", betas[0]);
  check_unit_interval(optimizer, "betas[1]", betas[1]);
  check_non_negative(optimizer, "weight_decay", weight_decay);
}

void Lion::update(Tensor& param, const Tensor& grad, LionState& s, const LionOptions& o) {
  detail::init_zeros(s.exp_avg, param);
  const auto [beta1, beta2] = o.betas;
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  for (int64_t i = 0; i < n; ++i) {
    const double c = beta1 * m[i] + (1.0 - beta1) * g[i];
    p[i] = p[i] - o.lr * (sign_keeping_nan(c) + o.weight_decay * p[i]);
    m[i] = beta2 * m[i] + (1.0 - beta2) * g[i];
  }
}

template class BasicOptimizer<LionOptions, LionState>;

}  // namespace tg::optim
