// softmax, log_softmax and logsumexp along an axis, computed after subtracting the maximum
// so that large inputs do not overflow exp().
#include <cmath>
#include <string>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// The shift that keeps exp() finite: the maximum, or 0 when that is infinite.
double shift_of(const double* x, int64_t stride, int64_t n) {
  double m = -INFINITY;
  for (int64_t k = 0; k < n; ++k) m = std::max(m, x[k * stride]);
  return std::isinf(m) ? 0.0 : m;
}

double log_sum_exp(const double* x, int64_t stride, int64_t n) {
  const double m = shift_of(x, stride, n);
  double s = 0.0;
  for (int64_t k = 0; k < n; ++k) s += std::exp(x[k * stride] - m);
  return std::log(s) + m;
}

// Runs f(x + offset, y + offset, stride, n) on every line along the axis.
template <class F>
void for_each_line(const ReduceDims& r, F&& f) {
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) f(o * r.n * r.inner + i, o * r.inner + i);
}

Tensor softmax_like(OpCode code, const Tensor& a, int axis) {
  const char* name = op_info(code).name;
  TensorImpl* x = checked_impl(a, name);
  const int ax = normalize_axis(name, axis, x->shape.size());
  const ReduceDims r = reduce_dims(x->shape, ax);
  TensorImpl* out = new_impl(x->shape);
  const int64_t s = r.inner;
  for_each_line(r, [&](int64_t base, int64_t) {
    const double* in = x->data + base;
    double* y = out->data + base;
    const double lse = log_sum_exp(in, s, r.n);
    for (int64_t k = 0; k < r.n; ++k) {
      y[k * s] = code == OpCode::softmax ? std::exp(in[k * s] - lse) : in[k * s] - lse;
    }
  });
  if (should_record(x)) Engine::record(code, out, {x}).arg[0] = ax;
  return make_result(out);
}

}  // namespace

// softmax: dx = y ⊙ (g - Σ g⊙y)
void softmax_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* G = c.grad_out();
  const double* Y = c.out()->data;
  const ReduceDims r = reduce_dims(c.input(0)->shape, static_cast<int>(c.node().arg[0]));
  const int64_t s = r.inner;
  for_each_line(r, [&](int64_t base, int64_t) {
    double dot = 0.0;
    for (int64_t k = 0; k < r.n; ++k) dot += G[base + k * s] * Y[base + k * s];
    for (int64_t k = 0; k < r.n; ++k) gx[base + k * s] += Y[base + k * s] * (G[base + k * s] - dot);
  });
}

// log_softmax: dx = g - exp(y)·Σg
void log_softmax_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* G = c.grad_out();
  const double* Y = c.out()->data;
  const ReduceDims r = reduce_dims(c.input(0)->shape, static_cast<int>(c.node().arg[0]));
  const int64_t s = r.inner;
  for_each_line(r, [&](int64_t base, int64_t) {
    double total = 0.0;
    for (int64_t k = 0; k < r.n; ++k) total += G[base + k * s];
    for (int64_t k = 0; k < r.n; ++k) gx[base + k * s] += G[base + k * s] - std::exp(Y[base + k * s]) * total;
  });
}

// logsumexp: dx = g·exp(x - y) = g·softmax(x)
void logsumexp_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* G = c.grad_out();
  const double* Y = c.out()->data;
  const ReduceDims r = reduce_dims(x->shape, static_cast<int>(c.node().arg[0]));
  const int64_t s = r.inner;
  for_each_line(r, [&](int64_t base, int64_t out) {
    for (int64_t k = 0; k < r.n; ++k) gx[base + k * s] += G[out] * std::exp(x->data[base + k * s] - Y[out]);
  });
}

// ---- the same rules written with tapegrad operations (create_graph) ---------------------------

void softmax_backward_graph(GraphContext& c) {
  const auto ax = static_cast<int>(c.node().arg[0]);
  const Tensor& y = c.output();
  const Tensor& g = c.grad_out();
  if (y.ndim() == 0) {
    c.add_grad(0, y * (g - g * y));
    return;
  }
  c.add_grad(0, y * (g - tg::sum(g * y, ax, true)));
}

void log_softmax_backward_graph(GraphContext& c) {
  const auto ax = static_cast<int>(c.node().arg[0]);
  const Tensor& g = c.grad_out();
  const Tensor total = c.output().ndim() == 0 ? g : tg::sum(g, ax, true);
  c.add_grad(0, g - tg::exp(c.output()) * total);
}

void logsumexp_backward_graph(GraphContext& c) {
  const Tensor& x = c.input(0);
  Tensor y = c.output(), g = c.grad_out();
  if (y.ndim() < x.ndim()) {  // keepdims was false: the reduced axis back, as size 1
    const auto ax = static_cast<int>(c.node().arg[0]);
    y = tg::unsqueeze(y, ax);
    g = tg::unsqueeze(g, ax);
  }
  c.add_grad(0, g * tg::exp(x - y));
}

}  // namespace detail

using namespace detail;

Tensor softmax(const Tensor& a, int axis) { return softmax_like(OpCode::softmax, a, axis); }
Tensor log_softmax(const Tensor& a, int axis) { return softmax_like(OpCode::log_softmax, a, axis); }

Tensor logsumexp(const Tensor& a, int axis, bool keepdims) {
  TensorImpl* x = checked_impl(a, "logsumexp");
  const int ax = normalize_axis("logsumexp", axis, x->shape.size());
  const ReduceDims r = reduce_dims(x->shape, ax);
  TensorImpl* out = new_impl(reduced_shape(x->shape, ax, keepdims));
  for_each_line(r, [&](int64_t base, int64_t o) { out->data[o] = log_sum_exp(x->data + base, r.inner, r.n); });
  if (should_record(x)) Engine::record(OpCode::logsumexp, out, {x}).arg[0] = ax;
  return make_result(out);
}

}  // namespace tg
