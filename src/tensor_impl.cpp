// Allocation of tensors. The TensorImpl objects come from a per-thread free list, so that a
// training step, which makes and drops the same tensors every time, does not call malloc
// for them; small tensors keep their values inline, larger ones in a 64-byte aligned block.
#include <cstdlib>
#include <new>

#include "engine.hpp"
#include "tapegrad/error.hpp"

namespace tg::detail {

namespace {

constexpr std::size_t kAlignment = 64;
constexpr uint32_t kMaxCached = 4096;  // TensorImpls kept per thread for reuse

double* allocate_values(int64_t numel) {
  std::size_t bytes = static_cast<std::size_t>(numel) * sizeof(double);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (!p) throw std::bad_alloc();
  return static_cast<double*>(p);
}

// Freed TensorImpl blocks, linked through their first bytes. Trivially destructible, so it
// stays usable while other thread-local objects are destroyed; `closed` then sends blocks
// straight back to the heap.
struct FreeBlock {
  FreeBlock* next;
};
struct FreeList {
  FreeBlock* head;
  uint32_t size;
  bool registered;
  bool closed;
};
constinit thread_local FreeList t_free{nullptr, 0, false, false};

struct FreeListCloser {
  ~FreeListCloser() {
    t_free.closed = true;
    while (t_free.head) {
      FreeBlock* b = t_free.head;
      t_free.head = b->next;
      ::operator delete(b);
    }
    t_free.size = 0;
  }
};
thread_local FreeListCloser t_free_closer;

void* take_block() {
  if (FreeBlock* b = t_free.head) {
    t_free.head = b->next;
    --t_free.size;
    return b;
  }
  if (!t_free.registered && !t_free.closed) {
    t_free.registered = true;
    (void)&t_free_closer;  // empties the list when the thread ends
  }
  return ::operator new(sizeof(TensorImpl));
}

void give_back(void* p) {
  if (t_free.closed || t_free.size >= kMaxCached) {
    ::operator delete(p);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = t_free.head;
  t_free.head = b;
  ++t_free.size;
}

}  // namespace

TensorImpl* new_impl(const Shape& shape) {
  auto* t = new (take_block()) TensorImpl;
  t->shape = shape;
  t->numel = shape.numel();
  if (t->numel <= kInlineCapacity) {
    t->data = t->inline_data;
  } else {
    try {
      t->data = allocate_values(t->numel);
    } catch (...) {
      t->~TensorImpl();
      give_back(t);
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
  t->~TensorImpl();
  give_back(t);
}

TensorImpl* checked_impl(const Tensor& t, const char* op) {
  if (!t.defined()) throw ValueError(std::string(op) + ": an input tensor is undefined");
  return t.impl();
}

}  // namespace tg::detail
