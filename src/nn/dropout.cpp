#include "tapegrad/nn/dropout.hpp"

#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/random.hpp"

namespace tg::nn {

Dropout::Dropout(double p) : p_(p) {
  if (!(p >= 0.0 && p < 1.0)) {
    throw ValueError("Dropout: p must be in [0, 1), got " + detail::python_float(p));
  }
}

Tensor Dropout::forward(const Tensor& input) {
  if (!is_training() || p_ == 0.0) return input;
  // One uniform draw per element: kept (scaled by 1/(1−p)) where it is >= p.
  const Tensor keep = ge(rand(input.shape()), Tensor(p_));
  return input * (keep * (1.0 / (1.0 - p_)));
}

std::string Dropout::extra_repr() const { return "p=" + detail::python_float(p_); }

}  // namespace tg::nn
