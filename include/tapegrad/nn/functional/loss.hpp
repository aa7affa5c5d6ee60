// Loss functions (torch.nn.functional's): each compares a prediction with a target and returns
// one number to minimise, or one loss per element with Reduction::none. They are built from
// tapegrad's operations, so backward() differentiates them like any other expression.
//
// With ℓᵢ the loss of element i (of n), the reduction gives
//   none: the tensor ℓ (the input's shape, or the target's for nll_loss / cross_entropy)
//   mean: Σℓᵢ / n  (the default)          sum: Σℓᵢ
// Input and target have the same shape (ShapeError otherwise; there is no broadcasting).
// The mean of an empty input raises ValueError (PyTorch returns NaN).
#pragma once

#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::nn::functional {

/// How the per-element losses are combined (PyTorch's reduction='none' | 'mean' | 'sum').
enum class Reduction { none, mean, sum };

/// "none", "mean" or "sum".
const char* to_string(Reduction reduction);

/// Mean squared error: ℓ = (x − y)²;  dℓ/dx = 2(x − y) (÷ n for the mean).
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);

/// Mean absolute error: ℓ = |x − y|;  dℓ/dx = sign(x − y), 0 where x = y.
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);

/// Huber loss, quadratic near the target and linear far from it (delta > 0), d = x − y:
///   ℓ = d²/2 where |d| < delta, else delta·(|d| − delta/2);  dℓ/dx = d clipped to [−delta, delta].
Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean, double delta = 1.0);

/// Binary cross-entropy of probabilities p ∈ [0, 1] against targets y ∈ [0, 1]
/// (ValueError naming the value otherwise):
///   ℓ = −(y·ln p + (1 − y)·ln(1 − p)), each logarithm clamped at −100 as in PyTorch;
///   dℓ/dp = (p − y) / max(p(1 − p), 1e-12) as PyTorch's: ±1e12 at a wrong certain answer
///   (p = 0 or 1), 0 at a right one;  dℓ/dy = ln((1 − p)/p) (±inf at p = 0 and 1).
/// Prefer binary_cross_entropy_with_logits on logits: σ(37) rounds to 1, so a negative sample
/// at logit 37 costs the clamped 100 here instead of its true 37.
Tensor binary_cross_entropy(const Tensor& probabilities, const Tensor& target, Reduction reduction = Reduction::mean);

/// Binary cross-entropy of σ(x) for logits x, in a stable form with no ln σ(x):
///   ℓ = y·softplus(−x) + (1 − y)·softplus(x)   (= −y·ln σ(x) − (1 − y)·ln(1 − σ(x)));
///   dℓ/dx = σ(x) − y.  Exact in double precision for any finite x (1000 gives 1000·(1 − y)).
/// Targets must lie in [0, 1] (ValueError naming the value otherwise).
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                        Reduction reduction = Reduction::mean);

/// Cross-entropy of softmax(logits) along the class axis — axis 1 of (N, C) or (N, C, d1, ...),
/// axis 0 of an unbatched (C,) — through log_softmax, so logits of 1000 are fine.
/// The target is either
///   class indices, the input's shape without the class axis ((N,), (N, d1, ...) or ()),
///   stored as doubles:  ℓᵢ = −log_softmax(xᵢ)[yᵢ];  dℓᵢ/dxᵢ = softmax(xᵢ) − onehot(yᵢ).
///   An index that is not an integer raises ValueError, one outside [0, C) IndexError,
///   both naming the value and its position; or
///   class probabilities, the input's shape:  ℓᵢ = −Σ_c y_ic·log_softmax(xᵢ)_c;
///   dℓᵢ/dxᵢ = softmax(xᵢ)·Σ_c y_ic − yᵢ.
/// The mean is over the n = N·d1·... targets.
Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction = Reduction::mean);

/// Negative log-likelihood of log-probabilities (the output of log_softmax) at class-index
/// targets, with the shapes and index checks of cross_entropy: ℓᵢ = −xᵢ[yᵢ];
/// dℓᵢ/dxᵢ = −onehot(yᵢ).  cross_entropy(x, y) = nll_loss(log_softmax(x, 1), y).
Tensor nll_loss(const Tensor& log_probabilities, const Tensor& target, Reduction reduction = Reduction::mean);

/// L2 penalty λ/2·Σθ² over every element of every tensor in params (a 0-d tensor; 0 for an
/// empty list); its gradient is λθ. An L2-regularised loss is one line:
///   loss = mse_loss(model(x), y) + l2_penalty(model.parameters(), 1e-3);
/// lambda must be finite and >= 0 (ValueError otherwise).
Tensor l2_penalty(const std::vector<Tensor>& params, double lambda);

}  // namespace tg::nn::functional
