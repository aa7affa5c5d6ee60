// The K-FAC reference trajectories of reference/oracle_ext/kfac/mlp_iris30.txt (KFAC-Pytorch's
// KFACOptimizer on a 4-8-3 tanh MLP and 30 iris rows; see the README there), and the problem
// they were recorded on, for the K-FAC tests of the library and of the command line.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#ifndef TAPEGRAD_REFERENCE_DIR
#error "TAPEGRAD_REFERENCE_DIR must name tests/reference"
#endif

namespace kfac_reference {

struct Entry {
  std::string key;
  std::string set;     // "strict" or "relaxed"
  std::string fisher;  // "empirical" or "sampled"
  tg::optim::OptionList options;
  std::vector<double> start;
  std::vector<std::vector<double>> params;  // 51 rows: the start, then after each step
  std::vector<double> loss;                 // at each row
  std::map<int64_t, std::vector<double>> fisher_labels;  // by statistics step
  std::vector<double> nu, vg_sum;                         // per step
  std::vector<std::vector<double>> update_grad;           // the gradients after steps 0..4
  std::vector<std::vector<double>> factors;               // after step 0: m_aa, m_gg of layer 0, then layer 1
};

struct Reference {
  std::vector<double> X;  // 30×4, standardised
  std::vector<double> y, train_mean, train_std;
  std::vector<Entry> entries;
};

inline std::vector<double> numbers(std::istringstream& in) {
  std::vector<double> v;
  for (double x; in >> x;) v.push_back(x);
  return v;
}

inline const Reference& reference() {
  static const Reference ref = [] {
    const std::string path = TAPEGRAD_REFERENCE_DIR "/oracle_ext/kfac/mlp_iris30.txt";
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read " + path);
    Reference r;
    std::string line;
    while (std::getline(file, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream in(line);
      std::string name;
      in >> name;
      if (name == "problem") {
        std::string what;
        in >> what;
        if (what == "X") {
          int64_t rows = 0, cols = 0;
          in >> rows >> cols;
          r.X = numbers(in);
        } else if (what == "y") {
          r.y = numbers(in);
        } else if (what == "train_mean") {
          r.train_mean = numbers(in);
        } else if (what == "train_std") {
          r.train_std = numbers(in);
        }
        continue;
      }
      if (name == "entry") {
        r.entries.emplace_back();
        in >> r.entries.back().key;
        continue;
      }
      Entry& e = r.entries.back();
      if (name == "set") {
        in >> e.set;
      } else if (name == "fisher") {
        in >> e.fisher;
      } else if (name == "option") {
        std::string key, value;
        in >> key >> value;
        e.options.emplace_back(key, value);
      } else if (name == "start") {
        e.start = numbers(in);
      } else if (name == "params") {
        int64_t k = 0;
        in >> k;
        e.params.push_back(numbers(in));
      } else if (name == "loss") {
        e.loss = numbers(in);
      } else if (name == "fisher_labels") {
        int64_t k = 0;
        in >> k;
        e.fisher_labels[k] = numbers(in);
      } else if (name == "nu") {
        e.nu = numbers(in);
      } else if (name == "vg_sum") {
        e.vg_sum = numbers(in);
      } else if (name == "update_grad") {
        int64_t k = 0;
        in >> k;
        e.update_grad.push_back(numbers(in));
      } else if (name == "factor") {
        int64_t layer = 0, n = 0;
        std::string which;
        in >> layer >> which >> n;
        e.factors.push_back(numbers(in));
      }
    }
    return r;
  }();
  return ref;
}

/// The options of an entry as KFACOptions.
inline tg::optim::KFACOptions options_of(const Entry& e) {
  tg::optim::KFACOptions o;
  tg::optim::apply_options("kfac", e.options, o);
  return o;
}

/// "" if every value is within |a − b| ≤ 1e-12 + 1e-9·|b| of the reference, else the first
/// that is not, with the largest score max |a − b| / (1e-12 + 1e-9·|b|) over all of them.
inline std::string compare(const std::vector<std::vector<double>>& got, const std::vector<std::vector<double>>& want,
                           const std::string& what) {
  if (got.size() != want.size()) return what + ": " + std::to_string(got.size()) + " rows, expected " + std::to_string(want.size());
  double worst = 0.0;
  std::string first;
  for (std::size_t r = 0; r < want.size(); ++r) {
    if (got[r].size() != want[r].size()) return what + ": row " + std::to_string(r) + " has the wrong length";
    for (std::size_t c = 0; c < want[r].size(); ++c) {
      const double tol = 1e-12 + 1e-9 * std::fabs(want[r][c]);
      const double score = std::fabs(got[r][c] - want[r][c]) / tol;
      if (!(score <= worst)) worst = score;
      if (!(score <= 1.0) && first.empty()) {
        std::ostringstream s;
        s.precision(17);
        s << what << ": row " << r << " component " << c << ": " << got[r][c] << " against " << want[r][c];
        first = s.str();
      }
    }
  }
  if (first.empty()) return "";
  return first + " (largest score " + std::to_string(worst) + ")";
}

}  // namespace kfac_reference
