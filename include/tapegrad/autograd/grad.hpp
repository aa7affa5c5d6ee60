// Gradients as values, and gradients of gradients, as libtorch's torch::autograd::grad.
//
//   tg::Tensor g = tg::autograd::grad({loss}, {x}, {}, {}, /*create_graph=*/true)[0];  // dloss/dx
//   tg::Tensor h = tg::autograd::grad({g.sum()}, {x})[0];                               // Σ_j d²loss/dx dx_j
//
// With create_graph the derivative rules of the backward pass are themselves recorded on the
// tape (each operation's derivative is written with tapegrad operations), so the gradients
// returned have a graph and can be differentiated again, to any order. Without it, grad()
// returns plain tensors. Either way no tensor's grad() is touched; loss.backward({}, {},
// true) is the form that accumulates into grad() (see docs/tape.md).
#pragma once

#include <optional>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::autograd {

using variable_list = std::vector<Tensor>;

/// The gradients of Σ_i <grad_outputs[i], outputs[i]> with respect to each of `inputs`.
/// grad_outputs may be empty when every output has one element (it is then 1); an undefined
/// entry means 1 for a one-element output. retain_graph defaults to create_graph. An input the
/// outputs do not depend on is an error unless allow_unused, which returns an undefined Tensor
/// for it. Throws tg::AutogradError naming what was wrong (an input or output that does not
/// require grad, a released graph, a non-scalar output without a gradient), tg::ShapeError for
/// a grad_output of the wrong shape.
variable_list grad(const variable_list& outputs, const variable_list& inputs,
                   const variable_list& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                   bool create_graph = false, bool allow_unused = false);

}  // namespace tg::autograd
