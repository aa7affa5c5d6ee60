// The plain elementwise operations, as free functions and members, made from the lists in
// tapegrad/elementwise_list.hpp; each is the struct of the same name in elementwise_ops.hpp.
#include "elementwise_ops.hpp"
#include "tapegrad/ops.hpp"

namespace tg {

#define TAPEGRAD_DEFINE_UNARY(NAME)                                                \
  Tensor NAME(const Tensor& a) { return detail::unary<detail::op::NAME>(a); } \
  Tensor Tensor::NAME() const { return detail::unary<detail::op::NAME>(*this); }
TAPEGRAD_UNARY_FUNCTIONS(TAPEGRAD_DEFINE_UNARY)
#undef TAPEGRAD_DEFINE_UNARY

#define TAPEGRAD_DEFINE_BINARY(NAME)                                                                \
  Tensor NAME(const Tensor& a, const Tensor& b) { return detail::binary<detail::op::NAME>(a, b); } \
  Tensor Tensor::NAME(const Tensor& other) const { return detail::binary<detail::op::NAME>(*this, other); }
TAPEGRAD_BINARY_FUNCTIONS(TAPEGRAD_DEFINE_BINARY)
#undef TAPEGRAD_DEFINE_BINARY

}  // namespace tg
