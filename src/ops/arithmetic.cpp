// + - * / and powers, between tensors (broadcasting) and with plain numbers.
// The derivative expressions follow PyTorch's, operation for operation, so that gradients
// agree with it bit for bit.
#include <cmath>

#include "elementwise.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// x^p, with the exponents PyTorch computes by multiplication or sqrt done the same way.
double power(double x, double p) {
  if (p == 1.0) return x;
  if (p == 2.0) return x * x;
  if (p == 3.0) return x * x * x;
  if (p == 0.5) return std::sqrt(x);
  if (p == -1.0) return 1.0 / x;
  if (p == -2.0) return 1.0 / (x * x);
  return std::pow(x, p);
}

struct AddOp {  // d(a+b) = (1, 1)
  static constexpr OpCode code = OpCode::Add;
  static double f(double a, double b) { return a + b; }
  static double grad_a(double g, double, double, double) { return g; }
  static double grad_b(double g, double, double, double) { return g; }
};
struct SubOp {  // d(a-b) = (1, -1)
  static constexpr OpCode code = OpCode::Sub;
  static double f(double a, double b) { return a - b; }
  static double grad_a(double g, double, double, double) { return g; }
  static double grad_b(double g, double, double, double) { return -g; }
};
struct MulOp {  // d(ab) = (b, a)
  static constexpr OpCode code = OpCode::Mul;
  static double f(double a, double b) { return a * b; }
  static double grad_a(double g, double, double b, double) { return g * b; }
  static double grad_b(double g, double a, double, double) { return g * a; }
};
struct DivOp {  // d(a/b) = (1/b, -a/b²)
  static constexpr OpCode code = OpCode::Div;
  static double f(double a, double b) { return a / b; }
  static double grad_a(double g, double, double b, double) { return g / b; }
  static double grad_b(double g, double a, double b, double) { return -g * ((a / b) / b); }
};
struct PowOp {  // d(a^b) = (b·a^(b-1), a^b·ln a)
  static constexpr OpCode code = OpCode::Pow;
  static double f(double a, double b) { return power(a, b); }
  static double grad_a(double g, double a, double b, double) {
    return b == 0.0 ? 0.0 : g * (b * power(a, b - 1.0));
  }
  static double grad_b(double g, double a, double b, double y) {
    return (a == 0.0 && b >= 0.0) ? 0.0 : g * (y * std::log(a));
  }
};

struct NegOp {  // d(-x) = -1
  static constexpr OpCode code = OpCode::Neg;
  static double f(double x, const double*) { return -x; }
  static double grad(double g, double, double, const double*) { return -g; }
};
struct SquareOp {  // d(x²) = 2x
  static constexpr OpCode code = OpCode::Square;
  static double f(double x, const double*) { return x * x; }
  static double grad(double g, double x, double, const double*) { return g * (2.0 * x); }
};
struct PowScalarOp {  // d(x^p) = p·x^(p-1)
  static constexpr OpCode code = OpCode::PowScalar;
  static double f(double x, const double* s) { return power(x, s[0]); }
  static double grad(double g, double x, double, const double* s) {
    return s[0] == 0.0 ? 0.0 : g * (s[0] * power(x, s[0] - 1.0));
  }
};
struct RPowScalarOp {  // d(s^x) = s^x·ln s
  static constexpr OpCode code = OpCode::RPowScalar;
  static double f(double x, const double* s) { return std::pow(s[0], x); }
  static double grad(double g, double x, double y, const double* s) {
    return (s[0] == 0.0 && x >= 0.0) ? 0.0 : g * (y * std::log(s[0]));
  }
};
struct AddScalarOp {  // d(x+s) = 1
  static constexpr OpCode code = OpCode::AddScalar;
  static double f(double x, const double* s) { return x + s[0]; }
  static double grad(double g, double, double, const double*) { return g; }
};
struct SubScalarOp {  // d(x-s) = 1
  static constexpr OpCode code = OpCode::SubScalar;
  static double f(double x, const double* s) { return x - s[0]; }
  static double grad(double g, double, double, const double*) { return g; }
};
struct RSubScalarOp {  // d(s-x) = -1
  static constexpr OpCode code = OpCode::RSubScalar;
  static double f(double x, const double* s) { return s[0] - x; }
  static double grad(double g, double, double, const double*) { return -g; }
};
struct MulScalarOp {  // d(x·s) = s
  static constexpr OpCode code = OpCode::MulScalar;
  static double f(double x, const double* s) { return x * s[0]; }
  static double grad(double g, double, double, const double* s) { return g * s[0]; }
};
struct DivScalarOp {  // d(x/s) = 1/s
  static constexpr OpCode code = OpCode::DivScalar;
  static double f(double x, const double* s) { return x / s[0]; }
  static double grad(double g, double, double, const double* s) { return g / s[0]; }
};
struct RDivScalarOp {  // d(s/x) = -s/x²
  static constexpr OpCode code = OpCode::RDivScalar;
  static double f(double x, const double* s) { return s[0] / x; }
  static double grad(double g, double x, double, const double* s) { return -g * s[0] / (x * x); }
};

}  // namespace

void add_backward(BackwardContext& c) { binary_backward<AddOp>(c); }
void sub_backward(BackwardContext& c) { binary_backward<SubOp>(c); }
void mul_backward(BackwardContext& c) { binary_backward<MulOp>(c); }
void div_backward(BackwardContext& c) { binary_backward<DivOp>(c); }
void pow_backward(BackwardContext& c) { binary_backward<PowOp>(c); }
void neg_backward(BackwardContext& c) { unary_backward<NegOp>(c); }
void square_backward(BackwardContext& c) { unary_backward<SquareOp>(c); }
void pow_scalar_backward(BackwardContext& c) { unary_backward<PowScalarOp>(c); }
void rpow_scalar_backward(BackwardContext& c) { unary_backward<RPowScalarOp>(c); }
void add_scalar_backward(BackwardContext& c) { unary_backward<AddScalarOp>(c); }
void sub_scalar_backward(BackwardContext& c) { unary_backward<SubScalarOp>(c); }
void rsub_scalar_backward(BackwardContext& c) { unary_backward<RSubScalarOp>(c); }
void mul_scalar_backward(BackwardContext& c) { unary_backward<MulScalarOp>(c); }
void div_scalar_backward(BackwardContext& c) { unary_backward<DivScalarOp>(c); }
void rdiv_scalar_backward(BackwardContext& c) { unary_backward<RDivScalarOp>(c); }

}  // namespace detail

using namespace detail;

Tensor add(const Tensor& a, const Tensor& b) { return binary<AddOp>(a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary<SubOp>(a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary<MulOp>(a, b); }
Tensor div(const Tensor& a, const Tensor& b) { return binary<DivOp>(a, b); }
Tensor neg(const Tensor& a) { return unary<NegOp>(a); }
Tensor pow(const Tensor& a, double exponent) { return unary<PowScalarOp>(a, exponent); }
Tensor pow(const Tensor& a, const Tensor& b) { return binary<PowOp>(a, b); }
Tensor pow(double base, const Tensor& b) { return unary<RPowScalarOp>(b, base); }
Tensor square(const Tensor& a) { return unary<SquareOp>(a); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, double s) { return unary<AddScalarOp>(a, s); }
Tensor operator+(double s, const Tensor& a) { return unary<AddScalarOp>(a, s); }
Tensor operator-(const Tensor& a, double s) { return unary<SubScalarOp>(a, s); }
Tensor operator-(double s, const Tensor& a) { return unary<RSubScalarOp>(a, s); }
Tensor operator*(const Tensor& a, double s) { return unary<MulScalarOp>(a, s); }
Tensor operator*(double s, const Tensor& a) { return unary<MulScalarOp>(a, s); }
Tensor operator/(const Tensor& a, double s) { return unary<DivScalarOp>(a, s); }
Tensor operator/(double s, const Tensor& a) { return unary<RDivScalarOp>(a, s); }

}  // namespace tg
