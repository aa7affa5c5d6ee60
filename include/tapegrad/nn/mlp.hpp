// tg::nn::MLP: a multilayer perceptron, Linear layers with an activation between them.
//
//   tg::nn::MLP model({1, 32, 32, 1}, tg::nn::Activation::tanh);
//
// builds Linear(1, 32), Tanh, Linear(32, 32), Tanh, Linear(32, 1) — no activation after the
// last layer — as a Sequential registered as "layers", so the parameters are named
// layers.0.weight, layers.0.bias, layers.2.weight, ... With dropout > 0 a Dropout follows
// each activation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tapegrad/nn/module.hpp"
#include "tapegrad/nn/sequential.hpp"

namespace tg::nn {

enum class Activation { relu, leaky_relu, tanh, sigmoid, softplus };

/// A new activation module with its default settings (LeakyReLU(0.01), Softplus(1, 20)).
std::shared_ptr<Module> make_activation(Activation activation);

class MLP : public Module {
 public:
  /// sizes = {in, hidden..., out}: at least two sizes, each >= 1; dropout in [0, 1).
  explicit MLP(std::vector<int64_t> sizes, Activation activation = Activation::relu, double dropout = 0.0);

  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "MLP"; }

  Sequential& layers() const { return *layers_; }
  const std::vector<int64_t>& sizes() const { return sizes_; }

 private:
  std::vector<int64_t> sizes_;
  std::shared_ptr<Sequential> layers_;
};

}  // namespace tg::nn
