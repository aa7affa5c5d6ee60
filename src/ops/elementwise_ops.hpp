// Internal: every elementwise operation, one struct each, stating its value and its
// derivative once (the loops around them are in elementwise.hpp). The list of them is in
// op_list.hpp; the plain ones are declared publicly from tapegrad/elementwise_list.hpp.
//
// A unary operation gives f(x, s) and grad(g, x, y, s) = g·dy/dx, where s are the node's
// scalar arguments (exponent, slope, bounds, ...) and y the output; a binary one gives
// f(a, b), grad_a(g, a, b, y) and grad_b(g, a, b, y). Each grad is given twice: on numbers,
// which backward() runs, and on tensors, the same expression written with tapegrad
// operations, which backward(create_graph = true) records so that it can be differentiated
// again (the binary ones at the broadcast shape; the caller sums them back). reads_* say which values the derivative
// uses, so that backward() can refuse them when they were changed in place. The derivative
// expressions follow PyTorch's (derivatives.yaml), operation for operation, so that gradients
// agree with it to the last bit or so.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "elementwise.hpp"
#include "kernels/kernels.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/ops.hpp"

namespace tg::detail::op {

inline double sign_of(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

// x^p, with the exponents PyTorch computes by multiplication or sqrt done the same way.
inline double power(double x, double p) {
  if (p == 1.0) return x;
  if (p == 2.0) return x * x;
  if (p == 3.0) return x * x * x;
  if (p == 0.5) return std::sqrt(x);
  if (p == -1.0) return 1.0 / x;
  if (p == -2.0) return 1.0 / (x * x);
  return std::pow(x, p);
}

inline double sigmoid_of(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct Unary {  // what most unary operations read: the input only
  static constexpr bool reads_input = true, reads_output = false;
};
struct UnaryFromOutput {  // derivatives written with the output
  static constexpr bool reads_input = false, reads_output = true;
};
struct UnaryConstant {  // derivatives that read nothing
  static constexpr bool reads_input = false, reads_output = false;
};

// ---- arithmetic ----------------------------------------------------------------------------
struct neg : UnaryConstant {  // d(-x) = -1
  static double f(double x, const double*) { return -x; }
  static double grad(double g, double, double, const double*) { return -g; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double*) {
    return -g;
  }
};
struct square : Unary {  // d(x²) = 2x
  static double f(double x, const double*) { return x * x; }
  static double grad(double g, double x, double, const double*) { return g * (2.0 * x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * (x * 2.0);
  }
};
struct pow_scalar : Unary {  // d(x^p) = p·x^(p-1)
  static double f(double x, const double* s) { return power(x, s[0]); }
  static double grad(double g, double x, double, const double* s) {
    return s[0] == 0.0 ? 0.0 : g * (s[0] * power(x, s[0] - 1.0));
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    return s[0] == 0.0 ? tg::zeros_like(g) : g * (tg::pow(x, s[0] - 1.0) * s[0]);
  }
};
struct rpow_scalar {  // d(s^x) = s^x·ln s
  static constexpr bool reads_input = true, reads_output = true;
  static double f(double x, const double* s) { return std::pow(s[0], x); }
  static double grad(double g, double x, double y, const double* s) {
    return (s[0] == 0.0 && x >= 0.0) ? 0.0 : g * (y * std::log(s[0]));
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor& y, const double* s) {
    // Base 0: 0 for x >= 0, and -inf (= inf·ln 0) for x < 0, as constants: ln 0 never meets
    // a zero gradient (0·-inf would be NaN in the derivative of this expression).
    if (s[0] == 0.0) return g * tg::where(x >= 0.0, Tensor(0.0), Tensor(-std::numeric_limits<double>::infinity()));
    return g * (y * std::log(s[0]));
  }
};
struct add_scalar : UnaryConstant {  // d(x+s) = 1
  static double f(double x, const double* s) { return x + s[0]; }
  static double grad(double g, double, double, const double*) { return g; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double*) {
    return g;
  }
};
struct sub_scalar : UnaryConstant {  // d(x-s) = 1
  static double f(double x, const double* s) { return x - s[0]; }
  static double grad(double g, double, double, const double*) { return g; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double*) {
    return g;
  }
};
struct rsub_scalar : UnaryConstant {  // d(s-x) = -1
  static double f(double x, const double* s) { return s[0] - x; }
  static double grad(double g, double, double, const double*) { return -g; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double*) {
    return -g;
  }
};
struct mul_scalar : UnaryConstant {  // d(x·s) = s
  static double f(double x, const double* s) { return x * s[0]; }
  static double grad(double g, double, double, const double* s) { return g * s[0]; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double* s) {
    return g * s[0];
  }
};
struct div_scalar : UnaryConstant {  // d(x/s) = 1/s
  static double f(double x, const double* s) { return x / s[0]; }
  static double grad(double g, double, double, const double* s) { return g / s[0]; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double* s) {
    return g / s[0];
  }
};
struct rdiv_scalar : Unary {  // d(s/x) = -s/x²
  static double f(double x, const double* s) { return s[0] / x; }
  static double grad(double g, double x, double, const double* s) { return -g * s[0] / (x * x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    return (-g * s[0]) / (x * x);
  }
};
struct reciprocal : UnaryFromOutput {  // d(1/x) = -1/x² = -y²
  static double f(double x, const double*) { return 1.0 / x; }
  static double grad(double g, double, double y, const double*) { return -g * (y * y); }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return -g * (y * y);
  }
};
struct sqrt : UnaryFromOutput {  // d√x = 1/(2√x)
  static double f(double x, const double*) { return std::sqrt(x); }
  static double grad(double g, double, double y, const double*) { return g / (2.0 * y); }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return g / (y * 2.0);
  }
};
struct rsqrt : UnaryFromOutput {  // d(1/√x) = -1/(2x√x) = -y³/2
  static double f(double x, const double*) { return 1.0 / std::sqrt(x); }
  static double grad(double g, double, double y, const double*) { return -0.5 * g * (y * y * y); }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return (g * -0.5) * (y * y * y);
  }
};

// ---- exponentials and logarithms -----------------------------------------------------------
struct exp : UnaryFromOutput {  // d eˣ = eˣ
  static double f(double x, const double*) { return std::exp(x); }
  static double grad(double g, double, double y, const double*) { return g * y; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return g * y;
  }
};
struct expm1 : UnaryFromOutput {  // d(eˣ - 1) = eˣ = y + 1
  static double f(double x, const double*) { return std::expm1(x); }
  static double grad(double g, double, double y, const double*) { return g * (y + 1.0); }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return g * (y + 1.0);
  }
};
struct log : Unary {  // d ln x = 1/x
  static double f(double x, const double*) { return std::log(x); }
  static double grad(double g, double x, double, const double*) { return g / x; }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g / x;
  }
};
struct log1p : Unary {  // d ln(1 + x) = 1/(1 + x)
  static double f(double x, const double*) { return std::log1p(x); }
  static double grad(double g, double x, double, const double*) { return g / (x + 1.0); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g / (x + 1.0);
  }
};
struct log2 : Unary {  // d log₂x = 1/(x ln 2)
  static double f(double x, const double*) { return std::log2(x); }
  static double grad(double g, double x, double, const double*) { return g / (x * std::numbers::ln2); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g / (x * std::numbers::ln2);
  }
};
struct log10 : Unary {  // d log₁₀x = 1/(x ln 10)
  static double f(double x, const double*) { return std::log10(x); }
  static double grad(double g, double x, double, const double*) { return g / (x * std::numbers::ln10); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g / (x * std::numbers::ln10);
  }
};

// ---- sign and trigonometry -----------------------------------------------------------------
struct abs : Unary {  // d|x| = sign(x), 0 at 0
  static double f(double x, const double*) { return std::fabs(x); }
  static double grad(double g, double x, double, const double*) { return g * sign_of(x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::sign(x);
  }
};
struct sign : UnaryConstant {  // d sign(x) = 0
  static double f(double x, const double*) { return sign_of(x); }
  static double grad(double, double, double, const double*) { return 0.0; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor&, const double*) {
    return tg::zeros_like(g);
  }
};
struct sin : Unary {  // d sin x = cos x
  static double f(double x, const double*) { return std::sin(x); }
  static double grad(double g, double x, double, const double*) { return g * std::cos(x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::cos(x);
  }
};
struct cos : Unary {  // d cos x = -sin x
  static double f(double x, const double*) { return std::cos(x); }
  static double grad(double g, double x, double, const double*) { return g * -std::sin(x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * -tg::sin(x);
  }
};
struct tan : UnaryFromOutput {  // d tan x = 1 + tan²x
  static double f(double x, const double*) { return std::tan(x); }
  static double grad(double g, double, double y, const double*) { return g * (1.0 + y * y); }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return g * (y * y + 1.0);
  }
};
struct atan : Unary {  // d arctan x = 1/(1 + x²)
  static double f(double x, const double*) { return std::atan(x); }
  static double grad(double g, double x, double, const double*) { return g / (x * x + 1.0); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g / (x * x + 1.0);
  }
};
struct sinh : Unary {  // d sinh x = cosh x
  static double f(double x, const double*) { return std::sinh(x); }
  static double grad(double g, double x, double, const double*) { return g * std::cosh(x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::cosh(x);
  }
};
struct cosh : Unary {  // d cosh x = sinh x
  static double f(double x, const double*) { return std::cosh(x); }
  static double grad(double g, double x, double, const double*) { return g * std::sinh(x); }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::sinh(x);
  }
};
struct asinh : Unary {  // d arsinh x = 1/√(x² + 1)
  static double f(double x, const double*) { return std::asinh(x); }
  static double grad(double g, double x, double, const double*) {
    return g * (1.0 / std::sqrt(x * x + 1.0));
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::rsqrt(x * x + 1.0);
  }
};
struct erf : Unary {  // d erf x = (2/√π)·e^(-x²)
  static double f(double x, const double*) { return std::erf(x); }
  static double grad(double g, double x, double, const double*) {
    return 2.0 / std::sqrt(std::numbers::pi) * std::exp(-(x * x)) * g;
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return tg::exp(-(x * x)) * (2.0 / std::sqrt(std::numbers::pi)) * g;
  }
};

// ---- activations ---------------------------------------------------------------------------
struct tanh : UnaryFromOutput {  // d tanh x = 1 - tanh²x, vectorised (src/kernels)
  static void f_all(const double* x, double* y, int64_t n) { kernels::active().tanh(x, y, n); }
  static void grad_all(const double* g, const double*, const double* y, double* gx, int64_t n) {
    kernels::active().tanh_backward(g, y, gx, n);
  }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return g * (1.0 - y * y);
  }
};
struct sigmoid : UnaryFromOutput {  // dσ(x) = σ(x)(1 - σ(x))
  static double f(double x, const double*) { return sigmoid_of(x); }
  static double grad(double g, double, double y, const double*) { return g * (1.0 - y) * y; }
  static Tensor grad(const Tensor& g, const Tensor&, const Tensor& y, const double*) {
    return g * (1.0 - y) * y;
  }
};
// ln σ(x) = min(x, 0) - ln(1 + e^-|x|), exact for large |x|; d/dx = 1 - σ(x), written as PyTorch
// does with z = e^-|x|: (x < 0 ? 1 : 0) - (x < 0 ? 1 : -1)·z/(1 + z).
struct logsigmoid : Unary {
  static double f(double x, const double*) {
    return std::min(x, 0.0) - std::log1p(std::exp(-std::fabs(x)));
  }
  static double grad(double g, double x, double, const double*) {
    const double z = std::exp(-std::fabs(x));
    const double max_deriv = x < 0.0 ? 1.0 : 0.0, sign = x < 0.0 ? 1.0 : -1.0;
    return g * (max_deriv - sign * (z / (1.0 + z)));
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::sigmoid(-x);
  }
};
struct relu : Unary {  // d relu(x) = 1 if x > 0 else 0
  static double f(double x, const double*) { return x < 0.0 ? 0.0 : x; }
  static double grad(double g, double x, double, const double*) { return x <= 0.0 ? 0.0 : g; }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return tg::where(x > 0.0, g, Tensor(0.0));
  }
};
struct silu : Unary {  // d(x·σ(x)) = σ(x)(1 + x(1 - σ(x)))
  static double f(double x, const double*) { return x / (1.0 + std::exp(-x)); }
  static double grad(double g, double x, double, const double*) {
    const double s = sigmoid_of(x);
    return g * s * (1.0 + x * (1.0 - s));
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g * tg::sigmoid(x) * (x * (1.0 - tg::sigmoid(x)) + 1.0);
  }
};
struct softsign : Unary {  // d(x/(1 + |x|)) = 1/(1 + |x|)²
  static double f(double x, const double*) { return x / (1.0 + std::fabs(x)); }
  static double grad(double g, double x, double, const double*) {
    const double d = 1.0 + std::fabs(x);
    return g / (d * d);
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double*) {
    return g / tg::square(tg::abs(x) + 1.0);
  }
};
struct leaky_relu : Unary {  // d = 1 if x > 0 else slope
  static double f(double x, const double* s) { return x > 0.0 ? x : x * s[0]; }
  static double grad(double g, double x, double, const double* s) { return x > 0.0 ? g : g * s[0]; }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    return tg::where(x > 0.0, g, g * s[0]);
  }
};
struct elu : Unary {  // d = 1 if x > 0 else α·eˣ
  static double f(double x, const double* s) { return x > 0.0 ? x : s[0] * std::expm1(x); }
  static double grad(double g, double x, double, const double* s) {
    return x > 0.0 ? g : g * s[0] * std::exp(x);
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    // e^x of the negative side only: e^x = inf on the discarded side would make the derivative
    // of this expression NaN (0·inf).
    return tg::where(x > 0.0, g, (g * s[0]) * tg::exp(tg::where(x > 0.0, Tensor(0.0), x)));
  }
};
struct softplus : Unary {  // d = σ(βx), 1 where βx > threshold
  static double f(double x, const double* s) {
    return x * s[0] > s[1] ? x : std::log1p(std::exp(x * s[0])) / s[0];
  }
  static double grad(double g, double x, double, const double* s) {
    if (x * s[0] > s[1]) return g;
    const double z = std::exp(x * s[0]);
    return g * z / (z + 1.0);
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    return tg::where(x * s[0] > s[1], g, g * tg::sigmoid(x * s[0]));
  }
};
struct clamp : Unary {  // d = 1 inside [min, max], boundaries included, else 0
  static double f(double x, const double* s) { return std::min(std::max(x, s[0]), s[1]); }
  static double grad(double g, double x, double, const double* s) {
    return (x >= s[0] && x <= s[1]) ? g : 0.0;
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    return tg::where((x >= s[0]) * (x <= s[1]), g, Tensor(0.0));
  }
};
struct hardtanh : Unary {  // d = 1 strictly inside (min, max), 0 at and beyond the bounds
  static double f(double x, const double* s) { return std::min(std::max(x, s[0]), s[1]); }
  static double grad(double g, double x, double, const double* s) {
    return (x <= s[0] || x >= s[1]) ? 0.0 : g;
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    return tg::where((x <= s[0]) + (x >= s[1]), Tensor(0.0), g);
  }
};
// GELU, s[0] = 0: x·Φ(x) with Φ the normal CDF; d/dx = Φ(x) + x·φ(x).
// s[0] = 1 ("tanh"): 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), and its derivative.
struct gelu : Unary {
  static constexpr double kBeta = std::numbers::sqrt2 * std::numbers::inv_sqrtpi;  // √(2/π)
  static constexpr double kKappa = 0.044715;
  static constexpr double kSqrtHalf = 0.70710678118654752440;  // √½ as <cmath>'s M_SQRT1_2
  static double f(double x, const double* s) {
    if (s[0] != 0.0) {
      const double inner = kBeta * (x + kKappa * x * x * x);
      return 0.5 * x * (1.0 + std::tanh(inner));
    }
    return x * 0.5 * (1.0 + std::erf(x * kSqrtHalf));
  }
  static double grad(double g, double x, double, const double* s) {
    if (s[0] != 0.0) {
      const double x_sq = x * x;
      const double inner = kBeta * (x + kKappa * x_sq * x);
      const double tanh_inner = std::tanh(inner);
      const double left = 0.5 * x, right = 1.0 + tanh_inner;
      const double left_derivative = 0.5 * right;
      const double right_derivative = left * (1.0 - tanh_inner * tanh_inner);
      const double inner_derivative = kBeta * (1.0 + 3.0 * kKappa * x_sq);
      return g * (left_derivative + right_derivative * inner_derivative);
    }
    constexpr double kPdf = std::numbers::inv_sqrtpi * 2.0 * kSqrtHalf * 0.5;  // 1/√(2π)
    const double cdf = 0.5 * (1.0 + std::erf(x * kSqrtHalf));
    const double pdf = std::exp(-0.5 * x * x) * kPdf;
    return g * (cdf + x * pdf);
  }
  static Tensor grad(const Tensor& g, const Tensor& x, const Tensor&, const double* s) {
    if (s[0] != 0.0) {
      const Tensor tanh_inner = tg::tanh((x + x * x * x * kKappa) * kBeta);
      const Tensor left_derivative = (tanh_inner + 1.0) * 0.5;
      const Tensor right_derivative = (x * 0.5) * (1.0 - tanh_inner * tanh_inner);
      const Tensor inner_derivative = (x * x * (3.0 * kKappa) + 1.0) * kBeta;
      return g * (left_derivative + right_derivative * inner_derivative);
    }
    constexpr double kPdf = std::numbers::inv_sqrtpi * 2.0 * kSqrtHalf * 0.5;  // 1/√(2π)
    const Tensor cdf = (tg::erf(x * kSqrtHalf) + 1.0) * 0.5;
    const Tensor pdf = tg::exp(x * x * -0.5) * kPdf;
    return g * (cdf + x * pdf);
  }
};

// ---- two tensors (broadcasting) ------------------------------------------------------------
struct Binary {
  static constexpr bool reads_inputs = true, reads_output = false;
};
struct add {  // d(a+b) = (1, 1)
  static constexpr bool reads_inputs = false, reads_output = false;
  static double f(double a, double b) { return a + b; }
  static double grad_a(double g, double, double, double) { return g; }
  static double grad_b(double g, double, double, double) { return g; }
  static Tensor grad_a(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) {
    return g;
  }
  static Tensor grad_b(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) {
    return g;
  }
};
struct sub {  // d(a-b) = (1, -1)
  static constexpr bool reads_inputs = false, reads_output = false;
  static double f(double a, double b) { return a - b; }
  static double grad_a(double g, double, double, double) { return g; }
  static double grad_b(double g, double, double, double) { return -g; }
  static Tensor grad_a(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) {
    return g;
  }
  static Tensor grad_b(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) {
    return -g;
  }
};
struct mul : Binary {  // d(ab) = (b, a)
  static double f(double a, double b) { return a * b; }
  static double grad_a(double g, double, double b, double) { return g * b; }
  static double grad_b(double g, double a, double, double) { return g * a; }
  static Tensor grad_a(const Tensor& g, const Tensor&, const Tensor& b, const Tensor&) {
    return g * b;
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor&, const Tensor&) {
    return g * a;
  }
};
struct div : Binary {  // d(a/b) = (1/b, -a/b²)
  static double f(double a, double b) { return a / b; }
  static double grad_a(double g, double, double b, double) { return g / b; }
  static double grad_b(double g, double a, double b, double) { return -g * ((a / b) / b); }
  static Tensor grad_a(const Tensor& g, const Tensor&, const Tensor& b, const Tensor&) {
    return g / b;
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return -g * ((a / b) / b);
  }
};
struct pow {  // d(a^b) = (b·a^(b-1), a^b·ln a)
  static constexpr bool reads_inputs = true, reads_output = true;
  static double f(double a, double b) { return power(a, b); }
  static double grad_a(double g, double a, double b, double) {
    return b == 0.0 ? 0.0 : g * (b * power(a, b - 1.0));
  }
  static double grad_b(double g, double a, double b, double y) {
    return (a == 0.0 && b >= 0.0) ? 0.0 : g * (y * std::log(a));
  }
  static Tensor grad_a(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    // Where b = 0 the derivative is 0; b·a^(b-1) is computed there with b = 1, so that 0·inf
    // (a = 0) never appears, even in the discarded branch whose derivative is taken.
    const Tensor zero = tg::eq(b, 0.0);
    const Tensor safe_b = tg::where(zero, Tensor(1.0), b);
    return tg::where(zero, Tensor(0.0), g * (safe_b * tg::pow(a, safe_b - 1.0)));
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor& y) {
    // Where a = 0 and b >= 0 the derivative is 0; ln a is computed there with a = 1, so that
    // ln 0 = -inf never appears, even in the discarded branch whose derivative is taken.
    const Tensor zero = tg::eq(a, 0.0) * (b >= 0.0);
    const Tensor safe_a = tg::where(zero, Tensor(1.0), a);
    return tg::where(zero, Tensor(0.0), g * (y * tg::log(safe_a)));
  }
};
// The gradient goes to the larger input, half to each on a tie. As PyTorch, an input gets g
// unless it is strictly the smaller one, so with a NaN both inputs get g.
struct maximum : Binary {
  static double f(double a, double b) { return (a > b || std::isnan(a)) ? a : b; }
  static double grad_a(double g, double a, double b, double) {
    return a == b ? g / 2.0 : (a < b ? 0.0 : g);
  }
  static double grad_b(double g, double a, double b, double) {
    return a == b ? g / 2.0 : (a > b ? 0.0 : g);
  }
  static Tensor grad_a(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return tg::where(tg::eq(a, b), g / 2.0, tg::where(a < b, Tensor(0.0), g));
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return tg::where(tg::eq(a, b), g / 2.0, tg::where(a > b, Tensor(0.0), g));
  }
};
struct minimum : Binary {  // the same, to the smaller input
  static double f(double a, double b) { return (a < b || std::isnan(a)) ? a : b; }
  static double grad_a(double g, double a, double b, double) {
    return a == b ? g / 2.0 : (a > b ? 0.0 : g);
  }
  static double grad_b(double g, double a, double b, double) {
    return a == b ? g / 2.0 : (a < b ? 0.0 : g);
  }
  static Tensor grad_a(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return tg::where(tg::eq(a, b), g / 2.0, tg::where(a > b, Tensor(0.0), g));
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return tg::where(tg::eq(a, b), g / 2.0, tg::where(a < b, Tensor(0.0), g));
  }
};
struct atan2 : Binary {  // d atan2(a, b) = (b, -a)/(a² + b²)
  static double f(double a, double b) { return std::atan2(a, b); }
  static double grad_a(double g, double a, double b, double) {
    const double recip = 1.0 / (a * a + b * b);
    return g * b * recip;
  }
  static double grad_b(double g, double a, double b, double) {
    const double recip = 1.0 / (a * a + b * b);
    return g * -a * recip;
  }
  static Tensor grad_a(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return g * b / (a * a + b * b);
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return g * -a / (a * a + b * b);
  }
};

// Binary cross-entropy of a probability p and a target y, element by element, as PyTorch
// computes it for nn::functional::binary_cross_entropy: each logarithm is clamped at -100, so
// the loss is finite at p = 0 and 1. The derivatives are PyTorch's hand-written ones rather
// than those of the clamped expression:
//   d/dp = (p - y)/max((1 - p)p, 1e-12)   (±1e12 for a wrong certain answer, 0 for a right one)
//   d/dy = -logit(p) = -ln(p/(1 - p))     (±inf at p = 0 and 1)
struct binary_cross_entropy : Binary {
  // PyTorch's EPSILON, which is a float: 1e-12f is 9.9999999600e-13 as a double.
  static constexpr double kEpsilon = static_cast<double>(1e-12f);
  static double f(double p, double y) {
    return (y - 1.0) * std::max(std::log(1.0 - p), -100.0) - y * std::max(std::log(p), -100.0);
  }
  static double grad_a(double g, double p, double y, double) {
    return g * (p - y) / std::max((1.0 - p) * p, kEpsilon);
  }
  static double grad_b(double g, double p, double, double) { return -std::log(p / (1.0 - p)) * g; }
  static Tensor grad_a(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor&) {
    return g * (a - b) / tg::clamp((1.0 - a) * a, kEpsilon, std::nullopt);
  }
  static Tensor grad_b(const Tensor& g, const Tensor& a, const Tensor&, const Tensor&) {
    return -tg::log(a / (1.0 - a)) * g;
  }
};

}  // namespace tg::detail::op

namespace tg::detail {

// Each struct's code, from the lists.
#define TAPEGRAD_CODE_OF(NAME) \
  template <>                  \
  inline constexpr OpCode code_of<op::NAME> = OpCode::NAME;
TAPEGRAD_UNARY_OPS(TAPEGRAD_CODE_OF)
TAPEGRAD_BINARY_OPS(TAPEGRAD_CODE_OF)
#undef TAPEGRAD_CODE_OF

}  // namespace tg::detail
