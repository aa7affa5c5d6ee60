// The object behind a tg::Tensor handle. Not part of the public interface: its layout is
// visible only so that the handle's accessors can be inlined.
#pragma once

#include <cstdint>
#include <string>

#include "tapegrad/shape.hpp"

namespace tg {
class Tape;
}

namespace tg::detail {

struct TensorHooks;  // the hooks registered on a tensor (src/autograd/hooks.hpp)

/// Tensors with at most this many elements keep their values inside the TensorImpl.
inline constexpr int64_t kInlineCapacity = 4;

struct TensorImpl {
  int32_t refcount = 1;        // handles + recorded nodes that hold this tensor
  uint32_t version = 0;        // bumped by every in-place write
  Shape shape;
  int64_t numel = 0;
  double* data = nullptr;      // inline_data, or a heap block when numel > kInlineCapacity

  bool requires_grad = false;
  bool graph_released = false; // its recorded node was consumed by backward()
  bool retains_grad = false;   // a non-leaf whose gradient is kept in `grad`
  bool is_mask = false;        // made by a comparison or to_mask(): a boolean index
  bool warned_grad = false;    // grad() of this non-leaf already warned that it is undefined
  int16_t grad_fn = -1;        // the operation that produced it (a non-leaf), or -1 (a leaf);
                               // custom functions count on from OpCode::count

  Tape* tape = nullptr;        // tape holding the node that produced it, while recorded
  int64_t node = -1;           // that node's index on the tape

  TensorImpl* grad = nullptr;  // owning; accumulated gradient (leaves, or retain_grad())
  std::string* name = nullptr; // owning; optional label for printing and graphs
  TensorHooks* hooks = nullptr; // owning; gradient hooks (register_hook), usually none

  double inline_data[kInlineCapacity];
};

/// A new tensor of the given shape with uninitialised values and refcount 1.
TensorImpl* new_impl(const Shape& shape);
/// Frees a tensor whose refcount reached zero.
void destroy(TensorImpl* impl);

inline void retain(TensorImpl* p) {
  if (p) ++p->refcount;
}
inline void release(TensorImpl* p) {
  if (p && --p->refcount == 0) destroy(p);
}

}  // namespace tg::detail
