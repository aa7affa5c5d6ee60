// + - * / and powers, between tensors (broadcasting) and with plain numbers. The operations
// themselves (value and derivative) are in elementwise_ops.hpp; tg::add, sub, mul, div, neg
// and square come from the list in tapegrad/elementwise_list.hpp (elementwise.cpp).
#include "elementwise_ops.hpp"
#include "tapegrad/ops.hpp"

namespace tg {

using namespace detail;

Tensor pow(const Tensor& a, double exponent) { return unary<op::pow_scalar>(a, exponent); }
Tensor pow(const Tensor& a, const Tensor& b) { return binary<op::pow>(a, b); }
Tensor pow(double base, const Tensor& b) { return unary<op::rpow_scalar>(b, base); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, double s) { return unary<op::add_scalar>(a, s); }
Tensor operator+(double s, const Tensor& a) { return unary<op::add_scalar>(a, s); }
Tensor operator-(const Tensor& a, double s) { return unary<op::sub_scalar>(a, s); }
Tensor operator-(double s, const Tensor& a) { return unary<op::rsub_scalar>(a, s); }
Tensor operator*(const Tensor& a, double s) { return unary<op::mul_scalar>(a, s); }
Tensor operator*(double s, const Tensor& a) { return unary<op::mul_scalar>(a, s); }
Tensor operator/(const Tensor& a, double s) { return unary<op::div_scalar>(a, s); }
Tensor operator/(double s, const Tensor& a) { return unary<op::rdiv_scalar>(a, s); }

}  // namespace tg
