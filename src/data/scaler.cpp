#include "tapegrad/data/scaler.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg::data {

StandardScaler& StandardScaler::fit(const Tensor& X) {
  if (!X.defined() || X.ndim() != 2) {
    throw ShapeError("StandardScaler.fit: X must be 2-D (samples, features), got " +
                     (X.defined() ? X.shape().str() : std::string("an undefined tensor")));
  }
  const int64_t n = X.size(0), f = X.size(1);
  if (n == 0) throw ValueError("StandardScaler.fit: X " + X.shape().str() + " has no rows");
  // scikit-learn's arithmetic (_incremental_mean_and_var from zero samples): the column sums
  // row by row, mean = sum / n, then the corrected two-pass variance
  // (Σ(x - mean)² - (Σ(x - mean))² / n) / n.
  const double* x = X.data();
  const auto count = static_cast<double>(n);
  std::vector<double> mean(static_cast<std::size_t>(f), 0.0), var(mean), scale(mean);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < f; ++j) mean[j] += x[i * f + j];
  for (double& m : mean) m /= count;
  std::vector<double> correction(mean.size(), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < f; ++j) {
      const double d = x[i * f + j] - mean[j];
      correction[j] += d;
      var[j] += d * d;
    }
  }
  constexpr double eps = std::numeric_limits<double>::epsilon();
  for (int64_t j = 0; j < f; ++j) {
    var[j] = (var[j] - correction[j] * correction[j] / count) / count;
    const double bound = count * eps * var[j] + std::pow(count * mean[j] * eps, 2);
    scale[j] = var[j] <= bound ? 1.0 : std::sqrt(var[j]);
  }
  mean_ = tensor(mean, Shape{f});
  var_ = tensor(var, Shape{f});
  scale_ = tensor(scale, Shape{f});
  return *this;
}

void StandardScaler::check(const char* function, const Tensor& X) const {
  if (!fitted()) throw ValueError(std::string("StandardScaler.") + function + ": call fit() first");
  if (!X.defined() || X.ndim() != 2 || X.size(1) != mean_.numel()) {
    throw ShapeError(std::string("StandardScaler.") + function + ": X must be (samples, " +
                     std::to_string(mean_.numel()) + ") as in fit(), got " +
                     (X.defined() ? X.shape().str() : std::string("an undefined tensor")));
  }
}

Tensor StandardScaler::transform(const Tensor& X) const {
  check("transform", X);
  return (X - mean_) / scale_;
}

Tensor StandardScaler::fit_transform(const Tensor& X) { return fit(X).transform(X); }

Tensor StandardScaler::inverse_transform(const Tensor& X) const {
  check("inverse_transform", X);
  return X * scale_ + mean_;
}

}  // namespace tg::data
