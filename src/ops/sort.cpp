// Ordering along an axis: sort, argsort and topk. Each line along the axis is put in order as
// (value, position) pairs. The values returned are picked from the input, so their derivative
// scatters the gradient back to the picked positions (gather's rule); the positions are
// indices, returned as whole numbers in a double tensor that is not differentiable.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

using Keyed = std::pair<double, int64_t>;  // a value and its position along the axis

// The orders PyTorch sorts by: NaN counts as larger than every number (as in NumPy), so it
// comes last in ascending order and first in descending order.
bool nan_last_less(const Keyed& a, const Keyed& b) {
  return (!std::isnan(a.first) && std::isnan(b.first)) || a.first < b.first;
}
bool nan_first_greater(const Keyed& a, const Keyed& b) {
  return (std::isnan(a.first) && !std::isnan(b.first)) || a.first > b.first;
}

// Puts every line of `x` along axis `ax` in order with `order(line)`, which leaves the `k`
// pairs to return at the front of the line, and returns their values and positions. The
// values are recorded as op `code` when x requires grad (the flat input index of each output
// value goes in the node's aux area, as for gather).
template <class Order>
ValuesAndIndices pick_along(OpCode code, TensorImpl* x, int ax, int64_t k, bool record, Order order) {
  const ReduceDims r = reduce_dims(x->shape, ax);
  Shape shape = x->shape;
  if (!shape.empty()) shape[ax] = k;
  TensorImpl* values = new_impl(shape);
  TensorImpl* indices = new_impl(shape);
  int64_t* src = nullptr;
  if (record && should_record(x)) {
    Node& node = Engine::record(code, values, {x});
    src = Engine::add_aux(node, static_cast<std::size_t>(values->numel));
  }
  std::vector<Keyed> line(static_cast<std::size_t>(r.n));
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) {
      for (int64_t j = 0; j < r.n; ++j) line[j] = {x->data[(o * r.n + j) * r.inner + i], j};
      if (k > 0) order(line);
      for (int64_t j = 0; j < k; ++j) {
        const int64_t out = (o * k + j) * r.inner + i;
        values->data[out] = line[j].first;
        indices->data[out] = static_cast<double>(line[j].second);
        if (src) src[out] = (o * r.n + line[j].second) * r.inner + i;
      }
    }
  return {make_result(values), make_result(indices)};
}

ValuesAndIndices sort_lines(const Tensor& a, int axis, bool descending, bool record, const char* name) {
  TensorImpl* x = checked_impl(a, name);
  const int ax = normalize_axis(name, axis, x->shape.size());
  const int64_t n = x->shape.empty() ? 1 : x->shape[ax];
  // Stable: equal values keep their order (torch.sort(..., stable=True)).
  return pick_along(OpCode::sort, x, ax, n, record, [descending](std::vector<Keyed>& line) {
    if (descending) {
      std::stable_sort(line.begin(), line.end(), nan_first_greater);
    } else {
      std::stable_sort(line.begin(), line.end(), nan_last_less);
    }
  });
}

}  // namespace
}  // namespace detail

using namespace detail;

ValuesAndIndices sort(const Tensor& a, int axis, bool descending) {
  return sort_lines(a, axis, descending, true, "sort");
}

Tensor argsort(const Tensor& a, int axis, bool descending) {
  return sort_lines(a, axis, descending, false, "argsort").indices;
}

ValuesAndIndices topk(const Tensor& a, int64_t k, int axis, bool largest, bool sorted) {
  TensorImpl* x = checked_impl(a, "topk");
  const int ax = normalize_axis("topk", axis, x->shape.size());
  const int64_t n = x->shape.empty() ? 1 : x->shape[ax];
  if (k < 0 || k > n) {
    throw IndexError("topk: k = " + std::to_string(k) + " is out of range for axis " + std::to_string(axis) +
                     " of size " + std::to_string(n) + " (expected 0.." + std::to_string(n) + ")");
  }
  if (x->shape.empty()) k = 1;  // as PyTorch: the one element, for k = 0 as well
  // PyTorch's CPU algorithm step for step, so that tied values come out in its order: a
  // partial sort when k is small against the line, else nth_element and (if sorted) a sort of
  // the k - 1 pairs before the k-th.
  const auto better = largest ? nan_first_greater : nan_last_less;
  return pick_along(OpCode::topk, x, ax, k, true, [k, sorted, better](std::vector<Keyed>& line) {
    if (k * 64 <= static_cast<int64_t>(line.size())) {
      std::partial_sort(line.begin(), line.begin() + k, line.end(), better);
    } else {
      std::nth_element(line.begin(), line.begin() + (k - 1), line.end(), better);
      if (sorted) std::sort(line.begin(), line.begin() + (k - 1), better);
    }
  });
}

}  // namespace tg
