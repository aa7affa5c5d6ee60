#include "tapegrad/optim/adadelta.hpp"

#include <cmath>

#include "rule.hpp"

namespace tg::optim {

namespace {

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
    g = detail::add_weight_decay(g, p[i], weight_decay);
    eg[i] = detail::ema_sq(eg[i], g, rho);
    const double delta = std::sqrt(edx[i] + eps) / std::sqrt(eg[i] + eps) * g;
    edx[i] = detail::ema_sq(edx[i], delta, rho);
    p[i] = p[i] + (-lr) * delta;
  }
}

}  // namespace

void Adadelta::update(Tensor& param, const Tensor& grad, AdadeltaState& s, const AdadeltaOptions& o) {
  adadelta_update(param, grad, s, o.lr, o.rho, o.eps, o.weight_decay, o.maximize);
}

void AdadeltaNoLr::update(Tensor& param, const Tensor& grad, AdadeltaState& s, const AdadeltaNoLrOptions& o) {
  adadelta_update(param, grad, s, 1.0, o.rho, o.eps, 0.0, false);
}

template class BasicOptimizer<AdadeltaOptions, AdadeltaState, Adadelta>;
template class BasicOptimizer<AdadeltaNoLrOptions, AdadeltaState, AdadeltaNoLr>;

}  // namespace tg::optim
