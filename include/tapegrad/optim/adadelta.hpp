// Adadelta (torch.optim.Adadelta; canonical name "adadelta") and Zeiler's learning-rate-free
// original (canonical name "adadelta_nolr"). Zeiler (2012), "ADADELTA: An Adaptive Learning
// Rate Method", arXiv 1212.5701, Algorithm 1.
//
//   options: lr, rho ρ, eps ε, weight_decay λ, maximize   (adadelta_nolr: rho, eps only)
//   state: Eg = 0 (square_avg), Edx = 0 (acc_delta)
//   each step:
//     g ← ∇f(θ);  if maximize: g ← −g
//     if λ ≠ 0:  g ← g + λθ                          (coupled L2)
//     Eg  ← ρ·Eg + (1 − ρ)·g²
//     Δ   ← √(Edx + ε) / √(Eg + ε) · g              (ε inside BOTH roots)
//     Edx ← ρ·Edx + (1 − ρ)·Δ²                      (with this step's Δ)
//     θ   ← θ − lr·Δ
//
// The paper's rule has no learning rate: AdadeltaNoLr is the same update with lr = 1 (and no
// weight decay or maximize), and gives bit-identical trajectories to Adadelta with lr = 1.
// The ε in the numerator is what starts the method: from Edx = 0 the first step is about
// √(ε/(1 − ρ)) per coordinate, whatever the scale of g.
#pragma once

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

struct AdadeltaOptions {
  TG_OPTIONS(AdadeltaOptions);
  TG_OPTION(double, lr, check::lr) = 1.0;
  TG_OPTION(double, rho, check::unit_interval) = 0.9;
  TG_OPTION(double, eps, check::positive) = 1e-6;
  TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
  TG_OPTION(bool, maximize, check::any) = false;
};

/// The paper's options (Zeiler's defaults ρ = 0.95, ε = 1e-6); no learning rate.
struct AdadeltaNoLrOptions {
  TG_OPTIONS(AdadeltaNoLrOptions);
  TG_OPTION(double, rho, check::unit_interval) = 0.95;
  TG_OPTION(double, eps, check::positive) = 1e-6;
};

struct AdadeltaState {
  int64_t step = 0;
  Tensor square_avg, acc_delta;
  void visit(auto& v) {
    v("step", step);
    v("square_avg", square_avg);
    v("acc_delta", acc_delta);
  }
};

class Adadelta : public BasicOptimizer<AdadeltaOptions, AdadeltaState, Adadelta> {
 public:
  static constexpr const char* kName = "adadelta";
  static constexpr const char* kSummary =
      "Adadelta with PyTorch's lr multiplier, eps inside both roots";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdadeltaState& state, const AdadeltaOptions& o) override;
};

class AdadeltaNoLr : public BasicOptimizer<AdadeltaNoLrOptions, AdadeltaState, AdadeltaNoLr> {
 public:
  static constexpr const char* kName = "adadelta_nolr";
  static constexpr const char* kSummary =
      "Zeiler's Adadelta, no learning rate (adadelta with lr = 1)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AdadeltaState& state, const AdadeltaNoLrOptions& o) override;
};

// Instantiated once, in adadelta.cpp.
extern template class BasicOptimizer<AdadeltaOptions, AdadeltaState, Adadelta>;
extern template class BasicOptimizer<AdadeltaNoLrOptions, AdadeltaState, AdadeltaNoLr>;

}  // namespace tg::optim
