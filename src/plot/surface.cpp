// surface(), surface_beside_contour(): f over the window as a shaded surface seen at an angle,
// the trajectories lifted onto it; alone, or on the left of the contour map of the same paths.
#include <algorithm>
#include <cmath>
#include <utility>

#include "plot/panels.hpp"
#include "tapegrad/error.hpp"

namespace tg::plot {

namespace {

using detail::number;
using detail::quote;

// Where a value of f is drawn on the z axis. On a linear axis at f itself. On a logarithmic one
// at f + shift — shift = 0 when f > 0 over the grid spans two decades, else
// −min f + (max f − min f)·1e-4 — but no lower than 1e-4 of the highest point, where the
// contour levels stop too (below, a coarse grid would draw a narrow valley's floor as spikes).
// Paths and markers go 1.5% of the axis higher: on a log axis, a factor (z1 / z0)^0.015.
struct Heights {
  bool log = false;
  double shift = 0;
  double lift = 0;
  double z0 = 0, z1 = 0;  // the surface's lowest and highest points as drawn

  double surface(double f) const { return log ? std::max(f + shift, z0) : f; }
  double lifted(double f) const { return log ? surface(f) * lift : surface(f) + lift; }
};

Heights heights_of(const ContourPlot& plot, double lo, double hi) {
  constexpr double kLift = 0.015;
  Heights h;
  h.log = plot.log_scale;
  if (h.log) {
    if (!(lo > 0 && hi / lo >= 100)) h.shift = -lo + (hi > lo ? (hi - lo) * 1e-4 : 1.0);
    h.z1 = hi + h.shift;
    h.z0 = std::max(lo + h.shift, h.z1 * 1e-4);
    h.lift = h.z1 > h.z0 ? std::pow(h.z1 / h.z0, kLift) : 1.1;
  } else {
    h.z0 = lo;
    h.z1 = hi;
    h.lift = hi > lo ? kLift * (hi - lo) : 0.1;
  }
  return h;
}

void check_view(const detail::Files& files, const SurfaceView& view) {
  if (view.resolution < 2) {
    throw ValueError(files.function + ": the surface's resolution must be at least 2, got " +
                     std::to_string(view.resolution));
  }
  if (!std::isfinite(view.rot_x) || !std::isfinite(view.rot_z)) {
    throw ValueError(files.function + ": the view angles must be finite, got rot_x = " + number(view.rot_x) +
                     ", rot_z = " + number(view.rot_z));
  }
}

std::vector<std::string> surface_data_notes(const detail::Files& files) {
  return {files.name + "_surface.dat: x y f z (z: the height drawn), one block per x",
          files.name + "_paths_3d.dat: step x y f z (z: lifted above the surface), one index per trajectory",
          files.name + "_markers_3d.dat: x y f z"};
}

}  // namespace

namespace detail {

std::string surface_panel(const Files& files, const ContourPlot& plot, const SurfaceView& view) {
  const Sampled sampled = sample(files, plot, view.resolution);
  const Grid& grid = sampled.grid;
  const Heights h = heights_of(plot, sampled.lo, sampled.hi);
  const auto n = grid.xs.size();

  std::string text = "# x y f z: f(x, y) and the height it is drawn at\n";
  text.reserve(n * n * 80);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) text += '\n';
    for (std::size_t j = 0; j < n; ++j) {
      const double f = grid.at(i, j);
      text += number(grid.xs[i]) + ' ' + number(grid.ys[j]) + ' ' + number(f) + ' ' + number(h.surface(f)) + '\n';
    }
  }
  write(files.path("_surface.dat"), text);

  text = "# step x y f z: one index (two blank lines apart) per trajectory; z lifted above the surface\n";
  for (std::size_t t = 0; t < plot.trajectories.size(); ++t) {
    if (t > 0) text += "\n\n";
    text += "# " + one_line(plot.trajectories[t].label) + '\n';
    const auto& points = plot.trajectories[t].points;
    for (std::size_t k = 0; k < points.size(); ++k) {
      const double f = plot.f(points[k][0], points[k][1]);
      text += std::to_string(k) + ' ' + number(points[k][0]) + ' ' + number(points[k][1]) + ' ' + number(f) + ' ' +
              number(h.lifted(f)) + '\n';
    }
  }
  write(files.path("_paths_3d.dat"), text);

  text = "# x y f z\n";
  for (const auto& m : plot.markers) {
    const double f = plot.f(m[0], m[1]);
    text += number(m[0]) + ' ' + number(m[1]) + ' ' + number(f) + ' ' + number(h.lifted(f)) + '\n';
  }
  write(files.path("_markers_3d.dat"), text);

  const auto& w = plot.window;
  std::string s;
  s += "set title " + quote(plot.title) + "\n";
  s += "set xlabel " + quote(plot.xlabel) + "\n";
  s += "set ylabel " + quote(plot.ylabel) + "\n";
  std::string zlabel = view.zlabel;
  if (h.log) {
    if (h.shift > 0) zlabel += " + " + short_number(h.shift);
    if (h.shift < 0) zlabel += " − " + short_number(-h.shift);
    zlabel += " (log scale)";
  }
  s += "set zlabel " + quote(zlabel) + " rotate parallel\n";
  s += "set xrange [" + number(w[0]) + ":" + number(w[1]) + "]\n";
  s += "set yrange [" + number(w[2]) + ":" + number(w[3]) + "]\n";
  s += "set zrange [" + number(h.z0) + ":" + number(h.lifted(sampled.hi)) + "]\n";
  s += "set cbrange [" + number(h.z0) + ":" + number(h.z1) + "]\n";
  if (h.log) {
    s += "set logscale zcb\n";
    s += "set format z '%g'\n";
  }
  s += "set view " + short_number(view.rot_x) + ", " + short_number(view.rot_z) + "\n";
  s += "set xyplane at " + number(h.z0) + "   # the floor of the box at the lowest value\n";
  s += "unset grid\n";
  s += "unset colorbox\n";
  s += "set key outside below center horizontal reverse Left nobox width 2\n";
  s += "# Coloured by height as the contour map is, shaded as if lit from the viewer's side.\n";
  s += kHeightPalette;
  s += "set palette maxcolors 0\n";
  // Drawn in gnuplot's scan order (not depthorder): the paths then come after the surface and
  // stay visible even where a fold of it stands between them and the viewer.
  s += "set pm3d border lw 0.5 lc rgb '#40303030'\n";
  s += "set pm3d lighting primary 0.45 specular 0.15\n";

  const std::string surface_file = quote(files.name + "_surface.dat"), path_file = quote(files.name + "_paths_3d.dat"),
                    marker_file = quote(files.name + "_markers_3d.dat");
  std::vector<std::string> parts;
  parts.push_back(surface_file + " using 1:2:4 with pm3d notitle");
  for (std::string& layer : path_layers(path_file, "2:3:5", plot, /*dots=*/false)) parts.push_back(std::move(layer));
  // The markers as red stars of lines (a star character is not coloured in 3-D plots).
  if (!plot.markers.empty()) {
    parts.push_back(marker_file + " using 1:2:4 with points pt 7 ps 2.2 lc rgb '#ffffff' notitle");
    parts.push_back(marker_file + " using 1:2:4 with points pt 3 ps 2.2 lw 2.5 lc rgb '#e8000b' title " +
                    quote(plot.marker_label));
  }
  if (!plot.trajectories.empty()) {
    for (std::string& entry : start_and_end_legend()) parts.push_back(std::move(entry));
  }
  s += "splot ";
  for (std::size_t k = 0; k < parts.size(); ++k) s += (k > 0 ? ", \\\n      " : "") + parts[k];
  return s + "\n";
}

}  // namespace detail

bool surface(const std::string& base, const ContourPlot& plot, const SurfaceView& view) {
  const detail::Files files = detail::files("plot::surface", base);
  detail::check_plane(files, plot);
  check_view(files, view);
  std::string s =
      detail::script_begin(files, plot.title.empty() ? "Surface plot" : plot.title, surface_data_notes(files));
  s += detail::surface_panel(files, plot, view) + detail::script_end(files);
  detail::write(files.path(".gp"), s);
  return detail::run_gnuplot(files);
}

bool surface_beside_contour(const std::string& base, const ContourPlot& plot, const SurfaceView& view) {
  const detail::Files files = detail::files("plot::surface_beside_contour", base);
  detail::check_plane(files, plot);
  check_view(files, view);
  std::vector<std::string> notes = surface_data_notes(files);
  for (const std::string& note : detail::contour_data_notes(files)) notes.push_back(note);
  std::string s = detail::script_begin(files, plot.title.empty() ? "Surface and contour plot" : plot.title, notes,
                                       {.width = 1400, .height = 600});
  // One title over both panels; each panel draws the same paths.
  ContourPlot panel = plot;
  panel.title.clear();
  std::string body = "set multiplot layout 1, 2 title " + quote(plot.title) + "\n";
  body += detail::surface_panel(files, panel, view);
  body += "# The contour map: a 2-D plot, the surface's logarithmic axes and hidden colour bar undone.\n";
  body += "unset logscale\n";
  body += "set colorbox\n";
  body += detail::contour_panel(files, panel);
  body += "unset multiplot\n";
  // replot cannot redraw a multiplot: the SVG is drawn by the same commands again.
  s += body + detail::svg_terminal(files) + body + "unset output\n";
  detail::write(files.path(".gp"), s);
  return detail::run_gnuplot(files);
}

}  // namespace tg::plot
