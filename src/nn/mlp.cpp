#include "tapegrad/nn/mlp.hpp"

#include "tapegrad/error.hpp"
#include "tapegrad/nn/activation.hpp"
#include "tapegrad/nn/dropout.hpp"
#include "tapegrad/nn/linear.hpp"

namespace tg::nn {

std::shared_ptr<Module> make_activation(Activation activation) {
  switch (activation) {
    case Activation::relu:
      return std::make_shared<ReLU>();
    case Activation::leaky_relu:
      return std::make_shared<LeakyReLU>();
    case Activation::tanh:
      return std::make_shared<Tanh>();
    case Activation::sigmoid:
      return std::make_shared<Sigmoid>();
    case Activation::softplus:
      return std::make_shared<Softplus>();
  }
  throw ValueError("make_activation: unknown activation " + std::to_string(static_cast<int>(activation)));
}

MLP::MLP(std::vector<int64_t> sizes, Activation activation, double dropout)
    : sizes_(std::move(sizes)), layers_(std::make_shared<Sequential>()) {
  std::string listed;
  for (int64_t s : sizes_) listed += (listed.empty() ? "" : ", ") + std::to_string(s);
  if (sizes_.size() < 2) {
    throw ValueError("MLP: sizes must hold the input size and at least one layer's output size, got {" + listed + "}");
  }
  for (int64_t s : sizes_) {
    if (s < 1) throw ValueError("MLP: every size must be >= 1, got {" + listed + "}");
  }
  if (!(dropout >= 0.0 && dropout < 1.0)) {
    throw ValueError("MLP: dropout must be in [0, 1), got " + detail::python_float(dropout));
  }
  for (std::size_t i = 0; i + 1 < sizes_.size(); ++i) {
    layers_->push_back(Linear(sizes_[i], sizes_[i + 1]));
    if (i + 2 < sizes_.size()) {
      layers_->push_back(make_activation(activation));
      if (dropout > 0.0) layers_->push_back(Dropout(dropout));
    }
  }
  register_module("layers", layers_);
}

Tensor MLP::forward(const Tensor& input) { return (*layers_)(input); }

}  // namespace tg::nn
