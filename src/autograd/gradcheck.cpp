// gradcheck: the tape's derivatives against central finite differences.
#include "tapegrad/autograd/gradcheck.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "core/engine.hpp"
#include "tapegrad/autograd/grad.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"
#include "core/tensor_access.hpp"

namespace tg {

namespace {

// Evaluates f on copies of the inputs without recording.
std::vector<double> evaluate(const Function& f, const std::vector<Tensor>& x) {
  NoGradGuard guard;
  const Tensor y = f(x);
  if (!y.defined()) throw ValueError("gradcheck: the function returned an undefined tensor");
  return y.to_vector();
}

std::string position(const Shape& shape, int64_t flat) {
  if (shape.empty()) return "()";
  std::vector<int64_t> idx(static_cast<std::size_t>(shape.size()));
  for (int d = shape.size() - 1; d >= 0; --d) {
    idx[static_cast<std::size_t>(d)] = flat % std::max<int64_t>(shape[d], 1);
    flat /= std::max<int64_t>(shape[d], 1);
  }
  std::string s = "(";
  for (std::size_t d = 0; d < idx.size(); ++d) s += (d ? ", " : "") + std::to_string(idx[d]);
  return s + (idx.size() == 1 ? ",)" : ")");
}

}  // namespace

GradcheckReport gradcheck(const Function& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  if (!(options.eps > 0.0)) throw ValueError("gradcheck: eps must be > 0, got " + std::to_string(options.eps));
  // Fresh leaves, so that the caller's tensors and gradients are left alone.
  std::vector<Tensor> x;
  for (const Tensor& t : inputs) {
    if (!t.defined()) throw ValueError("gradcheck: an input tensor is undefined");
    x.push_back(t.detach().set_requires_grad(t.requires_grad()));
  }

  // Analytic Jacobian, one output element (one backward) at a time.
  const bool was_enabled = is_grad_enabled();
  set_grad_enabled(true);
  Tensor y;
  try {
    y = f(x);
  } catch (...) {
    set_grad_enabled(was_enabled);
    throw;
  }
  set_grad_enabled(was_enabled);
  if (!y.defined()) throw ValueError("gradcheck: the function returned an undefined tensor");
  const int64_t m = y.numel();
  std::vector<std::vector<double>> analytic(x.size());  // [input][output * numel + element]
  for (std::size_t i = 0; i < x.size(); ++i)
    analytic[i].assign(static_cast<std::size_t>(m * x[i].numel()), 0.0);
  if (y.requires_grad()) {
    for (int64_t j = 0; j < m; ++j) {
      for (Tensor& t : x) t.zero_grad();
      Tensor seed = zeros(y.shape());
      tg::detail::impl_of(seed)->data[j] = 1.0;
      y.backward(seed, /*retain_graph=*/j + 1 < m);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const Tensor g = x[i].grad();
        if (!g.defined()) continue;
        std::copy(g.data(), g.data() + g.numel(), analytic[i].begin() + j * x[i].numel());
      }
    }
  }

  GradcheckReport report;
  for (std::size_t i = 0; i < x.size(); ++i) {
    GradcheckInputReport r;
    r.input = static_cast<int>(i);
    r.shape = x[i].shape();
    r.checked = x[i].requires_grad();
    if (r.checked) {
      // The entry reported: the one furthest beyond the tolerance, or, when every entry is
      // within it, the one with the largest error (not an exact zero of a sparse Jacobian).
      double worst_excess = -INFINITY, largest_error = -1.0;
      GradcheckInputReport largest = r;
      double* v = tg::detail::impl_of(x[i])->data;
      for (int64_t e = 0; e < x[i].numel(); ++e) {
        const double saved = v[e];
        v[e] = saved + options.eps;
        const std::vector<double> plus = evaluate(f, x);
        v[e] = saved - options.eps;
        const std::vector<double> minus = evaluate(f, x);
        v[e] = saved;
        for (int64_t j = 0; j < m; ++j) {
          const double num = (plus[j] - minus[j]) / (2.0 * options.eps);
          const double ana = analytic[i][static_cast<std::size_t>(j * x[i].numel() + e)];
          const double err = std::fabs(ana - num);
          const double excess = std::isnan(err) ? INFINITY : err - (options.atol + options.rtol * std::fabs(num));
          const auto record = [&](GradcheckInputReport& into) {
            into.output_index = j;
            into.element = e;
            into.analytic = ana;
            into.numeric = num;
            into.abs_error = err;
            into.rel_error = num != 0.0 ? err / std::fabs(num) : err;
          };
          if (excess > worst_excess) {
            worst_excess = excess;
            record(r);
          }
          if (err > largest_error) {
            largest_error = err;
            record(largest);
          }
        }
      }
      r.passed = !(worst_excess > 0.0);
      if (r.passed) r = largest;
    }
    report.passed = report.passed && r.passed;
    report.inputs.push_back(r);
  }
  if (!report.passed && options.raise_exception) throw GradcheckError(report.str());
  return report;
}

std::string GradcheckReport::str() const {
  std::ostringstream os;
  os << "gradcheck " << (passed ? "passed" : "FAILED") << '\n';
  for (const GradcheckInputReport& r : inputs) {
    os << "  input " << r.input << ' ' << r.shape.str() << ": ";
    if (!r.checked) {
      os << "not checked (does not require grad)\n";
      continue;
    }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "worst element %s: analytic %.10g, numeric %.10g, abs error %.3g, rel error %.3g",
                  position(r.shape, r.element).c_str(), r.analytic, r.numeric, r.abs_error,
                  r.rel_error);
    os << buf;
    if (r.output_index != 0) os << " (output element " << r.output_index << ')';
    os << (r.passed ? "  ok" : "  MISMATCH") << '\n';
  }
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const GradcheckReport& report) { return os << report.str(); }

GradcheckReport gradgradcheck(const Function& f, const std::vector<Tensor>& inputs, const GradcheckOptions& options,
                              const Tensor& grad_outputs) {
  std::vector<Tensor> x;
  for (const Tensor& t : inputs) {
    if (!t.defined()) throw ValueError("gradgradcheck: an input tensor is undefined");
    x.push_back(t.detach().set_requires_grad(t.requires_grad()));
  }
  Tensor y;
  {
    NoGradGuard no_grad;
    y = f(x);
  }
  if (!y.defined()) throw ValueError("gradgradcheck: the function returned an undefined tensor");
  Tensor v;
  if (grad_outputs.defined()) {
    if (grad_outputs.shape() != y.shape()) {
      throw ShapeError("gradgradcheck: grad_outputs has shape " + grad_outputs.shape().str() +
                       " but the function's output has shape " + y.shape().str());
    }
    v = grad_outputs.detach();
  } else {
    // Fixed values in [-1, 1), away from 0, so that no derivative is hidden by a zero weight.
    std::vector<double> values(static_cast<std::size_t>(y.numel()));
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (double& value : values) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const double u = static_cast<double>(state >> 11) / 9007199254740992.0;  // [0, 1)
      value = (u < 0.5 ? -1.0 : 1.0) * (0.25 + 1.5 * std::fabs(u - 0.5));
    }
    v = tensor(values, y.shape());
  }
  v.set_requires_grad(true);
  x.push_back(v);
  const std::size_t n = inputs.size();
  const Function first_derivatives = [&f, n](const std::vector<Tensor>& args) {
    const std::vector<Tensor> in(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(n));
    std::vector<Tensor> wrt;
    for (const Tensor& t : in)
      if (t.requires_grad()) wrt.push_back(t);
    // The first derivatives are taken on the tape even when gradcheck evaluates this function
    // without recording (its finite differences); they are recorded only when it records.
    const bool record = is_grad_enabled();
    set_grad_enabled(true);
    std::vector<Tensor> grads;
    try {
      const Tensor out = f(in);
      if (out.requires_grad()) grads = autograd::grad({out}, wrt, {args[n]}, record, record, true);
    } catch (...) {
      set_grad_enabled(record);
      throw;
    }
    set_grad_enabled(record);
    grads.resize(wrt.size());
    std::vector<Tensor> flat;
    for (std::size_t k = 0; k < grads.size(); ++k)
      flat.push_back(grads[k].defined() ? reshape(grads[k], {-1}) : zeros({wrt[k].numel()}));
    return flat.empty() ? zeros({0}) : concat(flat, 0);
  };
  return gradcheck(first_derivatives, x, options);
}

Tensor numerical_gradient(const std::function<Tensor(const Tensor&)>& f, const Tensor& x, double eps) {
  if (!(eps > 0.0)) throw ValueError("numerical_gradient: eps must be > 0, got " + std::to_string(eps));
  NoGradGuard guard;
  Tensor p = x.detach();
  Tensor grad = zeros(p.shape());
  double* v = tg::detail::impl_of(p)->data;
  auto value = [&] {
    const Tensor y = f(p);
    if (!y.defined() || y.numel() != 1) {
      throw ValueError("numerical_gradient: the function must return a one-element tensor");
    }
    return y.item();
  };
  for (int64_t e = 0; e < p.numel(); ++e) {
    const double saved = v[e];
    v[e] = saved + eps;
    const double plus = value();
    v[e] = saved - eps;
    const double minus = value();
    v[e] = saved;
    tg::detail::impl_of(grad)->data[e] = (plus - minus) / (2.0 * eps);
  }
  return grad;
}

}  // namespace tg
