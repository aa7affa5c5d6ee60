// AdaMax as in Kingma & Ba (2015), Section 7.1, Algorithm 2, with ε added to u in the
// denominator (the paper has none; canonical name "adamax_textbook").
//
//   options: lr = 0.002, betas (β1, β2) = (0.9, 0.999), eps ε = 1e-8
//   each step (t = 1, 2, ...):
//     m ← β1·m + (1 − β1)·g
//     u ← max(β2·u, |g|)
//     θ ← θ − lr·(m / (1 − β1ᵗ)) / (u + ε)
//
// PyTorch's Adamax puts ε inside the maximum (u ← max(β2·u, |g| + ε)) and divides by u.
#pragma once

#include <array>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdamaxTextbookOptions {
  TG_OPTIONS(AdamaxTextbookOptions);
  TG_OPTION(double, lr, check::lr) = 2e-3;
  TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.999};
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct AdamaxTextbookState {
  int64_t step = 0;
  Tensor exp_avg, exp_inf;  // m, u
  void visit(auto& v) {
    v("step", step);
    v("exp_avg", exp_avg);
    v("exp_inf", exp_inf);
  }
};

class AdamaxTextbook : public BasicOptimizer<AdamaxTextbookOptions, AdamaxTextbookState, AdamaxTextbook> {
 public:
  static constexpr const char* kName = "adamax_textbook";
  static constexpr const char* kSummary =
      "AdaMax as in Kingma & Ba, eps added to u in the denominator";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdamaxTextbookState& state, const AdamaxTextbookOptions& o) override;
};

// Instantiated once, in adamax_textbook.cpp.
extern template class BasicOptimizer<AdamaxTextbookOptions, AdamaxTextbookState, AdamaxTextbook>;

}  // namespace tg::optim
