#include "tapegrad/optim/adagrad.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

void Adagrad::update(Tensor& param, const Tensor& grad, AdagradState& s, const AdagradOptions& o) {
  const int64_t n = param.numel();
  if (!s.sum.defined()) s.sum = tg::full(param.shape(), o.initial_accumulator_value);
  s.step += 1;
  const double clr = o.lr / (1.0 + static_cast<double>(s.step - 1) * o.lr_decay);

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* sum = detail::write(s.sum);
  const double weight_decay = o.weight_decay;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    g = detail::add_weight_decay(g, p[i], weight_decay);
    sum[i] = sum[i] + g * g;
    const double denom = std::sqrt(sum[i]) + o.eps;
    p[i] = p[i] + (-clr) * g / denom;
  }
}

template class BasicOptimizer<AdagradOptions, AdagradState, Adagrad>;

}  // namespace tg::optim
