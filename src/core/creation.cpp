#include "tapegrad/creation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "core/tensor_access.hpp"

namespace tg {

namespace {
Tensor filled(const Shape& shape, double value, bool requires_grad) {
  detail::TensorImpl* t = detail::new_impl(shape);
  std::fill(t->data, t->data + t->numel, value);
  t->requires_grad = requires_grad;
  return tg::detail::adopt(t);
}
Tensor with_grad(Tensor t, bool requires_grad) {
  tg::detail::impl_of(t)->requires_grad = requires_grad;
  return t;
}
}  // namespace

Tensor tensor(double value, bool requires_grad) { return with_grad(Tensor(value), requires_grad); }
Tensor tensor(std::initializer_list<NestedList> values, bool requires_grad) {
  return with_grad(Tensor(values), requires_grad);
}
Tensor tensor(const std::vector<double>& values, const Shape& shape, bool requires_grad) {
  return with_grad(Tensor(values, shape), requires_grad);
}

Tensor zeros(const Shape& shape, bool requires_grad) { return filled(shape, 0.0, requires_grad); }
Tensor ones(const Shape& shape, bool requires_grad) { return filled(shape, 1.0, requires_grad); }
Tensor full(const Shape& shape, double value, bool requires_grad) {
  return filled(shape, value, requires_grad);
}
Tensor zeros_like(const Tensor& t) { return filled(t.shape(), 0.0, false); }
Tensor ones_like(const Tensor& t) { return filled(t.shape(), 1.0, false); }
Tensor full_like(const Tensor& t, double value) { return filled(t.shape(), value, false); }

Tensor arange(double end) { return arange(0.0, end, 1.0); }

Tensor arange(double start, double end, double step) {
  if (step == 0.0 || !std::isfinite(step) || !std::isfinite(start) || !std::isfinite(end)) {
    throw ValueError("arange: start, end and step must be finite and step non-zero (got " +
                     std::to_string(start) + ", " + std::to_string(end) + ", " +
                     std::to_string(step) + ")");
  }
  if ((end - start) * step < 0.0) {
    throw ValueError("arange: the step " + std::to_string(step) + " does not lead from " +
                     std::to_string(start) + " to " + std::to_string(end));
  }
  const auto n = static_cast<int64_t>(std::ceil((end - start) / step));
  detail::TensorImpl* t = detail::new_impl(Shape{n});
  for (int64_t i = 0; i < n; ++i) t->data[i] = start + static_cast<double>(i) * step;
  return tg::detail::adopt(t);
}

Tensor linspace(double start, double end, int64_t steps) {
  if (steps < 0) throw ValueError("linspace: steps must be >= 0, got " + std::to_string(steps));
  detail::TensorImpl* t = detail::new_impl(Shape{steps});
  if (steps == 1) t->data[0] = start;
  if (steps > 1) {
    // As torch.linspace: the first half counts up from start, the second half down from end.
    const double step = (end - start) / static_cast<double>(steps - 1);
    const int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i) {
      t->data[i] = i < half ? start + step * static_cast<double>(i)
                            : end - step * static_cast<double>(steps - i - 1);
    }
  }
  return tg::detail::adopt(t);
}

Tensor eye(int64_t n) {
  Tensor t = zeros(Shape{n, n});
  for (int64_t i = 0; i < n; ++i) tg::detail::impl_of(t)->data[i * n + i] = 1.0;
  return t;
}

}  // namespace tg
