// lines(): curves y(x) in the palette's colours, with a legend.
#include <algorithm>
#include <array>
#include <cmath>

#include "plot/series.hpp"
#include "tapegrad/error.hpp"

namespace tg::plot {

namespace detail {

bool drawn(const Series& s, std::size_t k, bool log_x, bool log_y) {
  return std::isfinite(s.x[k]) && std::isfinite(s.y[k]) && (!log_x || s.x[k] > 0) && (!log_y || s.y[k] > 0);
}

Ranges ranges(const std::vector<Series>& series, bool log_x, bool log_y) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const Series& s : series) {
    for (std::size_t k = 0; k < s.x.size(); ++k) {
      if (!drawn(s, k, log_x, log_y)) continue;
      x0 = std::min(x0, s.x[k]);
      x1 = std::max(x1, s.x[k]);
      const double y = log_y ? std::log10(s.y[k]) : s.y[k];
      y0 = std::min(y0, y);
      y1 = std::max(y1, y);
    }
  }
  if (x0 == x1) {
    if (log_x) {
      x0 /= 2;
      x1 *= 2;
    } else {
      x0 -= 0.5;
      x1 += 0.5;
    }
  }
  const double margin = y0 == y1 ? 0.5 : 0.05 * (y1 - y0);
  y0 -= margin;
  y1 += margin;
  if (log_y) return {x0, x1, std::pow(10.0, y0), std::pow(10.0, y1)};
  return {x0, x1, y0, y1};
}

std::string legend_position(const std::vector<Series>& series, bool log_x, bool log_y, const Ranges& r) {
  std::size_t longest = 0;
  for (const Series& s : series) longest = std::max(longest, s.label.size());
  const double w = std::min(1.0, (7.0 * static_cast<double>(longest) + 50.0) / 680.0 + 0.03);
  const double h = std::min(1.0, (20.0 * static_cast<double>(series.size()) + 10.0) / 480.0 + 0.03);
  struct Corner {
    const char* name;
    double u0, u1, v0, v1;  // the box in graph coordinates (0 to 1)
  };
  const Corner corners[] = {{"top right", 1 - w, 1, 1 - h, 1},
                            {"top left", 0, w, 1 - h, 1},
                            {"bottom right", 1 - w, 1, 0, h},
                            {"bottom left", 0, w, 0, h}};
  const auto graph = [&](double x, double y) -> std::array<double, 2> {
    const double v = log_y ? (std::log10(y) - std::log10(r.y0)) / (std::log10(r.y1) - std::log10(r.y0))
                           : (y - r.y0) / (r.y1 - r.y0);
    const double u = log_x ? (std::log10(x) - std::log10(r.x0)) / (std::log10(r.x1) - std::log10(r.x0))
                           : (x - r.x0) / (r.x1 - r.x0);
    return {u, v};
  };
  for (const Corner& c : corners) {
    bool free = true;
    for (const Series& s : series) {
      // Every segment between two drawn points (every point of a scatter), sampled every 0.005
      // of the graph.
      for (std::size_t k = 0; free && k < s.x.size(); ++k) {
        if (!drawn(s, k, log_x, log_y)) continue;
        const auto a = graph(s.x[k], s.y[k]);
        const bool joined = !s.scatter && k + 1 < s.x.size() && drawn(s, k + 1, log_x, log_y);
        const auto b = joined ? graph(s.x[k + 1], s.y[k + 1]) : a;
        const int steps = 1 + static_cast<int>(std::hypot(b[0] - a[0], b[1] - a[1]) / 0.005);
        for (int i = 0; free && i <= steps; ++i) {
          const double t = static_cast<double>(i) / steps;
          const double u = a[0] + t * (b[0] - a[0]), v = a[1] + t * (b[1] - a[1]);
          free = !(u >= c.u0 && u <= c.u1 && v >= c.v0 && v <= c.v1);
        }
      }
      if (!free) break;
    }
    if (free) return "set key " + std::string(c.name) + " reverse Left   # where it covers no curve\n";
  }
  // Below the plot, in as many columns as fit in 680 px, with room for its rows under the x label.
  const auto n = static_cast<int>(series.size());
  const int columns = std::clamp(static_cast<int>(680.0 / (7.0 * static_cast<double>(longest) + 60.0)), 1, n);
  const int rows = (n + columns - 1) / columns;
  return "set key outside below center vertical maxrows " + std::to_string(rows) +
         " reverse Left nobox   # every inner corner would cover a curve\n" + "set bmargin " +
         short_number(4.0 + 1.25 * rows) + "\n";
}

void check_series(const std::string& function, const std::vector<Series>& series) {
  for (const Series& s : series) {
    if (s.x.size() != s.y.size()) {
      throw ShapeError(function + ": series '" + s.label + "' has " + std::to_string(s.x.size()) + " x values and " +
                       std::to_string(s.y.size()) + " y values");
    }
    if (s.x.empty()) throw ValueError(function + ": series '" + s.label + "' is empty");
  }
}

std::string series_style(const Series& s, std::size_t i) {
  std::string style = s.scatter            ? " with points pt 7 ps 0.8"
                      : s.x.size() <= 40   ? " with linespoints pt 7 ps 0.7 lw 2"
                                           : " with lines lw 2";
  return style + " dt " + std::to_string(dash_type(i)) + " lc rgb '" + colour(i) + "' title " + quote(s.label);
}

}  // namespace detail

bool lines(const std::string& base, const std::string& title, const std::string& xlabel, const std::string& ylabel,
           const std::vector<Series>& series, bool log_y, bool log_x) {
  const detail::Files files = detail::files("plot::lines", base);
  if (series.empty()) throw ValueError("plot::lines: no series to plot");
  detail::check_series("plot::lines", series);
  bool any = false;
  for (const Series& s : series) {
    for (std::size_t k = 0; k < s.x.size(); ++k) {
      any = any || detail::drawn(s, k, log_x, log_y);
    }
  }
  if (!any) {
    if (log_x) throw ValueError("plot::lines: no point to plot: none has a finite x > 0 (log_x) and a finite y" +
                                std::string(log_y ? " > 0 (log_y)" : ""));
    throw ValueError(std::string("plot::lines: no point to plot: every y is ") +
                     (log_y ? "≤ 0 or not finite (log_y)" : "not finite"));
  }

  std::string text = "# x y: one index (two blank lines apart) per series\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (i > 0) text += "\n\n";
    text += "# " + detail::one_line(series[i].label) + '\n';
    for (std::size_t k = 0; k < series[i].x.size(); ++k) {
      text += detail::number(series[i].x[k]) + ' ' + detail::number(series[i].y[k]) + '\n';
    }
  }
  detail::write(files.path("_series.dat"), text);

  std::string s = detail::script_begin(files, title.empty() ? "Line plot" : title,
                                       {files.name + "_series.dat: x y, one index per series"});
  s += "set title " + detail::quote(title) + "\n";
  s += "set xlabel " + detail::quote(xlabel) + "\n";
  s += "set ylabel " + detail::quote(ylabel) + "\n";
  const detail::Ranges r = detail::ranges(series, log_x, log_y);
  s += "set xrange [" + detail::number(r.x0) + ":" + detail::number(r.x1) + "]\n";
  s += "set yrange [" + detail::number(r.y0) + ":" + detail::number(r.y1) + "]\n";
  if (log_y) {
    s += "set logscale y\n";
    s += "set format y '%g'\n";
    s += "set mytics 10\n";
    s += "set grid ytics mytics lw 1 lc rgb '#dddddd', lw 0.5 lc rgb '#eeeeee'\n";
  }
  if (log_x) {
    s += "set logscale x\n";
    s += "set format x '%g'\n";
    s += "set mxtics 10\n";
    s += "set grid xtics mxtics lw 1 lc rgb '#dddddd', lw 0.5 lc rgb '#eeeeee'\n";
  }
  s += detail::legend_position(series, log_x, log_y, r);
  s += "plot ";
  const std::string file = detail::quote(files.name + "_series.dat");
  const std::string x = log_x ? "($1 > 0 ? $1 : NaN)" : "1";
  const std::string y = log_y ? "($2 > 0 ? $2 : NaN)" : "2";
  for (std::size_t i = 0; i < series.size(); ++i) {
    s += (i > 0 ? ", \\\n     " : "") + file + " index " + std::to_string(i) + " using " + x + ":" + y;
    s += detail::series_style(series[i], i);
  }
  s += "\n" + detail::script_end(files);
  detail::write(files.path(".gp"), s);
  return detail::run_gnuplot(files);
}

}  // namespace tg::plot
