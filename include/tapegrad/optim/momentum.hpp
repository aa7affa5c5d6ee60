// The momentum family in its paper forms: heavy ball, EMA momentum, QHM, AggMo and Demon
// (canonical names "heavy_ball", "momentum_ema", "qhm", "aggmo", "demon_sgdm"). g is the
// gradient at θ_{t-1}, t = 1, 2, ... the step, and all state starts at zero.
//
//   heavy_ball    options: lr (required), beta β = 0.9           (Polyak 1964)
//                   v ← β·v + lr·g;  θ ← θ − v
//                 The lr is inside the velocity: for a constant lr this is SGD with momentum β
//                 (PyTorch's buf = v/lr); when lr changes, SGD rescales all past velocity.
//
//   momentum_ema  options: lr (required), beta β = 0.9           (EMA form, Ng's course)
//                   v ← β·v + (1 − β)·g;  θ ← θ − lr·v
//                 v averages gradients: at steady state the step is lr·g, not lr·g/(1 − β);
//                 it equals SGD with lr·(1 − β) and momentum β.
//
//   qhm           options: lr (required), beta β = 0.999, nu ν = 0.7   (Ma & Yarats 2019)
//                   b ← β·b + (1 − β)·g;  θ ← θ − lr·((1 − ν)·g + ν·b)
//                 ν = 1 is momentum_ema, ν = 0 is plain gradient descent.
//
//   aggmo         options: lr (required), betas (β_1..β_K) = (0, 0.9, 0.99)
//                   v_i ← β_i·v_i − g  for each i;  θ ← θ + (lr/K)·Σ_i v_i
//                 (Lucas et al. 2019, Eq. 2.) The velocities are descent directions; the
//                 first step is −lr·g whatever the betas.
//
//   demon_sgdm    options: lr (required), beta_init β₀ = 0.9, T (required, total steps)
//                   k = t − 1 (zero-based)
//                   β_k ← β₀·(1 − k/T) / ((1 − β₀) + β₀·(1 − k/T))     (0 from k = T on)
//                   v ← β_k·v − lr·g;  θ ← θ + v
//                 (Chen et al., arXiv 1910.04952, Algorithm 1.) Momentum decays from β₀ at
//                 k = 0 to 0 at k = T; DemonAdam applies the same schedule to Adam's β1.
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/optim/optimizer.hpp"
#include "tapegrad/optim/state.hpp"

namespace tg::optim {

/// Demon's momentum at zero-based step k of T:
///   β_k = β₀·(1 − k/T) / ((1 − β₀) + β₀·(1 − k/T)),
/// so that β_k/(1 − β_k) = (1 − k/T)·β₀/(1 − β₀). The paper runs k = 0..T; past T it is 0
/// (the formula would turn negative and then divide by zero).
double demon_beta(double beta_init, int64_t k, int64_t T);

/// Rejects a T that is missing (0, the default) or negative.
void check_demon_T(const char* optimizer, const char* option, int64_t T);

/// At least one beta, each in [0, 1).
void check_aggmo_betas(const char* optimizer, const char* option, const std::vector<double>& betas);

struct HeavyBallOptions {
  TG_OPTIONS(HeavyBallOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, beta, check::unit_interval) = 0.9;
};

struct MomentumEMAOptions {
  TG_OPTIONS(MomentumEMAOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, beta, check::unit_interval) = 0.9;
};

struct QHMOptions {
  TG_OPTIONS(QHMOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, beta, check::unit_interval) = 0.999;
  TG_OPTION(double, nu, check::range<0.0, 1.0>) = 0.7;
};

struct AggMoOptions {
  TG_OPTIONS(AggMoOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(std::vector<double>, betas, check_aggmo_betas) = {0.0, 0.9, 0.99};
};

struct DemonSGDMOptions {
  TG_OPTIONS(DemonSGDMOptions);
  TG_OPTION(double, lr, check::lr) = kRequired;
  TG_OPTION(double, beta_init, check::unit_interval) = 0.9;
  TG_OPTION(int64_t, T, check_demon_T) = 0;  // required: the total number of steps (0 = not given)
};

/// The velocity of heavy_ball, momentum_ema and nesterov_lookahead.
struct VelocityState {
  Tensor velocity;
  void visit(auto& v) { v("velocity", velocity); }
};

struct QHMState {
  Tensor momentum_buffer;
  void visit(auto& v) { v("momentum_buffer", momentum_buffer); }
};

struct AggMoState {
  std::vector<Tensor> velocities;  // one per beta
  void visit(auto& v) { v("velocities", velocities); }
};

struct DemonSGDMState {
  int64_t step = 0;
  Tensor velocity;
  void visit(auto& v) {
    v("step", step);
    v("velocity", velocity);
  }
};

class HeavyBall : public BasicOptimizer<HeavyBallOptions, VelocityState, HeavyBall> {
 public:
  static constexpr const char* kName = "heavy_ball";
  static constexpr const char* kSummary =
      "Polyak's heavy ball: v = beta*v + lr*g, theta -= v";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, VelocityState& state, const HeavyBallOptions& o) override;
};

class MomentumEMA : public BasicOptimizer<MomentumEMAOptions, VelocityState, MomentumEMA> {
 public:
  static constexpr const char* kName = "momentum_ema";
  static constexpr const char* kSummary =
      "momentum as an EMA of gradients: v = beta*v + (1-beta)*g, theta -= lr*v";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, VelocityState& state, const MomentumEMAOptions& o) override;
};

class QHM : public BasicOptimizer<QHMOptions, QHMState, QHM> {
 public:
  static constexpr const char* kName = "qhm";
  static constexpr const char* kSummary =
      "quasi-hyperbolic momentum: a nu-mix of the gradient and its EMA";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, QHMState& state, const QHMOptions& o) override;
};

class AggMo : public BasicOptimizer<AggMoOptions, AggMoState, AggMo> {
 public:
  static constexpr const char* kName = "aggmo";
  static constexpr const char* kSummary =
      "aggregated momentum: the average of several heavy-ball velocities";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, AggMoState& state, const AggMoOptions& o) override;
};

class DemonSGDM : public BasicOptimizer<DemonSGDMOptions, DemonSGDMState, DemonSGDM> {
 public:
  static constexpr const char* kName = "demon_sgdm";
  static constexpr const char* kSummary =
      "SGD with momentum decaying from beta_init to 0 over T steps (Demon)";
  using BasicOptimizer::BasicOptimizer;

 protected:
  void update(Tensor& param, const Tensor& grad, DemonSGDMState& state, const DemonSGDMOptions& o) override;
};

// Instantiated once, in momentum.cpp.
extern template class BasicOptimizer<HeavyBallOptions, VelocityState, HeavyBall>;
extern template class BasicOptimizer<MomentumEMAOptions, VelocityState, MomentumEMA>;
extern template class BasicOptimizer<QHMOptions, QHMState, QHM>;
extern template class BasicOptimizer<AggMoOptions, AggMoState, AggMo>;
extern template class BasicOptimizer<DemonSGDMOptions, DemonSGDMState, DemonSGDM>;

}  // namespace tg::optim
