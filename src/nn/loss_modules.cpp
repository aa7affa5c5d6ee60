// The loss modules: each holds its settings, checked once here, and calls its function.
#include <charconv>
#include <cmath>
#include <string>

#include "tapegrad/error.hpp"
#include "tapegrad/nn/loss.hpp"

namespace tg::nn {
namespace {

Reduction checked(const char* module, Reduction reduction) {
  if (reduction != Reduction::none && reduction != Reduction::mean && reduction != Reduction::sum) {
    throw ValueError(std::string(module) + ": unknown reduction " + std::to_string(static_cast<int>(reduction)) +
                     " (expected none, mean or sum)");
  }
  return reduction;
}

std::string number(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

}  // namespace

MSELoss::MSELoss(Reduction reduction) : reduction_(checked("MSELoss", reduction)) {}
Tensor MSELoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::mse_loss(input, target, reduction_);
}

L1Loss::L1Loss(Reduction reduction) : reduction_(checked("L1Loss", reduction)) {}
Tensor L1Loss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::l1_loss(input, target, reduction_);
}

HuberLoss::HuberLoss(Reduction reduction, double delta) : reduction_(checked("HuberLoss", reduction)), delta_(delta) {
  if (!(delta > 0.0) || !std::isfinite(delta)) {
    throw ValueError("HuberLoss: delta must be finite and > 0, got " + number(delta));
  }
}
Tensor HuberLoss::operator()(const Tensor& input, const Tensor& target) const {
  return functional::huber_loss(input, target, reduction_, delta_);
}

BCELoss::BCELoss(Reduction reduction) : reduction_(checked("BCELoss", reduction)) {}
Tensor BCELoss::operator()(const Tensor& probabilities, const Tensor& target) const {
  return functional::binary_cross_entropy(probabilities, target, reduction_);
}

BCEWithLogitsLoss::BCEWithLogitsLoss(Reduction reduction) : reduction_(checked("BCEWithLogitsLoss", reduction)) {}
Tensor BCEWithLogitsLoss::operator()(const Tensor& logits, const Tensor& target) const {
  return functional::binary_cross_entropy_with_logits(logits, target, reduction_);
}

CrossEntropyLoss::CrossEntropyLoss(Reduction reduction) : reduction_(checked("CrossEntropyLoss", reduction)) {}
Tensor CrossEntropyLoss::operator()(const Tensor& logits, const Tensor& target) const {
  return functional::cross_entropy(logits, target, reduction_);
}

NLLLoss::NLLLoss(Reduction reduction) : reduction_(checked("NLLLoss", reduction)) {}
Tensor NLLLoss::operator()(const Tensor& log_probabilities, const Tensor& target) const {
  return functional::nll_loss(log_probabilities, target, reduction_);
}

}  // namespace tg::nn
