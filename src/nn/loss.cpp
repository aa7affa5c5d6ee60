// The loss functions, written with tapegrad's operations: backward() differentiates them
// through the tape. Checks come first, so a bad call records nothing.
#include "tapegrad/nn/functional/loss.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "ops/elementwise_ops.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg::nn::functional {
namespace {

// The shortest text that reads back as v: 3, 1.5, 1e-20, nan.
std::string number(double v) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return std::string(buf, end);
}

void check_defined(const char* loss, const Tensor& t, const char* what) {
  if (!t.defined()) throw ValueError(std::string(loss) + ": " + what + " is undefined");
}

void check_reduction(const char* loss, Reduction reduction) {
  if (reduction != Reduction::none && reduction != Reduction::mean && reduction != Reduction::sum) {
    throw ValueError(std::string(loss) + ": unknown reduction " + std::to_string(static_cast<int>(reduction)) +
                     " (expected none, mean or sum)");
  }
}

// The common checks of the elementwise losses: defined tensors of one shape, a known reduction.
void check_pair(const char* loss, const Tensor& input, const Tensor& target, Reduction reduction) {
  check_defined(loss, input, "input");
  check_defined(loss, target, "target");
  check_reduction(loss, reduction);
  if (input.shape() != target.shape()) {
    throw ShapeError(std::string(loss) + ": input of shape " + input.shape().str() + " and target of shape " +
                     target.shape().str() + " must have the same shape");
  }
}

void check_unit_interval(const char* loss, const Tensor& t, const char* what, const char* hint) {
  const double* v = t.data();
  for (int64_t i = 0, n = t.numel(); i < n; ++i) {
    if (!(v[i] >= 0.0 && v[i] <= 1.0)) {
      throw ValueError(std::string(loss) + ": " + what + " value " + number(v[i]) + " at position " +
                       std::to_string(i) + " is outside [0, 1]" + hint);
    }
  }
}

Tensor reduce(const char* loss, const Tensor& losses, Reduction reduction) {
  switch (reduction) {
    case Reduction::none:
      return losses;
    case Reduction::sum:
      return sum(losses);
    case Reduction::mean:
      if (losses.numel() == 0) {
        throw ValueError(std::string(loss) + ": the mean over an empty input (shape " + losses.shape().str() +
                         ") is undefined; use Reduction::sum or Reduction::none");
      }
      return mean(losses);
  }
  check_reduction(loss, reduction);
  return losses;
}

// Above 40, ln(1 + eᵗ) rounds to t and σ(t) to 1 in double precision: softplus is exact there.
constexpr double kSoftplusExactThreshold = 40.0;

// The class axis of an input to cross_entropy / nll_loss: 0 for (C,), 1 for (N, C, ...).
int class_axis(const char* loss, const Tensor& input) {
  if (input.ndim() == 0) {
    throw ShapeError(std::string(loss) +
                     ": input of shape () has no class axis; expected (C,), (N, C) or (N, C, d1, ...)");
  }
  return input.ndim() == 1 ? 0 : 1;
}

// Target class indices: the input's shape without the class axis, integers in [0, C).
void check_class_indices(const char* loss, const Tensor& input, const Tensor& target, int axis,
                         const char* alternative) {
  Shape expected = input.shape();
  expected.erase(axis);
  if (target.shape() != expected) {
    throw ShapeError(std::string(loss) + ": target of shape " + target.shape().str() + " does not fit input of shape " +
                     input.shape().str() + ": class indices need shape " + expected.str() + alternative);
  }
  const int64_t classes = input.shape()[axis];
  const double* v = target.data();
  for (int64_t i = 0, n = target.numel(); i < n; ++i) {
    if (v[i] != std::floor(v[i])) {
      throw ValueError(std::string(loss) + ": target value " + number(v[i]) + " at position " + std::to_string(i) +
                       " is not an integer class index");
    }
    if (v[i] < 0.0 || v[i] >= static_cast<double>(classes)) {
      throw IndexError(std::string(loss) + ": target value " + number(v[i]) + " at position " + std::to_string(i) +
                       " is not a class index in [0, " + std::to_string(classes) + ")");
    }
  }
}

// −x[y] along the class axis: −log_probabilities at the target classes.
Tensor negative_picked(const Tensor& log_probabilities, const Tensor& target, int axis) {
  const Tensor index = target.requires_grad() ? target.detach() : target;
  return -squeeze(gather(log_probabilities, axis, unsqueeze(index, axis)), axis);
}

}  // namespace

const char* to_string(Reduction reduction) {
  switch (reduction) {
    case Reduction::none:
      return "none";
    case Reduction::mean:
      return "mean";
    case Reduction::sum:
      return "sum";
  }
  return "unknown";
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_pair("mse_loss", input, target, reduction);
  return reduce("mse_loss", square(input - target), reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_pair("l1_loss", input, target, reduction);
  return reduce("l1_loss", abs(input - target), reduction);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction, double delta) {
  check_pair("huber_loss", input, target, reduction);
  if (!(delta > 0.0) || !std::isfinite(delta)) {
    throw ValueError("huber_loss: delta must be finite and > 0, got " + number(delta));
  }
  const Tensor d = input - target;
  const Tensor size = abs(d);
  const Tensor quadratic = 0.5 * square(d);
  const Tensor linear = delta * (size - 0.5 * delta);
  return reduce("huber_loss", where(lt(size, Tensor(delta)), quadratic, linear), reduction);
}

Tensor binary_cross_entropy(const Tensor& probabilities, const Tensor& target, Reduction reduction) {
  const char* name = "binary_cross_entropy";
  check_pair(name, probabilities, target, reduction);
  check_unit_interval(name, probabilities, "input",
                      " (expected probabilities; for logits use binary_cross_entropy_with_logits)");
  check_unit_interval(name, target, "target", "");
  // One node per element, −(y·ln p + (1 − y)·ln(1 − p)) with the logarithms clamped at −100,
  // whose derivative is PyTorch's: (p − y)/max(p(1 − p), 1e-12) (src/ops/elementwise_ops.hpp).
  return reduce(name, tg::detail::binary<tg::detail::op::binary_cross_entropy>(probabilities, target), reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target, Reduction reduction) {
  const char* name = "binary_cross_entropy_with_logits";
  check_pair(name, logits, target, reduction);
  check_unit_interval(name, target, "target", "");
  const Tensor& x = logits;
  const Tensor& y = target;
  // −ln σ(x) = softplus(−x) and −ln(1 − σ(x)) = softplus(x): two positive terms, no cancellation.
  const Tensor losses =
      y * softplus(-x, 1.0, kSoftplusExactThreshold) + (1.0 - y) * softplus(x, 1.0, kSoftplusExactThreshold);
  return reduce(name, losses, reduction);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction) {
  const char* name = "cross_entropy";
  check_defined(name, logits, "input");
  check_defined(name, target, "target");
  check_reduction(name, reduction);
  const int axis = class_axis(name, logits);
  if (target.shape() == logits.shape()) {  // class probabilities
    return reduce(name, -sum(target * log_softmax(logits, axis), axis), reduction);
  }
  check_class_indices(name, logits, target, axis, ", or class probabilities the input's shape");
  return reduce(name, negative_picked(log_softmax(logits, axis), target, axis), reduction);
}

Tensor nll_loss(const Tensor& log_probabilities, const Tensor& target, Reduction reduction) {
  const char* name = "nll_loss";
  check_defined(name, log_probabilities, "input");
  check_defined(name, target, "target");
  check_reduction(name, reduction);
  const int axis = class_axis(name, log_probabilities);
  check_class_indices(name, log_probabilities, target, axis, "");
  return reduce(name, negative_picked(log_probabilities, target, axis), reduction);
}

Tensor l2_penalty(const std::vector<Tensor>& params, double lambda) {
  if (!(lambda >= 0.0) || !std::isfinite(lambda)) {
    throw ValueError("l2_penalty: lambda must be finite and >= 0, got " + number(lambda));
  }
  Tensor total;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (!params[i].defined()) throw ValueError("l2_penalty: parameter " + std::to_string(i) + " is undefined");
    const Tensor squares = sum(square(params[i]));
    total = total.defined() ? total + squares : squares;
  }
  if (!total.defined()) return tensor(0.0);
  return (0.5 * lambda) * total;
}

}  // namespace tg::nn::functional
