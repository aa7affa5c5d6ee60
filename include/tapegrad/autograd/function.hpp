// Your own operation with your own derivative, as libtorch's torch::autograd::Function:
//
//   struct Softsign : tg::autograd::Function<Softsign> {
//     static tg::Tensor forward(tg::autograd::AutogradContext* ctx, const tg::Tensor& x) {
//       ctx->save_for_backward({x});
//       return x / (1 + x.abs());
//     }
//     static tg::autograd::variable_list backward(tg::autograd::AutogradContext* ctx,
//                                                 tg::autograd::variable_list grad_output) {
//       const tg::Tensor x = ctx->get_saved_variables()[0];
//       const tg::Tensor d = 1 + x.abs();
//       return {grad_output[0] / (d * d)};
//     }
//   };
//   tg::Tensor y = Softsign::apply(x);
//
// apply() runs forward() with recording off, then records one node on the tape, named after
// the struct ("Softsign"), whose derivative rule is backward(). The contract is libtorch's:
// - forward() takes the context, then any arguments: tensors, lists of tensors
//   (variable_list) and other values. It returns a Tensor or a variable_list.
// - backward() receives one gradient per output (zeros for an output that got none) and
//   returns one entry per forward() argument, a tensor counting once per element: the gradient
//   of that input, or an undefined Tensor where there is none (it must be undefined for an
//   argument that is not a tensor). A gradient whose shape the input broadcasts to is summed
//   back to the input's shape; any other shape is an error naming the function.
// - Tensors saved with save_for_backward() are checked when backward() reads them: one changed
//   in place since it was saved is an error, as for the built-in operations. Other values go
//   in saved_data.
// backward() runs with recording off, except under create_graph, where it is recorded so that
// a backward() written with tapegrad operations has second derivatives; see
// docs/custom_functions.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "tapegrad/tape.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::autograd {

using variable_list = std::vector<Tensor>;

/// A value kept in AutogradContext::saved_data: a number, a flag, a string, a tensor or a list
/// of numbers, read back with the accessor of its kind (libtorch's IValue, in small).
class IValue {
 public:
  IValue() = default;
  IValue(double v) : value_(v) {}
  IValue(int64_t v) : value_(v) {}
  IValue(int v) : value_(static_cast<int64_t>(v)) {}
  IValue(bool v) : value_(v) {}
  IValue(std::string v) : value_(std::move(v)) {}
  IValue(const char* v) : value_(std::string(v)) {}
  IValue(Tensor v) : value_(std::move(v)) {}
  IValue(std::vector<int64_t> v) : value_(std::move(v)) {}
  IValue(std::vector<double> v) : value_(std::move(v)) {}

  bool isNone() const { return value_.index() == 0; }
  bool isDouble() const { return std::holds_alternative<double>(value_); }
  bool isInt() const { return std::holds_alternative<int64_t>(value_); }
  bool isBool() const { return std::holds_alternative<bool>(value_); }
  bool isString() const { return std::holds_alternative<std::string>(value_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(value_); }
  bool isIntList() const { return std::holds_alternative<std::vector<int64_t>>(value_); }
  bool isDoubleList() const { return std::holds_alternative<std::vector<double>>(value_); }

  /// Each throws tg::ValueError naming the kind held when it is another kind. toDouble()
  /// also reads an integer.
  double toDouble() const;
  int64_t toInt() const;
  bool toBool() const;
  const std::string& toStringRef() const;
  const Tensor& toTensor() const;
  const std::vector<int64_t>& toIntVector() const;
  const std::vector<double>& toDoubleVector() const;
  /// "None", "double", "int", "bool", "string", "Tensor", "int list" or "double list".
  std::string kind() const;

 private:
  std::variant<std::monostate, double, int64_t, bool, std::string, Tensor, std::vector<int64_t>,
               std::vector<double>>
      value_;
};

namespace detail {
class FunctionState;
}

/// What forward() leaves for backward(), as libtorch's torch::autograd::AutogradContext.
class AutogradContext {
 public:
  /// Values other than saved tensors, by name: ctx->saved_data["alpha"] = 0.5.
  std::unordered_map<std::string, IValue> saved_data;

  /// Tensors (inputs, outputs or others) for backward(); call it once, in forward().
  void save_for_backward(variable_list to_save);
  /// The saved tensors, in the order given. Throws tg::AutogradError if one of them was
  /// changed in place since it was saved, or if the graph was already released.
  variable_list get_saved_variables() const;
  /// Outputs that are not differentiable (indices, counts): they are returned as tensors that
  /// do not require grad, and backward() receives zeros for them.
  void mark_non_differentiable(const variable_list& outputs);
  /// True when forward() argument `index` (a tensor counting once per element) requires grad.
  bool needs_input_grad(std::size_t index) const;

 private:
  friend class detail::FunctionState;
  detail::FunctionState* state_ = nullptr;
};

namespace detail {

/// One argument of forward() as apply() sees it: a tensor, or something else.
struct ArgumentList {
  variable_list tensors;      // the tensor arguments, lists flattened, undefined ones included
  std::vector<int> position;  // per forward() input (tensor or not): index into tensors, or -1
  void add(const Tensor& t) {
    position.push_back(static_cast<int>(tensors.size()));
    tensors.push_back(t);
  }
  void add(const variable_list& list) {
    for (const Tensor& t : list) add(t);
  }
  template <class T>
  void add(const T&) {
    position.push_back(-1);
  }
};

using BackwardFn = variable_list (*)(AutogradContext*, variable_list);

/// The part of apply() that does not depend on the function's type (function.cpp).
class FunctionState {
 public:
  /// Starts a call: `name` names the node, `backward` is the user's rule.
  static std::unique_ptr<FunctionState> begin(const char* name, BackwardFn backward, ArgumentList args);
  AutogradContext* context() { return &context_; }
  /// Records the node (when an input requires grad and recording is on) and returns the
  /// outputs as they are handed to the caller.
  static variable_list finish(std::unique_ptr<FunctionState> state, variable_list outputs);

  // Used by the context and by the derivative rule (function.cpp).
  variable_list saved_variables() const;
  void save(variable_list tensors);
  void mark_non_differentiable(const variable_list& outputs);
  bool needs_input_grad(std::size_t index) const;
  struct Internals;
  Internals& internals() { return *internals_; }
  ~FunctionState();

 private:
  FunctionState();
  AutogradContext context_;
  std::unique_ptr<Internals> internals_;
};

/// The struct's name without namespaces, for the node ("Softsign"); interned, never freed.
const char* function_name(const std::type_info& type);
/// The name interned at `index` (in order of first use).
const char* interned_function_name(std::size_t index);

}  // namespace detail

/// The base of your own operation: derive as struct F : Function<F> and give F static
/// forward() and backward() (see the top of this file).
template <class T>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args) {
    using Output = decltype(T::forward(std::declval<AutogradContext*>(), std::forward<Args>(args)...));
    static_assert(std::is_same_v<Output, Tensor> || std::is_same_v<Output, variable_list>,
                  "forward() must return a tg::Tensor or a tg::autograd::variable_list");
    static const char* const name = detail::function_name(typeid(T));
    detail::ArgumentList list;
    (list.add(args), ...);
    std::unique_ptr<detail::FunctionState> state =
        detail::FunctionState::begin(name, &T::backward, std::move(list));
    Output out;
    {
      NoGradGuard no_grad;
      out = T::forward(state->context(), std::forward<Args>(args)...);
    }
    if constexpr (std::is_same_v<Output, Tensor>) {
      return detail::FunctionState::finish(std::move(state), {std::move(out)})[0];
    } else {
      return detail::FunctionState::finish(std::move(state), std::move(out));
    }
  }
};

}  // namespace tg::autograd
