// The problem the checkpoint tests train: a vector and a matrix parameter, so that
// matrix-shaped state (factored moments, Kronecker preconditioners) is exercised too.
#pragma once

#include <vector>

#include <tapegrad/tapegrad.hpp>

/// Values for the options that have no default (lr "nan", Demon's horizon T "0"); Adafactor's
/// lr has none because by default it takes relative steps, which need no lr.
inline tg::optim::OptionList required_options(const tg::optim::OptimizerInfo& info) {
  tg::optim::OptionList out;
  for (const auto& [name, value] : info.defaults) {
    if (name == "lr" && value == "nan" && info.name != "adafactor") out.emplace_back("lr", "0.01");
    if (name == "T" && value == "0") out.emplace_back("T", "100");
  }
  return out;
}

struct Problem {
  tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  tg::Tensor w = tg::tensor({{0.5, -0.3, 0.2}, {0.1, 0.4, -0.6}}, true);
  std::vector<tg::Tensor> params() const { return {p, w}; }
  tg::Tensor loss() const {
    const tg::Tensor target = tg::tensor({{1.0, 0.0, -1.0}, {0.5, 0.5, 0.5}});
    return (1.0 - p[0]).pow(2) + 10.0 * (p[1] - p[0].pow(2)).pow(2) + (w - target).square().sum() * 0.5;
  }
  /// Every parameter value, p then w (row-major).
  std::vector<double> values() const {
    std::vector<double> v = p.to_vector();
    const std::vector<double> m = w.to_vector();
    v.insert(v.end(), m.begin(), m.end());
    return v;
  }
};
