#include "tapegrad/optim/adam.hpp"

#include <algorithm>
#include <cmath>

#include "kernel.hpp"

namespace tg::optim {

namespace {

template <class Options>
void validate_adam(const Options& o, const char* optimizer) {
  check_lr(optimizer, o.lr);
  check_unit_interval(optimizer, "betas[0]", o.betas[0]);
  check_unit_interval(optimizer, "betas[1]", o.betas[1]);
  check_positive(optimizer, "eps", o.eps);
  check_non_negative(optimizer, "weight_decay", o.weight_decay);
}

// One Adam step; `decay_param` selects AdamW's decoupled decay.
template <class Options>
void adam_update(Tensor& param, const Tensor& grad, AdamState& s, const Options& o, bool decay_param) {
  const int64_t n = param.numel();
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  if (o.amsgrad) detail::init_zeros(s.max_exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas;
  const double bias_correction1 = 1.0 - std::pow(beta1, static_cast<double>(s.step));
  const double bias_correction2 = 1.0 - std::pow(beta2, static_cast<double>(s.step));
  const double step_size = o.lr / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* m = detail::write(s.exp_avg);
  double* v = detail::write(s.exp_avg_sq);
  double* vmax = o.amsgrad ? detail::write(s.max_exp_avg_sq) : nullptr;
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    if (decay_param) {
      p[i] = p[i] * (1.0 - o.lr * o.weight_decay);
    } else if (o.weight_decay != 0.0) {
      g = g + o.weight_decay * p[i];
    }
    m[i] = m[i] * beta1 + (1.0 - beta1) * g;
    v[i] = v[i] * beta2 + (1.0 - beta2) * (g * g);
    double u = v[i];
    if (vmax) u = vmax[i] = std::max(vmax[i], v[i]);
    const double denom = std::sqrt(u) / bias_correction2_sqrt + o.eps;
    p[i] = p[i] + (-step_size) * m[i] / denom;  // addcdiv_: self + value·t1/t2, left to right
  }
}

}  // namespace

void AdamOptions::validate(const char* optimizer) const { validate_adam(*this, optimizer); }
void AdamWOptions::validate(const char* optimizer) const { validate_adam(*this, optimizer); }

void Adam::update(Tensor& param, const Tensor& grad, AdamState& s, const AdamOptions& o) {
  adam_update(param, grad, s, o, false);
}

void AdamW::update(Tensor& param, const Tensor& grad, AdamState& s, const AdamWOptions& o) {
  adam_update(param, grad, s, o, true);
}

template class BasicOptimizer<AdamOptions, AdamState>;
template class BasicOptimizer<AdamWOptions, AdamState>;

}  // namespace tg::optim
