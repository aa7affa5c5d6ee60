// Internal: gradient hooks on tensors (Tensor::register_hook). A hook sees the gradient
// flowing into its tensor during backward() and may return a replacement. On a non-leaf the
// hooks run when the sweep reaches the tensor's node, before its derivative rule; on a leaf
// they run once, on the gradient summed over the whole sweep, before it is added to grad().
#pragma once

#include <functional>
#include <vector>

#include "tapegrad/detail/tensor_impl.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::detail {

struct TensorHooks {
  // A removed hook leaves an empty slot, so that handles (positions) stay valid.
  std::vector<std::function<Tensor(const Tensor&)>> hooks;
};

/// The gradient of a leaf with hooks, gathered during one backward() sweep.
struct PendingLeafGrad {
  TensorImpl* leaf;             // owning while pending
  std::vector<double> grad;
};

void delete_hooks(TensorHooks* hooks);

/// Runs the hooks of `t` on `grad` (t->numel values), replacing it with what they return.
void run_hooks(const TensorImpl* t, double* grad);
/// The same on a gradient tensor (the sweep of create_graph and autograd::grad), returning
/// the replacement; what the hooks compute is recorded under create_graph.
Tensor run_hooks(const TensorImpl* t, Tensor grad);

}  // namespace tg::detail
