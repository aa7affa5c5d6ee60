#include "tapegrad/optim/rprop.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "rule.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

namespace {

double sign(double x) { return static_cast<double>((x > 0.0) - (x < 0.0)); }

}  // namespace

void check_etas(const char* optimizer, const char* option, const Betas& etas) {
  const auto [etaminus, etaplus] = etas;
  if (!(0.0 < etaminus && etaminus < 1.0 && 1.0 < etaplus) || std::isinf(etaplus)) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + format_value(etas) +
                     " (expected 0 < etas[0] < 1 < etas[1], finite)");
  }
}

void check_step_sizes(const char* optimizer, const char* option, const Betas& step_sizes) {
  const auto [step_min, step_max] = step_sizes;
  if (!(0.0 <= step_min && step_min <= step_max)) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + format_value(step_sizes) +
                     " (expected 0 <= step_sizes[0] <= step_sizes[1])");
  }
}

void Rprop::update(Tensor& param, const Tensor& grad, RpropState& s, const RpropOptions& o) {
  const int64_t n = param.numel();
  detail::init_zeros(s.prev, param);
  if (!s.step_size.defined()) s.step_size = tg::full(param.shape(), o.lr);
  s.step += 1;
  const auto [etaminus, etaplus] = o.etas.get();
  const auto [step_min, step_max] = o.step_sizes.get();

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  double* prev = detail::write(s.prev);
  double* step = detail::write(s.step_size);
  for (int64_t i = 0; i < n; ++i) {
    double g = o.maximize ? -g0[i] : g0[i];
    const double same = sign(g * prev[i]);
    const double factor = same > 0.0 ? etaplus : same < 0.0 ? etaminus : 1.0;
    step[i] = std::clamp(step[i] * factor, step_min, step_max);
    if (same < 0.0) g = 0.0;
    p[i] = p[i] - sign(g) * step[i];
    prev[i] = g;
  }
}

template class BasicOptimizer<RpropOptions, RpropState, Rprop>;

}  // namespace tg::optim
