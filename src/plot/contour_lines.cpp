// Marching squares. Corners at or above the level are "in"; a cell's case is the 4-bit set of
// its in-corners, which fixes the edges its segments join. Every edge is shared by at most two
// cells and every segment ends on two edges, so the segments chain into polylines by their
// edges.
#include "plot/contour_lines.hpp"

#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace tg::plot::detail {

namespace {

// Edges of cell (i, j): 0 bottom (i,j)-(i+1,j), 1 right (i+1,j)-(i+1,j+1), 2 top (i,j+1)-(i+1,j+1),
// 3 left (i,j)-(i,j+1). A global edge id: 2·(point index) for the edge leaving a grid point in
// +x, 2·(point index)+1 for the one leaving it in +y.
struct Segment {
  int64_t edge[2];
  std::array<double, 2> point[2];
};

}  // namespace

std::vector<Polyline> contour_lines(const Grid& g, double level) {
  const std::size_t nx = g.xs.size(), ny = g.ys.size();
  std::vector<Segment> segments;
  if (nx < 2 || ny < 2) return {};
  for (std::size_t i = 0; i + 1 < nx; ++i) {
    for (std::size_t j = 0; j + 1 < ny; ++j) {
      const double v[4] = {g.at(i, j), g.at(i + 1, j), g.at(i + 1, j + 1), g.at(i, j + 1)};  // corners, anticlockwise
      if (!std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2]) || !std::isfinite(v[3])) continue;
      const int c = (v[0] >= level) | (v[1] >= level) << 1 | (v[2] >= level) << 2 | (v[3] >= level) << 3;
      if (c == 0 || c == 15) continue;
      const double x[4] = {g.xs[i], g.xs[i + 1], g.xs[i + 1], g.xs[i]};
      const double y[4] = {g.ys[j], g.ys[j], g.ys[j + 1], g.ys[j + 1]};
      const int64_t p = static_cast<int64_t>(i * ny + j);
      const int64_t ids[4] = {2 * p, 2 * (p + static_cast<int64_t>(ny)) + 1, 2 * (p + 1), 2 * p + 1};
      // Edge e joins corners e and (e + 1) % 4.
      const auto cross = [&](int e) -> std::array<double, 2> {
        const int a = e, b = (e + 1) % 4;
        const double t = (level - v[a]) / (v[b] - v[a]);
        return {x[a] + t * (x[b] - x[a]), y[a] + t * (y[b] - y[a])};
      };
      const auto add = [&](int e0, int e1) { segments.push_back({{ids[e0], ids[e1]}, {cross(e0), cross(e1)}}); };
      // The edges crossed are those whose corners differ; pair them around the cell.
      switch (c) {
        case 1: case 14: add(3, 0); break;
        case 2: case 13: add(0, 1); break;
        case 3: case 12: add(3, 1); break;
        case 4: case 11: add(1, 2); break;
        case 6: case 9: add(0, 2); break;
        case 7: case 8: add(3, 2); break;
        case 5: case 10: {
          const bool centre_in = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
          // Case 5 has corners 0 and 2 in: joined through the centre when it is in as well.
          if ((c == 5) == centre_in) {
            add(3, 2);
            add(0, 1);
          } else {
            add(3, 0);
            add(1, 2);
          }
          break;
        }
        default: break;
      }
    }
  }

  std::unordered_map<int64_t, std::array<int64_t, 2>> by_edge;  // edge -> up to two segments
  by_edge.reserve(segments.size() * 2);
  for (std::size_t s = 0; s < segments.size(); ++s) {
    for (int64_t e : segments[s].edge) {
      auto [it, fresh] = by_edge.try_emplace(e, std::array<int64_t, 2>{-1, -1});
      it->second[it->second[0] < 0 ? 0 : 1] = static_cast<int64_t>(s);
    }
  }
  const auto other = [&](int64_t edge, int64_t s) {
    const auto& pair = by_edge.at(edge);
    return pair[0] == s ? pair[1] : pair[0];
  };
  std::vector<bool> used(segments.size(), false);
  std::vector<Polyline> lines;
  // Walks from segment s, entering through `edge`, until the chain ends or closes.
  const auto walk = [&](int64_t s, int64_t edge) {
    Polyline line;
    const int k = segments[s].edge[0] == edge ? 0 : 1;
    line.push_back(segments[s].point[k]);
    while (s >= 0 && !used[s]) {
      used[s] = true;
      const int in = segments[s].edge[0] == edge ? 0 : 1;
      line.push_back(segments[s].point[1 - in]);
      edge = segments[s].edge[1 - in];
      s = other(edge, s);
    }
    lines.push_back(std::move(line));
  };
  for (std::size_t s = 0; s < segments.size(); ++s) {  // open chains start at a lone edge
    if (used[s]) continue;
    for (int64_t e : segments[s].edge) {
      if (other(e, static_cast<int64_t>(s)) < 0) {
        walk(static_cast<int64_t>(s), e);
        break;
      }
    }
  }
  for (std::size_t s = 0; s < segments.size(); ++s) {  // then the closed ones
    if (!used[s]) walk(static_cast<int64_t>(s), segments[s].edge[0]);
  }
  return lines;
}

std::vector<double> nice_levels(double lo, double hi, bool log) {
  std::vector<double> out;
  if (!(lo < hi)) return out;
  if (!log) {
    const double raw = (hi - lo) / 15;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * decade;
    for (double m : {1.0, 2.0, 5.0}) {
      if (m * decade >= raw) {
        step = m * decade;
        break;
      }
    }
    for (double k = std::floor(lo / step) + 1; k * step < hi; ++k) {
      const double v = k * step;
      if (v > lo) out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out;
  }
  const int e0 = static_cast<int>(std::floor(std::log10(lo))), e1 = static_cast<int>(std::ceil(std::log10(hi)));
  const std::vector<std::vector<double>> mantissas = {{1, 2, 5}, {1, 3}, {1}};
  for (int every = 1;; ++every) {
    for (const auto& ms : mantissas) {
      out.clear();
      for (int e = e0; e <= e1; ++e) {
        if ((e - e0) % every != 0) continue;
        for (double m : ms) {
          const double v = m * std::pow(10.0, e);
          if (v > lo && v < hi) out.push_back(v);
        }
      }
      if (out.size() <= 16) return out;
    }
  }
}

}  // namespace tg::plot::detail
