// History: the numbers of a training run — loss, metrics, chosen parameter values — recorded
// per step or per epoch, and written as a CSV file to plot or compare runs.
//
//   tg::train::History history("epoch");
//   history.record(epoch, {{"loss", loss}, {"accuracy", acc}}, {{"w", w}, {"b", b}});
//   history.write_csv("run.csv");
//
// gives
//
//   epoch,loss,accuracy,w,b
//   1,0.69314718055994529,0.5,0.125,-0.5
//
// Columns appear in the order they were first recorded; a row that lacks a column leaves
// its cell empty. Numbers are written with 17 significant digits (printf's %.17g), which reads
// back as the same double.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tapegrad/tensor.hpp"
#include "tapegrad/train/values.hpp"

namespace tg::train {

/// Parameters to record by value: a one-element tensor gives one column named as given,
/// a larger one a column per element, "W[0][1]" (row-major order).
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class History {
 public:
  /// `index_name` heads the first column ("epoch", "step", ...).
  explicit History(std::string index_name = "epoch");

  /// Adds a row. tg::ValueError for a name that is empty, repeated within the row, equal to
  /// the index column's, or containing ',', '"' or a line break.
  void record(int64_t index, const Values& values, const NamedTensors& parameters = {});

  /// Number of rows.
  int64_t size() const { return static_cast<int64_t>(index_.size()); }
  const std::string& index_name() const { return index_name_; }
  const std::vector<int64_t>& index() const { return index_; }
  /// The value columns, in order.
  const std::vector<std::string>& columns() const { return columns_; }
  bool has(const std::string& column) const;
  /// One column, NaN where a row lacks it; tg::ValueError naming the columns if unknown.
  std::vector<double> column(const std::string& name) const;
  /// The latest value recorded in a column; tg::ValueError if there is none.
  double last(const std::string& name) const;

  /// The CSV text: the header, then one line per row, each ending in '\n'.
  std::string csv() const;
  /// Writes csv() to `path` atomically (tg::IoError naming the path on failure).
  void write_csv(const std::string& path) const;

 private:
  int64_t column_position(const std::string& name) const;  // -1 if unknown
  std::string index_name_;
  std::vector<std::string> columns_;
  std::vector<int64_t> index_;
  std::vector<std::vector<double>> rows_;  // one value per column known when the row came
  std::vector<std::vector<bool>> present_;
};

}  // namespace tg::train
