#include "broadcast.hpp"

#include <string>

#include "tapegrad/error.hpp"

namespace tg::detail {

namespace {

std::string shapes_text(const Shape* const* shapes, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? (i + 1 == n ? " and " : ", ") : "") + shapes[i]->str();
  return s;
}

BroadcastPlan plan(const char* op, const Shape* const* shapes, int n) {
  BroadcastPlan p;
  p.operands = n;
  int nd = 0;
  for (int i = 0; i < n; ++i) nd = std::max(nd, shapes[i]->size());
  bool same = true;
  for (int i = 1; i < n; ++i) same = same && (*shapes[i] == *shapes[0]);

  // Align shapes on the right; each output size is the common non-1 size.
  int64_t out[kMaxDims];
  for (int d = 0; d < nd; ++d) {
    int64_t size = 1;
    for (int i = 0; i < n; ++i) {
      const int offset = nd - shapes[i]->size();
      if (d < offset) continue;
      const int64_t s = (*shapes[i])[d - offset];
      if (s == 1) continue;
      if (size != 1 && s != size) {
        throw ShapeError(std::string(op) + ": shapes " + shapes_text(shapes, n) +
                         " cannot be broadcast together (axis " + std::to_string(d - nd) +
                         ": " + std::to_string(size) + " vs " + std::to_string(s) + ")");
      }
      size = s;
    }
    out[d] = size;
  }
  p.out = Shape(out, nd);
  p.numel = p.out.numel();
  p.same = same;
  for (int i = 0; i < n; ++i) {
    const int offset = nd - shapes[i]->size();
    int64_t stride = 1;
    for (int d = nd - 1; d >= 0; --d) {
      if (d < offset) {
        p.stride[i][d] = 0;
        continue;
      }
      const int64_t s = (*shapes[i])[d - offset];
      p.stride[i][d] = (s == 1) ? 0 : stride;
      stride *= s;
    }
  }
  return p;
}

}  // namespace

BroadcastPlan plan_broadcast(const char* op, const Shape& a, const Shape& b) {
  const Shape* s[] = {&a, &b};
  return plan(op, s, 2);
}

BroadcastPlan plan_broadcast(const char* op, const Shape& a, const Shape& b, const Shape& c) {
  const Shape* s[] = {&a, &b, &c};
  return plan(op, s, 3);
}

BroadcastPlan plan_broadcast_to(const char* op, const Shape& from, const Shape& to) {
  const Shape* s[] = {&to, &from};
  BroadcastPlan p = plan(op, s, 2);
  if (p.out != to) {
    throw ShapeError(std::string(op) + ": shape " + from.str() + " cannot be broadcast to " +
                     to.str());
  }
  return p;
}

}  // namespace tg::detail
