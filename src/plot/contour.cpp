// contour(): f on a grid over the window as filled bands between round levels with a colour
// bar, its contour lines, and trajectories and markers on top.
#include <algorithm>
#include <cmath>
#include <limits>

#include "plot/panels.hpp"
#include "tapegrad/error.hpp"

namespace tg::plot {

namespace {

using detail::number;
using detail::quote;

std::vector<double> choose_levels(const ContourPlot& plot, double lo, double hi) {
  if (!plot.levels.empty()) return plot.levels;
  if (lo == hi) return {lo};
  if (!plot.log_scale) return detail::nice_levels(lo, hi, false);
  if (lo > 0 && hi / lo >= 100) return detail::nice_levels(std::max(lo, hi * 1e-4), hi, true);
  // Log-spaced above the minimum: lo + d for round d.
  std::vector<double> levels;
  for (double d : detail::nice_levels((hi - lo) * 1e-4, hi - lo, true)) levels.push_back(lo + d);
  return levels;
}

// The colour of a value: the middle of its band (below the first level: band -1, between
// levels k and k+1: band k, above the last: band K-1).
double band(const std::vector<double>& levels, double v) {
  if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
  const auto k = std::upper_bound(levels.begin(), levels.end(), v) - levels.begin();
  return static_cast<double>(k) - 0.5;
}

}  // namespace

namespace detail {

void check_plane(const Files& files, const ContourPlot& plot) {
  const std::string& name = files.function;
  const auto& w = plot.window;
  for (double v : w) {
    if (!std::isfinite(v)) throw ValueError(name + ": the window must be finite, got " + number(v));
  }
  if (!(w[0] < w[1]) || !(w[2] < w[3])) {
    throw ValueError(name + ": the window (x0, x1, y0, y1) = (" + number(w[0]) + ", " + number(w[1]) + ", " +
                     number(w[2]) + ", " + number(w[3]) + ") needs x0 < x1 and y0 < y1");
  }
  if (plot.resolution < 2) {
    throw ValueError(name + ": resolution must be at least 2, got " + std::to_string(plot.resolution));
  }
  if (!plot.f) throw ValueError(name + ": no function f to plot");
  for (std::size_t k = 0; k < plot.markers.size(); ++k) {
    if (plot.markers[k].size() != 2) {
      throw ValueError(name + ": marker " + std::to_string(k) + " has " + std::to_string(plot.markers[k].size()) +
                       " coordinates, expected 2");
    }
  }
  for (const Trajectory& t : plot.trajectories) {
    if (t.points.empty()) throw ValueError(name + ": trajectory '" + t.label + "' has no points");
    for (std::size_t k = 0; k < t.points.size(); ++k) {
      if (t.points[k].size() != 2) {
        throw ValueError(name + ": point " + std::to_string(k) + " of trajectory '" + t.label + "' has " +
                         std::to_string(t.points[k].size()) + " coordinates, expected 2");
      }
    }
  }
  for (std::size_t k = 0; k < plot.levels.size(); ++k) {
    if (!std::isfinite(plot.levels[k]) || (k > 0 && !(plot.levels[k - 1] < plot.levels[k]))) {
      throw ValueError(name + ": levels must be finite and increasing, got " + number(plot.levels[k]) +
                       " at position " + std::to_string(k));
    }
  }
}

Sampled sample(const Files& files, const ContourPlot& plot, int resolution) {
  const auto n = static_cast<std::size_t>(resolution);
  const auto& w = plot.window;
  Sampled out;
  Grid& grid = out.grid;
  for (std::size_t i = 0; i < n; ++i) {
    grid.xs.push_back(i + 1 == n ? w[1] : w[0] + (w[1] - w[0]) * static_cast<double>(i) / static_cast<double>(n - 1));
    grid.ys.push_back(i + 1 == n ? w[3] : w[2] + (w[3] - w[2]) * static_cast<double>(i) / static_cast<double>(n - 1));
  }
  grid.z.reserve(n * n);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double x : grid.xs) {
    for (double y : grid.ys) {
      const double v = plot.f(x, y);
      grid.z.push_back(v);
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (!(lo <= hi)) throw ValueError(files.function + ": f is not finite anywhere in the window");
  out.lo = lo;
  out.hi = hi;
  return out;
}

std::vector<std::string> path_layers(const std::string& file, const std::string& columns, const ContourPlot& plot,
                                     bool dots) {
  std::vector<std::string> parts;
  const auto path = [&](std::size_t t) { return file + " index " + std::to_string(t) + " using " + columns; };
  const auto path_colour = [](std::size_t t) { return "lc rgb '" + colour(t) + "'"; };
  const auto width = [](std::size_t t) { return std::max(1.0, 4.5 - 1.75 * static_cast<double>(t)); };
  for (std::size_t t = 0; t < plot.trajectories.size(); ++t) {
    parts.push_back(path(t) + " with lines lw " + short_number(width(t) + 2.5) + " lc rgb '#ffffff' notitle");
  }
  for (std::size_t t = 0; t < plot.trajectories.size(); ++t) {
    const bool with_dots = dots && plot.trajectories[t].points.size() <= 60;
    parts.push_back(path(t) + (with_dots ? " with linespoints pt 7 ps 0.5" : " with lines") + " lw " +
                    short_number(width(t)) + " " + path_colour(t) + " title " + quote(plot.trajectories[t].label));
  }
  for (std::size_t t = 0; t < plot.trajectories.size(); ++t) {
    const std::string last = std::to_string(plot.trajectories[t].points.size() - 1);
    parts.push_back(path(t) + " every ::0::0 with points pt 7 ps 1.8 lc rgb '#ffffff' notitle");
    parts.push_back(path(t) + " every ::0::0 with points pt 7 ps 1.3 " + path_colour(t) + " notitle");
    parts.push_back(path(t) + " every ::" + last + "::" + last + " with points pt 2 ps 1.6 lw 4 lc rgb '#ffffff' notitle");
    parts.push_back(path(t) + " every ::" + last + "::" + last + " with points pt 2 ps 1.6 lw 2 " + path_colour(t) +
                    " notitle");
  }
  return parts;
}

std::vector<std::string> start_and_end_legend() {
  return {"NaN with points pt 7 ps 1.3 lc rgb '#444444' title 'start'",
          "NaN with points pt 2 ps 1.6 lw 2.5 lc rgb '#444444' title 'end'"};
}

std::vector<std::string> contour_data_notes(const Files& files) {
  return {files.name + "_grid.dat: x y f band, one block per x", files.name + "_contours.dat: x y level, one block per line piece",
          files.name + "_paths.dat: step x y, one index per trajectory", files.name + "_markers.dat: x y"};
}

std::string contour_panel(const Files& files, const ContourPlot& plot) {
  const auto n = static_cast<std::size_t>(plot.resolution);
  const auto& w = plot.window;
  const Sampled sampled = sample(files, plot, plot.resolution);
  const Grid& grid = sampled.grid;
  const double lo = sampled.lo, hi = sampled.hi;
  const std::vector<double> levels = choose_levels(plot, lo, hi);
  const auto K = static_cast<int>(levels.size());

  std::string text = "# x y f band (the colour: -0.5 below the first level, k + 0.5 between levels k and k+1)\n";
  text.reserve(n * n * 64);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) text += '\n';
    for (std::size_t j = 0; j < n; ++j) {
      text += number(grid.xs[i]) + ' ' + number(grid.ys[j]) + ' ' + number(grid.at(i, j)) + ' ' +
              number(band(levels, grid.at(i, j))) + '\n';
    }
  }
  write(files.path("_grid.dat"), text);

  text = "# x y level: one block per piece of a contour line\n";
  bool any_line = false;
  for (double level : levels) {
    for (const Polyline& line : contour_lines(grid, level)) {
      if (any_line) text += '\n';
      any_line = true;
      for (const auto& p : line) text += number(p[0]) + ' ' + number(p[1]) + ' ' + number(level) + '\n';
    }
  }
  write(files.path("_contours.dat"), text);

  text = "# step x y: one index (two blank lines apart) per trajectory\n";
  for (std::size_t t = 0; t < plot.trajectories.size(); ++t) {
    if (t > 0) text += "\n\n";
    text += "# " + one_line(plot.trajectories[t].label) + '\n';
    const auto& points = plot.trajectories[t].points;
    for (std::size_t k = 0; k < points.size(); ++k) {
      text += std::to_string(k) + ' ' + number(points[k][0]) + ' ' + number(points[k][1]) + '\n';
    }
  }
  write(files.path("_paths.dat"), text);

  text = "# x y\n";
  for (const auto& m : plot.markers) text += number(m[0]) + ' ' + number(m[1]) + '\n';
  write(files.path("_markers.dat"), text);

  const std::string grid_file = quote(files.name + "_grid.dat"), contour_file = quote(files.name + "_contours.dat"),
                    path_file = quote(files.name + "_paths.dat"), marker_file = quote(files.name + "_markers.dat");
  std::string s;
  s += "set title " + quote(plot.title) + "\n";
  s += "set xlabel " + quote(plot.xlabel) + "\n";
  s += "set ylabel " + quote(plot.ylabel) + "\n";
  s += "set xrange [" + number(w[0]) + ":" + number(w[1]) + "]\n";
  s += "set yrange [" + number(w[2]) + ":" + number(w[3]) + "]\n";
  const double aspect = (w[3] - w[2]) / (w[1] - w[0]);
  if (aspect >= 1.0 / 3 && aspect <= 3) s += "set size ratio -1   # equal units: gradients cross contours at right angles\n";
  s += "unset grid\n";
  s += "set tics front\n";
  s += "set key outside below center horizontal reverse Left nobox width 2\n";
  s += "# Filled bands: K+1 colours for K levels.\n";
  s += kHeightPalette;
  s += "set palette maxcolors " + std::to_string(K + 1) + "\n";
  s += "set cbrange [-1:" + std::to_string(K) + "]\n";
  s += "set cblabel " + quote(plot.log_scale ? "f (log-spaced levels)" : "f") + "\n";
  const int every = (K + 19) / 20;
  s += "set cbtics scale 0.5 (";
  for (int k = 0; k < K; k += every) {
    s += (k > 0 ? ", " : "") + quote(short_number(levels[static_cast<std::size_t>(k)])) + " " + std::to_string(k);
  }
  s += ")\n";

  std::vector<std::string> parts;
  parts.push_back(grid_file + " using 1:2:4 with image notitle");
  if (any_line) parts.push_back(contour_file + " using 1:2 with lines lw 0.8 lc rgb '#60303030' notitle");
  for (std::string& layer : path_layers(path_file, "2:3", plot, /*dots=*/true)) parts.push_back(std::move(layer));
  if (!plot.markers.empty()) {
    parts.push_back(marker_file + " using 1:2 with points pt '★' ps 2.6 lc rgb '#ffffff' notitle");
    parts.push_back(marker_file + " using 1:2 with points pt '★' ps 2 lc rgb '#e8000b' title " + quote(plot.marker_label));
  }
  if (!plot.trajectories.empty()) {
    for (std::string& entry : start_and_end_legend()) parts.push_back(std::move(entry));
  }
  s += "plot ";
  for (std::size_t k = 0; k < parts.size(); ++k) s += (k > 0 ? ", \\\n     " : "") + parts[k];
  return s + "\n";
}

}  // namespace detail

bool contour(const std::string& base, const ContourPlot& plot) {
  const detail::Files files = detail::files("plot::contour", base);
  detail::check_plane(files, plot);
  std::string s = detail::script_begin(files, plot.title.empty() ? "Contour plot" : plot.title,
                                       detail::contour_data_notes(files));
  s += detail::contour_panel(files, plot) + detail::script_end(files);
  detail::write(files.path(".gp"), s);
  return detail::run_gnuplot(files);
}

}  // namespace tg::plot
