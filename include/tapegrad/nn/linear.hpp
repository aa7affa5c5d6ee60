// tg::nn::Linear: a dense layer, y = x·Wᵀ + b (torch.nn.Linear).
//
// For inputs x of shape (…, in_features): weight W has shape (out_features, in_features),
// bias b shape (out_features,), and y shape (…, out_features). The forward pass is one
// tg::linear node (one matrix product).
//
// Initialisation, as PyTorch's: W by kaiming_uniform_ with a = √5, which comes to
// W ~ U(−1/√in, 1/√in), then b ~ U(−1/√in, 1/√in), both drawn from the global generator
// (so tg::manual_seed makes them reproducible).
#pragma once

#include <cstdint>
#include <string>

#include "tapegrad/nn/module.hpp"

namespace tg::nn {

class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);

  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Linear"; }
  std::string extra_repr() const override;

  const Tensor& weight() const { return weight_; }
  /// Undefined when the layer was built with bias = false.
  const Tensor& bias() const { return bias_; }
  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }

 private:
  int64_t in_features_;
  int64_t out_features_;
  Tensor weight_;
  Tensor bias_;
};

}  // namespace tg::nn
