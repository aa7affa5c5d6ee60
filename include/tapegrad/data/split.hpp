// Train/test splits: which rows a model learns from and which ones only measure it.
//
// A split file, as shipped with the datasets in data/, has the header "index,split" and one
// line "<row>,train" or "<row>,test" for every row of the data file (rows count from 0, not
// counting the header). read_split checks that every row 0..n_rows-1 appears exactly once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tapegrad/data/dataset.hpp"

namespace tg::data {

/// Row numbers of the two parts.
struct Split {
  std::vector<int64_t> train;
  std::vector<int64_t> test;
};

/// Reads a split file for a data file of `n_rows` rows; each part lists its rows in increasing
/// order. tg::IoError if the file cannot be read; tg::FormatError naming the file and the line
/// for a wrong header, a malformed line, an unknown label, a row outside 0..n_rows-1, a row
/// listed twice, and rows listed nowhere.
Split read_split(const std::string& path, int64_t n_rows);

/// Parses split text; `source` is the name used in error messages.
Split parse_split(std::string_view text, const std::string& source, int64_t n_rows);

/// The rows of `split` (in the split's order). tg::IndexError for a row outside the dataset,
/// tg::ValueError for an empty part or a row in both parts.
TrainTest train_test_split(const Dataset& dataset, const Split& split);

/// A random split: ⌈test_fraction·N⌉ rows for test, the others for train, as scikit-learn's
/// train_test_split(..., test_size=test_fraction, shuffle=True, random_state=seed) without
/// stratify: the rows are shuffled with np.random.RandomState(seed).permutation(N), the
/// first ones form the test part and the rest the train part, both in that shuffled order.
/// tg::ValueError unless 0 < test_fraction < 1 and both parts get at least one row.
TrainTest train_test_split(const Dataset& dataset, double test_fraction, uint32_t seed = 0);

}  // namespace tg::data
