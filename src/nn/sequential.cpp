#include "tapegrad/nn/sequential.hpp"

#include "tapegrad/error.hpp"

namespace tg::nn {

Module& Sequential::operator[](std::size_t index) const {
  if (index >= size_) {
    throw IndexError("Sequential: index " + std::to_string(index) + " is out of range for " + std::to_string(size_) +
                     " modules");
  }
  return *named_children()[index].second;
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& [name, module] : named_children()) x = (*module)(x);
  return x;
}

}  // namespace tg::nn
