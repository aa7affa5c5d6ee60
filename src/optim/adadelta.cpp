#include "tapegrad/optim/adadelta.hpp"

#include <cmath>

#include "param_access.hpp"

namespace tg::optim {

namespace {

void validate_rho_eps(const char* optimizer, double rho, double eps) {
  check_unit_interval(optimizer, "rho", rho);
  check_positive(optimizer, "eps", eps);
}

void adadelta_update(Tensor& param, const Tensor& grad, AdadeltaState& s, double lr, double rho, double eps,
                     double weight_decay, bool maximize) {
  const int64_t n = param.numel();
  detail::init_zeros(s.square_avg, param);
  detail::init_zeros(s.acc_delta, param);
  s.step += 1;

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* eg = detail::write(s.square_avg);
  double* edx = detail::write(s.acc_delta);
  for (int64_t i = 0; i < n; ++i) {
    double g = maximize ? -g0[i] : g0[i];
    if (weight_decay != 0.0) g = g + weight_decay * p[i];
    eg[i] = eg[i] * rho + (1.0 - rho) * g * g;
    const double delta = std::sqrt(edx[i] + eps) / std::sqrt(eg[i] + eps) * g;
    edx[i] = edx[i] * rho + (1.0 - rho) * delta * delta;
    p[i] = p[i] + (-lr) * delta;
  }
}

}  // namespace

void AdadeltaOptions::validate(const char* optimizer) const {
  check_lr(optimizer, lr);
  validate_rho_eps(optimizer, rho, eps);
  check_non_negative(optimizer, "weight_decay", weight_decay);
}

void AdadeltaNoLrOptions::validate(const char* optimizer) const { validate_rho_eps(optimizer, rho, eps); }

void Adadelta::update(Tensor& param, const Tensor& grad, AdadeltaState& s, const AdadeltaOptions& o) {
  adadelta_update(param, grad, s, o.lr, o.rho, o.eps, o.weight_decay, o.maximize);
}

void AdadeltaNoLr::update(Tensor& param, const Tensor& grad, AdadeltaState& s, const AdadeltaNoLrOptions& o) {
  adadelta_update(param, grad, s, 1.0, o.rho, o.eps, 0.0, false);
}

template class BasicOptimizer<AdadeltaOptions, AdadeltaState>;
template class BasicOptimizer<AdadeltaNoLrOptions, AdadeltaState>;

}  // namespace tg::optim
