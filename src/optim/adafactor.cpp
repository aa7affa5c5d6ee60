#include "tapegrad/optim/adafactor.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "rule.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

namespace {

double rms(const double* x, int64_t n) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += x[i] * x[i];
  return std::sqrt(sum / static_cast<double>(n));
}

}  // namespace

void AdafactorOptions::extra_checks(const char* optimizer) const {
  if (relative_step && !std::isnan(lr)) {
    throw ValueError(std::string(optimizer) + ": lr = " + format_value(lr) +
                     " is not used with relative_step = true (the step size is then "
                     "max(eps2, RMS(θ))·min(1e-2, 1/√t)); set relative_step = false to use it");
  }
  if (!relative_step) check_lr(optimizer, lr);
}

void Adafactor::update(Tensor& param, const Tensor& grad, AdafactorState& s, const AdafactorOptions& o) {
  const int64_t n = param.numel();
  const bool factored = param.ndim() == 2;
  s.step += 1;
  const double t = static_cast<double>(s.step);
  const double beta2 = 1.0 - std::pow(t, o.decay_rate);
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  const double alpha = o.relative_step ? std::max(o.eps2.get(), rms(p, n)) * std::min(1e-2, 1.0 / std::sqrt(t)) : o.lr.get();

  std::vector<double> u(static_cast<std::size_t>(n));
  if (factored) {
    const int64_t rows = param.shape()[0], cols = param.shape()[1];
    if (!s.exp_avg_sq_row.defined()) s.exp_avg_sq_row = tg::zeros({rows});
    if (!s.exp_avg_sq_col.defined()) s.exp_avg_sq_col = tg::zeros({cols});
    double* r = detail::write(s.exp_avg_sq_row);
    double* c = detail::write(s.exp_avg_sq_col);
    std::vector<double> row_sum(static_cast<std::size_t>(rows), 0.0), col_sum(static_cast<std::size_t>(cols), 0.0);
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < cols; ++j) {
        const double g2 = g[i * cols + j] * g[i * cols + j] + o.eps1;
        row_sum[i] += g2;
        col_sum[j] += g2;
      }
    }
    double r_total = 0.0;
    for (int64_t i = 0; i < rows; ++i) {
      r[i] = detail::ema(r[i], row_sum[i], beta2);
      r_total += r[i];
    }
    for (int64_t j = 0; j < cols; ++j) c[j] = detail::ema(c[j], col_sum[j], beta2);
    // V̂ = R Cᵀ / ΣR, the rank-1 estimate of the second moment
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) u[i * cols + j] = g[i * cols + j] / std::sqrt(r[i] * c[j] / r_total);
  } else {
    detail::init_zeros(s.exp_avg_sq, param);
    double* v = detail::write(s.exp_avg_sq);
    for (int64_t i = 0; i < n; ++i) {
      v[i] = detail::ema(v[i], (g[i] * g[i] + o.eps1), beta2);
      u[i] = g[i] / std::sqrt(v[i]);
    }
  }

  const double clip = std::max(1.0, rms(u.data(), n) / o.clip_threshold);
  for (double& x : u) x = x / clip;
  if (o.beta1 != 0.0) {
    detail::init_zeros(s.exp_avg, param);
    double* m = detail::write(s.exp_avg);
    for (int64_t i = 0; i < n; ++i) u[i] = m[i] = detail::ema(m[i], u[i], o.beta1);
  }
  for (int64_t i = 0; i < n; ++i) p[i] = p[i] - alpha * u[i];
}

template class BasicOptimizer<AdafactorOptions, AdafactorState, Adafactor>;

}  // namespace tg::optim
