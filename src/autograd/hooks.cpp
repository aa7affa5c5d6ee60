// Gradient hooks on tensors: registering, removing, and running them during backward().
#include "autograd/hooks.hpp"

#include <algorithm>
#include <string>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"
#include "core/tensor_access.hpp"

namespace tg {

namespace detail {

void delete_hooks(TensorHooks* hooks) { delete hooks; }

void run_hooks(const TensorImpl* t, double* grad) {
  NoGradGuard no_grad;  // what a hook computes is not recorded
  const std::size_t count = t->hooks->hooks.size();  // hooks added by a hook run next time
  for (std::size_t k = 0; k < count; ++k) {
    const auto& hook = t->hooks->hooks[k];
    if (!hook) continue;
    TensorImpl* copy = new_impl(t->shape);
    std::copy(grad, grad + t->numel, copy->data);
    const Tensor replaced = hook(tg::detail::adopt(copy));
    if (!replaced.defined()) continue;
    if (replaced.shape() != t->shape) {
      throw ShapeError("backward(): hook " + std::to_string(k) + " returned a gradient of shape " +
                       replaced.shape().str() + " for a tensor of shape " + t->shape.str());
    }
    std::copy(replaced.data(), replaced.data() + t->numel, grad);
  }
}

Tensor run_hooks(const TensorImpl* t, Tensor grad) {
  const std::size_t count = t->hooks->hooks.size();
  for (std::size_t k = 0; k < count; ++k) {
    const auto& hook = t->hooks->hooks[k];
    if (!hook) continue;
    Tensor replaced = hook(grad);
    if (!replaced.defined()) continue;
    if (replaced.shape() != t->shape) {
      throw ShapeError("backward(): hook " + std::to_string(k) + " returned a gradient of shape " +
                       replaced.shape().str() + " for a tensor of shape " + t->shape.str());
    }
    grad = std::move(replaced);
  }
  return grad;
}

}  // namespace detail

unsigned Tensor::add_hook(std::function<Tensor(const Tensor&)> hook) const {
  detail::TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (!t->requires_grad) {
    throw AutogradError("register_hook: the tensor (shape " + t->shape.str() +
                        ") does not require grad, so no gradient will flow into it");
  }
  if (!t->hooks) t->hooks = new detail::TensorHooks;
  t->hooks->hooks.push_back(std::move(hook));
  return static_cast<unsigned>(t->hooks->hooks.size() - 1);
}

void Tensor::remove_hook(unsigned handle) const {
  detail::TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (!t->hooks || handle >= t->hooks->hooks.size() || !t->hooks->hooks[handle]) {
    throw ValueError("remove_hook: no hook with handle " + std::to_string(handle) +
                     " on this tensor (removed already, or registered on another tensor)");
  }
  t->hooks->hooks[handle] = nullptr;
}

}  // namespace tg
