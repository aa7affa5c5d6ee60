// The optimizer reference trajectories (reference/oracle/) and the four test functions they
// were recorded on, for the conformance tests.
#pragma once

#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace oracle {

struct Entry {
  std::string key;
  std::string function;
  std::string optimizer;
  tg::optim::OptionList options;  // as set in the key; the rest are defaults
  std::vector<double> start;
  std::vector<std::vector<double>> params;  // 51 rows: the start, then after each step
};

/// All entries, read once from TAPEGRAD_ORACLE_DIR.
const std::vector<Entry>& entries();

/// The entries made with an optimizer's authors' code, read once from
/// reference/oracle_ext/<name>/ (same files as the main ones; "larc", ...).
const std::vector<Entry>& ext_entries(const std::string& name);

/// "(x-3)^2+(y+2)^2" and friends on a 2-element tensor, recorded on the tape.
tg::Tensor evaluate(const std::string& function, const tg::Tensor& p);

/// Runs `entry` with `make` (builds the optimizer over the parameter) and returns the rows
/// it produces (51, like Entry::params).
std::vector<std::vector<double>> run(const Entry& entry);

/// "" if the rows match the entry within |a - b| <= 1e-12 + 1e-9·|b|, else a description of
/// the first mismatch.
std::string compare(const Entry& entry, const std::vector<std::vector<double>>& rows);

}  // namespace oracle
