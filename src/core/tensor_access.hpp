// Internal: the library's access to the object behind a tg::Tensor handle, which users do
// not see.
#pragma once

#include "tapegrad/tensor.hpp"

namespace tg::detail {

struct TensorAccess {
  static TensorImpl* impl(const Tensor& t) { return t.impl_; }
  static Tensor adopt(TensorImpl* impl) {
    Tensor t;
    t.impl_ = impl;
    return t;
  }
};

/// The TensorImpl behind a handle (nullptr for an undefined tensor).
inline TensorImpl* impl_of(const Tensor& t) { return TensorAccess::impl(t); }
/// A handle that takes over one reference to `impl`.
inline Tensor adopt(TensorImpl* impl) { return TensorAccess::adopt(impl); }

}  // namespace tg::detail
