// Adam's update of one element, written once for a double and for a vector of doubles (an
// xsimd batch): adam.cpp runs it as a plain loop, the reference, and src/kernels/ runs it
// over whole vectors. Both perform the same IEEE operations in the same order, so they agree
// to the last bit (the kernels are compiled with -ffp-contract=off).
//
//   g ← −g if maximize
//   θ ← θ·(1 − lr·λ)  (AdamW)   or   g ← g + λθ  (Adam, λ ≠ 0)
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   u ← max(u, v) if amsgrad, else v
//   θ ← θ − step_size·m / (√u / √(1 − β2ᵗ) + ε),   step_size = lr / (1 − β1ᵗ)
#pragma once

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "kernels/kernels.hpp"

namespace tg::optim::detail {

// std::max's rule, for a double and (through xsimd's select, found by argument-dependent
// lookup) for a batch: a unless a < b.
template <class V>
inline V maximum(const V& a, const V& b) {
  if constexpr (std::is_same_v<V, double>) {
    return std::max(a, b);
  } else {
    return select(a < b, b, a);
  }
}

/// One element (V = double) or one batch of elements (V = xsimd::batch<double>): p, m, v and
/// vmax (amsgrad's running maximum, used only with s.max_exp_avg_sq) are updated in place.
template <class V>
inline void adam_rule(const tg::detail::kernels::AdamStep& s, V& p, V g, V& m, V& v, V& vmax) {
  using std::sqrt;
  if (s.maximize) g = -g;
  if (s.decoupled_weight_decay) {
    p = p * V(1.0 - s.lr * s.weight_decay);
  } else if (s.weight_decay != 0.0) {
    g = g + V(s.weight_decay) * p;
  }
  m = m * V(s.beta1) + V(1.0 - s.beta1) * g;
  v = v * V(s.beta2) + V(1.0 - s.beta2) * (g * g);
  V u = v;
  if (s.max_exp_avg_sq) u = vmax = maximum(vmax, v);  // std::max's rule: vmax unless vmax < v (NaN kept)
  const V denom = sqrt(u) / V(s.bias_correction2_sqrt) + V(s.eps);
  p = p + V(-s.step_size) * m / denom;  // addcdiv_, left to right
}

/// The plain loop: the reference the vector kernels are tested against.
inline void adam_reference(const tg::detail::kernels::AdamStep& s) {
  for (int64_t i = 0; i < s.n; ++i) {
    double vmax = s.max_exp_avg_sq ? s.max_exp_avg_sq[i] : 0.0;
    adam_rule(s, s.param[i], s.grad[i], s.exp_avg[i], s.exp_avg_sq[i], vmax);
    if (s.max_exp_avg_sq) s.max_exp_avg_sq[i] = vmax;
  }
}

}  // namespace tg::optim::detail
