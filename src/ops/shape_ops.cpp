// Operations that rearrange values without computing new ones: reshape and its relatives,
// permute/transpose, broadcast_to, flip, repeat and clone. Every tensor is contiguous, so each of these
// makes a new contiguous copy; their derivatives move the gradient back the same way.
#include <algorithm>
#include <cstring>
#include <string>

#include "axes.hpp"
#include "broadcast.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// Same values in a new shape (reshape, flatten, squeeze, unsqueeze, clone).
Tensor copy_as(OpCode code, TensorImpl* x, const Shape& shape) {
  TensorImpl* out = new_impl(shape);
  std::copy(x->data, x->data + x->numel, out->data);
  if (should_record(x)) Engine::record(code, out, {x});
  return make_result(out);
}

// Output element o of a permutation reads input element i0 (operand 0 strides).
BroadcastPlan permute_plan(const Shape& in, const int64_t* perm) {
  BroadcastPlan p;
  const int nd = in.size();
  int64_t in_stride[kMaxDims];
  int64_t s = 1;
  for (int d = nd - 1; d >= 0; --d) {
    in_stride[d] = s;
    s *= in[d];
  }
  for (int d = 0; d < nd; ++d) {
    p.out.push_back(in[static_cast<int>(perm[d])]);
    p.stride[0][d] = in_stride[perm[d]];
  }
  p.numel = in.numel();
  p.operands = 1;
  p.same = nd == 0;
  return p;
}

// Output element o of a flip reads input element offset + i0: the flipped axes run through the
// input backwards (a negative stride from the axis' last element).
struct FlipPlan {
  BroadcastPlan plan;
  int64_t offset = 0;
};

FlipPlan flip_plan(const Shape& in, AxisSet flipped) {
  FlipPlan f;
  BroadcastPlan& p = f.plan;
  const int nd = in.size();
  int64_t s = 1;
  for (int d = nd - 1; d >= 0; --d) {
    p.stride[0][d] = in_set(flipped, d) ? -s : s;
    if (in_set(flipped, d) && in[d] > 0) f.offset += (in[d] - 1) * s;
    s *= in[d];
  }
  p.out = in;
  p.numel = in.numel();
  p.operands = 1;
  p.same = flipped == 0;
  return f;
}

// Calls f(out_index, in_index) for every element of repeat's output: along each axis, output
// position p reads input position p mod (the input's size); missing leading axes have size 1.
template <class F>
void for_each_repeated(const Shape& in, const Shape& out, F&& f) {
  const int nd = out.size(), lead = nd - in.size();
  int64_t size[kMaxDims], stride[kMaxDims];
  int64_t s = 1;
  for (int d = nd - 1; d >= 0; --d) {
    size[d] = d < lead ? 1 : in[d - lead];
    stride[d] = s;
    s *= size[d];
  }
  int64_t pos[kMaxDims] = {}, wrapped[kMaxDims] = {};
  int64_t i = 0;
  for (int64_t o = 0, n = out.numel(); o < n; ++o) {
    f(o, i);
    for (int d = nd - 1; d >= 0; --d) {  // the next position, like an odometer
      if (++wrapped[d] == size[d]) {
        wrapped[d] = 0;
        i -= (size[d] - 1) * stride[d];
      } else {
        i += stride[d];
      }
      if (++pos[d] < out[d]) break;
      pos[d] = 0;  // out[d] is a multiple of size[d]: wrapped[d] is 0 again
    }
  }
}

}  // namespace

// flip: the gradient is flipped back (arg[0] = the flipped axes)
void flip_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const FlipPlan f = flip_plan(c.input(0)->shape, static_cast<AxisSet>(c.node().arg[0]));
  for_each_broadcast(f.plan, [&](int64_t o, int64_t i, int64_t, int64_t) { gx[f.offset + i] += g[o]; });
}

// repeat: every copy's gradient is added back to the element it copied
void repeat_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  for_each_repeated(c.input(0)->shape, c.out()->shape, [&](int64_t o, int64_t i) { gx[i] += g[o]; });
}

// reshape and relatives: the gradient has the input's shape and the same order
void reshape_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  for (int64_t i = 0, n = c.out()->numel; i < n; ++i) gx[i] += g[i];
}

// permute: the gradient is permuted back (aux holds the permutation)
void permute_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const BroadcastPlan p = permute_plan(c.input(0)->shape, c.aux());
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t, int64_t) { gx[i] += g[o]; });
}

// broadcast_to: the gradient is summed over the repeated axes
void broadcast_to_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const BroadcastPlan p = plan_broadcast_to("broadcast_to", c.input(0)->shape, c.out()->shape);
  for_each_broadcast(p, [&](int64_t o, int64_t, int64_t i, int64_t) { gx[i] += g[o]; });
}

// ---- the same rules written with tapegrad operations (create_graph) ---------------------------

void flip_backward_graph(GraphContext& c) {
  const auto set = static_cast<AxisSet>(c.node().arg[0]);
  std::vector<int> axes;
  for (int d = 0; d < c.input(0).ndim(); ++d)
    if (in_set(set, d)) axes.push_back(d);
  c.add_grad(0, tg::flip(c.grad_out(), axes));
}

// Output axis d of size r_d·s_d, read as (r_d, s_d): the copies are the r_d axes, summed.
void repeat_backward_graph(GraphContext& c) {
  const Shape& out = c.output().shape();
  Shape in = c.input(0).shape();
  while (in.size() < out.size()) in.insert(0, 1);
  std::vector<int64_t> split;
  std::vector<int> copies;
  for (int d = 0; d < out.size(); ++d) {
    copies.push_back(static_cast<int>(split.size()));
    split.push_back(in[d] == 0 ? 0 : out[d] / in[d]);
    split.push_back(in[d]);
  }
  const Tensor summed = tg::sum(tg::reshape(c.grad_out(), split), copies);
  c.add_grad(0, tg::reshape(summed, c.input(0).shape().to_vector()));
}

void reshape_backward_graph(GraphContext& c) {
  c.add_grad(0, tg::reshape(c.grad_out(), c.input(0).shape().to_vector()));
}

void permute_backward_graph(GraphContext& c) {
  std::vector<int> inverse(static_cast<std::size_t>(c.input(0).ndim()));
  for (std::size_t i = 0; i < inverse.size(); ++i) inverse[static_cast<std::size_t>(c.aux()[i])] = static_cast<int>(i);
  c.add_grad(0, tg::permute(c.grad_out(), inverse));
}

void broadcast_to_backward_graph(GraphContext& c) { c.add_grad(0, sum_to(c.grad_out(), c.input(0).shape())); }

}  // namespace detail

using namespace detail;

Tensor reshape(const Tensor& a, const std::vector<int64_t>& shape) {
  TensorImpl* x = checked_impl(a, "reshape");
  std::vector<int64_t> dims = shape;
  int infer = -1;
  int64_t known = 1;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == -1) {
      if (infer >= 0) throw ShapeError("reshape: only one size may be -1, got " + Shape(dims.data(), 0).str());
      infer = static_cast<int>(i);
    } else if (dims[i] < 0) {
      throw ShapeError("reshape: invalid size " + std::to_string(dims[i]));
    } else {
      known *= dims[i];
    }
  }
  auto text = [&] {
    std::string s = "(";
    for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (dims.size() == 1 ? ",)" : ")");
  };
  if (infer >= 0) {
    if (known == 0 || x->numel % known != 0) {
      throw ShapeError("reshape: cannot reshape a tensor of shape " + x->shape.str() + " (" +
                       std::to_string(x->numel) + " elements) to " + text());
    }
    dims[static_cast<std::size_t>(infer)] = x->numel / known;
  }
  const Shape target(dims);
  if (target.numel() != x->numel) {
    throw ShapeError("reshape: cannot reshape a tensor of shape " + x->shape.str() + " (" +
                     std::to_string(x->numel) + " elements) to " + target.str() + " (" +
                     std::to_string(target.numel()) + " elements)");
  }
  return copy_as(OpCode::reshape, x, target);
}

Tensor flatten(const Tensor& a, int start_axis, int end_axis) {
  TensorImpl* x = checked_impl(a, "flatten");
  const Shape& s = x->shape;
  if (s.empty()) return copy_as(OpCode::flatten, x, Shape{1});
  const int lo = normalize_axis("flatten", start_axis, s.size());
  const int hi = normalize_axis("flatten", end_axis, s.size());
  if (lo > hi) {
    throw IndexError("flatten: start axis " + std::to_string(start_axis) +
                     " comes after end axis " + std::to_string(end_axis));
  }
  Shape out;
  int64_t merged = 1;
  for (int d = 0; d < s.size(); ++d) {
    if (d < lo || d > hi) {
      out.push_back(s[d]);
    } else {
      merged *= s[d];
      if (d == hi) out.push_back(merged);
    }
  }
  return copy_as(OpCode::flatten, x, out);
}

Tensor squeeze(const Tensor& a) {
  TensorImpl* x = checked_impl(a, "squeeze");
  Shape out;
  for (int64_t d : x->shape)
    if (d != 1) out.push_back(d);
  return copy_as(OpCode::squeeze, x, out);
}

Tensor squeeze(const Tensor& a, int axis) {
  TensorImpl* x = checked_impl(a, "squeeze");
  Shape out = x->shape;
  if (out.empty()) return copy_as(OpCode::squeeze, x, out);
  const int ax = normalize_axis("squeeze", axis, out.size());
  if (out[ax] != 1) {
    throw ShapeError("squeeze: axis " + std::to_string(axis) + " of shape " + out.str() +
                     " has size " + std::to_string(out[ax]) + ", not 1");
  }
  out.erase(ax);
  return copy_as(OpCode::squeeze, x, out);
}

Tensor unsqueeze(const Tensor& a, int axis) {
  TensorImpl* x = checked_impl(a, "unsqueeze");
  const int nd = x->shape.size();
  if (axis < -(nd + 1) || axis > nd) {
    throw IndexError("unsqueeze: axis " + std::to_string(axis) + " is out of range for a tensor with " +
                     std::to_string(nd) + " dimension(s) (expected " + std::to_string(-(nd + 1)) +
                     ".." + std::to_string(nd) + ")");
  }
  Shape out = x->shape;
  out.insert(axis < 0 ? axis + nd + 1 : axis, 1);
  return copy_as(OpCode::unsqueeze, x, out);
}

Tensor permute(const Tensor& a, const std::vector<int>& axes) {
  TensorImpl* x = checked_impl(a, "permute");
  const int nd = x->shape.size();
  auto fail = [&] {
    std::string s = "(";
    for (std::size_t i = 0; i < axes.size(); ++i) s += (i ? ", " : "") + std::to_string(axes[i]);
    throw IndexError("permute: " + s + ") is not a permutation of the " + std::to_string(nd) +
                     " axes of a tensor of shape " + x->shape.str());
  };
  if (static_cast<int>(axes.size()) != nd) fail();
  int64_t perm[kMaxDims];
  bool seen[kMaxDims] = {};
  for (int d = 0; d < nd; ++d) {
    if (axes[d] < -nd || axes[d] >= nd) fail();
    const int ax = axes[d] < 0 ? axes[d] + nd : axes[d];
    if (seen[ax]) fail();
    seen[ax] = true;
    perm[d] = ax;
  }
  const BroadcastPlan p = permute_plan(x->shape, perm);
  TensorImpl* out = new_impl(p.out);
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t, int64_t) { out->data[o] = x->data[i]; });
  if (should_record(x)) {
    Node& node = Engine::record(OpCode::permute, out, {x});
    std::copy(perm, perm + nd, Engine::add_aux(node, static_cast<std::size_t>(nd)));
  }
  return make_result(out);
}

Tensor transpose(const Tensor& a, int axis0, int axis1) {
  const int nd = checked_impl(a, "transpose")->shape.size();
  const int i = normalize_axis("transpose", axis0, nd);
  const int j = normalize_axis("transpose", axis1, nd);
  std::vector<int> axes(static_cast<std::size_t>(nd));
  for (int d = 0; d < nd; ++d) axes[d] = d;
  if (nd > 0) std::swap(axes[i], axes[j]);
  return permute(a, axes);
}

Tensor broadcast_to(const Tensor& a, const Shape& shape) {
  TensorImpl* x = checked_impl(a, "broadcast_to");
  const BroadcastPlan p = plan_broadcast_to("broadcast_to", x->shape, shape);
  TensorImpl* out = new_impl(shape);
  for_each_broadcast(p, [&](int64_t o, int64_t, int64_t i, int64_t) { out->data[o] = x->data[i]; });
  if (should_record(x)) Engine::record(OpCode::broadcast_to, out, {x});
  return make_result(out);
}

Tensor flip(const Tensor& a, const std::vector<int>& axes) {
  TensorImpl* x = checked_impl(a, "flip");
  const AxisSet flipped = axis_set("flip", axes, x->shape.size());
  const FlipPlan f = flip_plan(x->shape, flipped);
  TensorImpl* out = new_impl(x->shape);
  for_each_broadcast(f.plan, [&](int64_t o, int64_t i, int64_t, int64_t) { out->data[o] = x->data[f.offset + i]; });
  if (should_record(x)) Engine::record(OpCode::flip, out, {x}).arg[0] = flipped;
  return make_result(out);
}

Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats) {
  TensorImpl* x = checked_impl(a, "repeat");
  const int nd = static_cast<int>(repeats.size());
  auto text = [&] {
    std::string s = "(";
    for (std::size_t i = 0; i < repeats.size(); ++i) s += (i ? ", " : "") + std::to_string(repeats[i]);
    return s + (repeats.size() == 1 ? ",)" : ")");
  };
  if (nd < x->shape.size()) {
    throw ValueError("repeat: " + std::to_string(nd) + " repeat count(s) " + text() + " for a tensor of shape " +
                     x->shape.str() + "; give one for each of its " + std::to_string(x->shape.size()) +
                     " dimensions (or more, for new leading ones)");
  }
  Shape out;
  const int lead = nd - x->shape.size();
  for (int d = 0; d < nd; ++d) {
    if (repeats[d] < 0) throw ValueError("repeat: negative repeat count in " + text());
    out.push_back((d < lead ? 1 : x->shape[d - lead]) * repeats[d]);
  }
  TensorImpl* result = new_impl(out);
  for_each_repeated(x->shape, out, [&](int64_t o, int64_t i) { result->data[o] = x->data[i]; });
  if (should_record(x)) Engine::record(OpCode::repeat, result, {x});
  return make_result(result);
}

Tensor Tensor::clone() const {
  TensorImpl* x = checked_impl(*this, "clone");
  return copy_as(OpCode::clone, x, x->shape);
}

}  // namespace tg
