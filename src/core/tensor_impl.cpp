// Allocation of tensors. A training step makes and drops the same tensors every time, so
// both the TensorImpl objects and their value blocks are kept per thread once freed and
// handed out again: a steady-state step calls neither malloc nor the kernel (returning the
// blocks to malloc made the heap shrink and grow again every step, and each new page cost a
// page fault). Small tensors keep their values inline, larger ones in a 64-byte aligned block.
#include <cstdlib>
#include <new>
#include <unordered_map>
#include <vector>

#include "core/engine.hpp"
#include "autograd/hooks.hpp"
#include "tapegrad/detail/address_sanitizer.hpp"
#include "tapegrad/error.hpp"
#include "core/tensor_access.hpp"

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

// Freed value blocks by size.
struct ValueCache {
  std::unordered_map<std::size_t, std::vector<void*>> free_blocks;
  std::size_t bytes = 0;

  ~ValueCache() {
    for (auto& [size, blocks] : free_blocks)
      for (void* b : blocks) std::free(b);
  }
};

// Freed TensorImpl blocks are linked through their first bytes.
struct FreeBlock {
  FreeBlock* next;
};

// The calling thread's caches. Trivially destructible, so that they stay usable while other
// thread-local objects (a tape, tensors) are destroyed; once the closer below has emptied
// them, `closed` sends every block straight back to the heap.
struct ThreadCaches {
  FreeBlock* impls;
  uint32_t impl_count;
  ValueCache* values;  // created on the first freed value block
  bool registered;     // the closer is constructed
  bool closed;
};
constinit thread_local ThreadCaches t_caches{nullptr, 0, nullptr, false, false};

struct ThreadCachesCloser {
  ~ThreadCachesCloser() {
    t_caches.closed = true;
    while (t_caches.impls) {
      FreeBlock* b = t_caches.impls;
      t_caches.impls = b->next;
      ::operator delete(b);
    }
    t_caches.impl_count = 0;
    delete t_caches.values;
    t_caches.values = nullptr;
  }
};
thread_local ThreadCachesCloser t_caches_closer;

// False when the thread is ending: nothing may be kept any more.
bool caches_open() {
  if (!t_caches.registered && !t_caches.closed) {
    t_caches.registered = true;
    (void)&t_caches_closer;  // empties the caches when the thread ends
  }
  return !t_caches.closed;
}

// Under AddressSanitizer no value block is kept, so that it still sees every use of a freed block.
constexpr bool kCacheValues = !kAddressSanitizer;

double* allocate_values(int64_t numel) {
  const std::size_t bytes = block_bytes(numel);
  if (ValueCache* cache = t_caches.values) {
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
  if (kCacheValues && caches_open()) {
    if (!t_caches.values) t_caches.values = new ValueCache;
    ValueCache& cache = *t_caches.values;
    if (cache.bytes + bytes <= kMaxCachedValueBytes) {
      cache.free_blocks[bytes].push_back(data);
      cache.bytes += bytes;
      return;
    }
  }
  std::free(data);
}

void* take_block() {
  if (FreeBlock* b = t_caches.impls) {
    t_caches.impls = b->next;
    --t_caches.impl_count;
    return b;
  }
  return ::operator new(sizeof(TensorImpl));
}

void give_back(void* p) {
  if (!caches_open() || t_caches.impl_count >= kMaxCached) {
    ::operator delete(p);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = t_caches.impls;
  t_caches.impls = b;
  ++t_caches.impl_count;
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
  if (t->hooks) delete_hooks(t->hooks);
  if (t->data != t->inline_data) free_values(t->data, t->numel);
  t->~TensorImpl();
  give_back(t);
}

namespace {
[[noreturn, gnu::cold, gnu::noinline]] void throw_undefined_input(const char* op) {
  throw ValueError(std::string(op) +
                   ": an input tensor is undefined (a default-constructed Tensor, or the grad() of a tensor "
                   "that backward() did not fill: only leaves, and tensors marked with retain_grad(), keep one)");
}
}  // namespace

TensorImpl* checked_impl(const Tensor& t, const char* op) {
  if (!t.defined()) [[unlikely]] throw_undefined_input(op);
  return tg::detail::impl_of(t);
}

}  // namespace tg::detail
