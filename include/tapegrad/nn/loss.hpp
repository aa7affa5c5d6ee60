// Loss modules (torch.nn's MSELoss, CrossEntropyLoss, ...): small value types that hold a
// loss's settings and are called like the function, criterion(output, target). The math is
// in tapegrad/nn/functional/loss.hpp.
//
//   tg::nn::CrossEntropyLoss criterion;                  // reduction mean
//   tg::Tensor loss = criterion(model(x), labels);
//
// They are not tg::nn::Module (whose forward takes one input) and hold no parameters.
#pragma once

#include "tapegrad/nn/functional/loss.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::nn {

using functional::Reduction;

/// (x − y)², reduced.
class MSELoss {
 public:
  explicit MSELoss(Reduction reduction = Reduction::mean);
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

/// |x − y|, reduced.
class L1Loss {
 public:
  explicit L1Loss(Reduction reduction = Reduction::mean);
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

/// Quadratic within delta of the target, linear beyond; delta > 0 (ValueError otherwise).
class HuberLoss {
 public:
  explicit HuberLoss(Reduction reduction = Reduction::mean, double delta = 1.0);
  Tensor operator()(const Tensor& input, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }
  double delta() const { return delta_; }

 private:
  Reduction reduction_;
  double delta_;
};

/// Binary cross-entropy of probabilities in [0, 1].
class BCELoss {
 public:
  explicit BCELoss(Reduction reduction = Reduction::mean);
  Tensor operator()(const Tensor& probabilities, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

/// Binary cross-entropy of σ(logits), computed stably from the logits.
class BCEWithLogitsLoss {
 public:
  explicit BCEWithLogitsLoss(Reduction reduction = Reduction::mean);
  Tensor operator()(const Tensor& logits, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

/// Cross-entropy of softmax(logits) against class indices or class probabilities.
class CrossEntropyLoss {
 public:
  explicit CrossEntropyLoss(Reduction reduction = Reduction::mean);
  Tensor operator()(const Tensor& logits, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

/// Negative log-likelihood of log-probabilities at class indices.
class NLLLoss {
 public:
  explicit NLLLoss(Reduction reduction = Reduction::mean);
  Tensor operator()(const Tensor& log_probabilities, const Tensor& target) const;
  Reduction reduction() const { return reduction_; }

 private:
  Reduction reduction_;
};

}  // namespace tg::nn
