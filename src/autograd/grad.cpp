// tg::autograd::grad and backward(create_graph): the checks of what is asked, then one sweep
// of the derivative rules written with tapegrad operations (core/graph_backward.cpp).
#include "tapegrad/autograd/grad.hpp"

#include <string>

#include "core/engine.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"

namespace tg {

namespace {

// The gradient to start from for output r: the one given, or 1 for a one-element output.
Tensor seed_for(const char* api, const Tensor& output, const Tensor* given, std::size_t r) {
  if (given && given->defined()) {
    if (given->shape() != output.shape()) {
      throw ShapeError(std::string(api) + ": grad_outputs[" + std::to_string(r) + "] has shape " +
                       given->shape().str() + " but outputs[" + std::to_string(r) + "] has shape " +
                       output.shape().str());
    }
    return *given;
  }
  if (output.numel() != 1) {
    throw AutogradError(std::string(api) + ": outputs[" + std::to_string(r) + "] has shape " +
                        output.shape().str() +
                        "; a gradient can be implied only for a one-element output: pass grad_outputs");
  }
  return ones(output.shape());
}

}  // namespace

namespace autograd {

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  constexpr const char* api = "autograd::grad";
  if (outputs.empty()) throw ValueError(std::string(api) + ": no outputs given");
  if (inputs.empty()) throw ValueError(std::string(api) + ": no inputs given");
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size()) {
    throw ValueError(std::string(api) + ": " + std::to_string(grad_outputs.size()) + " grad_outputs for " +
                     std::to_string(outputs.size()) + " outputs");
  }
  tg::detail::GraphSweep sweep;
  for (std::size_t r = 0; r < outputs.size(); ++r) {
    const Tensor& y = outputs[r];
    if (!y.defined()) throw ValueError(std::string(api) + ": outputs[" + std::to_string(r) + "] is undefined");
    if (!y.requires_grad()) {
      throw AutogradError(std::string(api) + ": outputs[" + std::to_string(r) + "] (shape " + y.shape().str() +
                          ") does not require grad: it was not computed from a tensor that requires grad, "
                          "or it was computed under NoGradGuard");
    }
    sweep.roots.push_back(y);
    sweep.seeds.push_back(seed_for(api, y, grad_outputs.empty() ? nullptr : &grad_outputs[r], r));
  }
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Tensor& x = inputs[k];
    if (!x.defined()) throw ValueError(std::string(api) + ": inputs[" + std::to_string(k) + "] is undefined");
    if (!x.requires_grad()) {
      throw AutogradError(std::string(api) + ": inputs[" + std::to_string(k) + "] (shape " + x.shape().str() +
                          ") does not require grad, so nothing was recorded from it");
    }
  }
  sweep.retain_graph = retain_graph.value_or(create_graph);
  sweep.create_graph = create_graph;
  sweep.capture = &inputs;
  tg::detail::Engine::graph_backward(sweep);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (!sweep.captured[k].defined() && !allow_unused) {
      throw AutogradError(std::string(api) + ": inputs[" + std::to_string(k) + "] (shape " +
                          inputs[k].shape().str() +
                          ") was not used to compute the outputs; pass allow_unused = true to get an "
                          "undefined Tensor for it");
    }
  }
  return std::move(sweep.captured);
}

}  // namespace autograd

namespace detail {

void backward_create_graph(const Tensor& root, const Tensor& gradient, bool retain_graph) {
  GraphSweep sweep;
  sweep.roots.push_back(root);
  sweep.seeds.push_back(gradient.defined() ? gradient : ones(root.shape()));
  sweep.retain_graph = retain_graph;
  sweep.create_graph = true;
  Engine::graph_backward(sweep);
}

}  // namespace detail

}  // namespace tg
