// The tape's life cycle: recording nodes, the reverse sweep of backward(), and releasing
// what a sweep consumed so that memory stays flat over any number of training steps.
#include "core/engine.hpp"

#include "autograd/hooks.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

#include "tapegrad/error.hpp"

namespace tg {

namespace {
std::atomic<bool> g_anomaly{false};

// Owns the calling thread's tape and deletes it when the thread ends.
struct TapeOwner {
  ~TapeOwner() {
    delete detail::t_tape;
    detail::t_tape = nullptr;
  }
};
thread_local TapeOwner t_tape_owner;

// Zeroes a gradient buffer; a plain loop for the common tiny ones (std::fill would call memset).
inline void zero(double* p, int64_t n) {
  if (n <= detail::kInlineCapacity) {
    for (int64_t i = 0; i < n; ++i) p[i] = 0.0;
  } else {
    std::fill(p, p + n, 0.0);
  }
}

bool all_finite(const detail::TensorImpl* t) {
  for (int64_t e = 0; e < t->numel; ++e)
    if (!std::isfinite(t->data[e])) return false;
  return true;
}

}  // namespace

std::string detail::describe_node(const detail::Node& n, std::size_t index) {
  return "'" + std::string(detail::node_name(n)) + "' (node #" + std::to_string(index) +
         ", output shape " + (n.out ? n.out->shape.str() : std::string("?")) + ")";
}

// The first node up to `last` whose output value holds a NaN or Inf, i.e. the operation of the
// forward pass that made it ("" if every recorded value is finite).
std::string detail::first_non_finite_value(const std::vector<detail::Node>& nodes, std::size_t last) {
  for (std::size_t j = 0; j <= last && j < nodes.size(); ++j) {
    const detail::Node& n = nodes[j];
    if (n.alive && n.out && !all_finite(n.out)) {
      return "; the first NaN or Inf of the forward pass is the output of " + describe_node(n, j);
    }
  }
  return "";
}

bool is_grad_enabled() { return detail::t_grad_enabled; }
void set_grad_enabled(bool enabled) { detail::t_grad_enabled = enabled; }
void set_detect_anomaly(bool enabled) { g_anomaly.store(enabled, std::memory_order_relaxed); }
bool is_anomaly_enabled() { return g_anomaly.load(std::memory_order_relaxed); }

Tape::Tape() = default;

Tape::~Tape() {
  // Tensors that outlive the tape keep their values; they only lose their link to it.
  for (auto& n : nodes_) {
    if (n.alive && n.out) {
      n.out->tape = nullptr;
      n.out->node = -1;
      n.out->graph_released = true;
    }
  }
  // Then what the nodes hold: freeing it cannot reach back into the tape any more.
  for (auto& n : nodes_) detail::free_node_payload(n);
  for (auto& in : inputs_) {
    detail::TensorImpl* t = in.tensor;
    in.tensor = nullptr;
    detail::release(t);
  }
}

Tape& Tape::current() { return detail::Engine::tape(); }

std::size_t Tape::size() const { return live_; }

TapeStats Tape::stats() const {
  return {live_, nodes_.size(), nodes_.capacity(), grad_arena_.size()};
}

namespace detail {

Tape& Engine::create_tape() {
  (void)&t_tape_owner;  // registers the owner, whose destructor frees the tape at thread exit
  t_tape = new Tape;
  return *t_tape;
}

Node& Engine::record(OpCode op, TensorImpl* out, std::initializer_list<TensorImpl*> inputs) {
  return record(op, out, inputs.begin(), inputs.size());
}

Node& Engine::record(OpCode op, TensorImpl* out, TensorImpl* const* inputs, std::size_t n) {
  Tape& tp = tape();
  const std::size_t index = tp.nodes_.size();
  Node& node = tp.nodes_.emplace_back(Node{.op = op,
                                           .alive = true,
                                           .has_grad = false,
                                           .num_inputs = static_cast<uint32_t>(n),
                                           .out = out,
                                           .input_begin = tp.inputs_.size(),
                                           .aux_begin = tp.aux_.size(),
                                           .grad_offset = tp.grad_top_,
                                           .scalar = {0.0, 0.0},
                                           .arg = {0, 0}});
  tp.grad_top_ += static_cast<std::size_t>(out->numel);
  for (std::size_t k = 0; k < n; ++k) {
    retain(inputs[k]);
    tp.inputs_.push_back({inputs[k], inputs[k]->version});
  }
  out->requires_grad = true;
  out->grad_fn = static_cast<int16_t>(op);
  out->tape = &tp;
  out->node = static_cast<int64_t>(index);
  ++tp.live_;
  return node;
}

int64_t* Engine::add_aux(Node& node, std::size_t count) {
  Tape& tp = tape();
  tp.aux_.resize(node.aux_begin + count);
  return tp.aux_.data() + node.aux_begin;
}

// Marks a node as finished: its output forgets the tape, and its inputs are let go
// (immediately, or after the running backward() sweep).
void Engine::release_node(Tape& tp, std::size_t index) {
  Node& n = tp.nodes_[index];
  if (!n.alive) return;
  n.alive = false;
  --tp.live_;
  if (n.out) {
    n.out->tape = nullptr;
    n.out->node = -1;
    n.out->graph_released = true;
    n.out = nullptr;
  }
  free_node_payload(n);
}

void Engine::output_destroyed(TensorImpl* out) {
  Tape& tp = *out->tape;
  Node& n = tp.nodes_[static_cast<std::size_t>(out->node)];
  n.out = nullptr;
  if (n.alive) {
    n.alive = false;
    --tp.live_;
  }
  out->tape = nullptr;
  free_node_payload(n);
  pop_dead_nodes(tp);
}

// Drops the inputs of dead nodes at the top of the tape, and the nodes themselves. A loop,
// not a recursion: freeing an input can kill the node below, which the loop then pops.
void Engine::pop_dead_nodes(Tape& tp) {
  if (tp.popping_ || tp.in_backward_) return;
  tp.popping_ = true;
  while (!tp.nodes_.empty() && !tp.nodes_.back().alive) {
    Node& n = tp.nodes_.back();
    free_node_payload(n);
    const std::size_t begin = n.input_begin, count = n.num_inputs;
    tp.aux_.resize(n.aux_begin);
    tp.grad_top_ = n.grad_offset;
    tp.nodes_.pop_back();
    for (std::size_t k = begin; k < begin + count; ++k) {
      TensorImpl* t = tp.inputs_[k].tensor;
      tp.inputs_[k].tensor = nullptr;
      release(t);  // may end the producer's node, which this loop then pops
    }
    tp.inputs_.resize(begin);
  }
  tp.popping_ = false;
}

double* Engine::grad_buffer(Tape& tp, TensorImpl* input, const Node& consumer) {
  if (input->tape == &tp) {
    Node& producer = tp.nodes_[static_cast<std::size_t>(input->node)];
    double* slot = tp.grad_arena_.data() + producer.grad_offset;
    if (!producer.has_grad) {
      zero(slot, input->numel);
      producer.has_grad = true;
    }
    return slot;
  }
  if (!input->requires_grad) return nullptr;
  if (input->tape) {
    throw AutogradError("backward(): an input of '" + std::string(node_name(consumer)) +
                        "' was recorded on another thread's tape; a graph must be built and "
                        "back-propagated on one thread");
  }
  if (input->graph_released) {
    throw AutogradError(
        "backward(): an input of '" + std::string(node_name(consumer)) +
        "' (shape " + input->shape.str() +
        ") comes from a graph that an earlier backward() already released; pass "
        "retain_graph = true to the earlier backward() to go through it twice");
  }
  if (input->hooks) [[unlikely]] return pending_leaf_grad(tp, input);
  // A leaf: gradients accumulate in its grad() across backward() calls.
  if (!input->grad) {
    input->grad = new_impl(input->shape);
    zero(input->grad->data, input->numel);
  }
  return input->grad->data;
}

void throw_modified_input(const std::vector<InputRef>& inputs, const Node& n, std::size_t index, std::size_t k) {
  const InputRef& in = inputs[n.input_begin + k];
  throw AutogradError("backward(): input " + std::to_string(k) + " (shape " + in.tensor->shape.str() + ") of " +
                      describe_node(n, index) + " was modified in place after it was recorded (version " +
                      std::to_string(in.version) + " -> " + std::to_string(in.tensor->version) +
                      "); its gradient would be wrong. Modify a copy instead.");
}

void throw_modified_output(const Node& n, std::size_t index) {
  throw AutogradError("backward(): the output of " + describe_node(n, index) +
                      " was modified in place after it was recorded; its gradient would be "
                      "wrong. Modify a copy instead.");
}

// A hooked leaf gathers its gradient apart until the sweep ends (finish_pending_leaf_grads).
double* Engine::pending_leaf_grad(Tape& tp, TensorImpl* leaf) {
  for (PendingLeafGrad& p : tp.pending_leaf_grads_)
    if (p.leaf == leaf) return p.grad.data();
  retain(leaf);
  tp.pending_leaf_grads_.push_back({leaf, std::vector<double>(static_cast<std::size_t>(leaf->numel), 0.0)});
  return tp.pending_leaf_grads_.back().grad.data();
}

void Engine::add_to_leaf_grad(TensorImpl* leaf, const double* g) {
  if (!leaf->grad) {
    leaf->grad = new_impl(leaf->shape);
    zero(leaf->grad->data, leaf->numel);
  }
  for (int64_t e = 0; e < leaf->numel; ++e) leaf->grad->data[e] += g[e];
}

// Runs the hooks of the leaves that gathered a gradient, then adds it to their grad(); or,
// after an error, only lets them go.
void Engine::finish_pending_leaf_grads(Tape& tp, bool apply) {
  std::vector<PendingLeafGrad> pending;
  pending.swap(tp.pending_leaf_grads_);
  try {
    for (PendingLeafGrad& p : pending) {
      if (!apply) continue;
      run_hooks(p.leaf, p.grad.data());
      add_to_leaf_grad(p.leaf, p.grad.data());
    }
  } catch (...) {
    for (PendingLeafGrad& p : pending) release(p.leaf);
    throw;
  }
  for (PendingLeafGrad& p : pending) release(p.leaf);
}

const double* Engine::find_grad(Tape& tp, TensorImpl* t) {
  if (t->tape == &tp) {
    const Node& p = tp.nodes_[static_cast<std::size_t>(t->node)];
    return p.has_grad ? tp.grad_arena_.data() + p.grad_offset : nullptr;
  }
  if (t->hooks) {
    for (const PendingLeafGrad& p : tp.pending_leaf_grads_)
      if (p.leaf == t) return p.grad.data();
  }
  return (t->requires_grad && t->grad) ? t->grad->data : nullptr;
}

void Engine::backward(TensorImpl* root, const double* seed, bool retain_graph) {
  Tape& tp = tape();
  if (!root->requires_grad) {
    throw AutogradError("backward(): the tensor (shape " + root->shape.str() +
                        ") does not require grad: no tensor it was computed from has "
                        "requires_grad set, or it was computed under NoGradGuard");
  }
  if (tp.in_backward_) throw AutogradError("backward(): called from inside another backward()");

  if (root->grad_fn < 0) {  // a leaf: its gradient is the seed itself
    std::vector<double> g(static_cast<std::size_t>(root->numel), 1.0);
    if (seed) std::copy(seed, seed + root->numel, g.begin());
    if (root->hooks) run_hooks(root, g.data());
    add_to_leaf_grad(root, g.data());
    return;
  }
  if (root->graph_released) {
    throw AutogradError("backward(): the graph of this tensor (shape " + root->shape.str() +
                        ") was already released by an earlier backward(); pass "
                        "retain_graph = true to the earlier backward() to go through it "
                        "twice");
  }
  if (root->tape != &tp) {
    throw AutogradError("backward(): the tensor was recorded on another thread's tape; a graph "
                        "must be built and back-propagated on one thread");
  }

  const auto root_index = static_cast<std::size_t>(root->node);
  // Checked before anything on the tape changes, so that the graph stays usable.
  const bool anomaly = is_anomaly_enabled();
  if (anomaly && seed) {
    for (int64_t i = 0; i < root->numel; ++i)
      if (!std::isfinite(seed[i])) throw AnomalyError("backward(): the given gradient contains NaN or Inf");
  }
  if (anomaly && !all_finite(root)) {
    throw AnomalyError("backward(): the tensor to differentiate (shape " + root->shape.str() +
                       ") holds NaN or Inf" + first_non_finite_value(tp.nodes_, root_index));
  }
  if (tp.grad_arena_.size() < tp.grad_top_) tp.grad_arena_.resize(tp.grad_top_);
  {
    Node& rn = tp.nodes_[root_index];
    double* slot = tp.grad_arena_.data() + rn.grad_offset;
    for (int64_t i = 0; i < root->numel; ++i) slot[i] = seed ? seed[i] : 1.0;
    rn.has_grad = true;
  }

  tp.in_backward_ = true;
  std::size_t i = root_index + 1;
  try {
    while (i-- > 0) {
      Node& n = tp.nodes_[i];
      if (!n.has_grad) continue;
      n.has_grad = false;
      check_versions(tp.inputs_, n, i);
      double* g = tp.grad_arena_.data() + n.grad_offset;
      if (n.out->hooks) [[unlikely]] run_hooks(n.out, g);
      BackwardContext ctx(tp, n, tp.inputs_.data() + n.input_begin, tp.aux_.data() + n.aux_begin,
                          g);
      op_info(n.op).backward(ctx);

      if (anomaly) {
        for (std::size_t k = 0; k < n.num_inputs; ++k) {
          TensorImpl* in = tp.inputs_[n.input_begin + k].tensor;
          const double* gi = find_grad(tp, in);
          if (!gi) continue;
          for (int64_t e = 0; e < in->numel; ++e) {
            if (!std::isfinite(gi[e])) {
              throw AnomalyError("backward(): the derivative of " + describe_node(n, i) +
                                 " produced " + (std::isnan(gi[e]) ? "NaN" : "Inf") +
                                 " in the gradient of its input " + std::to_string(k) +
                                 " (shape " + in->shape.str() + ", element " +
                                 std::to_string(e) + ")" + first_non_finite_value(tp.nodes_, i));
            }
          }
        }
      }
      if (n.out->retains_grad) {
        TensorImpl* out = n.out;
        if (!out->grad) {
          out->grad = new_impl(out->shape);
          zero(out->grad->data, out->numel);
        }
        for (int64_t e = 0; e < out->numel; ++e) out->grad->data[e] += g[e];
      }
      if (!retain_graph) release_node(tp, i);
    }
    if (!tp.pending_leaf_grads_.empty()) finish_pending_leaf_grads(tp, true);
  } catch (...) {
    for (std::size_t j = 0; j <= i && j < tp.nodes_.size(); ++j) tp.nodes_[j].has_grad = false;
    finish_pending_leaf_grads(tp, false);
    tp.in_backward_ = false;
    pop_dead_nodes(tp);
    throw;
  }
  tp.in_backward_ = false;
  pop_dead_nodes(tp);
}

}  // namespace detail
}  // namespace tg
