// The elementwise functions that take numbers besides the tensor (slopes, bounds), where,
// masked_fill, and comparisons. The choices at non-smooth points follow PyTorch (see ops.hpp).
#include <cmath>
#include <limits>

#include "elementwise_ops.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

template <class Cmp>
Tensor compare(const char* name, const Tensor& x, const Tensor& y, Cmp cmp) {
  TensorImpl* a = checked_impl(x, name);
  TensorImpl* b = checked_impl(y, name);
  const BroadcastPlan p = plan_broadcast(name, a->shape, b->shape);
  TensorImpl* out = new_impl(p.out);
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) {
    out->data[o] = cmp(a->data[i], b->data[j]) ? 1.0 : 0.0;
  });
  out->is_mask = true;
  return make_result(out);
}

}  // namespace

// where: the condition (input 0) gets no gradient; a (input 1) where it holds, b elsewhere.
void where_backward(BackwardContext& c) {
  const TensorImpl* cond = c.input(0);
  const TensorImpl* a = c.input(1);
  const TensorImpl* b = c.input(2);
  const BroadcastPlan p = plan_broadcast("where", cond->shape, a->shape, b->shape);
  double* ga = c.grad_in(1);
  double* gb = c.grad_in(2);
  const double* G = c.grad_out();
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t k) {
    const bool take_a = cond->data[i] != 0.0;
    if (ga && take_a) ga[j] += G[o];
    if (gb && !take_a) gb[k] += G[o];
  });
}

// masked_fill: the mask (input 1) gets no gradient; a (input 0) where the mask is 0, summed
// back to a's shape.
void masked_fill_backward(BackwardContext& c) {
  const TensorImpl* a = c.input(0);
  const TensorImpl* mask = c.input(1);
  const BroadcastPlan p = plan_broadcast("masked_fill", a->shape, mask->shape);
  double* ga = c.grad_in(0);
  const double* G = c.grad_out();
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) {
    if (mask->data[j] == 0.0) ga[i] += G[o];
  });
}

void where_backward_graph(GraphContext& c) {
  const Tensor& condition = c.input(0);
  if (c.needs_grad(1)) c.add_broadcast_grad(1, tg::where(condition, c.grad_out(), Tensor(0.0)));
  if (c.needs_grad(2)) c.add_broadcast_grad(2, tg::where(condition, Tensor(0.0), c.grad_out()));
}

void masked_fill_backward_graph(GraphContext& c) {
  if (c.needs_grad(0)) c.add_broadcast_grad(0, tg::where(c.input(1), Tensor(0.0), c.grad_out()));
}

}  // namespace detail

using namespace detail;

Tensor leaky_relu(const Tensor& a, double negative_slope) {
  return unary<op::leaky_relu>(a, negative_slope);
}
Tensor elu(const Tensor& a, double alpha) { return unary<op::elu>(a, alpha); }
Tensor softplus(const Tensor& a, double beta, double threshold) {
  if (!(beta > 0.0)) throw ValueError("softplus: beta must be > 0, got " + std::to_string(beta));
  return unary<op::softplus>(a, beta, threshold);
}
Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max) {
  if (!min && !max) throw ValueError("clamp: at least one of min and max must be given");
  constexpr double inf = std::numeric_limits<double>::infinity();
  return unary<op::clamp>(a, min.value_or(-inf), max.value_or(inf));
}
Tensor hardtanh(const Tensor& a, double min_val, double max_val) {
  if (!(min_val <= max_val)) {
    throw ValueError("hardtanh: min_val (" + std::to_string(min_val) + ") must not exceed max_val (" +
                     std::to_string(max_val) + ")");
  }
  return unary<op::hardtanh>(a, min_val, max_val);
}
Tensor gelu(const Tensor& a, const std::string& approximate) {
  if (approximate != "none" && approximate != "tanh") {
    throw ValueError("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
  }
  return unary<op::gelu>(a, approximate == "tanh" ? 1.0 : 0.0);
}
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  TensorImpl* c = checked_impl(condition, "where");
  TensorImpl* x = checked_impl(a, "where");
  TensorImpl* y = checked_impl(b, "where");
  const BroadcastPlan p = plan_broadcast("where", c->shape, x->shape, y->shape);
  TensorImpl* out = new_impl(p.out);
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t k) {
    out->data[o] = c->data[i] != 0.0 ? x->data[j] : y->data[k];
  });
  if (should_record(x, y)) Engine::record(OpCode::where, out, {c, x, y});
  return make_result(out);
}

Tensor masked_fill(const Tensor& a, const Tensor& mask, double value) {
  TensorImpl* x = checked_impl(a, "masked_fill");
  TensorImpl* m = checked_impl(mask, "masked_fill");
  const BroadcastPlan p = plan_broadcast("masked_fill", x->shape, m->shape);
  TensorImpl* out = new_impl(p.out);
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) {
    out->data[o] = m->data[j] != 0.0 ? value : x->data[i];
  });
  if (should_record(x)) Engine::record(OpCode::masked_fill, out, {x, m}).scalar[0] = value;
  return make_result(out);
}

Tensor eq(const Tensor& a, const Tensor& b) {
  return compare("eq", a, b, [](double x, double y) { return x == y; });
}
Tensor ne(const Tensor& a, const Tensor& b) {
  return compare("ne", a, b, [](double x, double y) { return x != y; });
}
Tensor lt(const Tensor& a, const Tensor& b) {
  return compare("lt", a, b, [](double x, double y) { return x < y; });
}
Tensor le(const Tensor& a, const Tensor& b) {
  return compare("le", a, b, [](double x, double y) { return x <= y; });
}
Tensor gt(const Tensor& a, const Tensor& b) {
  return compare("gt", a, b, [](double x, double y) { return x > y; });
}
Tensor ge(const Tensor& a, const Tensor& b) {
  return compare("ge", a, b, [](double x, double y) { return x >= y; });
}

Tensor eq(const Tensor& a, double b) { return eq(a, Tensor(b)); }
Tensor ne(const Tensor& a, double b) { return ne(a, Tensor(b)); }
Tensor lt(const Tensor& a, double b) { return lt(a, Tensor(b)); }
Tensor le(const Tensor& a, double b) { return le(a, Tensor(b)); }
Tensor gt(const Tensor& a, double b) { return gt(a, Tensor(b)); }
Tensor ge(const Tensor& a, double b) { return ge(a, Tensor(b)); }

Tensor Tensor::to_mask() const { return tg::ne(*this, Tensor(0.0)); }

Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator<(const Tensor& a, double s) { return lt(a, Tensor(s)); }
Tensor operator<=(const Tensor& a, double s) { return le(a, Tensor(s)); }
Tensor operator>(const Tensor& a, double s) { return gt(a, Tensor(s)); }
Tensor operator>=(const Tensor& a, double s) { return ge(a, Tensor(s)); }
Tensor operator<(double s, const Tensor& a) { return lt(Tensor(s), a); }
Tensor operator<=(double s, const Tensor& a) { return le(Tensor(s), a); }
Tensor operator>(double s, const Tensor& a) { return gt(Tensor(s), a); }
Tensor operator>=(double s, const Tensor& a) { return ge(Tensor(s), a); }

bool equal(const Tensor& a, const Tensor& b) {
  const TensorImpl* x = checked_impl(a, "equal");
  const TensorImpl* y = checked_impl(b, "equal");
  if (x->shape != y->shape) return false;
  for (int64_t i = 0; i < x->numel; ++i)
    if (!(x->data[i] == y->data[i])) return false;
  return true;
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol) {
  const TensorImpl* x = checked_impl(a, "allclose");
  const TensorImpl* y = checked_impl(b, "allclose");
  const BroadcastPlan p = plan_broadcast("allclose", x->shape, y->shape);
  bool close = true;
  for_each_broadcast(p, [&](int64_t, int64_t i, int64_t j, int64_t) {
    const double u = x->data[i], v = y->data[j];
    if (u == v) return;  // equal infinities
    if (!(std::fabs(u - v) <= atol + rtol * std::fabs(v))) close = false;
  });
  return close;
}

}  // namespace tg
