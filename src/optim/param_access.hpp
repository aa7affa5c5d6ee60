// Internal: what the update rules use to read gradients and write parameters and state in
// place. Updates are plain loops over the elements (Adam's element update, adam_rule.hpp, is
// also run by the vector kernels of src/kernels/), written in the order of the reference
// formulas so that the arithmetic matches them.
#pragma once

#include "tapegrad/creation.hpp"
#include "tapegrad/tensor.hpp"
#include "core/tensor_access.hpp"

namespace tg::optim::detail {

/// The values of a tensor, to be changed in place (counted as an in-place write, so that
/// backward() refuses graphs that still need the old values).
inline double* write(const Tensor& t) {
  ++tg::detail::impl_of(t)->version;
  return tg::detail::impl_of(t)->data;
}
inline const double* read(const Tensor& t) { return t.data(); }

/// Zero state shaped like a parameter, created on its first step.
inline void init_zeros(Tensor& state, const Tensor& like) {
  if (!state.defined()) state = tg::zeros(like.shape());
}

}  // namespace tg::optim::detail
