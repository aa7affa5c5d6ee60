// Forward and backward loops shared by the elementwise operations. An operation is a small
// struct that states its value and its derivative once:
//
//   struct exp {                       // unary: value f(x, s) and g·dy/dx
//     static double f(double x, const double* s);
//     static double grad(double g, double x, double y, const double* s);
//   };
//
// where s are the node's scalar arguments and y the output; binary operations give
// f(a, b), grad_a(g, a, b, y) and grad_b(g, a, b, y). A unary operation with a vectorised
// kernel (src/kernels) gives instead f_all(x, y, n) and grad_all(g, x, y, gx, n), which fill y
// and add to gx for the whole array at once.
#pragma once

#include "broadcast.hpp"
#include "core/engine.hpp"

namespace tg::detail {

/// The OpCode of an operation struct (set for each listed struct in elementwise_ops.hpp).
template <class Op>
inline constexpr OpCode code_of = OpCode::count;

template <class Op>
Tensor unary(const Tensor& x, double s0 = 0.0, double s1 = 0.0) {
  TensorImpl* a = checked_impl(x, op_info(code_of<Op>).name);
  TensorImpl* out = new_impl(a->shape);
  const double s[2] = {s0, s1};
  const double* in = a->data;
  double* y = out->data;
  if constexpr (requires { &Op::f_all; }) {
    Op::f_all(in, y, a->numel);
  } else {
    for (int64_t i = 0, n = a->numel; i < n; ++i) y[i] = Op::f(in[i], s);
  }
  if (should_record(a)) {
    Node& node = Engine::record(code_of<Op>, out, {a});
    node.scalar[0] = s0;
    node.scalar[1] = s1;
  }
  return make_result(out);
}

template <class Op>
void unary_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  if (!gx) return;
  const double* x = c.input(0)->data;
  const double* y = c.out()->data;
  const double* g = c.grad_out();
  if constexpr (requires { &Op::grad_all; }) {
    Op::grad_all(g, x, y, gx, c.out()->numel);
  } else {
    const double* s = c.node().scalar;
    for (int64_t i = 0, n = c.out()->numel; i < n; ++i) gx[i] += Op::grad(g[i], x[i], y[i], s);
  }
}

template <class Op>
Tensor binary(const Tensor& x, const Tensor& y) {
  const char* name = op_info(code_of<Op>).name;
  TensorImpl* a = checked_impl(x, name);
  TensorImpl* b = checked_impl(y, name);
  const double* A = a->data;
  const double* B = b->data;
  TensorImpl* out;
  if (a->shape == b->shape) {  // the common case needs no broadcasting plan
    out = new_impl(a->shape);
    double* Y = out->data;
    for (int64_t i = 0, n = a->numel; i < n; ++i) Y[i] = Op::f(A[i], B[i]);
  } else {
    const BroadcastPlan p = plan_broadcast(name, a->shape, b->shape);
    out = new_impl(p.out);
    double* Y = out->data;
    for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) { Y[o] = Op::f(A[i], B[j]); });
  }
  if (should_record(a, b)) Engine::record(code_of<Op>, out, {a, b});
  return make_result(out);
}

template <class Op>
void binary_backward(BackwardContext& c) {
  const TensorImpl* a = c.input(0);
  const TensorImpl* b = c.input(1);
  double* ga = c.grad_in(0);
  double* gb = c.grad_in(1);
  const double* A = a->data;
  const double* B = b->data;
  const double* Y = c.out()->data;
  const double* G = c.grad_out();
  if (a->shape == b->shape) {
    const int64_t n = a->numel;
    if (ga) {
      for (int64_t i = 0; i < n; ++i) ga[i] += Op::grad_a(G[i], A[i], B[i], Y[i]);
    }
    if (gb) {
      for (int64_t i = 0; i < n; ++i) gb[i] += Op::grad_b(G[i], A[i], B[i], Y[i]);
    }
    return;
  }
  const BroadcastPlan p = plan_broadcast(op_info(code_of<Op>).name, a->shape, b->shape);
  if (ga) {
    for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      ga[i] += Op::grad_a(G[o], A[i], B[j], Y[o]);
    });
  }
  if (gb) {
    for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      gb[j] += Op::grad_b(G[o], A[i], B[j], Y[o]);
    });
  }
}

// The same derivatives written with tapegrad operations (Op::grad on tensors), for
// create_graph; a broadcast input's gradient is summed back to its shape.
template <class Op>
void unary_graph_backward(GraphContext& c) {
  if (!c.needs_grad(0)) return;
  c.add_grad(0, Op::grad(c.grad_out(), c.input(0), c.output(), c.node().scalar));
}

template <class Op>
void binary_graph_backward(GraphContext& c) {
  const Tensor& g = c.grad_out();
  const Tensor &a = c.input(0), &b = c.input(1), &y = c.output();
  if (c.needs_grad(0)) c.add_broadcast_grad(0, Op::grad_a(g, a, b, y));
  if (c.needs_grad(1)) c.add_broadcast_grad(1, Op::grad_b(g, a, b, y));
}

}  // namespace tg::detail
