#include "axes.hpp"

#include <string>

#include "tapegrad/error.hpp"

namespace tg::detail {

int normalize_axis(const char* op, int axis, int ndim) {
  const int lo = ndim == 0 ? -1 : -ndim;
  const int hi = ndim == 0 ? 0 : ndim - 1;
  if (axis < lo || axis > hi) {
    throw IndexError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of range for a tensor with " + std::to_string(ndim) +
                     " dimension(s) (expected " + std::to_string(lo) + ".." + std::to_string(hi) +
                     ")");
  }
  return axis < 0 ? axis + (ndim == 0 ? 1 : ndim) : axis;
}

AxisSet axis_set(const char* op, const std::vector<int>& axes, int ndim) {
  AxisSet set = 0;
  for (int axis : axes) {
    const int ax = normalize_axis(op, axis, ndim);
    if (ndim == 0) continue;  // axis 0 (or -1) of a 0-d tensor: nothing to add
    if (in_set(set, ax)) {
      std::string list = "(";
      for (std::size_t i = 0; i < axes.size(); ++i) list += (i ? ", " : "") + std::to_string(axes[i]);
      throw ValueError(std::string(op) + ": axis " + std::to_string(ax) + " appears more than once in " + list +
                       (axes.size() == 1 ? ",)" : ")"));
    }
    set |= AxisSet{1} << ax;
  }
  return set;
}

ReduceDims reduce_dims(const Shape& shape, int axis) {
  ReduceDims r;
  if (shape.empty()) return r;  // a 0-d tensor reduces to itself
  for (int d = 0; d < axis; ++d) r.outer *= shape[d];
  r.n = shape[axis];
  for (int d = axis + 1; d < shape.size(); ++d) r.inner *= shape[d];
  return r;
}

Shape reduced_shape(const Shape& shape, int axis, bool keepdims) {
  Shape out = shape;
  if (shape.empty()) return out;
  if (keepdims) {
    out[axis] = 1;
  } else {
    out.erase(axis);
  }
  return out;
}

}  // namespace tg::detail
