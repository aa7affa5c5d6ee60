// Activation layers: modules without parameters that apply a function elementwise
// (torch.nn.ReLU, LeakyReLU, Tanh, Sigmoid, Softplus). Their derivatives are those of the
// operations in tapegrad/ops.hpp.
#pragma once

#include <string>

#include "tapegrad/nn/module.hpp"

namespace tg::nn {

/// max(x, 0)
class ReLU : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "ReLU"; }
};

/// x if x > 0 else negative_slope·x
class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope_(negative_slope) {}
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "LeakyReLU"; }
  std::string extra_repr() const override;
  double negative_slope() const { return negative_slope_; }

 private:
  double negative_slope_;
};

/// tanh x
class Tanh : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Tanh"; }
};

/// σ(x) = 1 / (1 + e⁻ˣ)
class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Sigmoid"; }
};

/// ln(1 + e^(βx)) / β, a smooth ReLU; x itself where βx > threshold (for numerical stability)
class Softplus : public Module {
 public:
  explicit Softplus(double beta = 1.0, double threshold = 20.0) : beta_(beta), threshold_(threshold) {}
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Softplus"; }
  std::string extra_repr() const override;
  double beta() const { return beta_; }
  double threshold() const { return threshold_; }

 private:
  double beta_;
  double threshold_;
};

}  // namespace tg::nn
