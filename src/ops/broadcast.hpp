// NumPy broadcasting, written once: a plan maps every element of the output to the element
// of each operand that produced it. Forward loops read through the plan; backward loops
// accumulate through the same plan, which sums a broadcast operand's gradient back to its
// shape without a separate reduction.
#pragma once

#include <cstdint>

#include "tapegrad/shape.hpp"

namespace tg::detail {

struct BroadcastPlan {
  Shape out;
  int64_t numel = 0;
  int operands = 0;
  bool same = false;                    // every operand already has the output's shape
  int64_t stride[3][kMaxDims] = {};     // operand element strides over out's axes (0 = broadcast)
};

/// Broadcasts two (or three) shapes; throws ShapeError naming `op` when they do not fit.
BroadcastPlan plan_broadcast(const char* op, const Shape& a, const Shape& b);
BroadcastPlan plan_broadcast(const char* op, const Shape& a, const Shape& b, const Shape& c);
/// `from` broadcast onto exactly `to` (operand 0 is `to` itself, operand 1 is `from`).
BroadcastPlan plan_broadcast_to(const char* op, const Shape& from, const Shape& to);

/// Calls f(out_index, index0, index1, index2) for every output element in row-major order.
template <class F>
void for_each_broadcast(const BroadcastPlan& p, F&& f) {
  const int64_t n = p.numel;
  if (n == 0) return;
  if (p.same) {
    for (int64_t o = 0; o < n; ++o) f(o, o, o, o);
    return;
  }
  const int nd = p.out.size();
  const int64_t inner = p.out[nd - 1];
  const int64_t s0 = p.stride[0][nd - 1], s1 = p.stride[1][nd - 1], s2 = p.stride[2][nd - 1];
  int64_t counter[kMaxDims] = {};
  int64_t b0 = 0, b1 = 0, b2 = 0;
  for (int64_t o = 0; o < n; o += inner) {
    for (int64_t k = 0; k < inner; ++k) f(o + k, b0 + k * s0, b1 + k * s1, b2 + k * s2);
    for (int d = nd - 2; d >= 0; --d) {  // advance the odometer over the outer axes
      b0 += p.stride[0][d];
      b1 += p.stride[1][d];
      b2 += p.stride[2][d];
      if (++counter[d] < p.out[d]) break;
      b0 -= p.stride[0][d] * p.out[d];
      b1 -= p.stride[1][d] * p.out[d];
      b2 -= p.stride[2][d] * p.out[d];
      counter[d] = 0;
    }
  }
}

}  // namespace tg::detail
