// Allocation of tensors: small tensors keep their values inline, larger ones in a 64-byte
// aligned heap block.
#include <cstdlib>
#include <new>

#include "engine.hpp"
#include "tapegrad/error.hpp"

namespace tg::detail {

namespace {
constexpr std::size_t kAlignment = 64;

double* allocate_values(int64_t numel) {
  std::size_t bytes = static_cast<std::size_t>(numel) * sizeof(double);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (!p) throw std::bad_alloc();
  return static_cast<double*>(p);
}
}  // namespace

TensorImpl* new_impl(const Shape& shape) {
  auto* t = new TensorImpl;
  t->shape = shape;
  t->numel = shape.numel();
  if (t->numel <= kInlineCapacity) {
    t->data = t->inline_data;
  } else {
    try {
      t->data = allocate_values(t->numel);
    } catch (...) {
      delete t;
      throw;
    }
  }
  return t;
}

void destroy(TensorImpl* t) {
  if (t->tape) Engine::output_destroyed(t);
  release(t->grad);
  delete t->name;
  if (t->data != t->inline_data) std::free(t->data);
  delete t;
}

TensorImpl* checked_impl(const Tensor& t, const char* op) {
  if (!t.defined()) throw ValueError(std::string(op) + ": an input tensor is undefined");
  return t.impl();
}

}  // namespace tg::detail
