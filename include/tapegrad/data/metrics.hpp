// How good are the predictions? Numbers computed from values, not recorded on the tape (a loss
// to differentiate is a tensor expression; these are for reporting).
//
//   accuracy   fraction of rows whose predicted class is the target class
//   mse        mean of (prediction - target)²
//   r2_score   1 - Σ(target - prediction)² / Σ(target - mean(target))²: 1 is perfect, 0 is no
//              better than always predicting the mean, negative is worse than that
//
// Arguments come in PyTorch's order: predictions first, targets second (scikit-learn's
// functions take y_true first).
#pragma once

#include "tapegrad/tensor.hpp"

namespace tg::data {

/// `outputs` (N, k) with k >= 2: scores per class (logits or probabilities); the predicted
/// class is the first largest score of each row, and y holds class indices (N,) or one-hot
/// rows (N, k). `outputs` (N,) or (N, 1): probabilities of class 1; the prediction is 1 where
/// p > 0.5 (as scikit-learn's predict), and y holds 0 or 1. tg::ShapeError for shapes that
/// do not match, tg::ValueError for an empty input or a label that is not a class index.
double accuracy(const Tensor& outputs, const Tensor& y);

/// Same shape (or (N,) against (N, 1)); over all elements.
double mse(const Tensor& predictions, const Tensor& targets);

/// For (N,) or (N, 1) targets; for (N, k), the average of the k columns' scores (scikit-learn's
/// "uniform_average"). A constant target column scores 1 if predicted exactly, else 0.
double r2_score(const Tensor& predictions, const Tensor& targets);

}  // namespace tg::data
