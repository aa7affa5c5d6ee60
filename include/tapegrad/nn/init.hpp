// tg::nn::init: filling parameters in place (torch.nn.init). Each function works under
// NoGradGuard, draws from the global generator (reproducible with tg::manual_seed) and
// returns the tensor it filled.
//
// Fans, for a weight of shape (out, in, k1, k2, ...) with receptive field r = k1·k2·…:
//   fan_in = in·r,  fan_out = out·r   (a tensor with fewer than 2 dimensions has no fans)
// Xavier/Glorot keeps the variance of activations and gradients alike in both directions:
//   xavier_uniform_:  U(−a, a),  a = gain·√(6 / (fan_in + fan_out))
//   xavier_normal_:   N(0, σ²),  σ = gain·√(2 / (fan_in + fan_out))
// Kaiming/He keeps the variance through ReLU-like layers, counting one fan (mode):
//   kaiming_uniform_: U(−b, b),  b = gain·√(3 / fan)
//   kaiming_normal_:  N(0, σ²),  σ = gain / √fan
// with gain = calculate_gain(nonlinearity, a), a the negative slope of a leaky ReLU.
#pragma once

#include <optional>
#include <string>

#include "tapegrad/tensor.hpp"

namespace tg::nn::init {

enum class Nonlinearity { linear, sigmoid, tanh, relu, leaky_relu, selu };
enum class FanMode { fan_in, fan_out };

/// The recommended gain for a nonlinearity: 1 for linear and sigmoid, 5/3 for tanh, √2 for
/// relu, √(2 / (1 + slope²)) for leaky_relu (slope = param, 0.01 if not given), 3/4 for selu.
double calculate_gain(Nonlinearity nonlinearity, std::optional<double> param = std::nullopt);
/// The same by PyTorch's names ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
/// "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu");
/// tg::ValueError for any other.
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);

struct Fans {
  int64_t fan_in;
  int64_t fan_out;
};
/// fan_in and fan_out of a tensor with at least 2 dimensions (tg::ValueError otherwise).
Fans calculate_fan_in_and_fan_out(const Tensor& tensor);

Tensor zeros_(const Tensor& tensor);
Tensor ones_(const Tensor& tensor);
Tensor constant_(const Tensor& tensor, double value);
/// U(a, b) (a <= b).
Tensor uniform_(const Tensor& tensor, double a = 0.0, double b = 1.0);
/// N(mean, std²) (std >= 0).
Tensor normal_(const Tensor& tensor, double mean = 0.0, double std = 1.0);
Tensor xavier_uniform_(const Tensor& tensor, double gain = 1.0);
Tensor xavier_normal_(const Tensor& tensor, double gain = 1.0);
/// A tensor with a zero-sized dimension is left as it is, as in PyTorch.
Tensor kaiming_uniform_(const Tensor& tensor, double a = 0.0, FanMode mode = FanMode::fan_in,
                        Nonlinearity nonlinearity = Nonlinearity::leaky_relu);
Tensor kaiming_normal_(const Tensor& tensor, double a = 0.0, FanMode mode = FanMode::fan_in,
                       Nonlinearity nonlinearity = Nonlinearity::leaky_relu);

}  // namespace tg::nn::init
