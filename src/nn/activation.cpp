#include "tapegrad/nn/activation.hpp"

#include "tapegrad/ops.hpp"

namespace tg::nn {

Tensor ReLU::forward(const Tensor& input) { return relu(input); }

Tensor LeakyReLU::forward(const Tensor& input) { return leaky_relu(input, negative_slope_); }

std::string LeakyReLU::extra_repr() const { return "negative_slope=" + detail::python_float(negative_slope_); }

Tensor Tanh::forward(const Tensor& input) { return tanh(input); }

Tensor Sigmoid::forward(const Tensor& input) { return sigmoid(input); }

Tensor Softplus::forward(const Tensor& input) { return softplus(input, beta_, threshold_); }

std::string Softplus::extra_repr() const {
  return "beta=" + detail::python_float(beta_) + ", threshold=" + detail::python_float(threshold_);
}

}  // namespace tg::nn
