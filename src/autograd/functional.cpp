// torch.autograd.functional's derivatives of whole functions, made of autograd::grad sweeps.
// Each runs f with recording on, differentiates with create_graph where a derivative of a
// derivative is needed, and returns plain tensors unless the caller asked for create_graph.
#include "tapegrad/autograd/functional.hpp"

#include <string>

#include "tapegrad/autograd/grad.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/tape.hpp"

namespace tg::autograd::functional {

namespace {

// Turns recording on for the call (the functions may be called under NoGradGuard).
struct EnableGrad {
  bool previous = is_grad_enabled();
  EnableGrad() { set_grad_enabled(true); }
  ~EnableGrad() { set_grad_enabled(previous); }
};

// The inputs as f sees them: under create_graph an input that requires grad is used as it is,
// so that the results stay connected to it; any other input becomes a fresh leaf.
variable_list prepare(const char* api, const variable_list& x, bool create_graph) {
  if (x.empty()) throw ValueError(std::string(api) + ": no inputs given");
  variable_list out;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!x[i].defined()) throw ValueError(std::string(api) + ": input " + std::to_string(i) + " is undefined");
    out.push_back(create_graph && x[i].requires_grad() ? x[i] : x[i].detach().set_requires_grad(true));
  }
  return out;
}

Tensor finish(const Tensor& t, bool create_graph) { return create_graph ? t : t.detach(); }
variable_list finish(variable_list ts, bool create_graph) {
  for (Tensor& t : ts) t = finish(t, create_graph);
  return ts;
}

Tensor call(const char* api, const ListFunction& f, const variable_list& x) {
  Tensor y = f(x);
  if (!y.defined()) throw ValueError(std::string(api) + ": the function returned an undefined tensor");
  return y;
}

// The gradients of Σ_k <seeds[k], outputs[k]> with respect to x; where an output does not
// depend on an input, zeros (or, with strict, an error). With strict and create_graph a
// gradient that does not require grad is an error too, as PyTorch's ("independent of input i.
// This is not allowed in strict mode when create_graph=True"): it is constant, so it cannot be
// differentiated further (create_graph is also set on the way to a second derivative, where
// PyTorch refuses a constant first derivative the same way).
variable_list gradients(const char* api, const variable_list& outputs, const variable_list& seeds,
                        const variable_list& x, bool create_graph, bool strict) {
  variable_list ys, vs;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (outputs[k].defined() && outputs[k].requires_grad()) {
      ys.push_back(outputs[k]);
      vs.push_back(seeds[k]);
    }
  }
  variable_list g(x.size());
  if (!ys.empty()) g = grad(ys, x, vs, /*retain_graph=*/true, create_graph, /*allow_unused=*/true);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (g[i].defined()) {
      if (strict && create_graph && !g[i].requires_grad()) {
        throw AutogradError(std::string(api) + ": the derivative with respect to input " + std::to_string(i) +
                            " (shape " + x[i].shape().str() +
                            ") is constant (it does not depend on the inputs), so it cannot be differentiated "
                            "further; strict mode forbids this with create_graph or for a second derivative");
      }
      continue;
    }
    if (strict) {
      throw AutogradError(std::string(api) + ": the output does not depend on input " + std::to_string(i) +
                          " (shape " + x[i].shape().str() + "); strict mode forbids this");
    }
    g[i] = zeros(x[i].shape());
  }
  return g;
}

Tensor one_hot_like(const Tensor& t, int64_t j) {
  std::vector<double> v(static_cast<std::size_t>(t.numel()), 0.0);
  v[static_cast<std::size_t>(j)] = 1.0;
  return tensor(v, t.shape());
}

// Rows (one per element of `of`, each of x's shape) stacked into of.shape + x.shape.
Tensor stack_rows(const variable_list& rows, const Shape& of, const Shape& x) {
  std::vector<int64_t> shape = of.to_vector();
  for (int64_t d : x) shape.push_back(d);
  if (rows.empty()) return zeros(Shape(shape));
  return reshape(stack(rows, 0), shape);
}

// d(outputs)/d(x) row by row: one sweep per element of `of`, seeded with its one-hot.
variable_list jacobian_of(const char* api, const Tensor& of, const variable_list& x, bool create_graph,
                          bool strict) {
  std::vector<variable_list> rows(x.size());
  for (int64_t j = 0; j < of.numel(); ++j) {
    const variable_list g = gradients(api, {of}, {one_hot_like(of, j)}, x, create_graph, strict);
    for (std::size_t i = 0; i < x.size(); ++i) rows[i].push_back(g[i]);
  }
  variable_list out;
  for (std::size_t i = 0; i < x.size(); ++i) out.push_back(stack_rows(rows[i], of.shape(), x[i].shape()));
  return out;
}

void check_like(const char* api, const char* what, const Tensor& v, const Shape& shape) {
  if (!v.defined()) throw ValueError(std::string(api) + ": " + what + " is undefined");
  if (v.shape() != shape) {
    throw ShapeError(std::string(api) + ": " + what + " has shape " + v.shape().str() + " but should have shape " +
                     shape.str());
  }
}

variable_list check_vectors(const char* api, const variable_list& v, const variable_list& x) {
  if (v.empty()) {
    variable_list ones_list;
    for (const Tensor& t : x) {
      if (t.numel() != 1) {
        throw ValueError(std::string(api) + ": v is needed when an input has more than one element (shape " +
                         t.shape().str() + ")");
      }
      ones_list.push_back(ones(t.shape()));
    }
    return ones_list;
  }
  if (v.size() != x.size()) {
    throw ValueError(std::string(api) + ": " + std::to_string(v.size()) + " vectors v for " +
                     std::to_string(x.size()) + " inputs");
  }
  for (std::size_t i = 0; i < v.size(); ++i) check_like(api, ("v[" + std::to_string(i) + "]").c_str(), v[i], x[i].shape());
  return v;
}

Tensor scalar_output(const char* api, const ListFunction& f, const variable_list& x) {
  Tensor y = call(api, f, x);
  if (y.numel() != 1) {
    throw ValueError(std::string(api) + ": the function must return a one-element tensor, got shape " +
                     y.shape().str());
  }
  return y;
}

// f's one-element value at x, and its gradient recorded so that it can be differentiated again.
std::pair<Tensor, variable_list> value_and_recorded_gradient(const char* api, const ListFunction& f,
                                                             const variable_list& x, bool strict) {
  Tensor y = scalar_output(api, f, x);
  variable_list g = gradients(api, {y}, {ones(y.shape())}, x, /*create_graph=*/true, strict);
  return {std::move(y), std::move(g)};
}

ListFunction as_list(const UnaryFunction& f) {
  return [&f](const variable_list& x) { return f(x[0]); };
}

}  // namespace

// ---- vjp -------------------------------------------------------------------------------------
std::pair<Tensor, variable_list> vjp(const ListFunction& f, const variable_list& inputs, const Tensor& v,
                                     bool create_graph, bool strict) {
  EnableGrad enable;
  const variable_list x = prepare("vjp", inputs, create_graph);
  const Tensor y = call("vjp", f, x);
  Tensor seed = v;
  if (!seed.defined()) {
    if (y.numel() != 1) {
      throw ValueError("vjp: v is needed for a function whose output has more than one element (shape " +
                       y.shape().str() + ")");
    }
    seed = ones(y.shape());
  }
  check_like("vjp", "v", seed, y.shape());
  return {finish(y, create_graph), finish(gradients("vjp", {y}, {seed}, x, create_graph, strict), create_graph)};
}

std::pair<Tensor, Tensor> vjp(const UnaryFunction& f, const Tensor& x, const Tensor& v, bool create_graph,
                              bool strict) {
  auto [y, g] = vjp(as_list(f), variable_list{x}, v, create_graph, strict);
  return {y, g[0]};
}

// ---- jvp -------------------------------------------------------------------------------------
// J·v = d/du <vᵀ, Jᵀu>: the vector-Jacobian product with a dummy u is linear in u, and its
// gradient with respect to u, seeded with v, is J·v.
std::pair<Tensor, Tensor> jvp(const ListFunction& f, const variable_list& inputs, const variable_list& v,
                              bool create_graph, bool strict) {
  EnableGrad enable;
  const variable_list x = prepare("jvp", inputs, create_graph);
  const variable_list seeds = check_vectors("jvp", v, x);
  const Tensor y = call("jvp", f, x);
  const Tensor u = zeros(y.shape()).set_requires_grad(true);
  const variable_list jt_u = gradients("jvp", {y}, {u}, x, /*create_graph=*/true, strict);
  const variable_list j_v = gradients("jvp", jt_u, seeds, {u}, create_graph, /*strict=*/false);
  return {finish(y, create_graph), finish(j_v[0], create_graph)};
}

std::pair<Tensor, Tensor> jvp(const UnaryFunction& f, const Tensor& x, const Tensor& v, bool create_graph,
                              bool strict) {
  return jvp(as_list(f), variable_list{x}, v.defined() ? variable_list{v} : variable_list{}, create_graph, strict);
}

// ---- jacobian --------------------------------------------------------------------------------
variable_list jacobian(const ListFunction& f, const variable_list& inputs, bool create_graph, bool strict) {
  EnableGrad enable;
  const variable_list x = prepare("jacobian", inputs, create_graph);
  const Tensor y = call("jacobian", f, x);
  return finish(jacobian_of("jacobian", y, x, create_graph, strict), create_graph);
}

Tensor jacobian(const UnaryFunction& f, const Tensor& x, bool create_graph, bool strict) {
  return jacobian(as_list(f), variable_list{x}, create_graph, strict)[0];
}

// ---- hessian ---------------------------------------------------------------------------------
// The Jacobian of the gradient: the gradient is taken with create_graph, then differentiated
// once per element.
std::vector<variable_list> hessian(const ListFunction& f, const variable_list& inputs, bool create_graph,
                                   bool strict) {
  EnableGrad enable;
  const variable_list x = prepare("hessian", inputs, create_graph);
  const auto [y, g] = value_and_recorded_gradient("hessian", f, x, strict);
  std::vector<variable_list> blocks;
  for (const Tensor& gi : g) blocks.push_back(finish(jacobian_of("hessian", gi, x, create_graph, strict), create_graph));
  return blocks;
}

Tensor hessian(const UnaryFunction& f, const Tensor& x, bool create_graph, bool strict) {
  return hessian(as_list(f), variable_list{x}, create_graph, strict)[0][0];
}

// ---- vhp and hvp -----------------------------------------------------------------------------
std::pair<Tensor, variable_list> vhp(const ListFunction& f, const variable_list& inputs, const variable_list& v,
                                     bool create_graph, bool strict) {
  EnableGrad enable;
  const variable_list x = prepare("vhp", inputs, create_graph);
  const variable_list seeds = check_vectors("vhp", v, x);
  const auto [y, g] = value_and_recorded_gradient("vhp", f, x, strict);
  return {finish(y, create_graph), finish(gradients("vhp", g, seeds, x, create_graph, strict), create_graph)};
}

std::pair<Tensor, Tensor> vhp(const UnaryFunction& f, const Tensor& x, const Tensor& v, bool create_graph,
                              bool strict) {
  auto [y, r] = vhp(as_list(f), variable_list{x}, variable_list{v}, create_graph, strict);
  return {y, r[0]};
}

// H·v = d/du <v, Hᵀu>, with uᵀH from one sweep through the gradient's graph.
std::pair<Tensor, variable_list> hvp(const ListFunction& f, const variable_list& inputs, const variable_list& v,
                                     bool create_graph, bool strict) {
  EnableGrad enable;
  const variable_list x = prepare("hvp", inputs, create_graph);
  const variable_list seeds = check_vectors("hvp", v, x);
  const auto [y, g] = value_and_recorded_gradient("hvp", f, x, strict);
  variable_list u;
  for (const Tensor& gi : g) u.push_back(zeros(gi.shape()).set_requires_grad(true));
  const variable_list ut_h = gradients("hvp", g, u, x, /*create_graph=*/true, strict);
  const variable_list h_v = gradients("hvp", ut_h, seeds, u, create_graph, /*strict=*/false);
  return {finish(y, create_graph), finish(h_v, create_graph)};
}

std::pair<Tensor, Tensor> hvp(const UnaryFunction& f, const Tensor& x, const Tensor& v, bool create_graph,
                              bool strict) {
  auto [y, r] = hvp(as_list(f), variable_list{x}, variable_list{v}, create_graph, strict);
  return {y, r[0]};
}

}  // namespace tg::autograd::functional
