#include "tapegrad/nn/init.hpp"

#include <cmath>

#include "tapegrad/error.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/random.hpp"
#include "tapegrad/tape.hpp"

namespace tg::nn::init {

namespace {

std::string number(double v) { return tg::nn::detail::python_float(v); }

Tensor checked(const Tensor& tensor, const char* function) {
  if (!tensor.defined()) throw ValueError(std::string("init::") + function + ": the tensor is undefined");
  return tensor;
}

Tensor fill_from(const Tensor& tensor, const Tensor& values) {
  NoGradGuard no_grad;
  Tensor t = tensor;
  t.copy_(values);
  return t;
}

Fans fans(const Tensor& tensor, const char* function) {
  if (tensor.ndim() < 2) {
    throw ValueError(std::string("init::") + function +
                     ": fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape " +
                     tensor.shape().str() + ")");
  }
  int64_t receptive_field = 1;
  for (int d = 2; d < tensor.ndim(); ++d) receptive_field *= tensor.size(d);
  return {tensor.size(1) * receptive_field, tensor.size(0) * receptive_field};
}

double kaiming_std(const Tensor& tensor, double a, FanMode mode, Nonlinearity nonlinearity, const char* function) {
  const Fans f = fans(tensor, function);
  const int64_t fan = mode == FanMode::fan_in ? f.fan_in : f.fan_out;
  return calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan));
}

bool has_zero_size(const Tensor& tensor) {
  for (int64_t d : tensor.shape())
    if (d == 0) return true;
  return false;
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, std::optional<double> param) {
  switch (nonlinearity) {
    case Nonlinearity::linear:
    case Nonlinearity::sigmoid:
      return 1.0;
    case Nonlinearity::tanh:
      return 5.0 / 3.0;
    case Nonlinearity::relu:
      return std::sqrt(2.0);
    case Nonlinearity::leaky_relu: {
      const double slope = param.value_or(0.01);
      if (!std::isfinite(slope)) throw ValueError("init::calculate_gain: negative_slope " + number(slope) + " is not a valid number");
      return std::sqrt(2.0 / (1.0 + slope * slope));
    }
    case Nonlinearity::selu:
      return 3.0 / 4.0;
  }
  throw ValueError("init::calculate_gain: unknown nonlinearity");
}

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
  for (const char* linear : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                             "conv_transpose3d"}) {
    if (nonlinearity == linear) return calculate_gain(Nonlinearity::linear, param);
  }
  if (nonlinearity == "sigmoid") return calculate_gain(Nonlinearity::sigmoid, param);
  if (nonlinearity == "tanh") return calculate_gain(Nonlinearity::tanh, param);
  if (nonlinearity == "relu") return calculate_gain(Nonlinearity::relu, param);
  if (nonlinearity == "leaky_relu") return calculate_gain(Nonlinearity::leaky_relu, param);
  if (nonlinearity == "selu") return calculate_gain(Nonlinearity::selu, param);
  throw ValueError("init::calculate_gain: unsupported nonlinearity '" + nonlinearity + "'");
}

Fans calculate_fan_in_and_fan_out(const Tensor& tensor) {
  return fans(checked(tensor, "calculate_fan_in_and_fan_out"), "calculate_fan_in_and_fan_out");
}

Tensor zeros_(const Tensor& tensor) { return constant_(tensor, 0.0); }

Tensor ones_(const Tensor& tensor) { return constant_(tensor, 1.0); }

Tensor constant_(const Tensor& tensor, double value) {
  Tensor t = checked(tensor, "constant_");
  NoGradGuard no_grad;
  t.fill_(value);
  return t;
}

Tensor uniform_(const Tensor& tensor, double a, double b) {
  checked(tensor, "uniform_");
  if (!(a <= b)) throw ValueError("init::uniform_: a (" + number(a) + ") must not exceed b (" + number(b) + ")");
  return fill_from(tensor, uniform(tensor.shape(), a, b));
}

Tensor normal_(const Tensor& tensor, double mean, double std) {
  checked(tensor, "normal_");
  if (!(std >= 0.0)) throw ValueError("init::normal_: std must be >= 0, got " + number(std));
  return fill_from(tensor, normal(tensor.shape(), mean, std));
}

Tensor xavier_uniform_(const Tensor& tensor, double gain) {
  const Fans f = fans(checked(tensor, "xavier_uniform_"), "xavier_uniform_");
  if (tensor.numel() == 0) return tensor;
  const double a = gain * std::sqrt(6.0 / static_cast<double>(f.fan_in + f.fan_out));
  return fill_from(tensor, uniform(tensor.shape(), -a, a));
}

Tensor xavier_normal_(const Tensor& tensor, double gain) {
  const Fans f = fans(checked(tensor, "xavier_normal_"), "xavier_normal_");
  if (tensor.numel() == 0) return tensor;
  const double std = gain * std::sqrt(2.0 / static_cast<double>(f.fan_in + f.fan_out));
  return fill_from(tensor, normal(tensor.shape(), 0.0, std));
}

Tensor kaiming_uniform_(const Tensor& tensor, double a, FanMode mode, Nonlinearity nonlinearity) {
  checked(tensor, "kaiming_uniform_");
  if (has_zero_size(tensor)) return tensor;
  const double bound = std::sqrt(3.0) * kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_");
  return fill_from(tensor, uniform(tensor.shape(), -bound, bound));
}

Tensor kaiming_normal_(const Tensor& tensor, double a, FanMode mode, Nonlinearity nonlinearity) {
  checked(tensor, "kaiming_normal_");
  if (has_zero_size(tensor)) return tensor;
  const double std = kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_");
  return fill_from(tensor, normal(tensor.shape(), 0.0, std));
}

}  // namespace tg::nn::init
