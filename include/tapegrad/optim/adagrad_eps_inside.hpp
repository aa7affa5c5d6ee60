// Adagrad with ε inside the square root, as written in Ruder (2016), "An overview of gradient
// descent optimization algorithms" (Duchi, Hazan & Singer 2011; canonical name
// "adagrad_eps_inside").
//
//   options: lr = 0.01, eps ε = 1e-8
//   each step:
//     G ← G + g²
//     θ ← θ − lr·g / √(G + ε)               (ε INSIDE the root)
//
// PyTorch's Adagrad puts ε outside (lr·g/(√G + ε)) and adds lr_decay and an initial
// accumulator; the two agree closely only while ε is negligible next to G.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdagradEpsInsideOptions {
  TG_OPTIONS(AdagradEpsInsideOptions);
  TG_OPTION(double, lr, check::lr) = 1e-2;
  TG_OPTION(double, eps, check::positive) = 1e-8;
};

struct AdagradEpsInsideState {
  Tensor sum;  // G, the sum of squared gradients
  void visit(auto& v) { v("sum", sum); }
};

class AdagradEpsInside : public BasicOptimizer<AdagradEpsInsideOptions, AdagradEpsInsideState, AdagradEpsInside> {
 public:
  static constexpr const char* kName = "adagrad_eps_inside";
  static constexpr const char* kSummary =
      "Adagrad with eps inside the square root";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdagradEpsInsideState& state,
              const AdagradEpsInsideOptions& o) override;
};

// Instantiated once, in adagrad_eps_inside.cpp.
extern template class BasicOptimizer<AdagradEpsInsideOptions, AdagradEpsInsideState, AdagradEpsInside>;

}  // namespace tg::optim
