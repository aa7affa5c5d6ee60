#include "tapegrad/data/csv.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "text.hpp"

namespace tg::data {

namespace {

// The double a cell's text denotes, or a message saying why it denotes none.
bool parse_number(std::string_view cell, double& value, std::string& problem) {
  std::string_view digits = cell;
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-') digits.remove_prefix(1);
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  const std::string quoted = "'" + std::string(cell) + "'";
  if (ec == std::errc::result_out_of_range) {
    problem = quoted + " is out of the range of a double";
  } else if (ec != std::errc() || ptr != end) {
    problem = quoted + " is not a number";
  } else if (!std::isfinite(value)) {
    problem = quoted + " is not a finite number";
  } else {
    return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

CsvData parse_csv(std::string_view text, const std::string& source, const CsvOptions& options) {
  using detail::where;
  const std::vector<detail::Line> lines = detail::lines(text);
  if (lines.empty()) {
    throw FormatError(source + ": the file is empty (expected a header row of column names)");
  }

  std::vector<std::string> header;
  for (const std::string_view name : detail::cells(lines[0].text)) {
    const std::string column = "column " + std::to_string(header.size() + 1);
    if (name.empty()) throw FormatError(where(source, 1) + column + " has no name");
    for (std::size_t k = 0; k < header.size(); ++k) {
      if (header[k] == name) {
        throw FormatError(where(source, 1) + column + " has the same name as column " +
                          std::to_string(k + 1) + " ('" + header[k] + "')");
      }
    }
    header.emplace_back(name);
  }
  std::size_t target = header.size();
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (header[k] == options.target) target = k;
  }
  if (target == header.size()) {
    throw FormatError(where(source, 1) + "no column named '" + options.target +
                      "' for the target (the columns are " + joined(header) + ")");
  }
  if (header.size() == 1) {
    throw FormatError(where(source, 1) + "no feature columns besides the target '" +
                      options.target + "'");
  }
  if (lines.size() == 1) throw FormatError(source + ": no data rows after the header");

  CsvData out;
  out.target_name = options.target;
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (k != target) out.feature_names.push_back(header[k]);
  }
  const auto n_rows = static_cast<int64_t>(lines.size() - 1);
  const auto n_features = static_cast<int64_t>(header.size() - 1);
  std::vector<double> X, y;
  X.reserve(static_cast<std::size_t>(n_rows * n_features));
  y.reserve(static_cast<std::size_t>(n_rows));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const detail::Line& line = lines[i];
    const std::vector<std::string_view> cells = detail::cells(line.text);
    if (cells.size() == 1 && cells[0].empty()) throw FormatError(where(source, line.number) + "empty line");
    if (cells.size() != header.size()) {
      throw FormatError(where(source, line.number) + std::to_string(cells.size()) +
                        " cells, but the header has " + std::to_string(header.size()) +
                        " columns");
    }
    for (std::size_t k = 0; k < cells.size(); ++k) {
      double value = 0.0;
      std::string problem;
      if (!parse_number(cells[k], value, problem)) {
        throw FormatError(where(source, line.number) + "column " + std::to_string(k + 1) + " (" +
                          header[k] + "): " + problem);
      }
      (k == target ? y : X).push_back(value);
    }
  }
  out.dataset = Dataset(tensor(X, Shape{n_rows, n_features}), tensor(y, Shape{n_rows}));
  return out;
}

CsvData read_csv(const std::string& path, const CsvOptions& options) {
  return parse_csv(detail::read_text("read_csv", path), path, options);
}

}  // namespace tg::data
