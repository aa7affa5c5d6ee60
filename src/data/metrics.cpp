#include "tapegrad/data/metrics.hpp"

#include <cmath>
#include <string>

#include "tapegrad/error.hpp"
#include "text.hpp"

namespace tg::data {

namespace {

std::string shape_of(const Tensor& t) { return t.defined() ? t.shape().str() : "undefined"; }

// (N,) or (N, 1): a column of N values.
bool is_column(const Tensor& t) { return t.ndim() == 1 || (t.ndim() == 2 && t.size(1) == 1); }

void check_defined(const char* function, const Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined()) {
    throw ValueError(std::string(function) + ": undefined tensor (shapes " + shape_of(a) + " and " +
                     shape_of(b) + ")");
  }
}

// Same shape, or (N,) against (N, 1); at least one element.
void check_same(const char* function, const Tensor& predictions, const Tensor& targets) {
  check_defined(function, predictions, targets);
  const bool same = predictions.shape() == targets.shape() ||
                    (is_column(predictions) && is_column(targets) &&
                     predictions.size(0) == targets.size(0));
  if (!same || predictions.ndim() == 0) {
    throw ShapeError(std::string(function) + ": predictions " + predictions.shape().str() +
                     " and targets " + targets.shape().str() + " must have the same shape");
  }
  if (predictions.numel() == 0) throw ValueError(std::string(function) + ": no values");
}

int64_t label_at(const Tensor& y, int64_t row, int64_t classes) {
  const double v = y.data()[row];
  if (!(v >= 0.0 && v < static_cast<double>(classes) && v == std::floor(v))) {
    throw ValueError("accuracy: y[" + std::to_string(row) + "] = " + detail::number(v) +
                     " is not a class index in 0.." + std::to_string(classes - 1));
  }
  return static_cast<int64_t>(v);
}

int64_t argmax(const double* row, int64_t k) {
  int64_t best = 0;
  for (int64_t j = 1; j < k; ++j) {
    if (row[j] > row[best]) best = j;
  }
  return best;
}

}  // namespace

double accuracy(const Tensor& outputs, const Tensor& y) {
  check_defined("accuracy", outputs, y);
  const auto mismatch = [&](const std::string& expected) {
    return ShapeError("accuracy: outputs " + outputs.shape().str() + " and y " + y.shape().str() +
                      " do not match (" + expected + ")");
  };
  if (outputs.ndim() == 0 || outputs.ndim() > 2 || outputs.size(0) == 0) {
    throw ShapeError("accuracy: outputs must be (N,), (N, 1) or (N, classes) with N >= 1, got " +
                     outputs.shape().str());
  }
  const int64_t n = outputs.size(0);
  int64_t correct = 0;
  if (is_column(outputs)) {
    if (!is_column(y) || y.size(0) != n) throw mismatch("y must hold N labels 0 or 1");
    for (int64_t i = 0; i < n; ++i) {
      const int64_t predicted = outputs.data()[i] > 0.5 ? 1 : 0;
      correct += predicted == label_at(y, i, 2);
    }
  } else {
    const int64_t k = outputs.size(1);
    const double* scores = outputs.data();
    if (y.ndim() == 1 && y.size(0) == n) {
      for (int64_t i = 0; i < n; ++i) correct += argmax(scores + i * k, k) == label_at(y, i, k);
    } else if (y.shape() == outputs.shape()) {
      for (int64_t i = 0; i < n; ++i) correct += argmax(scores + i * k, k) == argmax(y.data() + i * k, k);
    } else {
      throw mismatch("y must be (N,) class indices or (N, classes) one-hot rows");
    }
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

double mse(const Tensor& predictions, const Tensor& targets) {
  check_same("mse", predictions, targets);
  double sum = 0.0;
  const int64_t n = predictions.numel();
  for (int64_t i = 0; i < n; ++i) {
    const double d = predictions.data()[i] - targets.data()[i];
    sum += d * d;
  }
  return sum / static_cast<double>(n);
}

double r2_score(const Tensor& predictions, const Tensor& targets) {
  check_same("r2_score", predictions, targets);
  if (targets.ndim() > 2) {
    throw ShapeError("r2_score: targets must be (N,) or (N, k), got " + targets.shape().str());
  }
  const int64_t n = targets.size(0);
  const int64_t k = targets.numel() / n;
  const double* p = predictions.data();
  const double* t = targets.data();
  double total = 0.0;
  for (int64_t j = 0; j < k; ++j) {
    double mean = 0.0;
    for (int64_t i = 0; i < n; ++i) mean += t[i * k + j];
    mean /= static_cast<double>(n);
    double residual = 0.0, spread = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      residual += (t[i * k + j] - p[i * k + j]) * (t[i * k + j] - p[i * k + j]);
      spread += (t[i * k + j] - mean) * (t[i * k + j] - mean);
    }
    total += spread != 0.0 ? 1.0 - residual / spread : (residual == 0.0 ? 1.0 : 0.0);
  }
  return total / static_cast<double>(k);
}

}  // namespace tg::data
