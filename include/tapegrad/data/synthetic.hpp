// Small synthetic datasets whose answer is known, for trying models out.
//
//   make_linear   y = weight·x + bias + noise: the line that gradient descent should find
//   make_xor      four clusters; the class is 1 where the signs of the two coordinates differ,
//                 so no straight line separates the classes (a hidden layer is needed)
//   make_moons    two interleaving half circles (scikit-learn's make_moons)
//   make_spirals  `classes` interleaved spiral arms
//
// make_linear draws from the global generator (tg::manual_seed), so that it continues the
// NumPy code it reproduces; the others draw from a tg::Generator of their own seeded with
// `seed`, so they give the same points whatever else the program draws.
#pragma once

#include <cstdint>

#include "tapegrad/data/dataset.hpp"

namespace tg::data {

struct LinearOptions {
  double weight = 1.5;
  double bias = 2.0;
  double noise = 1.5;  // standard deviation of the Gaussian noise added to y
  double low = -5.0;   // x is uniform on [low, high)
  double high = 5.0;
};

/// X (n, 1), y (n,): x ~ U(low, high) for all n rows first, then noise ~ N(0, noise²) for all
/// rows, and y = weight·x + bias + noise. After tg::manual_seed(42), make_linear(100) holds
/// the data of the NumPy code
///   np.random.seed(42); X = np.random.uniform(-5, 5, 100)
///   y = 1.5 * X + 2 + np.random.normal(0, 1.5, 100)
Dataset make_linear(int64_t n = 100, const LinearOptions& options = {});

/// X (n, 2), y (n,) in {0, 1}: row i lies around the corner i mod 4 of (-1,-1), (-1,1), (1,-1),
/// (1,1) — the XOR truth table on ±1 — plus Gaussian noise of standard deviation `noise` on
/// each coordinate; y = 1 for the corners (-1,1) and (1,-1).
Dataset make_xor(int64_t n = 200, double noise = 0.2, uint32_t seed = 0);

/// X (n, 2), y (n,) in {0, 1}: scikit-learn's make_moons(n, noise=noise, random_state=seed),
/// number for number. ⌊n/2⌋ points on the upper half circle of radius 1 around (0, 0)
/// (class 0) and the rest on the lower half circle around (1, 0.5) (class 1), evenly spaced in
/// angle; the rows are shuffled with np.random.RandomState(seed).permutation, then Gaussian
/// noise of standard deviation `noise` is added to each coordinate.
Dataset make_moons(int64_t n = 100, double noise = 0.0, uint32_t seed = 0);

/// X (n, 2), y (n,) in {0, ..., classes-1}: class j has m = n/classes points (the first
/// n mod classes classes one more), point i at radius r = i/(m-1) (0 to 1) and angle
/// t = 2πj/classes + 4r + ε, ε ~ N(0, noise²): (r·cos t, r·sin t). Rows are grouped by class.
Dataset make_spirals(int64_t n = 200, int classes = 2, double noise = 0.2, uint32_t seed = 0);

}  // namespace tg::data
