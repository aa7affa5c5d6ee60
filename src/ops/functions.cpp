// Elementwise functions of one tensor, the elementwise max/min/where of several, and
// comparisons. The choices at non-smooth points follow PyTorch (see ops.hpp).
#include <cmath>
#include <limits>

#include "elementwise.hpp"
#include "kernels/kernels.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

double sign_of(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

struct SqrtOp {  // d√x = 1/(2√x)
  static constexpr OpCode code = OpCode::Sqrt;
  static double f(double x, const double*) { return std::sqrt(x); }
  static double grad(double g, double, double y, const double*) { return g / (2.0 * y); }
};
struct ExpOp {  // d eˣ = eˣ
  static constexpr OpCode code = OpCode::Exp;
  static double f(double x, const double*) { return std::exp(x); }
  static double grad(double g, double, double y, const double*) { return g * y; }
};
struct LogOp {  // d ln x = 1/x
  static constexpr OpCode code = OpCode::Log;
  static double f(double x, const double*) { return std::log(x); }
  static double grad(double g, double x, double, const double*) { return g / x; }
};
struct AbsOp {  // d|x| = sign(x), 0 at 0
  static constexpr OpCode code = OpCode::Abs;
  static double f(double x, const double*) { return std::fabs(x); }
  static double grad(double g, double x, double, const double*) { return g * sign_of(x); }
};
struct SignOp {  // d sign(x) = 0
  static constexpr OpCode code = OpCode::Sign;
  static double f(double x, const double*) { return sign_of(x); }
  static double grad(double, double, double, const double*) { return 0.0; }
};
struct SinOp {  // d sin x = cos x
  static constexpr OpCode code = OpCode::Sin;
  static double f(double x, const double*) { return std::sin(x); }
  static double grad(double g, double x, double, const double*) { return g * std::cos(x); }
};
struct CosOp {  // d cos x = -sin x
  static constexpr OpCode code = OpCode::Cos;
  static double f(double x, const double*) { return std::cos(x); }
  static double grad(double g, double x, double, const double*) { return g * -std::sin(x); }
};
struct TanhOp {  // d tanh x = 1 - tanh²x, vectorised (src/kernels)
  static constexpr OpCode code = OpCode::Tanh;
  static void f_all(const double* x, double* y, int64_t n) { kernels::active().tanh(x, y, n); }
  static void grad_all(const double* g, const double*, const double* y, double* gx, int64_t n) {
    kernels::active().tanh_backward(g, y, gx, n);
  }
};
struct SigmoidOp {  // dσ(x) = σ(x)(1 - σ(x))
  static constexpr OpCode code = OpCode::Sigmoid;
  static double f(double x, const double*) { return 1.0 / (1.0 + std::exp(-x)); }
  static double grad(double g, double, double y, const double*) { return g * (1.0 - y) * y; }
};
struct ReluOp {  // d relu(x) = 1 if x > 0 else 0
  static constexpr OpCode code = OpCode::Relu;
  static double f(double x, const double*) { return x < 0.0 ? 0.0 : x; }
  static double grad(double g, double x, double, const double*) { return x <= 0.0 ? 0.0 : g; }
};
struct LeakyReluOp {  // d = 1 if x > 0 else slope
  static constexpr OpCode code = OpCode::LeakyRelu;
  static double f(double x, const double* s) { return x > 0.0 ? x : x * s[0]; }
  static double grad(double g, double x, double, const double* s) { return x > 0.0 ? g : g * s[0]; }
};
struct EluOp {  // d = 1 if x > 0 else α·eˣ
  static constexpr OpCode code = OpCode::Elu;
  static double f(double x, const double* s) { return x > 0.0 ? x : s[0] * std::expm1(x); }
  static double grad(double g, double x, double, const double* s) {
    return x > 0.0 ? g : g * s[0] * std::exp(x);
  }
};
struct SoftplusOp {  // d = σ(βx), 1 where βx > threshold
  static constexpr OpCode code = OpCode::Softplus;
  static double f(double x, const double* s) {
    return x * s[0] > s[1] ? x : std::log1p(std::exp(x * s[0])) / s[0];
  }
  static double grad(double g, double x, double, const double* s) {
    if (x * s[0] > s[1]) return g;
    const double z = std::exp(x * s[0]);
    return g * z / (z + 1.0);
  }
};
struct ClampOp {  // d = 1 inside [min, max], boundaries included, else 0
  static constexpr OpCode code = OpCode::Clamp;
  static double f(double x, const double* s) { return std::min(std::max(x, s[0]), s[1]); }
  static double grad(double g, double x, double, const double* s) {
    return (x >= s[0] && x <= s[1]) ? g : 0.0;
  }
};

struct MaximumOp {  // the gradient goes to the larger input, half to each on a tie
  static constexpr OpCode code = OpCode::Maximum;
  static double f(double a, double b) { return (a > b || std::isnan(a)) ? a : b; }
  static double grad_a(double g, double a, double b, double) {
    return a > b ? g : (a == b ? g / 2.0 : 0.0);
  }
  static double grad_b(double g, double a, double b, double) {
    return b > a ? g : (a == b ? g / 2.0 : 0.0);
  }
};
struct MinimumOp {  // the gradient goes to the smaller input, half to each on a tie
  static constexpr OpCode code = OpCode::Minimum;
  static double f(double a, double b) { return (a < b || std::isnan(a)) ? a : b; }
  static double grad_a(double g, double a, double b, double) {
    return a < b ? g : (a == b ? g / 2.0 : 0.0);
  }
  static double grad_b(double g, double a, double b, double) {
    return b < a ? g : (a == b ? g / 2.0 : 0.0);
  }
};

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

void sqrt_backward(BackwardContext& c) { unary_backward<SqrtOp>(c); }
void exp_backward(BackwardContext& c) { unary_backward<ExpOp>(c); }
void log_backward(BackwardContext& c) { unary_backward<LogOp>(c); }
void abs_backward(BackwardContext& c) { unary_backward<AbsOp>(c); }
void sign_backward(BackwardContext& c) { unary_backward<SignOp>(c); }
void sin_backward(BackwardContext& c) { unary_backward<SinOp>(c); }
void cos_backward(BackwardContext& c) { unary_backward<CosOp>(c); }
void tanh_backward(BackwardContext& c) { unary_backward<TanhOp>(c); }
void sigmoid_backward(BackwardContext& c) { unary_backward<SigmoidOp>(c); }
void relu_backward(BackwardContext& c) { unary_backward<ReluOp>(c); }
void leaky_relu_backward(BackwardContext& c) { unary_backward<LeakyReluOp>(c); }
void elu_backward(BackwardContext& c) { unary_backward<EluOp>(c); }
void softplus_backward(BackwardContext& c) { unary_backward<SoftplusOp>(c); }
void clamp_backward(BackwardContext& c) { unary_backward<ClampOp>(c); }
void maximum_backward(BackwardContext& c) { binary_backward<MaximumOp>(c); }
void minimum_backward(BackwardContext& c) { binary_backward<MinimumOp>(c); }

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

}  // namespace detail

using namespace detail;

Tensor sqrt(const Tensor& a) { return unary<SqrtOp>(a); }
Tensor exp(const Tensor& a) { return unary<ExpOp>(a); }
Tensor log(const Tensor& a) { return unary<LogOp>(a); }
Tensor abs(const Tensor& a) { return unary<AbsOp>(a); }
Tensor sign(const Tensor& a) { return unary<SignOp>(a); }
Tensor sin(const Tensor& a) { return unary<SinOp>(a); }
Tensor cos(const Tensor& a) { return unary<CosOp>(a); }
Tensor tanh(const Tensor& a) { return unary<TanhOp>(a); }
Tensor sigmoid(const Tensor& a) { return unary<SigmoidOp>(a); }
Tensor relu(const Tensor& a) { return unary<ReluOp>(a); }
Tensor leaky_relu(const Tensor& a, double negative_slope) {
  return unary<LeakyReluOp>(a, negative_slope);
}
Tensor elu(const Tensor& a, double alpha) { return unary<EluOp>(a, alpha); }
Tensor softplus(const Tensor& a, double beta, double threshold) {
  if (!(beta > 0.0)) throw ValueError("softplus: beta must be > 0, got " + std::to_string(beta));
  return unary<SoftplusOp>(a, beta, threshold);
}
Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max) {
  if (!min && !max) throw ValueError("clamp: at least one of min and max must be given");
  constexpr double inf = std::numeric_limits<double>::infinity();
  return unary<ClampOp>(a, min.value_or(-inf), max.value_or(inf));
}
Tensor maximum(const Tensor& a, const Tensor& b) { return binary<MaximumOp>(a, b); }
Tensor minimum(const Tensor& a, const Tensor& b) { return binary<MinimumOp>(a, b); }

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  TensorImpl* c = checked_impl(condition, "where");
  TensorImpl* x = checked_impl(a, "where");
  TensorImpl* y = checked_impl(b, "where");
  const BroadcastPlan p = plan_broadcast("where", c->shape, x->shape, y->shape);
  TensorImpl* out = new_impl(p.out);
  for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t k) {
    out->data[o] = c->data[i] != 0.0 ? x->data[j] : y->data[k];
  });
  if (should_record(x, y)) Engine::record(OpCode::Where, out, {c, x, y});
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

Tensor Tensor::to_mask() const { return ne(*this, Tensor(0.0)); }

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
