// The elementwise operations that take tensors and nothing else, listed once. From these
// lists come the free functions tg::NAME(a) / tg::NAME(a, b) (ops.hpp), the members a.NAME()
// / a.NAME(b) (tensor.hpp) and the operations the tape records (src/ops/op_list.hpp). Each
// is implemented by the struct tg::detail::op::NAME (src/ops/elementwise_ops.hpp), which
// states its value and its derivative once.
//
// The comments give the value and the derivative that backward() applies (the gradient
// added to the input is g times it). Elementwise operations of two tensors broadcast; see
// docs/ops.md for the values at kinks and edges.
#pragma once

// clang-format off
//      NAME         value                        derivative d/da
#define TAPEGRAD_UNARY_FUNCTIONS(X)                                                          \
  X(neg)        /* -a                          -1                                        */ \
  X(square)     /* a²                          2a                                        */ \
  X(sqrt)       /* √a                          1/(2√a)  (inf at 0)                       */ \
  X(rsqrt)      /* 1/√a                        -1/(2a√a)                                 */ \
  X(reciprocal) /* 1/a                         -1/a²                                     */ \
  X(exp)        /* eᵃ                          eᵃ                                        */ \
  X(expm1)      /* eᵃ - 1                      eᵃ                                        */ \
  X(log)        /* ln a                        1/a                                       */ \
  X(log1p)      /* ln(1 + a)                   1/(1 + a)                                 */ \
  X(log2)       /* log₂ a                      1/(a ln 2)                                */ \
  X(log10)      /* log₁₀ a                     1/(a ln 10)                               */ \
  X(abs)        /* |a|                         sign(a)  (0 at 0)                         */ \
  X(sign)       /* sign(a) ∈ {-1, 0, 1}        0                                         */ \
  X(sin)        /* sin a                       cos a                                     */ \
  X(cos)        /* cos a                       -sin a                                    */ \
  X(tan)        /* tan a                       1 + tan²a                                 */ \
  X(atan)       /* arctan a                    1/(1 + a²)                                */ \
  X(sinh)       /* sinh a                      cosh a                                    */ \
  X(cosh)       /* cosh a                      sinh a                                    */ \
  X(asinh)      /* arsinh a                    1/√(a² + 1)                               */ \
  X(tanh)       /* tanh a                      1 - tanh²a                                */ \
  X(erf)        /* (2/√π)∫₀ᵃe^(-t²)dt          (2/√π)e^(-a²)                             */ \
  X(sigmoid)    /* σ(a) = 1/(1 + e⁻ᵃ)          σ(a)(1 - σ(a))                            */ \
  X(logsigmoid) /* ln σ(a)                     1 - σ(a)                                  */ \
  X(relu)       /* max(a, 0)                   1 where a > 0, else 0  (0 at 0)           */ \
  X(silu)       /* a·σ(a)                      σ(a)(1 + a(1 - σ(a)))                     */ \
  X(softsign)   /* a/(1 + |a|)                 1/(1 + |a|)²                              */

//      NAME         value                        derivatives d/da, d/db
#define TAPEGRAD_BINARY_FUNCTIONS(X)                                                         \
  X(add)        /* a + b                       1, 1                                      */ \
  X(sub)        /* a - b                       1, -1                                     */ \
  X(mul)        /* a·b                         b, a                                      */ \
  X(div)        /* a/b                         1/b, -a/b²                                */ \
  X(maximum)    /* max(a, b)                   to the larger; half each on a tie         */ \
  X(minimum)    /* min(a, b)                   to the smaller; half each on a tie        */ \
  X(atan2)      /* atan2(a, b), angle of (b, a)  b/(a² + b²), -a/(a² + b²)               */
// clang-format on
