#include "tapegrad/data/data_loader.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "shuffle.hpp"
#include "tapegrad/error.hpp"

namespace tg::data {

DataLoader::DataLoader(const Dataset& dataset, const DataLoaderOptions& options)
    : dataset_(dataset), options_(options), generator_(options.seed) {
  if (options.batch_size < 1) {
    throw ValueError("DataLoader: batch_size must be at least 1, got " +
                     std::to_string(options.batch_size));
  }
  if (!dataset.X.defined() || !dataset.y.defined()) {
    throw ValueError("DataLoader: the dataset is empty (X or y undefined)");
  }
  dataset_ = Dataset(dataset.X, dataset.y);  // checks the shapes
  if (dataset_.size() == 0) {
    throw ValueError("DataLoader: the dataset is empty (X " + dataset.X.shape().str() + ")");
  }
  order_.resize(static_cast<std::size_t>(dataset_.size()));
  std::iota(order_.begin(), order_.end(), int64_t{0});
}

DataLoader::Iterator DataLoader::begin() {
  if (resume_pass_) {
    resume_pass_ = false;
    Iterator it(this);
    it.index_ = position_;
    return it;
  }
  position_ = 0;
  std::iota(order_.begin(), order_.end(), int64_t{0});
  if (options_.shuffle) detail::shuffle(order_, generator_);
  ++epoch_;
  return Iterator(this);
}

int64_t DataLoader::num_batches() const {
  const int64_t n = dataset_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

Batch DataLoader::batch(int64_t index) const {
  if (index < 0 || index >= num_batches()) {
    throw IndexError("DataLoader::batch: batch " + std::to_string(index) + " is out of range for " +
                     std::to_string(num_batches()) + " batches");
  }
  const int64_t start = index * options_.batch_size;
  const int64_t stop = std::min(start + options_.batch_size, dataset_.size());
  const std::vector<int64_t> rows(order_.begin() + start, order_.begin() + stop);
  Dataset part = dataset_.subset(rows);
  return {std::move(part.X), std::move(part.y)};
}

}  // namespace tg::data
