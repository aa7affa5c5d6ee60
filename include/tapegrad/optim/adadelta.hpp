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
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0.0;
  bool maximize = false;

  template <class V>
  void visit(V& v) {
    v("lr", lr);
    v("rho", rho);
    v("eps", eps);
    v("weight_decay", weight_decay);
    v("maximize", maximize);
  }
  void validate(const char* optimizer) const;
};

/// The paper's options (Zeiler's defaults ρ = 0.95, ε = 1e-6); no learning rate.
struct AdadeltaNoLrOptions {
  double rho = 0.95;
  double eps = 1e-6;

  template <class V>
  void visit(V& v) {
    v("rho", rho);
    v("eps", eps);
  }
  void validate(const char* optimizer) const;
};

struct AdadeltaState {
  int64_t step = 0;
  Tensor square_avg, acc_delta;
  template <class V>
  void visit(V& v) {
    v("step", step);
    v("square_avg", square_avg);
    v("acc_delta", acc_delta);
  }
};

class Adadelta : public BasicOptimizer<AdadeltaOptions, AdadeltaState> {
 public:
  Adadelta(std::vector<Tensor> params, AdadeltaOptions options = {}) : Adadelta({{std::move(params), options}}) {}
  explicit Adadelta(std::vector<ParamGroup> groups) : BasicOptimizer("adadelta", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, AdadeltaState& state, const AdadeltaOptions& o) override;
};

class AdadeltaNoLr : public BasicOptimizer<AdadeltaNoLrOptions, AdadeltaState> {
 public:
  AdadeltaNoLr(std::vector<Tensor> params, AdadeltaNoLrOptions options = {})
      : AdadeltaNoLr({{std::move(params), options}}) {}
  explicit AdadeltaNoLr(std::vector<ParamGroup> groups) : BasicOptimizer("adadelta_nolr", std::move(groups)) {}

 protected:
  void update(Tensor& param, const Tensor& grad, AdadeltaState& state, const AdadeltaNoLrOptions& o) override;
};

// Instantiated once, in adadelta.cpp.
extern template class BasicOptimizer<AdadeltaOptions, AdadeltaState>;
extern template class BasicOptimizer<AdadeltaNoLrOptions, AdadeltaState>;

}  // namespace tg::optim
