// Internal: how operations are recorded on the tape and how backward() sweeps it.
//
// A node is a plain struct in one flat array (Tape::nodes_), appended in execution order, so
// the array is already a topological order and backward() is a reverse loop. A node names its
// operation by an OpCode; the derivative rule is found in a table indexed by that code
// (op_table.cpp), so recording allocates nothing and calls nothing virtual. The arrays are
// kept between steps: once a step's nodes are released their slots are reused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "ops/op_list.hpp"
#include "tapegrad/detail/tensor_impl.hpp"
#include "tapegrad/tape.hpp"
#include "tapegrad/tensor.hpp"
#include "core/tensor_access.hpp"

namespace tg::detail {

// The recorded operations, in the order of the lists in ops/op_list.hpp.
enum class OpCode : uint8_t {
#define TAPEGRAD_OP_CODE(NAME, ...) NAME,
  TAPEGRAD_UNARY_OPS(TAPEGRAD_OP_CODE)
  TAPEGRAD_BINARY_OPS(TAPEGRAD_OP_CODE)
  TAPEGRAD_OTHER_OPS(TAPEGRAD_OP_CODE)
#undef TAPEGRAD_OP_CODE
  count
};

struct InputRef {
  TensorImpl* tensor;  // owning reference
  uint32_t version;    // the tensor's version when the node was recorded
};

struct Node {
  OpCode op;
  bool alive;          // false once released, or once nothing can use its output any more
  bool has_grad;       // its output received a gradient in the running backward()
  uint32_t num_inputs;
  TensorImpl* out;     // not owning: the output keeps the node, not the other way round
  std::size_t input_begin;   // into Tape::inputs_
  std::size_t aux_begin;     // into Tape::aux_
  std::size_t grad_offset;   // into Tape::grad_arena_ (out->numel doubles)
  double scalar[2];          // scalar arguments (exponent, slope, bounds, ...)
  int64_t arg[2];            // integer arguments (axis, keepdims, index, ...)
};

class BackwardContext;
using BackwardRule = void (*)(BackwardContext&);
class GraphContext;
/// A derivative rule written with tapegrad operations, so that backward(create_graph = true)
/// records it and the gradient can be differentiated again.
using GraphRule = void (*)(GraphContext&);

/// What a derivative rule reads, so that in-place changes to it since recording are errors.
enum Reads : uint8_t { reads_nothing = 0, reads_inputs = 1, reads_output = 2, reads_both = 3 };

struct OpInfo {
  const char* name;
  BackwardRule backward;
  GraphRule graph_backward;
  bool reads_inputs;   // the rule reads input values
  bool reads_output;   // the rule reads the output value
};

// The derivative rules of the operations that are not elementwise, each defined next to its
// operation: on numbers, and written with tapegrad operations.
#define TAPEGRAD_DECLARE_RULE(NAME, RULE, READS) \
  void RULE(BackwardContext&);                   \
  void RULE##_graph(GraphContext&);
TAPEGRAD_OTHER_OPS(TAPEGRAD_DECLARE_RULE)
#undef TAPEGRAD_DECLARE_RULE

/// The table of operations, indexed by OpCode (op_table.cpp).
extern const OpInfo kOpTable[];
inline const OpInfo& op_info(OpCode op) { return kOpTable[static_cast<std::size_t>(op)]; }

/// The name of a node's operation: the table's, or a custom function's own ("Softsign").
const char* node_name(const Node& node);
/// The name behind TensorImpl::grad_fn.
const char* grad_fn_name(int16_t grad_fn);
/// Frees what a custom function's node keeps (its context and saved tensors), once the node
/// can no longer be used (autograd/function.cpp).
void free_function_state(Node& node);

/// What a node keeps besides its inputs: only custom functions keep anything.
inline void free_node_payload(Node& node) {
  if (node.op == OpCode::custom_function && node.arg[0] != 0) [[unlikely]]
    free_function_state(node);
}

inline thread_local bool t_grad_enabled = true;
inline thread_local Tape* t_tape = nullptr;  // the calling thread's tape, once it has one

/// True when an operation on these inputs must be recorded.
inline bool should_record(const TensorImpl* a) { return t_grad_enabled && a->requires_grad; }
inline bool should_record(const TensorImpl* a, const TensorImpl* b) {
  return t_grad_enabled && (a->requires_grad || b->requires_grad);
}

class Engine {
 public:
  /// The calling thread's tape, created on first use and destroyed when the thread ends.
  static Tape& tape() {
    if (t_tape) [[likely]]
      return *t_tape;
    return create_tape();
  }

  /// Appends a node that made `out` from `inputs`; `out` becomes a non-leaf requiring grad.
  static Node& record(OpCode op, TensorImpl* out, std::initializer_list<TensorImpl*> inputs);
  static Node& record(OpCode op, TensorImpl* out, TensorImpl* const* inputs, std::size_t n);
  /// Extra integer arguments of the node just recorded (its aux area).
  static int64_t* add_aux(Node& node, std::size_t count);

  /// Called when a tensor that a node produced is freed.
  static void output_destroyed(TensorImpl* out);

  /// Reverse sweep from `root`, seeded with `seed` (root->numel values; nullptr = ones).
  static void backward(TensorImpl* root, const double* seed, bool retain_graph);
  /// Reverse sweep through the derivative rules written with tapegrad operations
  /// (graph_backward.cpp): what backward(create_graph = true) and autograd::grad run.
  static void graph_backward(struct GraphSweep& sweep);

 private:
  friend class BackwardContext;
  static Tape& create_tape();
  static void release_node(Tape& tape, std::size_t index);
  static void pop_dead_nodes(Tape& tape);
  static double* grad_buffer(Tape& tape, TensorImpl* input, const Node& consumer);
  /// The gradient accumulated so far for `t` in the running backward(), or nullptr.
  static const double* find_grad(Tape& tape, TensorImpl* t);
  static double* pending_leaf_grad(Tape& tape, TensorImpl* leaf);
  static void finish_pending_leaf_grads(Tape& tape, bool apply);
  static void add_to_leaf_grad(TensorImpl* leaf, const double* g);
};

/// "'mul' (node #3, output shape (2, 3))", for error messages.
std::string describe_node(const Node& n, std::size_t index);
[[noreturn, gnu::cold, gnu::noinline]] void throw_modified_input(const std::vector<InputRef>& inputs, const Node& n,
                                                                  std::size_t index, std::size_t k);
[[noreturn, gnu::cold, gnu::noinline]] void throw_modified_output(const Node& n, std::size_t index);
/// Throws AutogradError if what node `index` reads was modified in place since recording.
inline void check_versions(const std::vector<InputRef>& inputs, const Node& n, std::size_t index) {
  const OpInfo& info = op_info(n.op);
  if (info.reads_inputs) {
    for (std::size_t k = 0; k < n.num_inputs; ++k) {
      const InputRef& in = inputs[n.input_begin + k];
      if (in.tensor->version != in.version) [[unlikely]] throw_modified_input(inputs, n, index, k);
    }
  }
  if (info.reads_output && n.out->version != 0) [[unlikely]] throw_modified_output(n, index);
}
/// For anomaly reports: "; the first NaN or Inf of the forward pass is the output of ..." for
/// the first node up to `last` whose value is not finite, or "".
std::string first_non_finite_value(const std::vector<Node>& nodes, std::size_t last);

/// What a derivative rule sees: the node, the gradient of its output, and where to
/// accumulate the gradients of its inputs.
class BackwardContext {
 public:
  BackwardContext(Tape& tape, const Node& node, const InputRef* inputs, const int64_t* aux,
                  const double* grad_out)
      : tape_(tape), node_(node), inputs_(inputs), aux_(aux), grad_out_(grad_out) {}

  const Node& node() const { return node_; }
  const TensorImpl* out() const { return node_.out; }
  const double* grad_out() const { return grad_out_; }
  const TensorImpl* input(std::size_t k) const { return inputs_[k].tensor; }
  std::size_t num_inputs() const { return node_.num_inputs; }
  const int64_t* aux() const { return aux_; }

  /// Buffer to which input k's gradient is added (zeros on first use), or nullptr when
  /// input k needs no gradient.
  double* grad_in(std::size_t k) {
    return Engine::grad_buffer(tape_, inputs_[k].tensor, node_);
  }

 private:
  Tape& tape_;
  const Node& node_;
  const InputRef* inputs_;
  const int64_t* aux_;
  const double* grad_out_;
};

/// What a derivative rule written with tapegrad operations sees: the node, its inputs and
/// output as tensors (still connected to the graph that made them), the gradient of its
/// output, and the gradients it gives its inputs. Under create_graph the operations it runs
/// are recorded; otherwise they run under NoGradGuard.
class GraphContext {
 public:
  GraphContext(const Node& node, std::vector<Tensor> inputs, Tensor output, std::vector<int64_t> aux,
               Tensor grad_out)
      : node_(node), inputs_(std::move(inputs)), output_(std::move(output)), aux_(std::move(aux)),
        grad_out_(std::move(grad_out)), grads_(inputs_.size()) {}

  const Node& node() const { return node_; }
  const Tensor& output() const { return output_; }
  const Tensor& grad_out() const { return grad_out_; }
  const Tensor& input(std::size_t k) const { return inputs_[k]; }
  std::size_t num_inputs() const { return inputs_.size(); }
  const int64_t* aux() const { return aux_.data(); }
  std::size_t aux_size() const { return aux_.size(); }
  /// Whether input k takes a gradient (it requires grad).
  bool needs_grad(std::size_t k) const { return inputs_[k].requires_grad(); }
  /// Adds `g` (of input k's shape) to input k's gradient.
  void add_grad(std::size_t k, const Tensor& g);
  /// Adds `g` to input k's gradient, summed down to the input's shape when the input was
  /// broadcast to g's shape.
  void add_broadcast_grad(std::size_t k, const Tensor& g);
  std::vector<Tensor>& grads() { return grads_; }

 private:
  Node node_;
  std::vector<Tensor> inputs_;
  Tensor output_;
  std::vector<int64_t> aux_;
  Tensor grad_out_;
  std::vector<Tensor> grads_;
};

/// One reverse sweep through the graph rules (Engine::graph_backward).
struct GraphSweep {
  std::vector<Tensor> roots;   // the tensors differentiated
  std::vector<Tensor> seeds;   // the gradient of each, of its shape
  bool retain_graph = false;
  bool create_graph = false;
  /// When set (autograd::grad), the gradients of these tensors are returned in `captured`
  /// and no grad() is touched; otherwise leaves accumulate into grad() as in backward().
  const std::vector<Tensor>* capture = nullptr;
  std::vector<Tensor> captured;
};

/// backward(create_graph = true) from `root`, seeded with `gradient` (or ones).
void backward_create_graph(const Tensor& root, const Tensor& gradient, bool retain_graph);

/// The elements of x at the flat positions `flat`, as a tensor of `shape` (recorded as gather).
Tensor take(const Tensor& x, const std::vector<int64_t>& flat, const Shape& shape);
/// Zeros of `shape` with g's elements added at the flat positions `flat`: take's adjoint.
Tensor scatter_add(const Tensor& g, const std::vector<int64_t>& flat, const Shape& shape);

/// g's values, recorded as depending on `depends_on` through a node that refuses to be
/// differentiated: the gradient a custom function's backward() computed off the tape.
Tensor not_differentiable(const Tensor& g, const Tensor& depends_on, const char* name, std::size_t position);

/// The derivative of a sum over the axes in `reduced` (bit d for axis d) of a tensor of shape
/// `input`: g, with or without those axes kept, given them back as size 1 and broadcast to
/// `input`.
Tensor expand_reduced(const Tensor& g, const Shape& input, uint32_t reduced);

/// `g` summed over the axes along which a tensor of `shape` was broadcast to g's shape.
Tensor sum_to(const Tensor& g, const Shape& shape);

/// Output allocation and recording shorthands used by the operations.
inline Tensor make_result(TensorImpl* out) { return tg::detail::adopt(out); }
/// The impl of a defined tensor; throws ValueError naming `op` if it is undefined.
TensorImpl* checked_impl(const Tensor& t, const char* op);

}  // namespace tg::detail
