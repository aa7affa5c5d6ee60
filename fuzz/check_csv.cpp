// data::parse_csv. Input: the CSV text, or "TARGET\0TEXT" to choose the target column's name.
// Well-formed: X is (rows, features) and y is (rows,) with rows >= 1 and one feature name per
// column of X, the names are distinct and non-empty, every value is finite, and writing the
// data back as CSV (17 significant digits) and parsing it again gives the same names and the
// same doubles, bit for bit.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "check.hpp"
#include "tapegrad/data/csv.hpp"
#include "tapegrad/error.hpp"

namespace tg::fuzz {

namespace {

struct Parsed {
  data::CsvData csv;
  bool ok = false;
};

Parsed parse(std::string_view text, const data::CsvOptions& options) {
  try {
    return {data::parse_csv(text, "fuzz.csv", options), true};
  } catch (const tg::Error&) {
    return {};
  }
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.numel()) * sizeof(double)) == 0;
}

std::string write_csv(const data::CsvData& csv) {
  // A byte-order mark first, so that a first name that itself starts with one keeps it.
  std::string out = "\xEF\xBB\xBF";
  for (const std::string& name : csv.feature_names) out += name + ",";
  out += csv.target_name + "\n";
  const Tensor& X = csv.dataset.X;
  const int64_t rows = X.size(0), features = X.size(1);
  char cell[40];
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < features; ++j) {
      std::snprintf(cell, sizeof cell, "%.17g,", X.data()[i * features + j]);
      out += cell;
    }
    std::snprintf(cell, sizeof cell, "%.17g\n", csv.dataset.y.data()[i]);
    out += cell;
  }
  return out;
}

}  // namespace

void check_csv(std::string_view input) {
  data::CsvOptions options;
  if (const std::size_t nul = input.find('\0'); nul != std::string_view::npos) {
    options.target = std::string(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  const Parsed parsed = parse(input, options);
  if (!parsed.ok) return;
  const data::CsvData& csv = parsed.csv;
  const Tensor& X = csv.dataset.X;
  const Tensor& y = csv.dataset.y;

  require(X.ndim() == 2 && y.ndim() == 1, "parse_csv: X must be 2-d and y 1-d, got " + X.shape().str() + " and " +
                                            y.shape().str());
  require(X.size(0) >= 1 && X.size(0) == y.size(0), "parse_csv: X and y must have the same rows (at least one)");
  require(X.size(1) >= 1 && static_cast<std::size_t>(X.size(1)) == csv.feature_names.size(),
          "parse_csv: one feature name per column of X");
  require(csv.target_name == options.target, "parse_csv: the target's name is not the one asked for");
  std::set<std::string> names(csv.feature_names.begin(), csv.feature_names.end());
  names.insert(csv.target_name);
  require(names.size() == csv.feature_names.size() + 1 && !names.count(""),
          "parse_csv: column names must be distinct and non-empty");
  for (const Tensor* t : {&X, &y}) {
    for (int64_t k = 0; k < t->numel(); ++k) require(std::isfinite(t->data()[k]), "parse_csv: a value is not finite");
  }

  const Parsed again = parse(write_csv(csv), options);
  require(again.ok, "parse_csv: the parsed data, written back as CSV, does not parse");
  require(again.csv.feature_names == csv.feature_names, "parse_csv: the names do not round-trip");
  require(same_bits(again.csv.dataset.X, X) && same_bits(again.csv.dataset.y, y),
          "parse_csv: the values do not round-trip");
}

}  // namespace tg::fuzz
