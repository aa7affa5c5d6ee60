#include "tapegrad/optim/adagrad.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

void AdagradOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  check_non_negative(optimizer, "lr_decay", lr_decay);
  check_non_negative(optimizer, "weight_decay", weight_decay);
  check_non_negative(optimizer, "initial_accumulator_value", initial_accumulator_value);
  check_positive(optimizer, "eps", eps);
}

void Adagrad::update(Tensor& param, const Tensor& grad, AdagradState& s, const AdagradOptions& o) {
  const int64_t n = param.numel();
  if (!s.sum.defined()) s.sum = tg::full(param.shape(), o.initial_accumulator_value);
  s.step += 1;
  const double clr = o.lr / (1.0 + static_cast<double>(s.step - 1) * o.lr_decay);

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* sum = detail::write(s.sum);
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    if (o.weight_decay != 0.0) g = g + o.weight_decay * p[i];
    sum[i] = sum[i] + g * g;
    const double denom = std::sqrt(sum[i]) + o.eps;
    p[i] = p[i] + (-clr) * g / denom;
  }
}

template class BasicOptimizer<AdagradOptions, AdagradState>;

}  // namespace tg::optim
