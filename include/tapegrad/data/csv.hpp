// Reading a numeric CSV file into a dataset.
//
// The format: a header row of column names, then one row per example, cells separated by
// commas, every cell a number written with '.' as decimal point ("5.1", "-0.25", "1e-3").
// One column, chosen by name, is the target y; the others, in file order, are the features X.
// Spaces around a cell, a UTF-8 byte-order mark, "\r\n" line ends and empty lines at the end
// of the file are accepted. Numbers are parsed exactly (std::from_chars): a cell gives the
// double nearest to its decimal text, so "0.07871" is the same double as in C++ source code.
//
// Errors name the file, the line and the column (lines count from 1, the header being line 1;
// columns count from 1):
//   tg::IoError      the file cannot be opened or read
//   tg::FormatError  an empty file, a header without data rows, an unnamed or repeated column,
//                    no column with the target's name, a row with another number of cells than
//                    the header, an empty line, a cell that is not a finite number:
//                    "data/iris.csv:17: column 3 (petal_length_cm): 'abc' is not a number"
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tapegrad/data/dataset.hpp"

namespace tg::data {

struct CsvOptions {
  std::string target = "target";  // the name of the target column
};

struct CsvData {
  Dataset dataset;                         // X (rows, features), y (rows,)
  std::vector<std::string> feature_names;  // the names of X's columns
  std::string target_name;
};

CsvData read_csv(const std::string& path, const CsvOptions& options = {});

/// Parses CSV text; `source` is the name used in error messages (a file name).
CsvData parse_csv(std::string_view text, const std::string& source, const CsvOptions& options = {});

}  // namespace tg::data
