#include "tapegrad/data/dataset.hpp"

#include <string>
#include <utility>

#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/tape.hpp"

namespace tg::data {

Dataset::Dataset(Tensor X_, Tensor y_) : X(std::move(X_)), y(std::move(y_)) {
  if (!X.defined() || !y.defined()) throw ValueError("Dataset: X and y must be defined tensors");
  if (X.ndim() < 1 || y.ndim() < 1 || X.size(0) != y.size(0)) {
    throw ShapeError("Dataset: X " + X.shape().str() + " and y " + y.shape().str() +
                     " must have the same number of rows");
  }
}

int64_t Dataset::size() const { return X.defined() && X.ndim() >= 1 ? X.size(0) : 0; }

Dataset Dataset::subset(const std::vector<int64_t>& rows) const {
  const int64_t n = size();
  for (const int64_t row : rows) {
    if (row < 0 || row >= n) {
      throw IndexError("Dataset::subset: row " + std::to_string(row) +
                       " is out of range for a dataset of " + std::to_string(n) + " rows");
    }
  }
  NoGradGuard no_grad;
  return {index_select(X, 0, rows), index_select(y, 0, rows)};
}

}  // namespace tg::data
