// DataLoader: walks through a dataset in batches, as torch.utils.data.DataLoader.
//
//   tg::data::DataLoader loader(train, {.batch_size = 32, .shuffle = true, .seed = 1});
//   for (int epoch = 1; epoch <= 100; ++epoch)
//     for (const auto& [X, y] : loader) { /* forward, loss, backward, step */ }
//
// batch_size = N is batch gradient descent (one update per epoch), batch_size = 1 stochastic
// gradient descent (N updates), anything in between mini-batch gradient descent: the update
// is the same, only the number of rows behind each gradient changes.
//
// With shuffle, every pass (every call of begin(), so every range-for) visits the rows in a
// new order: the next permutation drawn from the loader's own tg::Generator, seeded with
// `seed`. The same seed gives the same sequence of epochs in every run, and the global
// generator is not touched. The permutation is NumPy's: epoch e visits the rows in the order
// of the e-th np.random.RandomState(seed).permutation(N).
//
// state_dict() records the pass, the position inside it and the generator; after
// load_state_dict() the next begin() continues that pass from the next batch (a run stopped
// mid-epoch resumes exactly), and the passes after it follow as they would have.
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/data/dataset.hpp"
#include "tapegrad/random.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {
class StateDict;
}

namespace tg::data {

struct DataLoaderOptions {
  int64_t batch_size = 1;
  bool shuffle = false;
  uint32_t seed = 0;
  bool drop_last = false;  // drop the last batch when it has fewer than batch_size rows
};

/// Rows of a dataset: new leaf tensors holding copies, free to use and to modify.
struct Batch {
  Tensor X;
  Tensor y;
};

class DataLoader {
 public:
  class Iterator;
  struct Sentinel {};

  /// Refuses a batch_size below 1 (tg::ValueError), an empty dataset (tg::ValueError) and X, y
  /// with different numbers of rows (tg::ShapeError).
  explicit DataLoader(const Dataset& dataset, const DataLoaderOptions& options = {});

  /// Starts a pass over the data (with shuffle: in the next order), or, right after
  /// load_state_dict() of a state saved mid-pass, continues that pass.
  Iterator begin();
  Sentinel end() const { return {}; }

  /// Batches per pass: ⌈N / batch_size⌉, or ⌊N / batch_size⌋ with drop_last.
  int64_t num_batches() const;
  /// Passes started so far.
  int64_t epoch() const { return epoch_; }
  /// The rows of the current (last started) pass, in visiting order.
  const std::vector<int64_t>& order() const { return order_; }
  /// Batch `index` (0..num_batches()-1) of the current pass.
  Batch batch(int64_t index) const;
  const Dataset& dataset() const { return dataset_; }
  const DataLoaderOptions& options() const { return options_; }
  /// Batches of the current pass handed out so far.
  int64_t position() const { return position_; }

  /// {"epoch", "position", "order", "generator"}: where the loader is.
  StateDict state_dict() const;
  /// Restores what state_dict() returned, for a loader over a dataset of the same size with
  /// the same batch_size and drop_last. Checked first (tg::ValueError naming the mismatch;
  /// nothing changes).
  void load_state_dict(const StateDict& state);

  class Iterator {
   public:
    Batch operator*() const {
      loader_->position_ = index_ + 1;
      return loader_->batch(index_);
    }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(Sentinel) const { return index_ >= loader_->num_batches(); }
    int64_t index() const { return index_; }

   private:
    friend class DataLoader;
    explicit Iterator(const DataLoader* loader) : loader_(loader) {}
    const DataLoader* loader_;
    int64_t index_ = 0;
  };

 private:
  Dataset dataset_;
  DataLoaderOptions options_;
  Generator generator_;
  std::vector<int64_t> order_;
  int64_t epoch_ = 0;
  mutable int64_t position_ = 0;  // batches of this pass dereferenced so far
  bool resume_pass_ = false;      // set by load_state_dict: begin() continues the saved pass
};

}  // namespace tg::data
