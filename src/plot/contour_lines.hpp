// Contour lines of a function sampled on a grid (marching squares), and round contour levels.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace tg::plot::detail {

/// Values z at the points (xs[i], ys[j]), stored z[i * ys.size() + j].
struct Grid {
  std::vector<double> xs, ys, z;
  double at(std::size_t i, std::size_t j) const { return z[i * ys.size() + j]; }
};

using Polyline = std::vector<std::array<double, 2>>;

/// The curves z = level, as polylines (closed ones end where they start). Each grid cell is
/// cut along the straight segments between the points where z, interpolated linearly along
/// the cell's edges, crosses the level; a cell with a non-finite corner is skipped, and a
/// saddle cell is resolved by the mean of its corners.
std::vector<Polyline> contour_lines(const Grid& grid, double level);

/// Round levels strictly between lo and hi (lo < hi): multiples of 1, 2 or 5 × 10^k spaced so
/// that there are about 7 to 15 of them; with log, the numbers 1, 2, 5 × 10^k (or 1, 3, or 1
/// per decade, or fewer decades, to stay within 16) — lo must then be > 0.
std::vector<double> nice_levels(double lo, double hi, bool log);

}  // namespace tg::plot::detail
