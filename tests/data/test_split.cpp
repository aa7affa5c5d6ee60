// Split files (every refused form with its message), train_test_split by a split and by a
// seeded shuffle (scikit-learn's rows for a seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"
#include "data/temp_dir.hpp"

namespace {

using tg::data::Dataset;
using tg::data::parse_split;
using tg::data::Split;
using tg::data::train_test_split;

std::string split_error(const std::string& text, int64_t n_rows) {
  return error_message<tg::FormatError>([&] { parse_split(text, "data/iris.split.csv", n_rows); });
}

// Row i: X = (i, -i), y = 100 + i.
Dataset rows(int64_t n) {
  std::vector<double> X, y;
  for (int64_t i = 0; i < n; ++i) {
    X.push_back(i);
    X.push_back(-i);
    y.push_back(100.0 + i);
  }
  return Dataset(tg::tensor(X, {n, 2}), tg::tensor(y, {n}));
}

std::vector<int64_t> row_numbers(const Dataset& part) {
  std::vector<int64_t> out;
  for (const double x : part.X.narrow(1, 0, 1).to_vector()) out.push_back(static_cast<int64_t>(x));
  return out;
}

TEST(ReadSplit, PartsInRowOrder) {
  TempDir dir;
  const std::string path = dir.write("s.split.csv", "index,split\n3,test\n0,train\n2,train\n1,test\n4,train\n");
  const Split split = tg::data::read_split(path, 5);
  EXPECT_EQ(split.train, (std::vector<int64_t>{0, 2, 4}));
  EXPECT_EQ(split.test, (std::vector<int64_t>{1, 3}));
}

TEST(ReadSplitErrors, EachProblemWithFileAndLine) {
  TempDir dir;
  const std::string missing = dir.path() + "/none.split.csv";
  EXPECT_EQ(error_message<tg::IoError>([&] { tg::data::read_split(missing, 3); }),
            "read_split: cannot open " + missing + ": No such file or directory");
  EXPECT_EQ(split_error("", 2), "data/iris.split.csv: the file is empty (expected the header index,split)");
  EXPECT_EQ(split_error("row,part\n0,train\n", 1),
            "data/iris.split.csv:1: the header is 'row,part', expected 'index,split'");
  EXPECT_EQ(split_error("index,split\n0,train\n1,valid\n", 2),
            "data/iris.split.csv:3: unknown split 'valid' (expected train or test)");
  EXPECT_EQ(split_error("index,split\n0,train\n2,test\n", 2),
            "data/iris.split.csv:3: row 2 is out of range for 2 data rows (0..1)");
  EXPECT_EQ(split_error("index,split\n-1,test\n", 2),
            "data/iris.split.csv:2: row -1 is out of range for 2 data rows (0..1)");
  EXPECT_EQ(split_error("index,split\n0,train\n1,test\n0,test\n", 2),
            "data/iris.split.csv:4: row 0 is listed again (first on line 2)");
  EXPECT_EQ(split_error("index,split\n0,train\n3,test\n", 5),
            "data/iris.split.csv:3: the file ends, but 3 of the 5 data rows have no split: 1, 2, 4");
  EXPECT_EQ(split_error("index,split\n", 12),
            "data/iris.split.csv:1: the file ends, but 12 of the 12 data rows have no split: "
            "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...");
  EXPECT_EQ(split_error("index,split\nzero,train\n", 1), "data/iris.split.csv:2: 'zero' is not a row number");
  EXPECT_EQ(split_error("index,split\n0,train,x\n", 1),
            "data/iris.split.csv:2: expected 2 cells (row,split), got 3: '0,train,x'");
  EXPECT_EQ(error_message<tg::ValueError>([] { parse_split("index,split\n", "s", 0); }),
            "read_split: n_rows must be at least 1, got 0");
}

TEST(TrainTestSplit, BySplit) {
  const auto [train, test] = train_test_split(rows(6), Split{{5, 0, 2}, {4}});
  EXPECT_EQ(row_numbers(train), (std::vector<int64_t>{5, 0, 2}));
  EXPECT_EQ(train.y.to_vector(), (std::vector<double>{105, 100, 102}));
  EXPECT_EQ(row_numbers(test), (std::vector<int64_t>{4}));
  EXPECT_EQ(test.X.shape(), tg::Shape({1, 2}));
}

TEST(TrainTestSplit, RefusedSplits) {
  const Dataset d = rows(4);
  EXPECT_EQ(error_message<tg::IndexError>([&] { train_test_split(d, Split{{0, 4}, {1}}); }),
            "train_test_split: train row 4 is out of range for a dataset of 4 rows");
  EXPECT_EQ(error_message<tg::IndexError>([&] { train_test_split(d, Split{{0}, {-1}}); }),
            "train_test_split: test row -1 is out of range for a dataset of 4 rows");
  EXPECT_EQ(error_message<tg::ValueError>([&] { train_test_split(d, Split{{0, 1}, {2, 1}}); }),
            "train_test_split: row 1 is in both parts");
  EXPECT_EQ(error_message<tg::ValueError>([&] { train_test_split(d, Split{{0, 1}, {}}); }),
            "train_test_split: the split has 2 train and 0 test rows; both parts need at least one");
}

// sklearn.model_selection.train_test_split(np.arange(10), test_size=0.3, random_state=1)
// -> train [4, 0, 3, 1, 7, 8, 5], test [2, 9, 6]
TEST(TrainTestSplit, SeededShuffleAsScikitLearn) {
  const auto [train, test] = train_test_split(rows(10), 0.3, 1);
  EXPECT_EQ(row_numbers(train), (std::vector<int64_t>{4, 0, 3, 1, 7, 8, 5}));
  EXPECT_EQ(row_numbers(test), (std::vector<int64_t>{2, 9, 6}));
  EXPECT_EQ(test.y.to_vector(), (std::vector<double>{102, 109, 106}));
  const auto [train2, test2] = train_test_split(rows(10), 0.3, 1);
  EXPECT_EQ(row_numbers(test2), row_numbers(test));
  EXPECT_EQ(train_test_split(rows(7), 0.2, 0).test.size(), 2) << "⌈0.2·7⌉ = 2";
}

TEST(TrainTestSplit, RefusedFractions) {
  const Dataset d = rows(4);
  EXPECT_EQ(error_message<tg::ValueError>([&] { train_test_split(d, 0.0, 0); }),
            "train_test_split: test_fraction must be between 0 and 1 (exclusive), got 0");
  EXPECT_EQ(error_message<tg::ValueError>([&] { train_test_split(d, 1.0, 0); }),
            "train_test_split: test_fraction must be between 0 and 1 (exclusive), got 1");
  EXPECT_EQ(error_message<tg::ValueError>([&] { train_test_split(d, 0.9, 0); }),
            "train_test_split: test_fraction 0.9 of 4 rows leaves 4 test and 0 train rows; "
            "both parts need at least one");
}

}  // namespace
