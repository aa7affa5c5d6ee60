// The real datasets shipped in data/ (iris, wine, breast_cancer, digits, diabetes; see
// data/README.md), found without being told where.
//
//   auto [train, test] = tg::data::load_dataset("iris");   // 120 and 30 rows
//
// find_dataset("iris") looks for iris.csv in, in this order:
//   1. the directory named by the environment variable TAPEGRAD_DATA_DIR, if set;
//   2. the installed datasets: share/tapegrad/data beside the bin/ of the running program,
//      for a program installed in the prefix tapegrad is installed in;
//   3. the data/ directory of the source tree tapegrad was built from;
//   4. data/ under the current directory.
// A name containing '/' or ending in ".csv" is a path and is used as it is.
#pragma once

#include <string>
#include <vector>

#include "tapegrad/data/dataset.hpp"

namespace tg::data {

/// The path of the data file; tg::IoError listing the places tried if there is none.
std::string find_dataset(const std::string& name);

/// The directories find_dataset searches, in order.
std::vector<std::string> dataset_search_path();

/// The dataset's rows split by its split file (<name>.split.csv next to <name>.csv); the
/// target column is "target".
TrainTest load_dataset(const std::string& name);

}  // namespace tg::data
