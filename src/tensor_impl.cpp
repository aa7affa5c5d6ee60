// Allocation of tensors. A training step makes and drops the same tensors every time, so
// both the TensorImpl objects and their value blocks are kept per thread once freed and
// handed out again: a steady-state step calls neither malloc nor the kernel (returning the
// blocks to malloc made the heap shrink and grow again every step, and each new page cost a
// page fault). Small tensors keep their values inline, larger ones in a 64-byte aligned block.
#include <cstdlib>
#include <new>
#include <unordered_map>
#include <vector>

#include "engine.hpp"
#include "tapegrad/detail/address_sanitizer.hpp"
#include "tapegrad/error.hpp"

namespace tg::detail {

namespace {

constexpr std::size_t kAlignment = 64;
constexpr uint32_t kMaxCached = 4096;  // TensorImpls kept per thread for reuse
// Value blocks kept per thread for reuse, in bytes: beyond this, freed blocks go back to malloc.
constexpr std::size_t kMaxCachedValueBytes = std::size_t{256} << 20;

std::size_t block_bytes(int64_t numel) {
  const std::size_t bytes = static_cast<std::size_t>(numel) * sizeof(double);
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

// Freed value blocks by size. Under AddressSanitizer nothing is kept, so that it still sees
// every use of a freed block.
struct ValueCache {
  std::unordered_map<std::size_t, std::vector<void*>> free_blocks;
  std::size_t bytes = 0;

  ~ValueCache() {
    for (auto& [size, blocks] : free_blocks)
      for (void* b : blocks) std::free(b);
  }
};
struct ValueCacheSlot {  // trivially destructible, like FreeList below
  ValueCache* cache;
  bool closed;
};
constinit thread_local ValueCacheSlot t_values{nullptr, false};

struct ValueCacheCloser {
  ~ValueCacheCloser() {
    t_values.closed = true;
    delete t_values.cache;
    t_values.cache = nullptr;
  }
};
thread_local ValueCacheCloser t_values_closer;

constexpr bool kCacheValues = !kAddressSanitizer;

double* allocate_values(int64_t numel) {
  const std::size_t bytes = block_bytes(numel);
  if (ValueCache* cache = t_values.cache) {
    const auto it = cache->free_blocks.find(bytes);
    if (it != cache->free_blocks.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      cache->bytes -= bytes;
      return static_cast<double*>(p);
    }
  }
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (!p) throw std::bad_alloc();
  return static_cast<double*>(p);
}

void free_values(double* data, int64_t numel) {
  const std::size_t bytes = block_bytes(numel);
  if (kCacheValues && !t_values.closed) {
    if (!t_values.cache) {
      t_values.cache = new ValueCache;
      (void)&t_values_closer;  // frees the blocks when the thread ends
    }
    ValueCache& cache = *t_values.cache;
    if (cache.bytes + bytes <= kMaxCachedValueBytes) {
      cache.free_blocks[bytes].push_back(data);
      cache.bytes += bytes;
      return;
    }
  }
  std::free(data);
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
  if (t->data != t->inline_data) free_values(t->data, t->numel);
  t->~TensorImpl();
  give_back(t);
}

TensorImpl* checked_impl(const Tensor& t, const char* op) {
  if (!t.defined()) throw ValueError(std::string(op) + ": an input tensor is undefined");
  return t.impl();
}

}  // namespace tg::detail
