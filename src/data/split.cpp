#include "tapegrad/data/split.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "tapegrad/error.hpp"
#include "tapegrad/random.hpp"
#include "shuffle.hpp"
#include "text.hpp"

namespace tg::data {

Split parse_split(std::string_view text, const std::string& source, int64_t n_rows) {
  using detail::where;
  if (n_rows < 1) throw ValueError("read_split: n_rows must be at least 1, got " + std::to_string(n_rows));
  const std::vector<detail::Line> lines = detail::lines(text);
  if (lines.empty()) throw FormatError(source + ": the file is empty (expected the header index,split)");
  const std::vector<std::string_view> header = detail::cells(lines[0].text);
  if (header.size() != 2 || header[0] != "index" || header[1] != "split") {
    throw FormatError(where(source, 1) + "the header is '" + std::string(lines[0].text) +
                      "', expected 'index,split'");
  }

  std::vector<int64_t> first_line(static_cast<std::size_t>(n_rows), 0);  // 0: not seen yet
  Split out;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const detail::Line& line = lines[i];
    const std::vector<std::string_view> cells = detail::cells(line.text);
    if (cells.size() != 2) {
      throw FormatError(where(source, line.number) + "expected 2 cells (row,split), got " +
                        std::to_string(cells.size()) + ": '" + std::string(line.text) + "'");
    }
    int64_t row = 0;
    const std::string_view cell = cells[0];
    const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), row);
    if (ec != std::errc() || ptr != cell.data() + cell.size()) {
      throw FormatError(where(source, line.number) + "'" + std::string(cell) + "' is not a row number");
    }
    if (row < 0 || row >= n_rows) {
      throw FormatError(where(source, line.number) + "row " + std::to_string(row) +
                        " is out of range for " + std::to_string(n_rows) + " data rows (0.." +
                        std::to_string(n_rows - 1) + ")");
    }
    int64_t& seen = first_line[static_cast<std::size_t>(row)];
    if (seen != 0) {
      throw FormatError(where(source, line.number) + "row " + std::to_string(row) +
                        " is listed again (first on line " + std::to_string(seen) + ")");
    }
    seen = line.number;
    if (cells[1] == "train") {
      out.train.push_back(row);
    } else if (cells[1] == "test") {
      out.test.push_back(row);
    } else {
      throw FormatError(where(source, line.number) + "unknown split '" + std::string(cells[1]) +
                        "' (expected train or test)");
    }
  }

  std::vector<int64_t> missing;
  for (int64_t row = 0; row < n_rows; ++row) {
    if (first_line[static_cast<std::size_t>(row)] == 0) missing.push_back(row);
  }
  if (!missing.empty()) {
    std::string rows;
    for (std::size_t k = 0; k < missing.size() && k < 10; ++k) rows += (k ? ", " : "") + std::to_string(missing[k]);
    if (missing.size() > 10) rows += ", ...";
    throw FormatError(where(source, lines.back().number) + "the file ends, but " +
                      std::to_string(missing.size()) + " of the " + std::to_string(n_rows) +
                      " data rows have no split: " + rows);
  }
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

Split read_split(const std::string& path, int64_t n_rows) {
  return parse_split(detail::read_text("read_split", path), path, n_rows);
}

TrainTest train_test_split(const Dataset& dataset, const Split& split) {
  const int64_t n = dataset.size();
  if (split.train.empty() || split.test.empty()) {
    throw ValueError("train_test_split: the split has " + std::to_string(split.train.size()) +
                     " train and " + std::to_string(split.test.size()) +
                     " test rows; both parts need at least one");
  }
  std::vector<char> in_train(static_cast<std::size_t>(std::max<int64_t>(n, 0)), 0);
  const auto check = [&](int64_t row, const char* part) {
    if (row < 0 || row >= n) {
      throw IndexError("train_test_split: " + std::string(part) + " row " + std::to_string(row) +
                       " is out of range for a dataset of " + std::to_string(n) + " rows");
    }
  };
  for (const int64_t row : split.train) {
    check(row, "train");
    in_train[static_cast<std::size_t>(row)] = 1;
  }
  for (const int64_t row : split.test) {
    check(row, "test");
    if (in_train[static_cast<std::size_t>(row)]) {
      throw ValueError("train_test_split: row " + std::to_string(row) + " is in both parts");
    }
  }
  return {dataset.subset(split.train), dataset.subset(split.test)};
}

TrainTest train_test_split(const Dataset& dataset, double test_fraction, uint32_t seed) {
  const int64_t n = dataset.size();
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw ValueError("train_test_split: test_fraction must be between 0 and 1 (exclusive), got " +
                     detail::number(test_fraction));
  }
  const auto n_test = static_cast<int64_t>(std::ceil(test_fraction * static_cast<double>(n)));
  if (n_test < 1 || n_test >= n) {
    throw ValueError("train_test_split: test_fraction " + detail::number(test_fraction) + " of " +
                     std::to_string(n) + " rows leaves " + std::to_string(n_test) + " test and " +
                     std::to_string(n - n_test) + " train rows; both parts need at least one");
  }
  Generator generator(seed);
  const std::vector<int64_t> order = detail::permutation(n, generator);
  Split split;
  split.test.assign(order.begin(), order.begin() + n_test);
  split.train.assign(order.begin() + n_test, order.end());
  return train_test_split(dataset, split);
}

}  // namespace tg::data
