// tg::nn::Module: the base of every layer and model, as torch.nn.Module.
//
// A module owns named parameters (leaf tensors that require grad) and named submodules.
// Names compose with dots: in an MLP whose Sequential is registered as "layers", the weight
// of the first Linear is "layers.0.weight". parameters() walks the tree in registration
// order (the module's own parameters first, then each child's), so an optimizer built from
// model.parameters() sees the same order every time.
//
//   class Affine : public tg::nn::Module {
//    public:
//     Affine() { scale_ = register_parameter("scale", tg::ones({1})); }
//     tg::Tensor forward(const tg::Tensor& x) override { return x * scale_; }
//    private:
//     tg::Tensor scale_;
//   };
//
// Modules are movable but not copyable: a copy would share its parameters with the original
// without saying so. Submodules are held by shared_ptr, so a module stays valid when moved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tapegrad/error.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {
class CheckpointWriter;
class CheckpointReader;
class StateDict;
}  // namespace tg

namespace tg::nn {

class Module;

namespace detail {
struct ModuleHooks;
/// Rethrows a ShapeError raised inside `module`'s forward() with the place of the layer that
/// raised it, relative to `module` ("layers.2 (Linear(in_features=3, ...))"). Cold.
[[noreturn]] void rethrow_with_layer_path(const Module& module, const ShapeError& error);
}

/// What register_*_hook returns: remove() takes the hook away (once; later calls do nothing).
class RemovableHandle {
 public:
  RemovableHandle() = default;
  void remove();

 private:
  friend class Module;
  RemovableHandle(std::weak_ptr<detail::ModuleHooks> hooks, std::size_t id) : hooks_(std::move(hooks)), id_(id) {}
  std::weak_ptr<detail::ModuleHooks> hooks_;
  std::size_t id_ = 0;
};

/// hook(module, input) before forward(): may return a replacement input.
using ForwardPreHook = std::function<Tensor(Module&, const Tensor& input)>;
/// hook(module, input, output) after forward(): may return a replacement output.
using ForwardHook = std::function<Tensor(Module&, const Tensor& input, const Tensor& output)>;
/// hook(module, grad_input, grad_output) in backward(), once the gradient with respect to the
/// module's input is known: may return a replacement grad_input. grad_input is undefined when
/// the input does not require grad.
using BackwardHook = std::function<Tensor(Module&, const Tensor& grad_input, const Tensor& grad_output)>;

/// What load_state_dict(state, /*strict=*/false) left out: the model's keys the state did not
/// have, and the state's keys the model does not have (both empty after a strict load).
struct IncompatibleKeys {
  std::vector<std::string> missing_keys;
  std::vector<std::string> unexpected_keys;
};

class Module {
 public:
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  Module(Module&&) noexcept = default;
  Module& operator=(Module&&) noexcept = default;

  virtual Tensor forward(const Tensor& input) = 0;
  /// forward(), with the hooks registered on this module around it. A tg::ShapeError from a
  /// submodule names the submodule's place in this module ("MLP: layers.2 (Linear(...)): ...").
  Tensor operator()(const Tensor& input) {
    try {
      if (!hooks_) [[likely]]
        return forward(input);
      return call_with_hooks(input);
    } catch (const ShapeError& error) {
      detail::rethrow_with_layer_path(*this, error);
    }
  }

  // ---- hooks, as torch.nn.Module's (a hook returning nothing, or an undefined Tensor, keeps
  // the value it was given). They run when the module is called as module(x), which is how
  // Sequential calls its children; calling forward() directly skips them.
  /// Before forward(): hook(module, input).
  template <class Hook>
  RemovableHandle register_forward_pre_hook(Hook&& hook) {
    return add_forward_pre_hook(ForwardPreHook(returning_tensor<const Tensor&>(std::forward<Hook>(hook))));
  }
  /// After forward(): hook(module, input, output).
  template <class Hook>
  RemovableHandle register_forward_hook(Hook&& hook) {
    return add_forward_hook(ForwardHook(returning_tensor<const Tensor&, const Tensor&>(std::forward<Hook>(hook))));
  }
  /// In backward(): hook(module, grad_input, grad_output), the gradients with respect to the
  /// module's input and output (PyTorch's register_full_backward_hook). The module's input
  /// and output pass through one identity node each (BackwardHookFunction) to catch them.
  template <class Hook>
  RemovableHandle register_full_backward_hook(Hook&& hook) {
    return add_backward_hook(BackwardHook(returning_tensor<const Tensor&, const Tensor&>(std::forward<Hook>(hook))));
  }

  /// The class name printed by str() and stored by save() ("Linear", "Sequential").
  /// By default the demangled C++ class name without its namespaces.
  virtual std::string type_name() const;
  /// The text inside the parentheses of a module without children
  /// ("in_features=2, out_features=64, bias=True"); empty by default.
  virtual std::string extra_repr() const { return ""; }

  /// Every parameter of this module and its submodules, each tensor once, in registration order.
  std::vector<Tensor> parameters() const;
  /// The same, with dotted names ("layers.0.weight").
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  /// The buffers (registered state that is not trained, such as running statistics) of this
  /// module and its submodules, with dotted names, in registration order.
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  std::vector<Tensor> buffers() const;
  /// The direct submodules with their names.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const;

  /// Training mode (the default) or evaluation mode, for this module and all its submodules.
  /// Only some layers behave differently (Dropout is the identity in evaluation mode).
  Module& train(bool mode = true);
  Module& eval() { return train(false); }
  bool is_training() const { return training_; }

  /// Clears the gradients of all parameters (to undefined, or to zeros).
  void zero_grad(bool set_to_none = true);

  /// PyTorch's printout: "Linear(in_features=2, out_features=1, bias=True)", or the type name
  /// with one indented "(name): child" line per submodule.
  std::string str() const;

  /// Every parameter and buffer under its dotted name, as PyTorch names them ("0.weight",
  /// "layers.2.bias"): each module's parameters, then its buffers, then its submodules'. The
  /// tensors are copies of the values now (later training does not change them).
  StateDict state_dict() const;
  /// Copies the values of `state` into the parameters and buffers of the same names. Everything
  /// is checked first — every value a tensor of the right shape, and with `strict` every key
  /// of the model present and no other — and on any error (tg::ValueError naming the keys or
  /// the shapes) nothing changes. Without `strict`, the keys that did not match are returned.
  IncompatibleKeys load_state_dict(const StateDict& state, bool strict = true);

  /// Writes the parameters to a checkpoint (see tapegrad/io/checkpoint.hpp), atomically:
  /// text entries module=<type name>, parameters=<n>, parameter.<k>.name=<dotted name>, and
  /// one tensor per parameter named parameter.<dotted name>.
  void save(const std::string& path) const;
  /// Reads what save() wrote. The file's format, the module type, the number, names and shapes
  /// of the parameters are all checked before any value is copied: on any error
  /// (tg::IoError, tg::FormatError naming the file and the problem) the module is unchanged.
  void load(const std::string& path);
  /// The same entries in a checkpoint being written or read, which may hold other entries too
  /// (an optimizer's save_state(), whose keys do not collide with these).
  void save(CheckpointWriter& out) const;
  void load(const CheckpointReader& in);

 protected:
  Module() = default;

  /// Registers `tensor` as the parameter `name` (a leaf; requires_grad is set) and returns it.
  Tensor register_parameter(std::string name, Tensor tensor);
  /// Registers `tensor` as the buffer `name`: state saved with the module that is not a
  /// parameter (no gradient; optimizers do not see it). Returns it.
  Tensor register_buffer(std::string name, Tensor tensor);
  /// Registers `module` as the submodule `name` and returns it.
  template <class M>
  M& register_module(std::string name, std::shared_ptr<M> module) {
    M* raw = module.get();
    add_child(std::move(name), std::move(module));  // throws on a null pointer
    return *raw;
  }

 private:
  // A hook that returns nothing becomes one that returns an undefined Tensor.
  template <class... Args, class Hook>
  static auto returning_tensor(Hook&& hook) {
    if constexpr (std::is_void_v<std::invoke_result_t<Hook&, Module&, Args...>>) {
      return [h = std::forward<Hook>(hook)](Module& m, Args... args) mutable {
        h(m, args...);
        return Tensor();
      };
    } else {
      return std::forward<Hook>(hook);
    }
  }
  RemovableHandle add_forward_pre_hook(ForwardPreHook hook);
  RemovableHandle add_forward_hook(ForwardHook hook);
  RemovableHandle add_backward_hook(BackwardHook hook);
  Tensor call_with_hooks(const Tensor& input);

  void check_new_name(const std::string& name, const char* what) const;
  void add_child(std::string name, std::shared_ptr<Module> module);
  void collect(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out,
               std::vector<const void*>& seen) const;

  void collect_state(const std::string& prefix, StateDict& out) const;

  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  std::shared_ptr<detail::ModuleHooks> hooks_;  // null until a hook is registered
  bool training_ = true;
};

std::ostream& operator<<(std::ostream& os, const Module& module);

namespace detail {
/// A double as Python prints a float: "0.01", "1.0", "20.0", "1e-05".
std::string python_float(double value);
}  // namespace detail

}  // namespace tg::nn
