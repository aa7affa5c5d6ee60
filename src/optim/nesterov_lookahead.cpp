#include "tapegrad/optim/nesterov_lookahead.hpp"

#include <algorithm>

#include "rule.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

Tensor NesterovLookahead::step(const Closure& closure) {
  if (!closure) {
    throw ValueError(
        "nesterov_lookahead: step() needs a closure (the gradient is taken at the look-ahead point "
        "theta - gamma*v; pass one that clears the gradients, evaluates the loss and calls backward())");
  }
  // Move to the look-ahead point, keeping the exact values of θ.
  std::vector<std::vector<double>> saved;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const double gamma = groups_[g].options.gamma;
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Tensor& param = groups_[g].params[i];
      saved.push_back(param.to_vector());
      if (i >= state_[g].size() || !state_[g][i].velocity.defined()) continue;
      const int64_t n = param.numel();
      double* p = detail::write(param);
      const double* v = detail::read(state_[g][i].velocity);
      for (int64_t j = 0; j < n; ++j) p[j] = p[j] - gamma * v[j];
    }
  }
  Tensor loss;
  try {
    loss = evaluate(closure);
  } catch (...) {
    restore(saved);
    throw;
  }
  restore(saved);
  BasicOptimizer::step(Closure());  // the updates, from the look-ahead gradients
  return loss;
}

void NesterovLookahead::restore(const std::vector<std::vector<double>>& saved) {
  std::size_t k = 0;
  for (const ParamGroup& group : groups_) {
    for (const Tensor& param : group.params) {
      const std::vector<double>& values = saved[k++];
      std::copy(values.begin(), values.end(), detail::write(param));
    }
  }
}

void NesterovLookahead::update(Tensor& param, const Tensor& grad, VelocityState& s, const NesterovLookaheadOptions& o) {
  detail::init_zeros(s.velocity, param);
  const int64_t n = param.numel();
  double* p = detail::write(param);
  const double* g = detail::read(grad);
  double* v = detail::write(s.velocity);
  for (int64_t i = 0; i < n; ++i) {
    v[i] = o.gamma * v[i] + o.lr * g[i];
    p[i] = p[i] - v[i];
  }
}

template class BasicOptimizer<NesterovLookaheadOptions, VelocityState>;

}  // namespace tg::optim
