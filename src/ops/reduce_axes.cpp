// Reductions over several axes at once: sum, mean, var, std, norm, amax and amin of a list of
// axes (an empty list: every axis, as PyTorch). The reduced axes are a bit set (bit d for axis
// d); every input element adds into one output element, found by walking the input in order
// with the output's strides, which are 0 along the reduced axes.
// Node arguments: arg[0] = the bit set, arg[1] = keepdims, scalar[0] = the correction of var/std.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "axes.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

bool reduces(AxisSet set, int axis) { return in_set(set, axis); }

// The shape left after reducing the axes in `set` (kept as size 1 with keepdims).
Shape shape_after(const Shape& in, AxisSet set, bool keepdims) {
  Shape out;
  for (int d = 0; d < in.size(); ++d) {
    if (!reduces(set, d)) out.push_back(in[d]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

// How many input elements reduce into each output element.
int64_t reduced_count(const Shape& in, AxisSet set) {
  int64_t n = 1;
  for (int d = 0; d < in.size(); ++d)
    if (reduces(set, d)) n *= in[d];
  return n;
}

// Calls f(input_index, output_index) for every input element, in order.
template <class F>
void for_each_element(const Shape& in, AxisSet set, F&& f) {
  const int nd = in.size();
  int64_t out_stride[kMaxDims];
  int64_t s = 1;
  for (int d = nd - 1; d >= 0; --d) {
    out_stride[d] = reduces(set, d) ? 0 : s;
    if (!reduces(set, d)) s *= in[d];
  }
  int64_t pos[kMaxDims] = {};
  int64_t o = 0;
  for (int64_t i = 0, n = in.numel(); i < n; ++i) {
    f(i, o);
    for (int d = nd - 1; d >= 0; --d) {  // the next position, like an odometer
      o += out_stride[d];
      if (++pos[d] < in[d]) break;
      o -= out_stride[d] * in[d];
      pos[d] = 0;
    }
  }
}

// The mean of each output's elements (NaN for none).
std::vector<double> means(const TensorImpl* x, AxisSet set, int64_t outputs) {
  std::vector<double> m(static_cast<std::size_t>(outputs), 0.0);
  for_each_element(x->shape, set, [&](int64_t i, int64_t o) { m[o] += x->data[i]; });
  const auto n = static_cast<double>(reduced_count(x->shape, set));
  for (double& v : m) v /= n;
  return m;
}

enum class Statistic { sum, mean, var, std, norm, amax, amin };

// Σ(x - mean)² / (n - correction); NaN when there is nothing to reduce.
void variances(const TensorImpl* x, AxisSet set, double correction, TensorImpl* out) {
  const std::vector<double> m = means(x, set, out->numel);
  double* y = out->data;
  std::fill(y, y + out->numel, 0.0);
  for_each_element(x->shape, set, [&](int64_t i, int64_t o) { y[o] += (x->data[i] - m[o]) * (x->data[i] - m[o]); });
  const int64_t n = reduced_count(x->shape, set);
  for (int64_t o = 0; o < out->numel; ++o)
    y[o] = n == 0 ? std::numeric_limits<double>::quiet_NaN() : y[o] / (static_cast<double>(n) - correction);
}

Tensor reduce_axes(OpCode code, Statistic kind, const Tensor& t, AxisSet set, bool keepdims, double correction = 0.0) {
  const char* name = op_info(code).name;
  TensorImpl* x = checked_impl(t, name);
  TensorImpl* out = new_impl(shape_after(x->shape, set, keepdims));
  double* y = out->data;
  const double* v = x->data;
  switch (kind) {
    case Statistic::sum:
    case Statistic::mean:
      std::fill(y, y + out->numel, 0.0);
      for_each_element(x->shape, set, [&](int64_t i, int64_t o) { y[o] += v[i]; });
      if (kind == Statistic::mean) {
        const auto n = static_cast<double>(reduced_count(x->shape, set));
        for (int64_t o = 0; o < out->numel; ++o) y[o] /= n;  // NaN for n = 0
      }
      break;
    case Statistic::var:
    case Statistic::std:
      variances(x, set, correction, out);
      if (kind == Statistic::std)
        for (int64_t o = 0; o < out->numel; ++o) y[o] = std::sqrt(y[o]);
      break;
    case Statistic::norm:
      std::fill(y, y + out->numel, 0.0);
      for_each_element(x->shape, set, [&](int64_t i, int64_t o) { y[o] += v[i] * v[i]; });
      for (int64_t o = 0; o < out->numel; ++o) y[o] = std::sqrt(y[o]);
      break;
    case Statistic::amax:
    case Statistic::amin: {
      // A NaN anywhere makes the result NaN, as PyTorch.
      const bool largest = kind == Statistic::amax;
      std::fill(y, y + out->numel, largest ? -std::numeric_limits<double>::infinity()
                                           : std::numeric_limits<double>::infinity());
      for_each_element(x->shape, set, [&](int64_t i, int64_t o) {
        if (std::isnan(v[i]) || (largest ? v[i] > y[o] : v[i] < y[o])) y[o] = v[i];
      });
      break;
    }
  }
  if (should_record(x)) {
    Node& node = Engine::record(code, out, {x});
    node.arg[0] = set;
    node.arg[1] = keepdims;
    node.scalar[0] = correction;
  }
  return make_result(out);
}

// amax/amin have no value for nothing: refuse an empty tensor and axes of size 0.
void check_extreme_axes(const char* op, const Tensor& t, AxisSet set) {
  const TensorImpl* x = checked_impl(t, op);
  if (x->numel > 0) return;
  if (set == (AxisSet{1} << x->shape.size()) - 1)
    throw ValueError(std::string(op) + ": cannot reduce an empty tensor (shape " + x->shape.str() + ")");
  for (int d = 0; d < x->shape.size(); ++d) {
    if (reduces(set, d) && x->shape[d] == 0) {
      throw IndexError(std::string(op) + ": cannot reduce axis " + std::to_string(d) + ", which has size 0 (shape " +
                       x->shape.str() + ")");
    }
  }
}

AxisSet set_of(const BackwardContext& c) { return static_cast<AxisSet>(c.node().arg[0]); }

// d(Σ(x - mean)²/(n - c)) = 2(x - mean)/(n - c), times g_var (var: g; std: g/(2·std), 0 where
// std = 0, as PyTorch's std_backward).
void add_var_gradient(BackwardContext& c, const double* g_var) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const AxisSet set = set_of(c);
  const std::vector<double> m = means(x, set, c.out()->numel);
  const double scale = 2.0 / (static_cast<double>(reduced_count(x->shape, set)) - c.node().scalar[0]);
  for_each_element(x->shape, set, [&](int64_t i, int64_t o) { gx[i] += scale * g_var[o] * (x->data[i] - m[o]); });
}

}  // namespace

// d Σx = 1
void sum_axes_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  for_each_element(c.input(0)->shape, set_of(c), [&](int64_t i, int64_t o) { gx[i] += g[o]; });
}

// d mean = 1/n
void mean_axes_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const auto n = static_cast<double>(reduced_count(c.input(0)->shape, set_of(c)));
  for_each_element(c.input(0)->shape, set_of(c), [&](int64_t i, int64_t o) { gx[i] += g[o] / n; });
}

void var_axes_backward(BackwardContext& c) { add_var_gradient(c, c.grad_out()); }

// d std = d var / (2·std), and 0 where std = 0
void std_backward(BackwardContext& c) {
  const double* g = c.grad_out();
  const double* y = c.out()->data;
  std::vector<double> g_var(static_cast<std::size_t>(c.out()->numel));
  for (std::size_t o = 0; o < g_var.size(); ++o) g_var[o] = y[o] == 0.0 ? 0.0 : g[o] / (y[o] * 2.0);
  add_var_gradient(c, g_var.data());
}

// d‖x‖ = x/‖x‖, 0 where ‖x‖ = 0
void norm_axes_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const double* y = c.out()->data;
  for_each_element(x->shape, set_of(c), [&](int64_t i, int64_t o) {
    if (y[o] != 0.0) gx[i] += x->data[i] * (g[o] / y[o]);
  });
}

// amax/amin: g shared evenly among the elements equal to the result, as PyTorch:
// (g / count) · [x = y]. Where the result is NaN nothing equals it, and every element of
// that output gets (g/0)·0 = NaN.
void extreme_axes_backward(BackwardContext& c) {
  const TensorImpl* x = c.input(0);
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  const double* y = c.out()->data;
  const AxisSet set = set_of(c);
  std::vector<double> count(static_cast<std::size_t>(c.out()->numel), 0.0);
  for_each_element(x->shape, set, [&](int64_t i, int64_t o) { count[o] += x->data[i] == y[o] ? 1.0 : 0.0; });
  for_each_element(x->shape, set, [&](int64_t i, int64_t o) {
    gx[i] += (g[o] / count[o]) * (x->data[i] == y[o] ? 1.0 : 0.0);
  });
}

// ---- the same rules written with tapegrad operations (create_graph) ---------------------------
namespace {

std::vector<int> axes_of(AxisSet set, int ndim) {
  std::vector<int> axes;
  for (int d = 0; d < ndim; ++d)
    if (reduces(set, d)) axes.push_back(d);
  return axes;
}

// g with the reduced axes back, broadcast to the input's shape.
Tensor expand_over_axes(const Tensor& g, const GraphContext& c) {
  return expand_reduced(g, c.input(0).shape(), static_cast<AxisSet>(c.node().arg[0]));
}

// 2(x - mean)/(n - c) times the gradient of the variance.
void add_var_gradient_graph(GraphContext& c, const Tensor& g_var) {
  const Tensor& x = c.input(0);
  const auto set = static_cast<AxisSet>(c.node().arg[0]);
  const Tensor m = tg::mean(x, axes_of(set, x.ndim()), true);
  const double scale = 2.0 / (static_cast<double>(reduced_count(x.shape(), set)) - c.node().scalar[0]);
  c.add_grad(0, expand_over_axes(g_var, c) * (x - m) * scale);
}

// y, with 1 where it is 0, so that dividing by it is safe on the way back too.
Tensor nonzero_or_one(const Tensor& y) { return tg::where(tg::ne(y, 0.0), y, Tensor(1.0)); }

}  // namespace

void sum_axes_backward_graph(GraphContext& c) { c.add_grad(0, expand_over_axes(c.grad_out(), c)); }

void mean_axes_backward_graph(GraphContext& c) {
  const auto n = reduced_count(c.input(0).shape(), static_cast<AxisSet>(c.node().arg[0]));
  c.add_grad(0, expand_over_axes(c.grad_out(), c) / static_cast<double>(n));
}

void var_axes_backward_graph(GraphContext& c) { add_var_gradient_graph(c, c.grad_out()); }

void std_backward_graph(GraphContext& c) {
  const Tensor& y = c.output();
  add_var_gradient_graph(c, tg::where(tg::ne(y, 0.0), c.grad_out() / (nonzero_or_one(y) * 2.0), Tensor(0.0)));
}

void norm_axes_backward_graph(GraphContext& c) {
  const Tensor& y = c.output();
  const Tensor scaled = tg::where(tg::ne(y, 0.0), c.grad_out() / nonzero_or_one(y), Tensor(0.0));
  c.add_grad(0, c.input(0) * expand_over_axes(scaled, c));
}

// (g / count)·[x = y], with the mask and the count as constants.
void extreme_axes_backward_graph(GraphContext& c) {
  const Tensor& x = c.input(0);
  const Tensor mask = tg::eq(x, expand_over_axes(c.output().detach(), c));
  const Tensor count = tg::sum(mask, axes_of(static_cast<AxisSet>(c.node().arg[0]), x.ndim()), true);
  c.add_grad(0, expand_over_axes(c.grad_out(), c) / tg::broadcast_to(count, x.shape()) * mask);
}

}  // namespace detail

using namespace detail;

namespace {

AxisSet all_axes(const Tensor& a, const char* op) {
  return (AxisSet{1} << checked_impl(a, op)->shape.size()) - 1;
}
AxisSet one_axis(const Tensor& a, int axis, const char* op) {
  return axis_set(op, {axis}, checked_impl(a, op)->shape.size());
}
// An empty list is every axis, as PyTorch's dim=[].
AxisSet listed_axes(const Tensor& a, const std::vector<int>& axes, const char* op) {
  return axes.empty() ? all_axes(a, op) : axis_set(op, axes, checked_impl(a, op)->shape.size());
}

}  // namespace

Tensor sum(const Tensor& a, const std::vector<int>& axes, bool keepdims) {
  return reduce_axes(OpCode::sum_axes, Statistic::sum, a, listed_axes(a, axes, "sum"), keepdims);
}
Tensor mean(const Tensor& a, const std::vector<int>& axes, bool keepdims) {
  return reduce_axes(OpCode::mean_axes, Statistic::mean, a, listed_axes(a, axes, "mean"), keepdims);
}
Tensor var(const Tensor& a, const std::vector<int>& axes, bool unbiased, bool keepdims) {
  return reduce_axes(OpCode::var_axes, Statistic::var, a, listed_axes(a, axes, "var"), keepdims, unbiased ? 1.0 : 0.0);
}
Tensor std(const Tensor& a, bool unbiased) {
  return reduce_axes(OpCode::std, Statistic::std, a, all_axes(a, "std"), false, unbiased ? 1.0 : 0.0);
}
Tensor std(const Tensor& a, int axis, bool unbiased, bool keepdims) {
  return reduce_axes(OpCode::std, Statistic::std, a, one_axis(a, axis, "std"), keepdims, unbiased ? 1.0 : 0.0);
}
Tensor std(const Tensor& a, const std::vector<int>& axes, bool unbiased, bool keepdims) {
  return reduce_axes(OpCode::std, Statistic::std, a, listed_axes(a, axes, "std"), keepdims, unbiased ? 1.0 : 0.0);
}
Tensor norm(const Tensor& a, const std::vector<int>& axes, bool keepdims) {
  return reduce_axes(OpCode::norm_axes, Statistic::norm, a, listed_axes(a, axes, "norm"), keepdims);
}
Tensor amax(const Tensor& a, const std::vector<int>& axes, bool keepdims) {
  const AxisSet set = listed_axes(a, axes, "amax");
  check_extreme_axes("amax", a, set);
  return reduce_axes(OpCode::amax, Statistic::amax, a, set, keepdims);
}
Tensor amin(const Tensor& a, const std::vector<int>& axes, bool keepdims) {
  const AxisSet set = listed_axes(a, axes, "amin");
  check_extreme_axes("amin", a, set);
  return reduce_axes(OpCode::amin, Statistic::amin, a, set, keepdims);
}

}  // namespace tg
