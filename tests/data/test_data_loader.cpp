// Dataset and DataLoader: batch counts and sizes, the pairing of X and y rows, reproducible
// shuffles that differ between epochs (NumPy's permutations), batches as independent copies,
// and the refused options.
#include <gtest/gtest.h>

#include <algorithm>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"

namespace {

using tg::data::Batch;
using tg::data::DataLoader;
using tg::data::Dataset;

// Row i: X = (10i, 10i + 1), y = i.
Dataset rows(int64_t n) {
  std::vector<double> X, y;
  for (int64_t i = 0; i < n; ++i) {
    X.push_back(10.0 * i);
    X.push_back(10.0 * i + 1);
    y.push_back(i);
  }
  return Dataset(tg::tensor(X, {n, 2}), tg::tensor(y, {n}));
}

// The y values (= row numbers) of every batch of one pass, and the batch sizes.
std::vector<int64_t> one_pass(DataLoader& loader, std::vector<int64_t>* sizes = nullptr) {
  std::vector<int64_t> seen;
  for (const auto& [X, y] : loader) {
    if (sizes) sizes->push_back(y.size(0));
    for (int64_t i = 0; i < y.size(0); ++i) {
      const auto row = static_cast<int64_t>(y.at({i}));
      EXPECT_EQ(X.at({i, 0}), 10.0 * row);
      EXPECT_EQ(X.at({i, 1}), 10.0 * row + 1);
      seen.push_back(row);
    }
  }
  return seen;
}

std::vector<int64_t> iota(int64_t n) {
  std::vector<int64_t> out(static_cast<std::size_t>(n));
  for (int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = i;
  return out;
}

TEST(Dataset, SizeAndSubset) {
  const Dataset d = rows(5);
  EXPECT_EQ(d.size(), 5);
  EXPECT_EQ(Dataset().size(), 0);
  const Dataset s = d.subset({4, 0, 4});
  EXPECT_EQ(s.X.shape(), tg::Shape({3, 2}));
  EXPECT_EQ(s.y.to_vector(), (std::vector<double>{4, 0, 4}));
  EXPECT_EQ(s.X.to_vector(), (std::vector<double>{40, 41, 0, 1, 40, 41}));
  EXPECT_EQ(error_message<tg::IndexError>([&] { d.subset({1, 5}); }),
            "Dataset::subset: row 5 is out of range for a dataset of 5 rows");
}

TEST(Dataset, RowsMustMatch) {
  EXPECT_EQ(error_message<tg::ShapeError>([] { Dataset(tg::zeros({3, 2}), tg::zeros({4})); }),
            "Dataset: X (3, 2) and y (4,) must have the same number of rows");
  EXPECT_EQ(error_message<tg::ShapeError>([] { Dataset(tg::tensor(1.0), tg::zeros({1})); }),
            "Dataset: X () and y (1,) must have the same number of rows");
  EXPECT_EQ(error_message<tg::ValueError>([] { Dataset(tg::Tensor(), tg::zeros({1})); }),
            "Dataset: X and y must be defined tensors");
}

TEST(DataLoader, BatchSizesAndCounts) {
  const Dataset d = rows(10);
  struct Case {
    int64_t batch_size;
    bool drop_last;
    std::vector<int64_t> sizes;
  };
  const std::vector<Case> cases = {
      {10, false, {10}},                            // batch gradient descent
      {1, false, std::vector<int64_t>(10, 1)},      // stochastic
      {3, false, {3, 3, 3, 1}},                     // mini-batches, a short last one
      {3, true, {3, 3, 3}},                         // ... dropped
      {5, true, {5, 5}},                            // nothing to drop
      {25, false, {10}},                            // larger than the dataset
      {25, true, {}},                               // ... and dropped: no batch at all
  };
  for (const Case& c : cases) {
    DataLoader loader(d, {.batch_size = c.batch_size, .drop_last = c.drop_last});
    std::vector<int64_t> sizes;
    const std::vector<int64_t> seen = one_pass(loader, &sizes);
    EXPECT_EQ(sizes, c.sizes) << "batch_size " << c.batch_size;
    EXPECT_EQ(loader.num_batches(), static_cast<int64_t>(c.sizes.size()));
    const auto expected_rows = std::min<int64_t>(10, static_cast<int64_t>(c.sizes.size()) * c.batch_size);
    EXPECT_EQ(seen, iota(expected_rows)) << "without shuffle the rows come in order";
  }
}

TEST(DataLoader, TwoDimensionalTargets) {
  const Dataset d(tg::arange(12).reshape({6, 2}), tg::arange(18).reshape({6, 3}));
  DataLoader loader(d, {.batch_size = 4});
  std::vector<tg::Shape> shapes;
  for (const Batch& batch : loader) shapes.push_back(batch.y.shape());
  EXPECT_EQ(shapes, (std::vector<tg::Shape>{{4, 3}, {2, 3}}));
  EXPECT_EQ(loader.batch(1).y.to_vector(), (std::vector<double>{12, 13, 14, 15, 16, 17}));
}

// np.random.RandomState(3): permutation(10) twice.
TEST(DataLoader, ShuffleFollowsNumPyAndChangesEveryEpoch) {
  DataLoader loader(rows(10), {.batch_size = 4, .shuffle = true, .seed = 3});
  EXPECT_EQ(loader.epoch(), 0);
  EXPECT_EQ(one_pass(loader), (std::vector<int64_t>{5, 4, 1, 2, 9, 6, 7, 0, 3, 8}));
  EXPECT_EQ(loader.order(), (std::vector<int64_t>{5, 4, 1, 2, 9, 6, 7, 0, 3, 8}));
  EXPECT_EQ(one_pass(loader), (std::vector<int64_t>{3, 8, 2, 1, 9, 4, 0, 6, 7, 5}));
  EXPECT_EQ(loader.epoch(), 2);
}

TEST(DataLoader, ShuffleIsReproducibleAndLeavesTheGlobalGeneratorAlone) {
  const Dataset d = rows(50);
  tg::manual_seed(7);
  const std::vector<double> expected = tg::rand({3}).to_vector();

  tg::manual_seed(7);
  DataLoader a(d, {.batch_size = 8, .shuffle = true, .seed = 11});
  DataLoader b(d, {.batch_size = 8, .shuffle = true, .seed = 11});
  DataLoader c(d, {.batch_size = 8, .shuffle = true, .seed = 12});
  std::vector<std::vector<int64_t>> epochs;
  for (int epoch = 0; epoch < 5; ++epoch) {
    const std::vector<int64_t> from_a = one_pass(a);
    EXPECT_EQ(from_a, one_pass(b));
    EXPECT_NE(from_a, one_pass(c));
    std::vector<int64_t> sorted = from_a;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, iota(50)) << "every row exactly once per epoch";
    for (const auto& earlier : epochs) EXPECT_NE(from_a, earlier);
    epochs.push_back(from_a);
  }
  EXPECT_EQ(tg::rand({3}).to_vector(), expected);
}

TEST(DataLoader, BatchesAreIndependentLeafCopies) {
  Dataset d = rows(4);
  d.X.set_requires_grad();
  DataLoader loader(d, {.batch_size = 2});
  for (Batch batch : loader) {
    EXPECT_TRUE(batch.X.is_leaf());
    EXPECT_FALSE(batch.X.requires_grad());
    batch.X.fill_(-1.0);
    batch.y.fill_(-1.0);
  }
  EXPECT_EQ(d.X.to_vector(), (std::vector<double>{0, 1, 10, 11, 20, 21, 30, 31}));
  EXPECT_EQ(d.y.to_vector(), (std::vector<double>{0, 1, 2, 3}));
}

TEST(DataLoader, RefusesBadOptions) {
  const Dataset d = rows(3);
  EXPECT_EQ(error_message<tg::ValueError>([&] { DataLoader(d, {.batch_size = 0}); }),
            "DataLoader: batch_size must be at least 1, got 0");
  EXPECT_EQ(error_message<tg::ValueError>([&] { DataLoader(d, {.batch_size = -4}); }),
            "DataLoader: batch_size must be at least 1, got -4");
  EXPECT_EQ(error_message<tg::ValueError>([] { DataLoader{Dataset()}; }),
            "DataLoader: the dataset is empty (X or y undefined)");
  EXPECT_EQ(error_message<tg::ValueError>([] { DataLoader(Dataset(tg::zeros({0, 2}), tg::zeros({0}))); }),
            "DataLoader: the dataset is empty (X (0, 2))");
  Dataset mismatched = rows(3);
  mismatched.y = tg::zeros({2});
  EXPECT_EQ(error_message<tg::ShapeError>([&] { DataLoader{mismatched}; }),
            "Dataset: X (3, 2) and y (2,) must have the same number of rows");
  DataLoader loader(d, {.batch_size = 2});
  EXPECT_EQ(error_message<tg::IndexError>([&] { loader.batch(2); }),
            "DataLoader::batch: batch 2 is out of range for 2 batches");
}

// Fits y = w·x + b by gradient descent, reading the data through a loader.
std::pair<double, double> fit(const Dataset& data, int64_t batch_size, double lr, int epochs) {
  tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
  tg::optim::SGD opt({w, b}, {.lr = lr});
  DataLoader loader(data, {.batch_size = batch_size, .shuffle = batch_size < data.size(), .seed = 1});
  for (int epoch = 0; epoch < epochs; ++epoch) {
    for (const auto& [X, y] : loader) {
      opt.zero_grad();
      (X.reshape({-1}) * w + b - y).square().mean().backward();
      opt.step();
    }
  }
  return {w.item(), b.item()};
}

// batch_size = N is the full-batch gradient descent of fit_line (README: 200 epochs, lr 0.05).
TEST(DataLoader, FullBatchIsBatchGradientDescent) {
  tg::manual_seed(42);
  const Dataset data = tg::data::make_linear(100);
  const auto [w, b] = fit(data, 100, 0.05, 200);
  EXPECT_NEAR(w, 1.431034, 5e-7);
  EXPECT_NEAR(b, 1.977814, 5e-7);
  const auto [w10, b10] = fit(data, 10, 0.01, 100);  // mini-batches reach the same line, roughly
  EXPECT_NEAR(w10, 1.431034, 0.05);
  EXPECT_NEAR(b10, 1.977814, 0.1);
}

}  // namespace
