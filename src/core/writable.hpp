// The check shared by every in-place operation (add_, fill_, index_put_, ...).
#pragma once

#include "tapegrad/detail/tensor_impl.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::detail {

/// The impl of `t`, about to be changed in place by `op`. In-place writes are refused while
/// they would be recorded (AutogradError on a tensor that requires grad with recording on),
/// and counted otherwise (the version is bumped), so that backward() notices values changed
/// under a recorded node.
TensorImpl* writable(const Tensor& t, const char* op);

}  // namespace tg::detail
