// The reverse sweep that runs the derivative rules written with tapegrad operations (the
// RULE_graph functions next to each operation). Under create_graph those operations are
// recorded on the tape like any others, after the nodes being differentiated, so the
// gradients it returns are themselves tensors with a graph: differentiating them again gives
// second (and higher) derivatives. Without create_graph the same sweep runs under
// NoGradGuard; autograd::grad uses it to return gradients without touching grad().
//
// The sweep mirrors Engine::backward: nodes in reverse order, each visited once its output's
// gradient is complete; gradients are tensors here instead of the arena's numbers.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/hooks.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg::detail {

namespace {

Tensor handle(TensorImpl* t) {
  retain(t);
  return adopt(t);
}

// slot += g, out of place: a gradient tensor may be shared by several slots (add gives its
// output's gradient to both inputs), so none is ever modified.
void accumulate(Tensor& slot, const Tensor& g) { slot = slot.defined() ? slot + g : g; }

struct LeafGrad {
  Tensor leaf;
  Tensor grad;
};

void accumulate_leaf(std::vector<LeafGrad>& leaves, TensorImpl* leaf, const Tensor& g) {
  for (LeafGrad& l : leaves) {
    if (impl_of(l.leaf) == leaf) {
      accumulate(l.grad, g);
      return;
    }
  }
  leaves.push_back({handle(leaf), g});
}

// What grad() of `t` becomes: a copy of g at first (recorded, under create_graph, so that
// it can be differentiated), then the sum with what it held.
void add_to_grad(TensorImpl* t, const Tensor& g) {
  Tensor sum = t->grad ? handle(t->grad) + g : g.clone();
  TensorImpl* old = t->grad;
  TensorImpl* fresh = impl_of(sum);
  retain(fresh);
  t->grad = fresh;
  release(old);
}

bool all_finite(const Tensor& t) {
  const double* d = t.data();
  for (int64_t e = 0; e < t.numel(); ++e)
    if (!std::isfinite(d[e])) return false;
  return true;
}

// Restores the grad mode however the sweep ends.
struct SweepGuard {
  bool previous_grad_mode;
  ~SweepGuard() { set_grad_enabled(previous_grad_mode); }
};

}  // namespace

Tensor sum_to(const Tensor& g, const Shape& shape) {
  const Shape& from = g.shape();
  if (from == shape) return g;
  const int lead = from.size() - shape.size();
  std::vector<int> axes;
  for (int d = 0; d < from.size(); ++d)
    if (d < lead || (shape[d - lead] == 1 && from[d] != 1)) axes.push_back(d);
  Tensor s = axes.empty() ? g : tg::sum(g, axes, /*keepdims=*/true);
  std::vector<int64_t> dims(shape.begin(), shape.end());
  return tg::reshape(s, dims);
}

Tensor expand_reduced(const Tensor& g, const Shape& input, uint32_t reduced) {
  Shape kept = input;
  for (int d = 0; d < kept.size(); ++d)
    if ((reduced >> d) & 1u) kept[d] = 1;
  return tg::broadcast_to(tg::reshape(g, kept.to_vector()), input);
}

void GraphContext::add_grad(std::size_t k, const Tensor& g) {
  if (g.shape() != inputs_[k].shape()) {
    throw AutogradError(std::string("backward(create_graph): the derivative of '") + node_name(node_) +
                        "' gave input " + std::to_string(k) + " (shape " + inputs_[k].shape().str() +
                        ") a gradient of shape " + g.shape().str());
  }
  accumulate(grads_[k], g);
}

void GraphContext::add_broadcast_grad(std::size_t k, const Tensor& g) { add_grad(k, sum_to(g, inputs_[k].shape())); }

void Engine::graph_backward(GraphSweep& sweep) {
  Tape& tp = tape();
  if (tp.in_backward_) throw AutogradError("backward(): called from inside another backward()");

  const bool anomaly = is_anomaly_enabled();
  std::vector<Tensor> node_grads;
  std::vector<LeafGrad> leaf_grads;
  std::size_t top = 0;
  bool any_node = false;
  for (std::size_t r = 0; r < sweep.roots.size(); ++r) {
    TensorImpl* root = impl_of(sweep.roots[r]);
    if (anomaly && !all_finite(sweep.seeds[r]))
      throw AnomalyError("backward(): the given gradient contains NaN or Inf");
    if (root->grad_fn < 0) continue;
    if (root->graph_released) {
      throw AutogradError("backward(): the graph of output " + std::to_string(r) + " (shape " +
                          root->shape.str() +
                          ") was already released by an earlier backward(); pass retain_graph = true "
                          "(or create_graph = true) to the earlier backward() to go through it twice");
    }
    if (root->tape != &tp) {
      throw AutogradError("backward(): the tensor was recorded on another thread's tape; a graph "
                          "must be built and back-propagated on one thread");
    }
    top = std::max(top, static_cast<std::size_t>(root->node));
    any_node = true;
  }
  if (any_node) node_grads.resize(top + 1);
  for (std::size_t r = 0; r < sweep.roots.size(); ++r) {
    TensorImpl* root = impl_of(sweep.roots[r]);
    if (root->grad_fn < 0) {
      accumulate_leaf(leaf_grads, root, sweep.seeds[r]);
    } else {
      if (anomaly && !all_finite(sweep.roots[r])) {
        throw AnomalyError("backward(): the tensor to differentiate (shape " + root->shape.str() +
                           ") holds NaN or Inf" +
                           first_non_finite_value(tp.nodes_, static_cast<std::size_t>(root->node)));
      }
      accumulate(node_grads[static_cast<std::size_t>(root->node)], sweep.seeds[r]);
    }
  }

  const std::vector<Tensor>* capture = sweep.capture;
  if (capture) sweep.captured.assign(capture->size(), Tensor());
  auto captured_at = [&](const TensorImpl* t) -> int {
    if (!capture) return -1;
    for (std::size_t k = 0; k < capture->size(); ++k)
      if (impl_of((*capture)[k]) == t) return static_cast<int>(k);
    return -1;
  };
  // Adds g to every place `t` is listed among the tensors to capture (it may be listed twice,
  // as in torch.autograd.grad(y, [x, x])).
  auto capture_grad = [&](const TensorImpl* t, const Tensor& g) {
    for (std::size_t k = 0; k < capture->size(); ++k)
      if (impl_of((*capture)[k]) == t) accumulate(sweep.captured[k], g);
  };

  // With tensors to capture, only the nodes from which one of them can be reached matter. An
  // input that requires grad but whose graph is not on this tape any more (released by an
  // earlier backward, or recorded on another thread) may have led to one: it counts as reaching,
  // so that the sweep stops at it with the error backward() gives rather than dropping what
  // flows through it.
  std::vector<bool> needed;
  if (capture) {
    needed.assign(node_grads.size(), false);
    for (std::size_t i = 0; i < node_grads.size(); ++i) {
      const Node& n = tp.nodes_[i];
      if (!n.alive || !n.out) continue;
      bool reaches = captured_at(n.out) >= 0;
      for (std::size_t k = 0; k < n.num_inputs && !reaches; ++k) {
        const TensorImpl* in = tp.inputs_[n.input_begin + k].tensor;
        reaches = in->tape == &tp ? (static_cast<std::size_t>(in->node) < i && needed[static_cast<std::size_t>(in->node)])
                                  : captured_at(in) >= 0 || (in->requires_grad && in->grad_fn >= 0);
      }
      needed[i] = reaches;
    }
  }

  SweepGuard guard{is_grad_enabled()};
  set_grad_enabled(sweep.create_graph);
  tp.in_backward_ = true;
  try {
    for (std::size_t i = node_grads.size(); i-- > 0;) {
      if (!node_grads[i].defined() || (capture && !needed[i])) continue;
      Tensor g = std::move(node_grads[i]);
      node_grads[i] = Tensor();
      // Copies: the operations run below append to the tape's arrays.
      const Node n = tp.nodes_[i];
      if (!n.alive || !n.out) continue;
      check_versions(tp.inputs_, n, i);
      Tensor out = handle(n.out);
      if (n.out->hooks) [[unlikely]] g = run_hooks(n.out, g);
      if (capture) capture_grad(n.out, g);
      if (!capture && n.out->retains_grad) add_to_grad(n.out, g);

      std::vector<Tensor> inputs;
      inputs.reserve(n.num_inputs);
      for (std::size_t k = 0; k < n.num_inputs; ++k) inputs.push_back(handle(tp.inputs_[n.input_begin + k].tensor));
      const std::size_t aux_end = i + 1 < tp.nodes_.size() ? tp.nodes_[i + 1].aux_begin : tp.aux_.size();
      std::vector<int64_t> aux(tp.aux_.begin() + static_cast<std::ptrdiff_t>(n.aux_begin),
                               tp.aux_.begin() + static_cast<std::ptrdiff_t>(std::max(aux_end, n.aux_begin)));
      GraphContext ctx(n, std::move(inputs), std::move(out), std::move(aux), std::move(g));
      op_info(n.op).graph_backward(ctx);

      for (std::size_t k = 0; k < n.num_inputs; ++k) {
        const Tensor& gk = ctx.grads()[k];
        if (!gk.defined()) continue;
        TensorImpl* in = impl_of(ctx.input(k));
        if (anomaly) {
          const double* d = gk.data();
          for (int64_t e = 0; e < gk.numel(); ++e) {
            if (!std::isfinite(d[e])) {
              throw AnomalyError("backward(): the derivative of " + describe_node(n, i) + " produced " +
                                 (std::isnan(d[e]) ? "NaN" : "Inf") + " in the gradient of its input " +
                                 std::to_string(k) + " (shape " + in->shape.str() + ", element " +
                                 std::to_string(e) + ")" + first_non_finite_value(tp.nodes_, i));
            }
          }
        }
        if (in->tape == &tp && static_cast<std::size_t>(in->node) < i) {
          accumulate(node_grads[static_cast<std::size_t>(in->node)], gk);
          continue;
        }
        if (!in->requires_grad) continue;
        // grad(): a tensor asked for takes its gradient here, wherever its own graph is.
        if (capture && captured_at(in) >= 0) {
          accumulate_leaf(leaf_grads, in, gk);
          continue;
        }
        if (in->tape) {
          throw AutogradError("backward(): an input of '" + std::string(node_name(n)) +
                              "' was recorded on another thread's tape; a graph must be built and "
                              "back-propagated on one thread");
        }
        if (in->graph_released) {
          throw AutogradError("backward(): an input of '" + std::string(node_name(n)) + "' (shape " +
                              in->shape.str() +
                              ") comes from a graph that an earlier backward() already released; pass "
                              "retain_graph = true (or create_graph = true) to the earlier backward() "
                              "to go through it twice");
        }
        // grad() of other tensors: a leaf not asked for takes nothing (and its hooks do not
        // run, as PyTorch does not reach its AccumulateGrad).
        if (capture) continue;
        accumulate_leaf(leaf_grads, in, gk);
      }
      if (!sweep.retain_graph) release_node(tp, i);
    }

    // Leaves: their hooks see the summed gradient, once, as in backward().
    for (LeafGrad& l : leaf_grads) {
      TensorImpl* leaf = impl_of(l.leaf);
      if (capture && captured_at(leaf) < 0) continue;  // a leaf output that grad() was not asked for
      if (leaf->hooks) l.grad = run_hooks(leaf, l.grad);
      if (capture) {
        capture_grad(leaf, l.grad);
      } else {
        add_to_grad(leaf, l.grad);
      }
    }
  } catch (...) {
    tp.in_backward_ = false;
    node_grads.clear();
    pop_dead_nodes(tp);
    throw;
  }
  tp.in_backward_ = false;
  node_grads.clear();
  pop_dead_nodes(tp);
}

}  // namespace tg::detail
