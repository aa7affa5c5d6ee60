// A dataset: inputs X, one row per example, and targets y with as many rows. Row i of X goes
// with row i of y; a loader, a split or a scaler only ever picks whole rows.
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::data {

struct Dataset {
  Tensor X;  // (N, features)
  Tensor y;  // (N,) class labels or values, or (N, k)

  Dataset() = default;
  /// Checks that X and y have at least one dimension and the same number of rows
  /// (tg::ShapeError naming both shapes).
  Dataset(Tensor X, Tensor y);

  /// The number of examples N (0 for a default-constructed dataset).
  int64_t size() const;
  /// The examples at `rows`, in that order: new tensors holding copies of those rows
  /// (tg::IndexError for a row outside 0..N-1).
  Dataset subset(const std::vector<int64_t>& rows) const;
};

/// A dataset cut in two: `auto [train, test] = train_test_split(...)`.
struct TrainTest {
  Dataset train;
  Dataset test;
};

}  // namespace tg::data
