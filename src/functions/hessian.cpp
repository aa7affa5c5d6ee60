// gradient() through the tape; hessian() by double backward, or by central differences of tape
// gradients.
#include "tapegrad/functions/hessian.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "tapegrad/autograd/functional.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"

namespace tg {

namespace {

// Records on the tape for its lifetime, whatever NoGradGuard is active around it.
class EnableGrad {
 public:
  EnableGrad() : previous_(is_grad_enabled()) { set_grad_enabled(true); }
  ~EnableGrad() { set_grad_enabled(previous_); }
  EnableGrad(const EnableGrad&) = delete;
  EnableGrad& operator=(const EnableGrad&) = delete;

 private:
  bool previous_;
};

std::vector<double> gradient_at(const ScalarFunction& f, const std::vector<double>& x, const Shape& shape) {
  return gradient(f, tensor(x, shape)).to_vector();
}

// Column j: (∇f(x + h_j e_j) - ∇f(x - h_j e_j)) / 2h_j.
void fill_by_differences(const ScalarFunction& f, const Tensor& x, const std::vector<double>& x0, double eps,
                         std::vector<double>& h) {
  const std::size_t n = x0.size();
  for (std::size_t j = 0; j < n; ++j) {
    const double step = eps * std::max(1.0, std::abs(x0[j]));
    std::vector<double> plus = x0, minus = x0;
    plus[j] += step;
    minus[j] -= step;
    const double width = plus[j] - minus[j];  // the step actually taken, after rounding
    const std::vector<double> gp = gradient_at(f, plus, x.shape()), gm = gradient_at(f, minus, x.shape());
    for (std::size_t i = 0; i < n; ++i) h[i * n + j] = (gp[i] - gm[i]) / width;
  }
}

}  // namespace

Tensor gradient(const ScalarFunction& f, const Tensor& x) {
  if (!x.defined()) throw ValueError("gradient: x is undefined");
  EnableGrad enable;
  const Tensor leaf = x.detach().set_requires_grad(true);
  const Tensor y = f(leaf);
  if (!y.defined()) throw ValueError("gradient: f returned an undefined tensor");
  if (y.numel() != 1)
    throw ShapeError("gradient: f must return a single value, got a tensor of shape " + y.shape().str());
  if (!y.requires_grad()) return zeros(x.shape());
  y.backward();
  const Tensor g = leaf.grad();
  return g.defined() ? g.detach() : zeros(x.shape());
}

Tensor hessian(const ScalarFunction& f, const Tensor& x, HessianMethod method, double eps) {
  if (!x.defined()) throw ValueError("hessian: x is undefined");
  const std::vector<double> x0 = x.to_vector();
  const std::size_t n = x0.size();
  std::vector<double> h(n * n);
  if (method == HessianMethod::exact) {
    const Tensor y = [&] {
      NoGradGuard no_grad;
      return f(x.detach());
    }();
    if (!y.defined()) throw ValueError("hessian: f returned an undefined tensor");
    if (y.numel() != 1)
      throw ShapeError("hessian: f must return a single value, got a tensor of shape " + y.shape().str());
    h = autograd::functional::hessian(f, x).to_vector();
  } else {
    if (!(eps > 0.0) || !std::isfinite(eps))
      throw ValueError("hessian: eps must be > 0 and finite, got " + std::to_string(eps));
    fill_by_differences(f, x, x0, eps, h);
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) h[i * n + j] = h[j * n + i] = 0.5 * (h[i * n + j] + h[j * n + i]);
  const auto size = static_cast<int64_t>(n);
  return tensor(h, Shape{size, size});
}

}  // namespace tg
