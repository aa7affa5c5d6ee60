// The pieces that update rules share, written once, as functions of one element (optax's
// gradient transformations and ensmallen's update policies, at the scale of a loop body).
// Each is the exact expression the rules used before, so results are unchanged to the bit.
#pragma once

#include <cmath>

namespace tg::optim::detail {

/// An exponential moving average: β·avg + (1 − β)·x.
inline double ema(double avg, double x, double beta) { return beta * avg + (1.0 - beta) * x; }

/// The moving average of squares: β·avg + (1 − β)·x·x (left to right, as PyTorch's addcmul_).
inline double ema_sq(double avg, double x, double beta) { return beta * avg + (1.0 - beta) * x * x; }

/// Adam's bias correction after t steps: 1 − βᵗ.
inline double bias_correction(double beta, double t) { return 1.0 - std::pow(beta, t); }

/// Coupled weight decay (an L2 penalty's gradient): g + λθ, or g itself when λ = 0.
inline double add_weight_decay(double g, double param, double weight_decay) {
  if (weight_decay == 0.0) return g;
  return g + weight_decay * param;
}

/// The sign of x: −1, 0 or 1, and NaN for NaN.
inline double sign(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }

}  // namespace tg::optim::detail
