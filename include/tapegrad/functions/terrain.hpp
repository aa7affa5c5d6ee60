// What kind of terrain a point of a loss landscape is, from the gradient and the Hessian's
// eigenvalues there (seed 004's vocabulary):
//
//   plateau   gradient ≈ 0 and every eigenvalue ≈ 0: flat, nothing tells the way down
//   saddle    gradient ≈ 0, eigenvalues of both signs: up in some directions, down in others
//   maximum   gradient ≈ 0, no positive eigenvalue (some negative): a hilltop
//   minimum   gradient ≈ 0, eigenvalues ≥ 0 but some ≈ 0: a minimum that is flat along some
//             direction (the Hessian alone cannot say more)
//   valley    every eigenvalue > 0 and of similar size (condition number below the threshold):
//             a bowl; at a stationary point its bottom, a minimum
//   ravine    every eigenvalue > 0, condition number at or above the threshold: steep across,
//             flat along; gradient descent zig-zags (lr < 2/λmax, progress ~ λmin)
//   slope     gradient ≠ 0 and the curvature is not a valley's (some eigenvalue ≤ 0): the
//             ground tilts and curves down or not at all
//
// "≈ 0" is decided by the thresholds below, in absolute terms: rescale them with the function.
// A canal (a curved ravine whose soft direction turns) is a ravine at each point; see it by
// comparing Terrain::eigenvectors at several points along the floor.
#pragma once

#include <string>
#include <vector>

#include "tapegrad/functions/hessian.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {

struct TerrainThresholds {
  /// The point is stationary when ‖∇f‖ ≤ gradient_tol.
  double gradient_tol = 1e-6;
  /// An eigenvalue λ is flat (no curvature along its eigenvector) when |λ| ≤ curvature_tol.
  double curvature_tol = 1e-4;
  /// Positive curvature with condition number λmax/λmin ≥ ravine_condition (an order of
  /// magnitude, as x² + 10y², seed 004's ravine) is a ravine; below it a valley. The comparison
  /// allows a relative 1e-6 for the error of the numerical Hessian.
  double ravine_condition = 10.0;
  /// How the Hessian is computed: exactly (double backward), or by central differences of
  /// step eps, for comparison.
  HessianMethod hessian = HessianMethod::exact;
  double eps = 1e-5;
};

struct Terrain {
  double value;                     // f(x)
  tg::Tensor gradient;              // ∇f(x), x's shape
  double gradient_norm;             // ‖∇f(x)‖
  std::vector<double> eigenvalues;  // of the Hessian, ascending
  double condition_number;          // |λ|max / |λ|min (inf if some λ = 0)
  std::string kind;                 // "minimum", "maximum", "saddle", "plateau", "valley", "ravine", "slope"
  std::string reason;               // one sentence: why this kind, with the numbers
  tg::Tensor hessian;               // n×n
  tg::Tensor eigenvectors;          // n×n; column k belongs to eigenvalues[k]
  bool stationary;                  // gradient_norm ≤ gradient_tol
};

/// The terrain at x: gradient, Hessian (hessian() with t.hessian and t.eps), its eigenvalues (LAPACK's
/// dsyevd) and the verdict. tg::ValueError if the value, gradient or Hessian is not finite
/// there (f not twice differentiable at x) or a threshold is invalid.
Terrain analyze_terrain(const ScalarFunction& f, const tg::Tensor& x, const TerrainThresholds& t = {});

}  // namespace tg
