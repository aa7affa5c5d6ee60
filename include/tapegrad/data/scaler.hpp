// StandardScaler: shifts and scales every feature to mean 0 and standard deviation 1,
// x' = (x - mean) / scale, as sklearn.preprocessing.StandardScaler.
//
// fit() takes the mean and the population standard deviation (dividing by N, not N-1) of each
// column. A column that is constant (its variance indistinguishable from 0 in floating point,
// by scikit-learn's test var <= N·ε·var + (N·mean·ε)²) gets scale 1: it is only shifted.
//
// Fit on the training rows only and transform train and test with those same numbers: the
// test rows then play the part of new data, which the model meets with the statistics it was
// trained with. Fitting on all rows would let the test rows leak into training.
#pragma once

#include "tapegrad/tensor.hpp"

namespace tg::data {

class StandardScaler {
 public:
  /// Learns mean and scale from X (samples, features); tg::ShapeError unless X is 2-D,
  /// tg::ValueError if it has no rows.
  StandardScaler& fit(const Tensor& X);
  /// (X - mean) / scale, recorded on the tape like any other operation. tg::ValueError before
  /// fit(); tg::ShapeError for another number of features.
  Tensor transform(const Tensor& X) const;
  Tensor fit_transform(const Tensor& X);
  /// X·scale + mean: back to the original units.
  Tensor inverse_transform(const Tensor& X) const;

  bool fitted() const { return mean_.defined(); }
  /// Per feature (features,): the mean, the population variance, and the divisor (the
  /// standard deviation, or 1 for a constant feature).
  const Tensor& mean() const { return mean_; }
  const Tensor& var() const { return var_; }
  const Tensor& scale() const { return scale_; }

 private:
  void check(const char* function, const Tensor& X) const;
  Tensor mean_, var_, scale_;
};

}  // namespace tg::data
