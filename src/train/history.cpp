#include "tapegrad/train/history.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"

namespace tg::train {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

std::string round_trip(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// "W[1][2]": the name of element `flat` of a tensor of shape `shape`.
std::string element_name(const std::string& name, const Shape& shape, int64_t flat) {
  std::string index;
  for (int axis = shape.size() - 1; axis >= 0; --axis) {
    index = "[" + std::to_string(flat % shape[axis]) + "]" + index;
    flat /= shape[axis];
  }
  return name + index;
}

}  // namespace

History::History(std::string index_name) : index_name_(std::move(index_name)) {
  if (index_name_.empty() || index_name_.find_first_of(",\"\r\n") != std::string::npos) {
    throw ValueError("History: the index name '" + index_name_ +
                     "' must be non-empty, without ',', '\"' or line breaks");
  }
}

int64_t History::column_position(const std::string& name) const {
  for (std::size_t k = 0; k < columns_.size(); ++k) {
    if (columns_[k] == name) return static_cast<int64_t>(k);
  }
  return -1;
}

bool History::has(const std::string& column) const { return column_position(column) >= 0; }

void History::record(int64_t index, const Values& values, const NamedTensors& parameters) {
  Values row = values;
  for (const auto& [name, tensor] : parameters) {
    if (!tensor.defined()) throw ValueError("History::record: parameter '" + name + "' is undefined");
    const int64_t n = tensor.numel();
    for (int64_t i = 0; i < n; ++i) {
      row.emplace_back(n == 1 ? name : element_name(name, tensor.shape(), i), tensor.data()[i]);
    }
  }
  for (std::size_t k = 0; k < row.size(); ++k) {
    const std::string& name = row[k].first;
    if (name.empty() || name.find_first_of(",\"\r\n") != std::string::npos) {
      throw ValueError("History::record: the name '" + name +
                       "' must be non-empty, without ',', '\"' or line breaks");
    }
    if (name == index_name_) {
      throw ValueError("History::record: '" + name + "' is the name of the index column");
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (row[j].first == name) throw ValueError("History::record: '" + name + "' is given twice");
    }
  }
  for (const auto& [name, value] : row) {
    if (column_position(name) < 0) columns_.push_back(name);
  }
  std::vector<double> values_row(columns_.size(), kMissing);
  std::vector<bool> present_row(columns_.size(), false);
  for (const auto& [name, value] : row) {
    const auto k = static_cast<std::size_t>(column_position(name));
    values_row[k] = value;
    present_row[k] = true;
  }
  index_.push_back(index);
  rows_.push_back(std::move(values_row));
  present_.push_back(std::move(present_row));
}

std::vector<double> History::column(const std::string& name) const {
  const int64_t k = column_position(name);
  if (k < 0) {
    std::string names;
    for (const std::string& c : columns_) names += (names.empty() ? "" : ", ") + c;
    throw ValueError("History: no column '" + name + "' " +
                     (names.empty() ? "(no columns yet)" : "(the columns are " + names + ")"));
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const auto j = static_cast<std::size_t>(k);
    out.push_back(j < rows_[i].size() && present_[i][j] ? rows_[i][j] : kMissing);
  }
  return out;
}

double History::last(const std::string& name) const {
  const std::vector<double> values = column(name);
  const int64_t k = column_position(name);
  for (std::size_t i = rows_.size(); i-- > 0;) {
    const auto j = static_cast<std::size_t>(k);
    if (j < present_[i].size() && present_[i][j]) return values[i];
  }
  throw ValueError("History: column '" + name + "' has no value yet");
}

std::string History::csv() const {
  std::string out = index_name_;
  for (const std::string& c : columns_) out += "," + c;
  out += '\n';
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    out += std::to_string(index_[i]);
    for (std::size_t j = 0; j < columns_.size(); ++j) {
      out += ',';
      if (j < rows_[i].size() && present_[i][j]) out += round_trip(rows_[i][j]);
    }
    out += '\n';
  }
  return out;
}

void History::write_csv(const std::string& path) const { io::write_file_atomic(path, csv()); }

}  // namespace tg::train
