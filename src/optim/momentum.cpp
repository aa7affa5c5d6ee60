#include "tapegrad/optim/momentum.hpp"

#include <string>

#include "rule.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

double demon_beta(double beta_init, int64_t k, int64_t T) {
  if (k >= T) return 0.0;
  const double frac = 1.0 - static_cast<double>(k) / static_cast<double>(T);
  return beta_init * frac / ((1.0 - beta_init) + beta_init * frac);
}

void check_demon_T(const char* optimizer, const char* option, int64_t T) {
  if (T == 0) {
    throw ValueError(std::string(optimizer) + ": option " + option +
                     " is required (the total number of steps; it has no default)");
  }
  check::positive(optimizer, option, T);
}

void check_aggmo_betas(const char* optimizer, const char* option, const std::vector<double>& betas) {
  if (betas.empty()) {
    throw ValueError(std::string(optimizer) + ": option " + option + " is empty (expected at least one beta)");
  }
  check::unit_interval(optimizer, option, betas);
}

void HeavyBall::update(Tensor& param, const Tensor& grad, VelocityState& s, const HeavyBallOptions& o) {
  detail::init_zeros(s.velocity, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* v = detail::write(s.velocity);
  for (int64_t i = 0; i < n; ++i) {
    v[i] = o.beta * v[i] + o.lr * g[i];
    p[i] = p[i] - v[i];
  }
}

void MomentumEMA::update(Tensor& param, const Tensor& grad, VelocityState& s, const MomentumEMAOptions& o) {
  detail::init_zeros(s.velocity, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* v = detail::write(s.velocity);
  for (int64_t i = 0; i < n; ++i) {
    v[i] = detail::ema(v[i], g[i], o.beta);
    p[i] = p[i] - o.lr * v[i];
  }
}

void QHM::update(Tensor& param, const Tensor& grad, QHMState& s, const QHMOptions& o) {
  detail::init_zeros(s.momentum_buffer, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* b = detail::write(s.momentum_buffer);
  for (int64_t i = 0; i < n; ++i) {
    b[i] = detail::ema(b[i], g[i], o.beta);
    p[i] = p[i] - o.lr * ((1.0 - o.nu) * g[i] + o.nu * b[i]);
  }
}

void AggMo::update(Tensor& param, const Tensor& grad, AggMoState& s, const AggMoOptions& o) {
  const std::size_t K = o.betas->size();
  if (s.velocities.empty()) s.velocities.resize(K);
  if (s.velocities.size() != K) {
    throw ValueError("aggmo: the state has " + std::to_string(s.velocities.size()) + " velocities but betas has " +
                     std::to_string(K) + " entries (the number of betas cannot change during a run)");
  }
  for (Tensor& v : s.velocities) detail::init_zeros(v, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  std::vector<double*> v(K);
  for (std::size_t k = 0; k < K; ++k) v[k] = detail::write(s.velocities[k]);
  const double step = o.lr / static_cast<double>(K);
  for (int64_t i = 0; i < n; ++i) {
    double total = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      v[k][i] = o.betas[k] * v[k][i] - g[i];
      total = total + v[k][i];
    }
    p[i] = p[i] + step * total;
  }
}

void DemonSGDM::update(Tensor& param, const Tensor& grad, DemonSGDMState& s, const DemonSGDMOptions& o) {
  detail::init_zeros(s.velocity, param);
  s.step += 1;
  const double beta = demon_beta(o.beta_init, s.step - 1, o.T);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* v = detail::write(s.velocity);
  for (int64_t i = 0; i < n; ++i) {
    v[i] = beta * v[i] - o.lr * g[i];
    p[i] = p[i] + v[i];
  }
}

template class BasicOptimizer<HeavyBallOptions, VelocityState, HeavyBall>;
template class BasicOptimizer<MomentumEMAOptions, VelocityState, MomentumEMA>;
template class BasicOptimizer<QHMOptions, QHMState, QHM>;
template class BasicOptimizer<AggMoOptions, AggMoState, AggMo>;
template class BasicOptimizer<DemonSGDMOptions, DemonSGDMState, DemonSGDM>;

}  // namespace tg::optim
