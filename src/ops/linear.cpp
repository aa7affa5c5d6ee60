// linear(x, W, b) = x·Wᵀ + b, the layer of every MLP, in one node: one DGEMM forward, two
// backward, and no transposed copy of W.
#include <cblas.h>

#include <string>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "core/tensor_access.hpp"

namespace tg {
namespace detail {
namespace {

// x is (rows, in) after merging its leading axes; W is (out, in); b is (out,).
struct LinearGeometry {
  int64_t rows, in, out;
  Shape shape;  // of the result: x's leading axes, then out
};

LinearGeometry geometry(const Shape& x, const Shape& w, const Shape* b) {
  if (w.size() != 2) throw ShapeError("linear: the weight must be 2-D (out, in), got " + w.str());
  if (x.empty() || x.back() != w[1]) {
    throw ShapeError("linear: input " + x.str() + " does not fit weight " + w.str() + " (the last axis must be " +
                     std::to_string(w[1]) + ")");
  }
  if (b && (b->size() != 1 || (*b)[0] != w[0])) {
    throw ShapeError("linear: bias " + b->str() + " does not fit weight " + w.str() + " (expected (" +
                     std::to_string(w[0]) + ",))");
  }
  int64_t rows = 1;  // the product of x's leading axes (also when in = 0)
  for (int d = 0; d + 1 < x.size(); ++d) rows *= x[d];
  LinearGeometry g{rows, w[1], w[0], x};
  g.shape[g.shape.size() - 1] = w[0];
  return g;
}

}  // namespace

// dX = G·W, dW = Gᵀ·X, db = Σ_rows G
void linear_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  const TensorImpl* w = c.input(1);
  const bool has_bias = c.num_inputs() == 3;
  const LinearGeometry g = geometry(x->shape, w->shape, has_bias ? &c.input(2)->shape : nullptr);
  const double* G = c.grad_out();
  const int rows = static_cast<int>(g.rows), in = static_cast<int>(g.in), out = static_cast<int>(g.out);
  if (rows == 0 || in == 0 || out == 0) return;
  if (double* gx = c.grad_in(0)) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, in, out, 1.0, G, out, w->data, in, 1.0, gx, in);
  }
  if (double* gw = c.grad_in(1)) {
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, rows, 1.0, G, out, x->data, in, 1.0, gw, in);
  }
  if (has_bias) {
    if (double* gb = c.grad_in(2)) {
      for (int64_t r = 0; r < g.rows; ++r)
        for (int64_t o = 0; o < g.out; ++o) gb[o] += G[r * g.out + o];
    }
  }
}

void linear_backward_graph(GraphContext& c) {
  const Tensor& x = c.input(0);
  const Tensor& w = c.input(1);
  const Tensor& G = c.grad_out();
  const int64_t in = w.shape()[1], out = w.shape()[0];
  if (c.needs_grad(0)) c.add_grad(0, tg::reshape(tg::matmul(tg::reshape(G, {-1, out}), w), x.shape().to_vector()));
  if (c.needs_grad(1)) {
    c.add_grad(1, tg::matmul(tg::transpose(tg::reshape(G, {-1, out}), 0, 1), tg::reshape(x, {-1, in})));
  }
  if (c.num_inputs() == 3 && c.needs_grad(2)) c.add_grad(2, tg::sum(tg::reshape(G, {-1, out}), 0));
}

}  // namespace detail

using namespace detail;

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  TensorImpl* x = checked_impl(input, "linear");
  TensorImpl* w = checked_impl(weight, "linear");
  TensorImpl* b = bias.defined() ? tg::detail::impl_of(bias) : nullptr;
  const LinearGeometry g = geometry(x->shape, w->shape, b ? &b->shape : nullptr);
  TensorImpl* out = new_impl(g.shape);
  double* y = out->data;
  for (int64_t r = 0; r < g.rows; ++r)
    for (int64_t o = 0; o < g.out; ++o) y[r * g.out + o] = b ? b->data[o] : 0.0;
  if (g.rows > 0 && g.out > 0 && g.in > 0) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(g.rows), static_cast<int>(g.out),
                static_cast<int>(g.in), 1.0, x->data, static_cast<int>(g.in), w->data, static_cast<int>(g.in), 1.0, y,
                static_cast<int>(g.out));
  }
  const bool record = t_grad_enabled && (x->requires_grad || w->requires_grad || (b && b->requires_grad));
  if (record) {
    if (b) Engine::record(OpCode::linear, out, {x, w, b});
    else Engine::record(OpCode::linear, out, {x, w});
  }
  return make_result(out);
}

}  // namespace tg
