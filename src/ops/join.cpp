// concat and stack: inputs laid side by side along an axis. Each input's gradient is its
// slice of the output's gradient.
#include <algorithm>
#include <string>
#include <vector>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// The output seen as (outer, total, inner) with input i covering `sizes[i]` of `total`.
struct JoinGeometry {
  int64_t outer = 1, inner = 1, total = 0;
};

JoinGeometry join_geometry(const Shape& out, int axis) {
  JoinGeometry g;
  for (int d = 0; d < axis; ++d) g.outer *= out[d];
  g.total = out[axis];
  for (int d = axis + 1; d < out.size(); ++d) g.inner *= out[d];
  return g;
}

// Size of input i along the joined axis: its own size for concat, 1 for stack.
int64_t joined_size(OpCode code, const TensorImpl* t, int axis) {
  return code == OpCode::stack ? 1 : t->shape[axis];
}

Tensor join(OpCode code, const std::vector<Tensor>& tensors, int axis) {
  const char* name = op_info(code).name;
  if (tensors.empty()) throw ValueError(std::string(name) + ": expects a non-empty list of tensors");
  std::vector<TensorImpl*> in;
  in.reserve(tensors.size());
  for (const Tensor& t : tensors) in.push_back(checked_impl(t, name));
  const Shape& first = in[0]->shape;
  const bool stacking = code == OpCode::stack;
  if (!stacking && first.empty()) throw ShapeError("concat: 0-d tensors cannot be concatenated; use stack");
  const int nd_out = first.size() + (stacking ? 1 : 0);
  const int ax = stacking ? (axis < 0 ? axis + nd_out : axis) : normalize_axis(name, axis, nd_out);
  if (stacking && (ax < 0 || ax >= nd_out)) {
    throw IndexError("stack: axis " + std::to_string(axis) + " is out of range for " +
                     std::to_string(nd_out) + " output dimensions");
  }

  Shape out = first;
  if (stacking) out.insert(ax, 0);
  else out[ax] = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const Shape& s = in[i]->shape;
    bool fits = s.size() == first.size();
    for (int d = 0; fits && d < s.size(); ++d) fits = (!stacking && d == ax) || s[d] == first[d];
    if (!fits) {
      throw ShapeError(std::string(name) + ": tensor " + std::to_string(i) + " has shape " +
                       s.str() + ", which does not match tensor 0's shape " + first.str() +
                       (stacking ? "" : " outside axis " + std::to_string(axis)));
    }
    out[ax] += joined_size(code, in[i], ax);
  }

  TensorImpl* result = new_impl(out);
  const JoinGeometry g = join_geometry(out, ax);
  int64_t offset = 0;
  bool record = false;
  for (TensorImpl* t : in) {
    const int64_t n = joined_size(code, t, ax) * g.inner;
    for (int64_t o = 0; o < g.outer; ++o)
      std::copy(t->data + o * n, t->data + (o + 1) * n, result->data + (o * g.total * g.inner) + offset);
    offset += n;
    record = record || should_record(t);
  }
  if (record) {
    Node& node = Engine::record(code, result, in.data(), in.size());
    node.arg[0] = ax;
  }
  return make_result(result);
}

}  // namespace

// concat/stack: input i gets its slice of the gradient
void join_backward(BackwardContext& c) {
  const auto ax = static_cast<int>(c.node().arg[0]);
  const JoinGeometry g = join_geometry(c.out()->shape, ax);
  const double* G = c.grad_out();
  int64_t offset = 0;
  for (std::size_t i = 0; i < c.num_inputs(); ++i) {
    const TensorImpl* t = c.input(i);
    const int64_t n = joined_size(c.node().op, t, ax) * g.inner;
    if (double* gi = c.grad_in(i)) {
      for (int64_t o = 0; o < g.outer; ++o)
        for (int64_t e = 0; e < n; ++e) gi[o * n + e] += G[o * g.total * g.inner + offset + e];
    }
    offset += n;
  }
}

// concat: input i gets its slice (narrow) of the gradient; stack: its index (select)
void join_backward_graph(GraphContext& c) {
  const auto ax = static_cast<int>(c.node().arg[0]);
  const bool stacking = c.node().op == OpCode::stack;
  int64_t offset = 0;
  for (std::size_t i = 0; i < c.num_inputs(); ++i) {
    const int64_t n = stacking ? 1 : c.input(i).shape()[ax];
    if (c.needs_grad(i)) {
      c.add_grad(i, stacking ? tg::select(c.grad_out(), ax, offset) : tg::narrow(c.grad_out(), ax, offset, n));
    }
    offset += n;
  }
}

}  // namespace detail

using namespace detail;

Tensor concat(const std::vector<Tensor>& tensors, int axis) { return join(OpCode::concat, tensors, axis); }
Tensor stack(const std::vector<Tensor>& tensors, int axis) { return join(OpCode::stack, tensors, axis); }

}  // namespace tg
