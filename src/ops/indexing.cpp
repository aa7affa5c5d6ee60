// Picking elements: select (x[i]), index_select, narrow (mini-batches of rows) and gather
// (one class score per row). Their derivatives scatter the gradient back, adding where an
// element was picked more than once.
#include <cmath>
#include <string>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

int64_t checked_index(const char* op, int64_t index, int64_t size, int axis) {
  if (index < -size || index >= size) {
    throw IndexError(std::string(op) + ": index " + std::to_string(index) +
                     " is out of range for axis " + std::to_string(axis) + " of size " +
                     std::to_string(size));
  }
  return index < 0 ? index + size : index;
}

// Output element (o, j, i) of a selection along an axis reads input element
// (o, index(j), i); `index(j)` is j-th picked position.
template <class Index, class F>
void for_each_picked(const ReduceDims& in, int64_t picked, Index index, F&& f) {
  for (int64_t o = 0; o < in.outer; ++o)
    for (int64_t j = 0; j < picked; ++j) {
      const int64_t src = (o * in.n + index(j)) * in.inner;
      const int64_t dst = (o * picked + j) * in.inner;
      for (int64_t i = 0; i < in.inner; ++i) f(dst + i, src + i);
    }
}

}  // namespace

// select: arg[0] = axis, arg[1] = index
void select_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const ReduceDims r = reduce_dims(c.input(0)->shape, static_cast<int>(c.node().arg[0]));
  const int64_t index = c.node().arg[1];
  for_each_picked(r, 1, [index](int64_t) { return index; },
                  [&](int64_t o, int64_t i) { gx[i] += g[o]; });
}

// index_select: arg[0] = axis, aux = the indices
void index_select_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const auto ax = static_cast<int>(c.node().arg[0]);
  const ReduceDims r = reduce_dims(c.input(0)->shape, ax);
  const int64_t* idx = c.aux();
  for_each_picked(r, c.out()->shape[ax], [idx](int64_t j) { return idx[j]; },
                  [&](int64_t o, int64_t i) { gx[i] += g[o]; });
}

// narrow: arg[0] = axis, arg[1] = start
void narrow_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const auto ax = static_cast<int>(c.node().arg[0]);
  const ReduceDims r = reduce_dims(c.input(0)->shape, ax);
  const int64_t start = c.node().arg[1];
  for_each_picked(r, c.out()->shape[ax], [start](int64_t j) { return start + j; },
                  [&](int64_t o, int64_t i) { gx[i] += g[o]; });
}

// gather: aux holds, for every output element, the flat input index it was read from
void gather_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const int64_t* src = c.aux();
  for (int64_t o = 0, n = c.out()->numel; o < n; ++o) gx[src[o]] += g[o];
}

// scatter_add: zeros of the output's shape, with g[o] added at the flat position aux[o] — the
// adjoint of picking elements; d/dg[o] = G[aux[o]]
void scatter_add_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const int64_t* dst = c.aux();
  for (int64_t o = 0, n = c.input(0)->numel; o < n; ++o) gx[o] += g[dst[o]];
}

Tensor take(const Tensor& x, const std::vector<int64_t>& flat, const Shape& shape) {
  TensorImpl* a = checked_impl(x, "gather");
  TensorImpl* out = new_impl(shape);
  for (std::size_t o = 0; o < flat.size(); ++o) out->data[o] = a->data[flat[o]];
  if (should_record(a)) {
    Node& node = Engine::record(OpCode::gather, out, {a});
    std::copy(flat.begin(), flat.end(), Engine::add_aux(node, flat.size()));
  }
  return make_result(out);
}

Tensor scatter_add(const Tensor& g, const std::vector<int64_t>& flat, const Shape& shape) {
  TensorImpl* a = checked_impl(g, "scatter_add");
  TensorImpl* out = new_impl(shape);
  std::fill(out->data, out->data + out->numel, 0.0);
  for (std::size_t o = 0; o < flat.size(); ++o) out->data[flat[o]] += a->data[o];
  if (should_record(a)) {
    Node& node = Engine::record(OpCode::scatter_add, out, {a});
    std::copy(flat.begin(), flat.end(), Engine::add_aux(node, flat.size()));
  }
  return make_result(out);
}

// ---- the same rules written with tapegrad operations (create_graph) ---------------------------
namespace {

// The flat input position of every output element of a selection along an axis.
template <class Index>
std::vector<int64_t> picked_positions(const GraphContext& c, int64_t picked, Index index) {
  const ReduceDims r = reduce_dims(c.input(0).shape(), static_cast<int>(c.node().arg[0]));
  std::vector<int64_t> flat(static_cast<std::size_t>(c.output().numel()));
  for_each_picked(r, picked, index, [&](int64_t o, int64_t i) { flat[static_cast<std::size_t>(o)] = i; });
  return flat;
}

std::vector<int64_t> aux_positions(const GraphContext& c) {
  return {c.aux(), c.aux() + c.output().numel()};
}

}  // namespace

void select_backward_graph(GraphContext& c) {
  const int64_t index = c.node().arg[1];
  const auto flat = picked_positions(c, 1, [index](int64_t) { return index; });
  c.add_grad(0, scatter_add(c.grad_out(), flat, c.input(0).shape()));
}

void index_select_backward_graph(GraphContext& c) {
  const int64_t* idx = c.aux();
  const auto ax = static_cast<int>(c.node().arg[0]);
  const auto flat = picked_positions(c, c.output().shape()[ax], [idx](int64_t j) { return idx[j]; });
  c.add_grad(0, scatter_add(c.grad_out(), flat, c.input(0).shape()));
}

void narrow_backward_graph(GraphContext& c) {
  const int64_t start = c.node().arg[1];
  const auto ax = static_cast<int>(c.node().arg[0]);
  const auto flat = picked_positions(c, c.output().shape()[ax], [start](int64_t j) { return start + j; });
  c.add_grad(0, scatter_add(c.grad_out(), flat, c.input(0).shape()));
}

void gather_backward_graph(GraphContext& c) {
  c.add_grad(0, scatter_add(c.grad_out(), aux_positions(c), c.input(0).shape()));
}

void scatter_add_backward_graph(GraphContext& c) {
  c.add_grad(0, take(c.grad_out(), {c.aux(), c.aux() + c.input(0).numel()}, c.input(0).shape()));
}

}  // namespace detail

using namespace detail;

Tensor select(const Tensor& a, int axis, int64_t index) {
  TensorImpl* x = checked_impl(a, "select");
  if (x->shape.empty()) throw IndexError("select: cannot index a 0-d tensor");
  const int ax = normalize_axis("select", axis, x->shape.size());
  const int64_t idx = checked_index("select", index, x->shape[ax], ax);
  const ReduceDims r = reduce_dims(x->shape, ax);
  Shape shape = x->shape;
  shape.erase(ax);
  TensorImpl* out = new_impl(shape);
  for_each_picked(r, 1, [idx](int64_t) { return idx; },
                  [&](int64_t o, int64_t i) { out->data[o] = x->data[i]; });
  if (should_record(x)) {
    Node& node = Engine::record(OpCode::select, out, {x});
    node.arg[0] = ax;
    node.arg[1] = idx;
  }
  return make_result(out);
}

Tensor index_select(const Tensor& a, int axis, const std::vector<int64_t>& indices) {
  TensorImpl* x = checked_impl(a, "index_select");
  if (x->shape.empty()) throw IndexError("index_select: cannot index a 0-d tensor");
  const int ax = normalize_axis("index_select", axis, x->shape.size());
  std::vector<int64_t> idx(indices.size());
  for (std::size_t j = 0; j < indices.size(); ++j)
    idx[j] = checked_index("index_select", indices[j], x->shape[ax], ax);
  const ReduceDims r = reduce_dims(x->shape, ax);
  Shape shape = x->shape;
  shape[ax] = static_cast<int64_t>(idx.size());
  TensorImpl* out = new_impl(shape);
  for_each_picked(r, shape[ax], [&idx](int64_t j) { return idx[static_cast<std::size_t>(j)]; },
                  [&](int64_t o, int64_t i) { out->data[o] = x->data[i]; });
  if (should_record(x)) {
    Node& node = Engine::record(OpCode::index_select, out, {x});
    node.arg[0] = ax;
    std::copy(idx.begin(), idx.end(), Engine::add_aux(node, idx.size()));
  }
  return make_result(out);
}

Tensor narrow(const Tensor& a, int axis, int64_t start, int64_t length) {
  TensorImpl* x = checked_impl(a, "narrow");
  if (x->shape.empty()) throw IndexError("narrow: cannot narrow a 0-d tensor");
  const int ax = normalize_axis("narrow", axis, x->shape.size());
  const int64_t size = x->shape[ax];
  const int64_t begin = start < 0 ? start + size : start;
  if (begin < 0 || length < 0 || begin + length > size) {
    throw IndexError("narrow: elements " + std::to_string(start) + ".." +
                     std::to_string(start + length - 1) + " are out of range for axis " +
                     std::to_string(axis) + " of size " + std::to_string(size));
  }
  const ReduceDims r = reduce_dims(x->shape, ax);
  Shape shape = x->shape;
  shape[ax] = length;
  TensorImpl* out = new_impl(shape);
  for_each_picked(r, length, [begin](int64_t j) { return begin + j; },
                  [&](int64_t o, int64_t i) { out->data[o] = x->data[i]; });
  if (should_record(x)) {
    Node& node = Engine::record(OpCode::narrow, out, {x});
    node.arg[0] = ax;
    node.arg[1] = begin;
  }
  return make_result(out);
}

Tensor gather(const Tensor& a, int axis, const Tensor& index) {
  TensorImpl* x = checked_impl(a, "gather");
  TensorImpl* ix = checked_impl(index, "gather");
  const Shape& xs = x->shape;
  const Shape& is = ix->shape;
  if (xs.empty()) throw IndexError("gather: cannot index a 0-d tensor");
  const int ax = normalize_axis("gather", axis, xs.size());
  bool fits = is.size() == xs.size();
  for (int d = 0; fits && d < xs.size(); ++d) fits = d == ax || is[d] <= xs[d];
  if (!fits) {
    throw ShapeError("gather: index of shape " + is.str() + " does not fit input of shape " +
                     xs.str() + " along axis " + std::to_string(axis) +
                     " (same number of dimensions, and no larger outside the axis)");
  }
  int64_t stride[kMaxDims];
  int64_t s = 1;
  for (int d = xs.size() - 1; d >= 0; --d) {
    stride[d] = s;
    s *= xs[d];
  }
  for (int64_t o = 0; o < ix->numel; ++o) {
    const double v = ix->data[o];
    if (v != std::floor(v) || v < 0 || v >= static_cast<double>(xs[ax])) {
      throw IndexError("gather: index value " + std::to_string(v) + " at position " +
                       std::to_string(o) + " is not an integer in [0, " +
                       std::to_string(xs[ax]) + ") for axis " + std::to_string(axis));
    }
  }
  TensorImpl* out = new_impl(is);
  // The flat input index of every output element, kept in the node's aux area for backward.
  int64_t* src = nullptr;
  if (should_record(x)) {
    Node& node = Engine::record(OpCode::gather, out, {x, ix});
    src = Engine::add_aux(node, static_cast<std::size_t>(ix->numel));
  }
  int64_t pos[kMaxDims] = {};
  for (int64_t o = 0; o < ix->numel; ++o) {
    int64_t flat = 0;
    for (int d = 0; d < xs.size(); ++d) flat += (d == ax ? static_cast<int64_t>(ix->data[o]) : pos[d]) * stride[d];
    out->data[o] = x->data[flat];
    if (src) src[o] = flat;
    for (int d = is.size() - 1; d >= 0; --d) {  // next position in the index
      if (++pos[d] < is[d]) break;
      pos[d] = 0;
    }
  }
  return make_result(out);
}

}  // namespace tg
