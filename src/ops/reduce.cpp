// Reductions over all elements or along one axis: sum, mean, prod, max, min, var, norm.
// Node arguments: arg[0] = axis (normalised), arg[1] = keepdims, arg[0] = -1 for "all".
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

constexpr int64_t kAll = -1;

ReduceDims dims_of(const TensorImpl* x, const Node& n) {
  return n.arg[0] == kAll ? reduce_all(x->shape) : reduce_dims(x->shape, static_cast<int>(n.arg[0]));
}

// Runs `kernel(x + offset, stride, n)` -> value for every output element.
template <class Kernel>
Tensor reduce(OpCode code, const Tensor& t, int axis, bool all, bool keepdims, Kernel kernel,
              double scalar = 0.0) {
  const char* name = op_info(code).name;
  TensorImpl* x = checked_impl(t, name);
  int ax = all ? 0 : normalize_axis(name, axis, x->shape.size());
  const ReduceDims r = all ? reduce_all(x->shape) : reduce_dims(x->shape, ax);
  TensorImpl* out = new_impl(all ? Shape{} : reduced_shape(x->shape, ax, keepdims));
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i)
      out->data[o * r.inner + i] = kernel(x->data + o * r.n * r.inner + i, r.inner, r.n);
  if (should_record(x)) {
    Node& node = Engine::record(code, out, {x});
    node.arg[0] = all ? kAll : ax;
    node.arg[1] = keepdims;
    node.scalar[0] = scalar;
  }
  return make_result(out);
}

// Calls f(input_index, output_index) for every input element.
template <class F>
void for_each_reduced(const ReduceDims& r, F&& f) {
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t k = 0; k < r.n; ++k)
      for (int64_t i = 0; i < r.inner; ++i) f((o * r.n + k) * r.inner + i, o * r.inner + i);
}

double sum_of(const double* x, int64_t stride, int64_t n) {
  double s = 0.0;
  for (int64_t k = 0; k < n; ++k) s += x[k * stride];
  return s;
}

double mean_of(const double* x, int64_t stride, int64_t n) {
  return sum_of(x, stride, n) / static_cast<double>(n);
}

// First extreme element; NaN wins, as in PyTorch.
template <class Better>
int64_t arg_extreme(const double* x, int64_t stride, int64_t n, Better better) {
  int64_t best = 0;
  for (int64_t k = 1; k < n; ++k) {
    const double v = x[k * stride], b = x[best * stride];
    if (std::isnan(b)) break;
    if (std::isnan(v) || better(v, b)) best = k;
  }
  return best;
}

bool greater(double a, double b) { return a > b; }
bool less(double a, double b) { return a < b; }

double prod_of(const double* x, int64_t stride, int64_t n) {
  double p = 1.0;
  for (int64_t k = 0; k < n; ++k) p *= x[k * stride];
  return p;
}

// The largest or smallest element of nothing does not exist: max and min refuse an empty
// tensor, and an axis of size 0 (IndexError, as PyTorch). Along an axis of a tensor that is
// empty elsewhere (max of shape (0, 3) along axis 1) the result is empty.
void check_not_empty(const char* op, const Tensor& t, int axis, bool all) {
  if (!t.defined()) return;
  if (all) {
    if (t.numel() == 0)
      throw ValueError(std::string(op) + ": cannot reduce an empty tensor (shape " + t.shape().str() + ")");
    return;
  }
  const int ax = normalize_axis(op, axis, t.ndim());
  if (t.ndim() > 0 && t.shape()[ax] == 0) {
    throw IndexError(std::string(op) + ": cannot reduce axis " + std::to_string(axis) +
                     ", which has size 0 (shape " + t.shape().str() + ")");
  }
}

Tensor extreme(OpCode code, const Tensor& t, int axis, bool all, bool keepdims) {
  check_not_empty(op_info(code).name, t, axis, all);
  const bool is_max = code == OpCode::max || code == OpCode::max_axis;
  return reduce(code, t, axis, all, keepdims, [is_max](const double* x, int64_t s, int64_t n) {
    return x[arg_extreme(x, s, n, is_max ? greater : less) * s];
  });
}

// argmax/argmin: the position of the first extreme element (NaN first), a whole number in a
// double tensor. Positions are not differentiable, so nothing is recorded.
Tensor position_of_extreme(const char* op, const Tensor& t, int axis, bool all, bool keepdims, bool largest) {
  TensorImpl* x = checked_impl(t, op);
  check_not_empty(op, t, axis, all);
  const int ax = all ? 0 : normalize_axis(op, axis, x->shape.size());
  const ReduceDims r = all ? reduce_all(x->shape) : reduce_dims(x->shape, ax);
  TensorImpl* out = new_impl(all ? Shape{} : reduced_shape(x->shape, ax, keepdims));
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) {
      const double* line = x->data + o * r.n * r.inner + i;
      out->data[o * r.inner + i] = static_cast<double>(arg_extreme(line, r.inner, r.n, largest ? greater : less));
    }
  return make_result(out);
}

// The variance of nothing is NaN, as in PyTorch (and so is the mean: 0/0).
double var_of(const double* x, int64_t stride, int64_t n, double correction) {
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double m = mean_of(x, stride, n);
  double s = 0.0;
  for (int64_t k = 0; k < n; ++k) s += (x[k * stride] - m) * (x[k * stride] - m);
  return s / (static_cast<double>(n) - correction);
}

double l2_of(const double* x, int64_t stride, int64_t n) {
  double s = 0.0;
  for (int64_t k = 0; k < n; ++k) s += x[k * stride] * x[k * stride];
  return std::sqrt(s);
}

}  // namespace

// d Σx = 1
void sum_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  for_each_reduced(dims_of(c.input(0), c.node()), [&](int64_t i, int64_t o) { gx[i] += g[o]; });
}

// d mean = 1/n
void mean_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const ReduceDims r = dims_of(c.input(0), c.node());
  const auto n = static_cast<double>(r.n);
  for_each_reduced(r, [&](int64_t i, int64_t o) { gx[i] += g[o] / n; });
}

// d Πx/dx_k = the product of the other elements. As PyTorch's prod_backward: Πx / x_k when
// no element of the whole tensor is 0; otherwise, for every line, the product of the elements
// before k times the product of those after it (taken from the end), which is right at zeros.
void prod_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const double* y = c.out()->data;
  if (x->shape.empty()) {  // a 0-d tensor is its own product
    gx[0] += g[0];
    return;
  }
  const ReduceDims r = dims_of(x, c.node());
  if (std::none_of(x->data, x->data + x->numel, [](double v) { return v == 0.0; })) {
    for_each_reduced(r, [&](int64_t i, int64_t o) { gx[i] += g[o] * (y[o] / x->data[i]); });
    return;
  }
  std::vector<double> before(static_cast<std::size_t>(r.n));  // x_0·…·x_(k-1)
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) {
      const int64_t first = o * r.n * r.inner + i;
      double p = 1.0;
      for (int64_t k = 0; k < r.n; ++k) {
        before[k] = p;
        p *= x->data[first + k * r.inner];
      }
      double after = 1.0;  // x_(n-1)·…·x_(k+1)
      for (int64_t k = r.n - 1; k >= 0; --k) {
        gx[first + k * r.inner] += g[o * r.inner + i] * (before[k] * after);
        after *= x->data[first + k * r.inner];
      }
    }
}

// max()/min() of everything: the gradient is shared evenly among the tied extremes.
// Along an axis: it goes to the first extreme element.
void extreme_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const double* y = c.out()->data;
  const ReduceDims r = dims_of(x, c.node());
  const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  if (c.node().arg[0] == kAll) {
    int64_t ties = 0;
    for (int64_t i = 0; i < x->numel; ++i) ties += same(x->data[i], y[0]);
    for (int64_t i = 0; i < x->numel; ++i)
      if (same(x->data[i], y[0])) gx[i] += g[0] / static_cast<double>(ties);
    return;
  }
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) {
      const int64_t out = o * r.inner + i;
      for (int64_t k = 0; k < r.n; ++k) {
        const int64_t in = (o * r.n + k) * r.inner + i;
        if (same(x->data[in], y[out])) {
          gx[in] += g[out];
          break;
        }
      }
    }
}

// d var = 2(x - mean)/(n - correction), correction = 1 when unbiased
void var_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const ReduceDims r = dims_of(x, c.node());
  const double scale = 2.0 / (static_cast<double>(r.n) - c.node().scalar[0]);
  for (int64_t o = 0; o < r.outer; ++o)
    for (int64_t i = 0; i < r.inner; ++i) {
      const double* base = x->data + o * r.n * r.inner + i;
      const double m = mean_of(base, r.inner, r.n);
      for (int64_t k = 0; k < r.n; ++k)
        gx[(o * r.n + k) * r.inner + i] += scale * g[o * r.inner + i] * (base[k * r.inner] - m);
    }
}

// d‖x‖ = x/‖x‖, 0 where ‖x‖ = 0
void norm_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const double* y = c.out()->data;
  for_each_reduced(dims_of(x, c.node()), [&](int64_t i, int64_t o) {
    if (y[o] != 0.0) gx[i] += x->data[i] * (g[o] / y[o]);
  });
}

// ---- the same rules written with tapegrad operations (create_graph) ---------------------------
namespace {

// g with the reduced axis (or all of them) back, broadcast to the input's shape.
Tensor expand_over_axis(const Tensor& g, const GraphContext& c) {
  const Shape& x = c.input(0).shape();
  const int64_t axis = c.node().arg[0];
  const uint32_t reduced = axis == kAll ? ~0u : (x.size() > 0 ? 1u << axis : 0u);
  return expand_reduced(g, x, reduced);
}

int64_t reduced_n(const GraphContext& c) { return dims_of(impl_of(c.input(0)), c.node()).n; }

// The product of the elements before each one along `axis`: 1, x_0, x_0·x_1, ...
Tensor exclusive_cumprod(const Tensor& x, int axis) {
  const int64_t n = x.shape()[axis];
  Shape one = x.shape();
  one[axis] = 1;
  if (n == 1) return tg::ones(one);
  return tg::concat({tg::ones(one), tg::narrow(tg::cumprod(x, axis), axis, 0, n - 1)}, axis);
}

}  // namespace

void sum_backward_graph(GraphContext& c) { c.add_grad(0, expand_over_axis(c.grad_out(), c)); }

void mean_backward_graph(GraphContext& c) {
  c.add_grad(0, expand_over_axis(c.grad_out(), c) / static_cast<double>(reduced_n(c)));
}

// The product of the elements before k times the product of those after it: no division, so
// right at zeros and differentiable again.
void prod_backward_graph(GraphContext& c) {
  const Tensor& x = c.input(0);
  if (x.ndim() == 0) {
    c.add_grad(0, c.grad_out());
    return;
  }
  const bool all = c.node().arg[0] == kAll;
  const Tensor line = all ? tg::reshape(x, {-1}) : x;
  const int axis = all ? 0 : static_cast<int>(c.node().arg[0]);
  const Tensor before = exclusive_cumprod(line, axis);
  const Tensor after = tg::flip(exclusive_cumprod(tg::flip(line, {axis}), axis), {axis});
  Tensor others = before * after;
  if (all) others = tg::reshape(others, std::vector<int64_t>(x.shape().begin(), x.shape().end()));
  c.add_grad(0, expand_over_axis(c.grad_out(), c) * others);
}

// The elements that receive the gradient, as weights: 1/ties for each tied extreme of the
// whole tensor, 1 for the first extreme along an axis.
void extreme_backward_graph(GraphContext& c) {
  const TensorImpl* x = impl_of(c.input(0));
  const double* y = impl_of(c.output())->data;
  Tensor weight = tg::zeros(x->shape);
  double* w = impl_of(weight)->data;
  const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  if (c.node().arg[0] == kAll) {
    int64_t ties = 0;
    for (int64_t i = 0; i < x->numel; ++i) ties += same(x->data[i], y[0]);
    for (int64_t i = 0; i < x->numel; ++i)
      if (same(x->data[i], y[0])) w[i] = 1.0 / static_cast<double>(ties);
  } else {
    const ReduceDims r = dims_of(x, c.node());
    for (int64_t o = 0; o < r.outer; ++o)
      for (int64_t i = 0; i < r.inner; ++i)
        for (int64_t k = 0; k < r.n; ++k) {
          const int64_t in = (o * r.n + k) * r.inner + i;
          if (same(x->data[in], y[o * r.inner + i])) {
            w[in] = 1.0;
            break;
          }
        }
  }
  c.add_grad(0, tg::where(weight, expand_over_axis(c.grad_out(), c) * weight, Tensor(0.0)));
}

void var_backward_graph(GraphContext& c) {
  const Tensor& x = c.input(0);
  const Node& n = c.node();
  const Tensor m = n.arg[0] == kAll ? tg::mean(x) : tg::mean(x, static_cast<int>(n.arg[0]), true);
  const double scale = 2.0 / (static_cast<double>(reduced_n(c)) - n.scalar[0]);
  c.add_grad(0, expand_over_axis(c.grad_out(), c) * (x - m) * scale);
}

void norm_backward_graph(GraphContext& c) {
  const Tensor& y = c.output();
  const Tensor nonzero = tg::ne(y, 0.0);
  const Tensor safe_y = tg::where(nonzero, y, Tensor(1.0));  // no 0/0 on the way back either
  const Tensor scaled = tg::where(nonzero, c.grad_out() / safe_y, Tensor(0.0));
  c.add_grad(0, c.input(0) * expand_over_axis(scaled, c));
}

}  // namespace detail

using namespace detail;

Tensor sum(const Tensor& a) { return reduce(OpCode::sum, a, 0, true, false, sum_of); }
Tensor sum(const Tensor& a, int axis, bool keepdims) {
  return reduce(OpCode::sum_axis, a, axis, false, keepdims, sum_of);
}
Tensor mean(const Tensor& a) {
  return reduce(OpCode::mean, a, 0, true, false, mean_of);
}
Tensor mean(const Tensor& a, int axis, bool keepdims) {
  return reduce(OpCode::mean_axis, a, axis, false, keepdims, mean_of);
}
Tensor prod(const Tensor& a) { return reduce(OpCode::prod, a, 0, true, false, prod_of); }
Tensor prod(const Tensor& a, int axis, bool keepdims) {
  return reduce(OpCode::prod_axis, a, axis, false, keepdims, prod_of);
}
Tensor max(const Tensor& a) { return extreme(OpCode::max, a, 0, true, false); }
Tensor max(const Tensor& a, int axis, bool keepdims) {
  return extreme(OpCode::max_axis, a, axis, false, keepdims);
}
Tensor min(const Tensor& a) { return extreme(OpCode::min, a, 0, true, false); }
Tensor min(const Tensor& a, int axis, bool keepdims) {
  return extreme(OpCode::min_axis, a, axis, false, keepdims);
}
Tensor var(const Tensor& a, bool unbiased) {
  const double c = unbiased ? 1.0 : 0.0;
  return reduce(OpCode::var, a, 0, true, false,
                [c](const double* x, int64_t s, int64_t n) { return var_of(x, s, n, c); }, c);
}
Tensor var(const Tensor& a, int axis, bool unbiased, bool keepdims) {
  const double c = unbiased ? 1.0 : 0.0;
  return reduce(OpCode::var_axis, a, axis, false, keepdims,
                [c](const double* x, int64_t s, int64_t n) { return var_of(x, s, n, c); }, c);
}
Tensor argmax(const Tensor& a) { return position_of_extreme("argmax", a, 0, true, false, true); }
Tensor argmax(const Tensor& a, int axis, bool keepdims) {
  return position_of_extreme("argmax", a, axis, false, keepdims, true);
}
Tensor argmin(const Tensor& a) { return position_of_extreme("argmin", a, 0, true, false, false); }
Tensor argmin(const Tensor& a, int axis, bool keepdims) {
  return position_of_extreme("argmin", a, axis, false, keepdims, false);
}
Tensor norm(const Tensor& a) { return reduce(OpCode::norm, a, 0, true, false, l2_of); }
Tensor norm(const Tensor& a, int axis, bool keepdims) {
  return reduce(OpCode::norm_axis, a, axis, false, keepdims, l2_of);
}

}  // namespace tg
