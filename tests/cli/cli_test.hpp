// Helpers for the tests of the command-line tool: run a subcommand and capture what it prints,
// read a CSV trace back.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "cli.hpp"

namespace cli_test {

struct Output {
  int status = -1;
  std::string out, err;
};

inline Output optimize(const tg::cli::OptimizeArgs& args) {
  std::ostringstream out, err;
  Output o;
  o.status = tg::cli::optimize(args, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

inline Output race(const tg::cli::RaceArgs& args) {
  std::ostringstream out, err;
  Output o;
  o.status = tg::cli::race_command(args, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

inline Output landscape(const tg::cli::LandscapeArgs& args) {
  std::ostringstream out, err;
  Output o;
  o.status = tg::cli::landscape(args, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

inline Output list(const std::string& what) {
  std::ostringstream out, err;
  Output o;
  o.status = tg::cli::list(what, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

inline Output kfac(const tg::cli::KfacArgs& args) {
  std::ostringstream out, err;
  Output o;
  o.status = tg::cli::kfac(args, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

/// A CSV text: its header line and its rows of numbers (read with strtod, exact for %.17g).
struct Csv {
  std::string header;
  std::vector<std::vector<double>> rows;
};

inline Csv read_csv(const std::string& text) {
  Csv csv;
  std::istringstream in(text);
  std::getline(in, csv.header);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::istringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) row.push_back(std::strtod(cell.c_str(), nullptr));
    csv.rows.push_back(row);
  }
  return csv;
}

/// The whole of a text file ("" if it cannot be read).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The loop a user would write: make_optimizer, and a closure that zero_grads, evaluates f
/// and calls backward(). The points from the start to step `steps`.
inline std::vector<std::vector<double>> reference_run(const tg::functions::TestFunction& f, const std::string& optimizer,
                                                      const tg::optim::OptionList& options,
                                                      const std::vector<double>& start, int steps) {
  tg::Tensor p = tg::tensor(start, f.shape, true);
  auto opt = tg::optim::make_optimizer(optimizer, {p}, options);
  std::vector<std::vector<double>> rows{p.to_vector()};
  for (int i = 0; i < steps; ++i) {
    opt->step([&] {
      opt->zero_grad();
      tg::Tensor loss = f(p);
      loss.backward();
      return loss;
    });
    rows.push_back(p.to_vector());
  }
  return rows;
}

}  // namespace cli_test
