// Custom functions (tg::autograd::Function): recording a user's operation as one node, and
// its derivative rule, which calls the user's backward() and checks what it returns.
//
// A function with one output records one node whose output is that tensor. A function with
// several outputs records one node whose output is all of them packed into one flat tensor,
// and one `function_output` node per output that copies its part out; the tape then gathers
// the gradients of all outputs into the packed tensor's gradient, and the function's rule
// hands them to backward() together (zeros for an output that received none).
#include "tapegrad/autograd/function.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>

#include "core/engine.hpp"
#include "tapegrad/ops.hpp"
#include "ops/broadcast.hpp"
#include "tapegrad/error.hpp"
#include "core/tensor_access.hpp"

namespace tg::autograd {

using tg::detail::BackwardContext;
using tg::detail::Engine;
using tg::detail::Node;
using tg::detail::OpCode;
using tg::detail::TensorImpl;
using tg::detail::new_impl;
using tg::detail::retain;

// ---- IValue --------------------------------------------------------------------------------
std::string IValue::kind() const {
  static const char* const kinds[] = {"None",   "double", "int",      "bool",
                                      "string", "Tensor", "int list", "double list"};
  return kinds[value_.index()];
}

namespace {
[[noreturn]] void wrong_kind(const IValue& v, const char* wanted) {
  throw ValueError(std::string("saved_data: the value holds a ") + v.kind() + ", not a " + wanted);
}
}  // namespace

double IValue::toDouble() const {
  if (isInt()) return static_cast<double>(std::get<int64_t>(value_));
  if (!isDouble()) wrong_kind(*this, "double");
  return std::get<double>(value_);
}
int64_t IValue::toInt() const {
  if (!isInt()) wrong_kind(*this, "int");
  return std::get<int64_t>(value_);
}
bool IValue::toBool() const {
  if (!isBool()) wrong_kind(*this, "bool");
  return std::get<bool>(value_);
}
const std::string& IValue::toStringRef() const {
  if (!isString()) wrong_kind(*this, "string");
  return std::get<std::string>(value_);
}
const Tensor& IValue::toTensor() const {
  if (!isTensor()) wrong_kind(*this, "Tensor");
  return std::get<Tensor>(value_);
}
const std::vector<int64_t>& IValue::toIntVector() const {
  if (!isIntList()) wrong_kind(*this, "int list");
  return std::get<std::vector<int64_t>>(value_);
}
const std::vector<double>& IValue::toDoubleVector() const {
  if (!isDoubleList()) wrong_kind(*this, "double list");
  return std::get<std::vector<double>>(value_);
}

// ---- the context -----------------------------------------------------------------------------
void AutogradContext::save_for_backward(variable_list to_save) { state_->save(std::move(to_save)); }
variable_list AutogradContext::get_saved_variables() const { return state_->saved_variables(); }
void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  state_->mark_non_differentiable(outputs);
}
bool AutogradContext::needs_input_grad(std::size_t index) const {
  return state_->needs_input_grad(index);
}

namespace detail {

// ---- names of custom functions ---------------------------------------------------------------
// Interned for the life of the program: a tensor's grad_fn refers to its function's name by
// position, after OpCode::count.
namespace {
std::mutex g_names_mutex;
std::deque<std::string>& function_names() {
  static std::deque<std::string> names;
  return names;
}
}  // namespace

const char* function_name(const std::type_info& type) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string name = status == 0 && demangled ? demangled : type.name();
  std::free(demangled);
  const std::size_t template_start = name.find('<');
  const std::size_t last_colon = name.rfind("::", template_start);
  if (last_colon != std::string::npos) name = name.substr(last_colon + 2);
  std::lock_guard<std::mutex> lock(g_names_mutex);
  return function_names().emplace_back(std::move(name)).c_str();
}

const char* interned_function_name(std::size_t index) {
  std::lock_guard<std::mutex> lock(g_names_mutex);
  return function_names()[index].c_str();
}

namespace {
int16_t find_grad_fn_code(const char* name) {
  std::lock_guard<std::mutex> lock(g_names_mutex);
  const std::deque<std::string>& names = function_names();
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k].c_str() == name) return static_cast<int16_t>(static_cast<std::size_t>(OpCode::count) + k);
  return static_cast<int16_t>(OpCode::custom_function);
}

// The code of an interned name: its position after OpCode::count. A training loop applies the
// same function again and again, so the last answer is kept per thread, without the lock.
int16_t grad_fn_code(const char* name) {
  thread_local const char* last_name = nullptr;
  thread_local int16_t last_code = 0;
  if (name == last_name) return last_code;
  last_name = name;
  last_code = find_grad_fn_code(name);
  return last_code;
}
}  // namespace

// ---- the state of one call -------------------------------------------------------------------
struct FunctionState::Internals {
  const char* name = nullptr;
  BackwardFn backward = nullptr;
  ArgumentList args;
  std::vector<bool> needs_grad;  // per tensor of args

  struct Saved {
    Tensor tensor;     // undefined for an output, which the node itself holds
    int output = -1;   // which output it is, or -1
    uint32_t version = 0;
  };
  std::vector<Saved> saved;
  bool saved_once = false;
  variable_list to_save;  // as given in forward(), sorted into `saved` by finish()
  std::vector<const TensorImpl*> non_differentiable;

  std::vector<Shape> output_shapes;
  std::vector<int64_t> output_offsets;  // into the packed output
  bool packed = false;
  const TensorImpl* node_output = nullptr;  // while the rule runs
};

FunctionState::FunctionState() : internals_(std::make_unique<Internals>()) { context_.state_ = this; }
FunctionState::~FunctionState() = default;

std::unique_ptr<FunctionState> FunctionState::begin(const char* name, BackwardFn backward,
                                                    ArgumentList args) {
  std::unique_ptr<FunctionState> s(new FunctionState);
  Internals& in = *s->internals_;
  in.name = name;
  in.backward = backward;
  const bool recording = is_grad_enabled();
  for (const Tensor& t : args.tensors) in.needs_grad.push_back(recording && t.defined() && t.requires_grad());
  in.args = std::move(args);
  return s;
}

void FunctionState::save(variable_list tensors) {
  Internals& in = *internals_;
  if (in.saved_once) {
    throw AutogradError(std::string(in.name) + ".forward: save_for_backward() may be called only once");
  }
  in.saved_once = true;
  in.to_save = std::move(tensors);
}

void FunctionState::mark_non_differentiable(const variable_list& outputs) {
  for (const Tensor& t : outputs)
    if (t.defined()) internals_->non_differentiable.push_back(tg::detail::impl_of(t));
}

bool FunctionState::needs_input_grad(std::size_t index) const {
  const Internals& in = *internals_;
  if (index >= in.args.position.size()) {
    throw IndexError(std::string(in.name) + ": needs_input_grad(" + std::to_string(index) +
                     "), but forward() took " + std::to_string(in.args.position.size()) + " inputs");
  }
  const int k = in.args.position[index];
  return k >= 0 && in.needs_grad[static_cast<std::size_t>(k)];
}

variable_list FunctionState::saved_variables() const {
  const Internals& in = *internals_;
  if (!in.node_output) return in.to_save;  // still inside forward()
  variable_list out;
  for (std::size_t k = 0; k < in.saved.size(); ++k) {
    const Internals::Saved& s = in.saved[k];
    if (s.output < 0) {
      if (s.tensor.defined() && tg::detail::impl_of(s.tensor)->version != s.version) {
        throw AutogradError("backward(): tensor " + std::to_string(k) + " (shape " +
                            s.tensor.shape().str() + ") saved by " + in.name +
                            ".forward was modified in place after it was saved (version " +
                            std::to_string(s.version) + " -> " +
                            std::to_string(tg::detail::impl_of(s.tensor)->version) +
                            "); its gradient would be wrong. Modify a copy instead.");
      }
      out.push_back(s.tensor);
      continue;
    }
    if (!in.packed) {  // the node's own output
      TensorImpl* y = const_cast<TensorImpl*>(in.node_output);
      if (y->version != s.version) {
        throw AutogradError("backward(): the output of " + std::string(in.name) +
                            " was saved for backward and then modified in place; its gradient "
                            "would be wrong. Modify a copy instead.");
      }
      retain(y);
      out.push_back(tg::detail::adopt(y));
      continue;
    }
    // One of several outputs: its values as forward() returned them, from the packed output;
    // under create_graph a part of it, so that it stays connected to this function's node.
    const auto o = static_cast<std::size_t>(s.output);
    if (is_grad_enabled()) {
      TensorImpl* packed = const_cast<TensorImpl*>(in.node_output);
      retain(packed);
      out.push_back(tg::reshape(tg::narrow(tg::detail::adopt(packed), 0, in.output_offsets[o], in.output_shapes[o].numel()),
                                in.output_shapes[o].to_vector()));
      continue;
    }
    TensorImpl* y = new_impl(in.output_shapes[o]);
    std::copy(in.node_output->data + in.output_offsets[o],
              in.node_output->data + in.output_offsets[o] + y->numel, y->data);
    out.push_back(tg::detail::adopt(y));
  }
  return out;
}

variable_list FunctionState::finish(std::unique_ptr<FunctionState> state, variable_list outputs) {
  Internals& in = *state->internals_;
  if (outputs.empty()) throw ValueError(std::string(in.name) + ".forward returned no output");
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (!outputs[k].defined()) {
      throw ValueError(std::string(in.name) + ".forward returned an undefined tensor as output " +
                       std::to_string(k));
    }
    // An output must be a tensor of its own: an input returned as it is, or a tensor returned
    // twice, is copied, so that the node does not take over a tensor that others hold.
    const TensorImpl* t = tg::detail::impl_of(outputs[k]);
    bool shared = t->requires_grad || t->tape != nullptr;
    for (const Tensor& a : in.args.tensors) shared = shared || tg::detail::impl_of(a) == t;
    for (std::size_t j = 0; j < k; ++j) shared = shared || tg::detail::impl_of(outputs[j]) == t;
    if (shared) {
      const bool non_differentiable =
          std::find(in.non_differentiable.begin(), in.non_differentiable.end(), t) != in.non_differentiable.end();
      outputs[k] = outputs[k].detach();
      if (non_differentiable) in.non_differentiable.push_back(tg::detail::impl_of(outputs[k]));
    }
  }
  const bool any_grad = std::find(in.needs_grad.begin(), in.needs_grad.end(), true) != in.needs_grad.end();
  if (!any_grad) return outputs;

  auto differentiable = [&](const Tensor& t) {
    return std::find(in.non_differentiable.begin(), in.non_differentiable.end(), tg::detail::impl_of(t)) ==
           in.non_differentiable.end();
  };
  std::vector<TensorImpl*> inputs;
  for (const Tensor& t : in.args.tensors)
    if (t.defined()) inputs.push_back(tg::detail::impl_of(t));

  // Saved tensors: outputs are referred to by position (holding them would keep them alive
  // through their own node); anything else is held, with its version.
  for (const Tensor& t : in.to_save) {
    Internals::Saved s;
    for (std::size_t k = 0; k < outputs.size(); ++k)
      if (t.defined() && tg::detail::impl_of(outputs[k]) == tg::detail::impl_of(t)) s.output = static_cast<int>(k);
    if (s.output < 0) {
      s.tensor = t;
      if (t.defined()) s.version = tg::detail::impl_of(t)->version;
    } else {
      s.version = tg::detail::impl_of(t)->version;
    }
    in.saved.push_back(std::move(s));
  }
  in.to_save.clear();
  for (const Tensor& t : outputs) in.output_shapes.push_back(t.shape());

  const int16_t code = grad_fn_code(in.name);
  if (outputs.size() == 1) {
    if (!differentiable(outputs[0])) return outputs;
    TensorImpl* out = tg::detail::impl_of(outputs[0]);
    Node& node = Engine::record(OpCode::custom_function, out, inputs.data(), inputs.size());
    node.arg[0] = reinterpret_cast<int64_t>(state.release());
    out->grad_fn = code;
    return outputs;
  }

  in.packed = true;
  int64_t total = 0;
  for (const Tensor& t : outputs) {
    in.output_offsets.push_back(total);
    total += t.numel();
  }
  TensorImpl* packed = new_impl(Shape{total});
  for (std::size_t k = 0; k < outputs.size(); ++k)
    std::copy(outputs[k].data(), outputs[k].data() + outputs[k].numel(), packed->data + in.output_offsets[k]);
  const Tensor packed_handle = tg::detail::adopt(packed);
  Node& node = Engine::record(OpCode::custom_function, packed, inputs.data(), inputs.size());
  FunctionState* raw = state.release();
  node.arg[0] = reinterpret_cast<int64_t>(raw);
  packed->grad_fn = code;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (!differentiable(outputs[k])) continue;
    TensorImpl* out = tg::detail::impl_of(outputs[k]);
    Node& part = Engine::record(OpCode::function_output, out, {packed});
    part.arg[0] = raw->internals_->output_offsets[k];
    part.arg[1] = static_cast<int64_t>(k);
    out->grad_fn = code;
  }
  return outputs;
}

}  // namespace detail
}  // namespace tg::autograd

namespace tg::detail {

using autograd::variable_list;
using autograd::detail::FunctionState;

// ---- the derivative rules --------------------------------------------------------------------
namespace {

FunctionState* state_of(const Node& node) { return reinterpret_cast<FunctionState*>(node.arg[0]); }

// Adds `grad` to input k's gradient, summing it down to the input's shape if the input
// broadcasts to it.
void add_gradient(BackwardContext& c, const char* name, std::size_t position, std::size_t k,
                  const Tensor& grad) {
  double* gx = c.grad_in(k);
  if (!gx) return;
  const TensorImpl* x = c.input(k);
  const TensorImpl* g = tg::detail::impl_of(grad);
  if (g->shape == x->shape) {
    for (int64_t e = 0; e < x->numel; ++e) gx[e] += g->data[e];
    return;
  }
  BroadcastPlan p;
  try {
    p = plan_broadcast_to(name, x->shape, g->shape);
  } catch (const ShapeError&) {
    throw ShapeError(std::string(name) + ".backward returned a gradient of shape " + g->shape.str() +
                     " for input " + std::to_string(position) + " of shape " + x->shape.str());
  }
  for_each_broadcast(p, [&](int64_t o, int64_t, int64_t i, int64_t) { gx[i] += g->data[o]; });
}

}  // namespace

namespace {

// Calls the function's backward() on the gradients of its outputs and checks what comes back:
// one entry per forward() argument (trailing undefined extras dropped).
variable_list call_backward(FunctionState* state, const TensorImpl* node_output, variable_list grad_outputs) {
  FunctionState::Internals& in = state->internals();
  const char* name = in.name;
  in.node_output = node_output;
  variable_list grads;
  try {
    grads = in.backward(state->context(), std::move(grad_outputs));
  } catch (...) {
    in.node_output = nullptr;
    throw;
  }
  in.node_output = nullptr;

  const std::size_t expected = in.args.position.size();
  if (grads.size() > expected) {
    for (std::size_t i = expected; i < grads.size(); ++i) {
      if (grads[i].defined()) {
        throw AutogradError(std::string(name) + ".backward returned " + std::to_string(grads.size()) +
                            " gradients, but forward() took " + std::to_string(expected) +
                            " inputs (extra entries must be undefined tensors)");
      }
    }
    grads.resize(expected);
  }
  if (grads.size() != expected) {
    throw AutogradError(std::string(name) + ".backward returned " + std::to_string(grads.size()) +
                        " gradient" + (grads.size() == 1 ? "" : "s") + ", but forward() took " +
                        std::to_string(expected) + " input" + (expected == 1 ? "" : "s") +
                        ": return one per input, an undefined Tensor where there is none");
  }
  for (std::size_t i = 0; i < expected; ++i) {
    if (in.args.position[i] < 0 && grads[i].defined()) {
      throw AutogradError(std::string(name) + ".backward returned a gradient for input " + std::to_string(i) +
                          ", which is not a tensor; return an undefined Tensor there");
    }
  }
  return grads;
}

// Calls add(argument position, node input, gradient) for each gradient an input takes (the
// node's inputs are the defined tensor arguments, in order).
template <class Add>
void for_each_input_gradient(const FunctionState::Internals& in, const variable_list& grads, Add add) {
  std::size_t node_input = 0;
  for (std::size_t i = 0; i < grads.size(); ++i) {
    const int k = in.args.position[i];
    if (k < 0 || !in.args.tensors[static_cast<std::size_t>(k)].defined()) continue;
    const std::size_t slot = node_input++;
    if (grads[i].defined() && in.needs_grad[static_cast<std::size_t>(k)]) add(i, slot, grads[i]);
  }
}

}  // namespace

void custom_function_backward(BackwardContext& c) {
  FunctionState* state = state_of(c.node());
  FunctionState::Internals& in = state->internals();
  variable_list grad_outputs;
  for (std::size_t k = 0; k < in.output_shapes.size(); ++k) {
    TensorImpl* g = new_impl(in.output_shapes[k]);
    const double* from = c.grad_out() + (in.packed ? in.output_offsets[k] : 0);
    std::copy(from, from + g->numel, g->data);
    grad_outputs.push_back(tg::detail::adopt(g));
  }
  variable_list grads;
  {
    NoGradGuard no_grad;
    grads = call_backward(state, c.out(), std::move(grad_outputs));
  }
  for_each_input_gradient(in, grads, [&](std::size_t position, std::size_t slot, const Tensor& g) {
    add_gradient(c, in.name, position, slot, g);
  });
}

// Under create_graph backward() runs with recording on, so that what it computes with tapegrad
// operations can be differentiated again. A nonzero gradient that depends on no tensor that
// requires grad, although backward() was given one (the gradient of an output, or a saved
// tensor), was computed off the tape: it is recorded through a not_differentiable node, which
// refuses to be differentiated, naming the function.
void custom_function_backward_graph(GraphContext& c) {
  FunctionState* state = state_of(c.node());
  FunctionState::Internals& in = state->internals();
  variable_list grad_outputs;
  if (!in.packed) {
    grad_outputs.push_back(c.grad_out());
  } else {
    for (std::size_t k = 0; k < in.output_shapes.size(); ++k) {
      const Shape& shape = in.output_shapes[k];
      grad_outputs.push_back(tg::reshape(tg::narrow(c.grad_out(), 0, in.output_offsets[k], shape.numel()),
                                         shape.to_vector()));
    }
  }
  Tensor given;  // a tensor requiring grad that backward() was given, if any
  if (is_grad_enabled()) {
    if (c.grad_out().requires_grad()) given = c.grad_out();
    for (const FunctionState::Internals::Saved& saved : in.saved) {
      if (given.defined()) break;
      if (saved.output >= 0) given = c.output();
      else if (saved.tensor.defined() && saved.tensor.requires_grad()) given = saved.tensor;
    }
  }
  variable_list grads = call_backward(state, impl_of(c.output()), std::move(grad_outputs));
  for_each_input_gradient(in, grads, [&](std::size_t position, std::size_t slot, Tensor g) {
    if (given.defined() && !g.requires_grad()) {
      const double* d = g.data();
      if (std::any_of(d, d + g.numel(), [](double v) { return v != 0.0; })) {
        g = not_differentiable(g, given, in.name, position);
      }
    }
    try {
      c.add_broadcast_grad(slot, g);
    } catch (const ShapeError&) {
      throw ShapeError(std::string(in.name) + ".backward returned a gradient of shape " + g.shape().str() +
                       " for input " + std::to_string(position) + " of shape " + c.input(slot).shape().str());
    }
  });
}

// function_output: arg[0] = offset of this output in the packed output.
void function_output_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  if (!gx) return;
  const double* g = c.grad_out();
  double* to = gx + c.node().arg[0];
  for (int64_t e = 0; e < c.out()->numel; ++e) to[e] += g[e];
}

void function_output_backward_graph(GraphContext& c) {
  const int64_t offset = c.node().arg[0], n = c.output().numel();
  std::vector<int64_t> flat(static_cast<std::size_t>(n));
  for (int64_t e = 0; e < n; ++e) flat[static_cast<std::size_t>(e)] = offset + e;
  c.add_grad(0, scatter_add(tg::reshape(c.grad_out(), {-1}), flat, c.input(0).shape()));
}

// not_differentiable: arg[0] = the function's name, arg[1] = the input position.
namespace {
[[noreturn]] void refuse_second_derivative(const Node& node) {
  const char* name = reinterpret_cast<const char*>(node.arg[0]);
  throw AutogradError(std::string(name) + ".backward is not differentiable: the gradient it returned for input " +
                      std::to_string(node.arg[1]) +
                      " depends on no tensor that requires grad although it was given some (it was computed "
                      "from raw values, or under NoGradGuard), so it cannot be differentiated again; write backward() with tapegrad operations to take second "
                      "derivatives through " + name);
}
}  // namespace

void not_differentiable_backward(BackwardContext& c) { refuse_second_derivative(c.node()); }
void not_differentiable_backward_graph(GraphContext& c) { refuse_second_derivative(c.node()); }

Tensor not_differentiable(const Tensor& g, const Tensor& depends_on, const char* name, std::size_t position) {
  TensorImpl* out = new_impl(g.shape());
  std::copy(g.data(), g.data() + g.numel(), out->data);
  Node& node = Engine::record(OpCode::not_differentiable, out, {impl_of(depends_on)});
  node.arg[0] = reinterpret_cast<int64_t>(name);
  node.arg[1] = static_cast<int64_t>(position);
  return adopt(out);
}

void free_function_state(Node& node) {
  FunctionState* state = state_of(node);
  node.arg[0] = 0;
  delete state;
}

const char* grad_fn_name(int16_t grad_fn) {
  const auto index = static_cast<std::size_t>(grad_fn);
  if (index < static_cast<std::size_t>(OpCode::count)) return op_info(static_cast<OpCode>(grad_fn)).name;
  return autograd::detail::interned_function_name(index - static_cast<std::size_t>(OpCode::count));
}

const char* node_name(const Node& node) {
  if (node.op == OpCode::custom_function && node.arg[0] != 0) return state_of(node)->internals().name;
  return op_info(node.op).name;
}

}  // namespace tg::detail
