// Derivatives of whole functions, as PyTorch's torch.autograd.functional: vector-Jacobian and
// Jacobian-vector products, full Jacobians and Hessians, and Hessian-vector products.
//
//   auto f = [](const tg::Tensor& x) { return (x * x * x).sum(); };
//   tg::Tensor H = tg::autograd::functional::hessian(f, x);        // 6·diag(x), exactly
//   auto [value, Hv] = tg::autograd::functional::hvp(f, x, v);     // H·v without forming H
//
// Each takes f of one tensor, or of a list of tensors (then the results come per input).
// The inputs are not modified and need not require grad. Without create_graph the results
// are plain tensors; with it they keep a graph back to inputs that require grad, so they can
// be differentiated again. With strict, an output that does not depend on an input is an
// error (tg::AutogradError), and so is a derivative that is constant where it must be
// differentiable (with create_graph, or the gradient of a Hessian); otherwise the derivative
// is zeros, as in PyTorch.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::autograd::functional {

using variable_list = std::vector<Tensor>;
using UnaryFunction = std::function<Tensor(const Tensor&)>;
using ListFunction = std::function<Tensor(const variable_list&)>;

/// (f(x), vᵀ·J): v has f(x)'s shape (may be omitted for a one-element output); the product has
/// x's shape.
std::pair<Tensor, Tensor> vjp(const UnaryFunction& f, const Tensor& x, const Tensor& v = {},
                              bool create_graph = false, bool strict = false);
std::pair<Tensor, variable_list> vjp(const ListFunction& f, const variable_list& x, const Tensor& v = {},
                                     bool create_graph = false, bool strict = false);

/// (f(x), J·v): v has x's shape (may be omitted for a one-element input); the product has
/// f(x)'s shape. Computed with two reverse sweeps (the "double-backward trick", as PyTorch).
std::pair<Tensor, Tensor> jvp(const UnaryFunction& f, const Tensor& x, const Tensor& v = {},
                              bool create_graph = false, bool strict = false);
std::pair<Tensor, Tensor> jvp(const ListFunction& f, const variable_list& x, const variable_list& v = {},
                              bool create_graph = false, bool strict = false);

/// The Jacobian, of shape f(x).shape + x.shape (one reverse sweep per output element).
Tensor jacobian(const UnaryFunction& f, const Tensor& x, bool create_graph = false, bool strict = false);
/// One Jacobian per input: f(x).shape + x[i].shape.
variable_list jacobian(const ListFunction& f, const variable_list& x, bool create_graph = false,
                       bool strict = false);

/// The Hessian of a one-element f, of shape x.shape + x.shape: the Jacobian of the gradient,
/// both taken on the tape, so exact up to rounding.
Tensor hessian(const UnaryFunction& f, const Tensor& x, bool create_graph = false, bool strict = false);
/// The blocks H[i][j] = ∂²f/∂x_i∂x_j, of shape x[i].shape + x[j].shape.
std::vector<variable_list> hessian(const ListFunction& f, const variable_list& x, bool create_graph = false,
                                   bool strict = false);

/// (f(x), vᵀ·H) for a one-element f: one reverse sweep through the gradient's graph.
std::pair<Tensor, Tensor> vhp(const UnaryFunction& f, const Tensor& x, const Tensor& v, bool create_graph = false,
                              bool strict = false);
std::pair<Tensor, variable_list> vhp(const ListFunction& f, const variable_list& x, const variable_list& v,
                                     bool create_graph = false, bool strict = false);

/// (f(x), H·v) for a one-element f, without forming H (the double-backward trick on the
/// gradient). Equal to vhp when f is twice continuously differentiable (H is symmetric).
std::pair<Tensor, Tensor> hvp(const UnaryFunction& f, const Tensor& x, const Tensor& v, bool create_graph = false,
                              bool strict = false);
std::pair<Tensor, variable_list> hvp(const ListFunction& f, const variable_list& x, const variable_list& v,
                                     bool create_graph = false, bool strict = false);

}  // namespace tg::autograd::functional
