#include "tapegrad/nn/linear.hpp"

#include <cmath>

#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/nn/init.hpp"
#include "tapegrad/ops.hpp"

namespace tg::nn {

Linear::Linear(int64_t in_features, int64_t out_features, bool bias)
    : in_features_(in_features), out_features_(out_features) {
  if (in_features < 0 || out_features < 0) {
    throw ValueError("Linear: in_features and out_features must be >= 0, got " + std::to_string(in_features) + " and " +
                     std::to_string(out_features));
  }
  weight_ = register_parameter("weight", zeros({out_features, in_features}));
  init::kaiming_uniform_(weight_, std::sqrt(5.0));
  if (bias) {
    bias_ = register_parameter("bias", zeros({out_features}));
    const double bound = in_features > 0 ? 1.0 / std::sqrt(static_cast<double>(in_features)) : 0.0;
    init::uniform_(bias_, -bound, bound);
  }
}

Tensor Linear::forward(const Tensor& input) {
  if (input.ndim() == 0 || input.size(-1) != in_features_) {
    throw ShapeError("Linear(in_features=" + std::to_string(in_features_) + "): the input has shape " +
                     input.shape().str() + "; its last dimension must be " + std::to_string(in_features_));
  }
  if (in_features_ == 0) {  // an empty sum: the bias alone (tg::linear needs an input feature)
    Shape shape = input.shape();
    shape[shape.size() - 1] = out_features_;
    return bias_.defined() ? broadcast_to(bias_, shape) : zeros(shape);
  }
  return linear(input, weight_, bias_);
}

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features_) + ", out_features=" + std::to_string(out_features_) +
         ", bias=" + (bias_.defined() ? "True" : "False");
}

}  // namespace tg::nn
