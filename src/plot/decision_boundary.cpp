// decision_boundary(): a classifier's probability of class 1 over the plane, its 0.5 contour,
// and the data coloured by class.
#include <cmath>

#include "plot/contour_lines.hpp"
#include "plot/script.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/plot.hpp"

namespace tg::plot {

bool decision_boundary(const std::string& base, const std::string& title, const std::function<double(double, double)>& p1,
                       const tg::Tensor& X, const tg::Tensor& y, const std::array<double, 4>& window) {
  using detail::number;
  using detail::quote;
  const detail::Files files = detail::files("plot::decision_boundary", base);
  if (X.ndim() != 2 || X.size(1) != 2) {
    throw ShapeError("plot::decision_boundary: X must be (N, 2), got " + X.shape().str());
  }
  if (y.ndim() != 1 || y.size(0) != X.size(0)) {
    throw ShapeError("plot::decision_boundary: y must be (N,) for X " + X.shape().str() + ", got " + y.shape().str());
  }
  if (!p1) throw ValueError("plot::decision_boundary: no probability function p1");
  const auto& w = window;
  for (double v : w) {
    if (!std::isfinite(v)) throw ValueError("plot::decision_boundary: the window must be finite, got " + number(v));
  }
  if (!(w[0] < w[1]) || !(w[2] < w[3])) {
    throw ValueError("plot::decision_boundary: the window (x0, x1, y0, y1) = (" + number(w[0]) + ", " + number(w[1]) +
                     ", " + number(w[2]) + ", " + number(w[3]) + ") needs x0 < x1 and y0 < y1");
  }
  const std::vector<double> xs = X.to_vector(), labels = y.to_vector();
  for (std::size_t k = 0; k < labels.size(); ++k) {
    if (labels[k] != 0 && labels[k] != 1) {
      throw ValueError("plot::decision_boundary: y[" + std::to_string(k) + "] = " + number(labels[k]) +
                       ", expected the class 0 or 1");
    }
  }

  constexpr std::size_t n = 150;
  detail::Grid grid;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / (n - 1);
    grid.xs.push_back(i + 1 == n ? w[1] : w[0] + (w[1] - w[0]) * t);
    grid.ys.push_back(i + 1 == n ? w[3] : w[2] + (w[3] - w[2]) * t);
  }
  std::string text = "# x y p1\n";
  text.reserve(n * n * 56);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) text += '\n';
    for (double yv : grid.ys) {
      const double p = p1(grid.xs[i], yv);
      grid.z.push_back(p);
      text += number(grid.xs[i]) + ' ' + number(yv) + ' ' + number(p) + '\n';
    }
  }
  detail::write(files.path("_grid.dat"), text);

  text = "# x y p1: the pieces of the line p1 = 0.5\n";
  bool any_line = false;
  for (const detail::Polyline& line : detail::contour_lines(grid, 0.5)) {
    if (any_line) text += '\n';
    any_line = true;
    for (const auto& p : line) text += number(p[0]) + ' ' + number(p[1]) + " 0.5\n";
  }
  detail::write(files.path("_boundary.dat"), text);

  text = "# x y class\n";
  for (std::size_t k = 0; k < labels.size(); ++k) {
    text += number(xs[2 * k]) + ' ' + number(xs[2 * k + 1]) + ' ' + (labels[k] == 1 ? "1" : "0") + '\n';
  }
  detail::write(files.path("_points.dat"), text);

  std::string s = detail::script_begin(files, title.empty() ? "Decision boundary" : title,
                                       {files.name + "_grid.dat: x y p1, one block per x",
                                        files.name + "_boundary.dat: x y 0.5, one block per line piece",
                                        files.name + "_points.dat: x y class"});
  s += "set title " + quote(title) + "\n";
  s += "set xlabel 'x₁'\nset ylabel 'x₂'\n";
  s += "set xrange [" + number(w[0]) + ":" + number(w[1]) + "]\n";
  s += "set yrange [" + number(w[2]) + ":" + number(w[3]) + "]\n";
  const double aspect = (w[3] - w[2]) / (w[1] - w[0]);
  if (aspect >= 1.0 / 3 && aspect <= 3) s += "set size ratio -1\n";
  s += "unset grid\n";
  s += "set tics front\n";
  s += "set key outside below center horizontal reverse Left nobox\n";
  s += "set palette defined (0 '#5b8fd0', 0.5 '#f5f5f5', 1 '#e3735e')\n";
  s += "set palette maxcolors 10\n";
  s += "set cbrange [0:1]\n";
  s += "set cbtics 0.1 scale 0.5\n";
  s += "set cblabel 'P(class 1)'\n";
  const std::string points = quote(files.name + "_points.dat");
  s += "plot " + quote(files.name + "_grid.dat") + " using 1:2:3 with image notitle";
  if (any_line) s += ", \\\n     " + quote(files.name + "_boundary.dat") + " using 1:2 with lines lw 2.5 lc rgb '#111111' title 'P = 0.5'";
  s += ", \\\n     " + points + " using 1:($3 == 0 ? $2 : NaN) with points pt 7 ps 0.9 lc rgb '#1f4e9c' title 'class 0'";
  s += ", \\\n     " + points + " using 1:($3 == 1 ? $2 : NaN) with points pt 5 ps 0.8 lc rgb '#b2182b' title 'class 1'";
  s += ", \\\n     " + points + " using 1:($3 == 0 ? $2 : NaN) with points pt 6 ps 0.9 lw 0.8 lc rgb '#ffffff' notitle";
  s += ", \\\n     " + points + " using 1:($3 == 1 ? $2 : NaN) with points pt 4 ps 0.8 lw 0.8 lc rgb '#ffffff' notitle";
  s += "\n" + detail::script_end(files);
  detail::write(files.path(".gp"), s);
  return detail::run_gnuplot(files);
}

}  // namespace tg::plot
