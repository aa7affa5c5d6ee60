// one_hot: class labels as rows of 0s with a 1 at the label, as torch.nn.functional.one_hot.
// The result is data, not recorded: labels are not differentiable.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {

namespace {

// The shortest text that reads back as v: 3, 0.5, -1, nan.
std::string label_text(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

}  // namespace

Tensor one_hot(const Tensor& labels, int64_t num_classes) {
  const detail::TensorImpl* y = detail::checked_impl(labels, "one_hot");
  if (num_classes < -1) {
    throw ValueError("one_hot: num_classes must be -1 (one more than the largest label) or >= 0, got " +
                     std::to_string(num_classes));
  }
  for (int64_t i = 0; i < y->numel; ++i) {
    const double v = y->data[i];
    if (!(v >= 0.0 && v < 0x1p53) || v != std::floor(v)) {  // whole numbers a double holds exactly
      throw IndexError("one_hot: label " + label_text(v) + " at position " + std::to_string(i) +
                       " is not a class index (a whole number >= 0)");
    }
  }
  if (num_classes == -1) {
    if (y->numel == 0) {
      throw ValueError("one_hot: cannot infer the number of classes from an empty tensor of labels (shape " +
                       y->shape.str() + "); pass num_classes");
    }
    num_classes = static_cast<int64_t>(*std::max_element(y->data, y->data + y->numel)) + 1;
  }
  for (int64_t i = 0; i < y->numel; ++i) {
    if (y->data[i] >= static_cast<double>(num_classes)) {
      throw IndexError("one_hot: label " + label_text(y->data[i]) + " at position " + std::to_string(i) +
                       " is not below num_classes = " + std::to_string(num_classes));
    }
  }
  Shape shape = y->shape;
  shape.push_back(num_classes);
  detail::TensorImpl* out = detail::new_impl(shape);
  std::fill(out->data, out->data + out->numel, 0.0);
  for (int64_t i = 0; i < y->numel; ++i) out->data[i * num_classes + static_cast<int64_t>(y->data[i])] = 1.0;
  return detail::make_result(out);
}

}  // namespace tg
