// Axis arguments: normalising negative axes and splitting a shape around a reduced axis.
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/shape.hpp"

namespace tg::detail {

/// axis in [-ndim, ndim) → [0, ndim); throws IndexError naming `op` otherwise.
int normalize_axis(const char* op, int axis, int ndim);

/// A set of axes as bits: bit d stands for axis d.
using AxisSet = uint32_t;
inline bool in_set(AxisSet set, int axis) { return ((set >> axis) & 1u) != 0; }
/// The axes of a list (negative ones counted from the end) as a set; an axis out of range
/// throws IndexError, one listed twice ValueError, naming `op`. An empty list is the empty set.
AxisSet axis_set(const char* op, const std::vector<int>& axes, int ndim);

/// A reduction along one axis seen as a 3-D array (outer, n, inner): element (o, k, i) is
/// at (o·n + k)·inner + i and reduces into output element o·inner + i. Reducing everything
/// is outer = inner = 1, n = numel.
struct ReduceDims {
  int64_t outer = 1, n = 1, inner = 1;
};
ReduceDims reduce_dims(const Shape& shape, int axis);
inline ReduceDims reduce_all(const Shape& shape) { return {1, shape.numel(), 1}; }

/// The shape left after reducing `axis` (kept as size 1 with keepdims).
Shape reduced_shape(const Shape& shape, int axis, bool keepdims);

}  // namespace tg::detail
