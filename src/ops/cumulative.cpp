// Running totals along an axis: cumsum (y_j = x_0 + … + x_j) and cumprod (y_j = x_0·…·x_j).
// Node arguments: arg[0] = the axis (normalised).
#include <string>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// Calls f(line, stride) for every line along the axis: element j of a line is line + j·stride.
template <class F>
void for_each_scan_line(const ReduceDims& r, F&& f) {
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) f(o * r.n * r.inner + i, r.inner);
}

template <class Step>
Tensor running(OpCode code, const Tensor& t, int axis, double start, Step step) {
  const char* name = op_info(code).name;
  TensorImpl* x = checked_impl(t, name);
  const int ax = normalize_axis(name, axis, x->shape.size());
  const ReduceDims r = reduce_dims(x->shape, ax);
  TensorImpl* out = new_impl(x->shape);
  for_each_scan_line(r, [&](int64_t first, int64_t stride) {
    double total = start;
    for (int64_t j = 0; j < r.n; ++j) {
      total = step(total, x->data[first + j * stride]);
      out->data[first + j * stride] = total;
    }
  });
  if (should_record(x)) Engine::record(code, out, {x}).arg[0] = ax;
  return make_result(out);
}

ReduceDims dims_of_line(const BackwardContext& c) {
  return reduce_dims(c.input(0)->shape, static_cast<int>(c.node().arg[0]));
}

}  // namespace

// d cumsum: x_k is in every y_j with j >= k, so its gradient is g_k + … + g_(n-1), summed
// from the end (PyTorch's reversed cumsum).
void cumsum_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const ReduceDims r = dims_of_line(c);
  for_each_scan_line(r, [&](int64_t first, int64_t stride) {
    double total = 0.0;
    for (int64_t k = r.n - 1; k >= 0; --k) {
      total += g[first + k * stride];
      gx[first + k * stride] += total;
    }
  });
}

// d cumprod, as PyTorch's cumprod_backward: dy_j/dx_k is the product of x_0..x_j without x_k
// (for j >= k). With z the first zero of the line (n if none):
//   k < z:  Σ_(k<=j<z) g_j·y_j / x_k  (summed from the end)
//   k = z:  (x_0·…·x_(z-1)) · Σ_(z<=j<z2) g_j·x_(z+1)·…·x_j, up to the next zero z2
//   k > z:  0, every product holds the zero x_z.
void cumprod_backward(BackwardContext& c) {
  const double* x = c.input(0)->data;
  const double* y = c.out()->data;
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const ReduceDims r = dims_of_line(c);
  for_each_scan_line(r, [&](int64_t first, int64_t stride) {
    const auto at = [&](int64_t j) { return first + j * stride; };
    if (r.n == 1) {  // y = x
      gx[first] += g[first];
      return;
    }
    int64_t z = 0;
    while (z < r.n && x[at(z)] != 0.0) ++z;
    double total = 0.0;
    for (int64_t k = z - 1; k >= 0; --k) {
      total += y[at(k)] * g[at(k)];
      gx[at(k)] += total / x[at(k)];
    }
    if (z == r.n) return;
    double product = 1.0, sum = 0.0;  // x_(z+1)·…·x_j and the sum so far
    for (int64_t j = z; j < r.n; ++j) {
      if (j > z) {
        if (x[at(j)] == 0.0) break;
        product *= x[at(j)];
      }
      sum += product * g[at(j)];
    }
    gx[at(z)] += sum * (z == 0 ? 1.0 : y[at(z - 1)]);
  });
}

// ---- the same rules written with tapegrad operations (create_graph) ---------------------------

// The reversed running sum of g: g_k + … + g_(n-1).
void cumsum_backward_graph(GraphContext& c) {
  const int axis = static_cast<int>(c.node().arg[0]);
  c.add_grad(0, tg::flip(tg::cumsum(tg::flip(c.grad_out(), {axis}), axis), {axis}));
}

// dy_j/dx_k = x_0·…·x_j without x_k, for j >= k. For every k, the running product of x with
// x_k replaced by 1 gives all of them at once: row k of an n×n matrix, whose upper triangle
// (j >= k), weighted by g, sums to the gradient. O(n²) per line, but free of divisions, so
// right at zeros and differentiable again.
void cumprod_backward_graph(GraphContext& c) {
  const int axis = static_cast<int>(c.node().arg[0]);
  const Tensor& x = c.input(0);
  const int64_t n = x.shape()[axis];
  if (n == 1) {
    c.add_grad(0, c.grad_out());
    return;
  }
  const int last = x.ndim() - 1;
  const Tensor line = tg::transpose(x, axis, last);    // (..., n)
  const Tensor g = tg::transpose(c.grad_out(), axis, last);
  Shape square = line.shape();
  square.insert(square.size() - 1, n);                // (..., n, n)
  const Tensor rows = tg::broadcast_to(tg::unsqueeze(line, -2), square);
  const Tensor without_k = tg::where(tg::eye(n), Tensor(1.0), rows);
  const Tensor products = tg::triu(tg::cumprod(without_k, -1)) * tg::unsqueeze(g, -2);
  c.add_grad(0, tg::transpose(tg::sum(products, -1), axis, last));
}

}  // namespace detail

using namespace detail;

Tensor cumsum(const Tensor& a, int axis) {
  return running(OpCode::cumsum, a, axis, 0.0, [](double total, double v) { return total + v; });
}
Tensor cumprod(const Tensor& a, int axis) {
  return running(OpCode::cumprod, a, axis, 1.0, [](double total, double v) { return total * v; });
}

}  // namespace tg
