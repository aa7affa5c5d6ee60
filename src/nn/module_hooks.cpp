// Hooks on modules: before and after forward(), and in backward() with the gradients with
// respect to the module's input and output (torch.nn.Module's register_*_hook).
//
// The backward hooks need the gradient of the module's input and of its output, as tensors
// of their own: the input and the output each pass through an identity node
// (BackwardHookFunction), whose tensor hooks catch the gradients. The output's arrives first
// (the sweep runs backwards); the hooks run when the input's arrives, or at once when the
// input does not require grad.
#include <map>
#include <memory>

#include "tapegrad/autograd/function.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/tape.hpp"

namespace tg::nn {

namespace detail {

struct ModuleHooks {
  std::size_t next_id = 0;
  std::map<std::size_t, ForwardPreHook> pre;  // by id, which is registration order
  std::map<std::size_t, ForwardHook> forward;
  std::map<std::size_t, BackwardHook> backward;
};

namespace {

struct BackwardHookFunction : autograd::Function<BackwardHookFunction> {
  static Tensor forward(autograd::AutogradContext*, const Tensor& x) { return x; }
  static autograd::variable_list backward(autograd::AutogradContext*, autograd::variable_list g) {
    return {g[0]};
  }
};

// One call of a module with backward hooks: what the output's gradient was.
struct BackwardCall {
  Module* module;
  std::shared_ptr<ModuleHooks> hooks;
  Tensor grad_output;

  Tensor run(Tensor grad_input) {
    for (auto& [id, hook] : hooks->backward) {
      const Tensor replaced = hook(*module, grad_input, grad_output);
      if (replaced.defined()) grad_input = replaced;
    }
    return grad_input;
  }
};

}  // namespace
}  // namespace detail

void RemovableHandle::remove() {
  if (const std::shared_ptr<detail::ModuleHooks> h = hooks_.lock()) {
    h->pre.erase(id_);
    h->forward.erase(id_);
    h->backward.erase(id_);
  }
  hooks_.reset();
}

RemovableHandle Module::add_forward_pre_hook(ForwardPreHook hook) {
  if (!hooks_) hooks_ = std::make_shared<detail::ModuleHooks>();
  const std::size_t id = hooks_->next_id++;
  hooks_->pre.emplace(id, std::move(hook));
  return RemovableHandle(hooks_, id);
}

RemovableHandle Module::add_forward_hook(ForwardHook hook) {
  if (!hooks_) hooks_ = std::make_shared<detail::ModuleHooks>();
  const std::size_t id = hooks_->next_id++;
  hooks_->forward.emplace(id, std::move(hook));
  return RemovableHandle(hooks_, id);
}

RemovableHandle Module::add_backward_hook(BackwardHook hook) {
  if (!hooks_) hooks_ = std::make_shared<detail::ModuleHooks>();
  const std::size_t id = hooks_->next_id++;
  hooks_->backward.emplace(id, std::move(hook));
  return RemovableHandle(hooks_, id);
}

Tensor Module::call_with_hooks(const Tensor& input) {
  const std::shared_ptr<detail::ModuleHooks> hooks = hooks_;  // a hook may remove hooks
  Tensor x = input;
  for (auto& [id, hook] : std::map(hooks->pre)) {
    const Tensor replaced = hook(*this, x);
    if (replaced.defined()) x = replaced;
  }

  std::shared_ptr<detail::BackwardCall> call;
  if (!hooks->backward.empty() && is_grad_enabled()) {
    call = std::make_shared<detail::BackwardCall>(detail::BackwardCall{this, hooks, Tensor()});
    if (x.defined() && x.requires_grad()) {
      x = detail::BackwardHookFunction::apply(x);
      x.register_hook([call](const Tensor& g) { return call->run(g); });
    }
  }
  Tensor y = forward(x);
  for (auto& [id, hook] : std::map(hooks->forward)) {
    const Tensor replaced = hook(*this, x, y);
    if (replaced.defined()) y = replaced;
  }
  if (call && y.defined() && y.requires_grad()) {
    const bool input_has_grad = x.defined() && x.requires_grad();
    y = detail::BackwardHookFunction::apply(y);
    y.register_hook([call, input_has_grad](const Tensor& g) {
      call->grad_output = g;
      if (!input_has_grad) call->run(Tensor());
      return Tensor();
    });
  }
  return y;
}

}  // namespace tg::nn
