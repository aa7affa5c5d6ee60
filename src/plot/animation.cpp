// animation(): frames of curves on fixed axes, written as an animated GIF by gnuplot's
// `gif animate` terminal.
#include <cmath>

#include "plot/series.hpp"
#include "tapegrad/error.hpp"

namespace tg::plot {

namespace {

// The frames drawn over one another: series k of every frame as one series (NaN between two
// frames, so that no segment joins them), labelled with the longest of their labels, for the
// legend to go where it covers no curve of any frame.
std::vector<Series> overlaid(const std::vector<Frame>& frames) {
  std::vector<Series> out;
  for (const Frame& frame : frames) {
    for (std::size_t i = 0; i < frame.series.size(); ++i) {
      if (i == out.size()) out.push_back({.scatter = true});
      const Series& s = frame.series[i];
      Series& o = out[i];
      if (s.label.size() > o.label.size()) o.label = s.label;
      o.scatter = o.scatter && s.scatter;
      o.x.insert(o.x.end(), s.x.begin(), s.x.end());
      o.y.insert(o.y.end(), s.y.begin(), s.y.end());
      o.x.push_back(NAN);
      o.y.push_back(NAN);
    }
  }
  return out;
}

}  // namespace

bool animation(const std::string& base, const std::string& xlabel, const std::string& ylabel,
               const std::vector<Frame>& frames, int delay) {
  const detail::Files files = detail::files("plot::animation", base);
  if (frames.empty()) throw ValueError("plot::animation: no frames to draw");
  if (delay < 1) {
    throw ValueError("plot::animation: the delay between frames must be at least 1 (hundredth of a second), got " +
                     std::to_string(delay));
  }
  // Every frame on the same axes: the ranges and the legend's place of all frames together.
  std::vector<Series> all;
  for (std::size_t k = 0; k < frames.size(); ++k) {
    if (frames[k].series.empty()) throw ValueError("plot::animation: frame " + std::to_string(k) + " has no series");
    detail::check_series("plot::animation", frames[k].series);
    all.insert(all.end(), frames[k].series.begin(), frames[k].series.end());
  }
  bool any = false;
  for (const Series& s : all) {
    for (std::size_t k = 0; k < s.x.size(); ++k) any = any || detail::drawn(s, k, false, false);
  }
  if (!any) throw ValueError("plot::animation: no point to plot: every x or y is not finite");

  std::string text = "# x y: one index (two blank lines apart) per series, frame after frame\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0) text += "\n\n";
    text += "# " + detail::one_line(all[i].label) + '\n';
    for (std::size_t k = 0; k < all[i].x.size(); ++k) {
      text += detail::number(all[i].x[k]) + ' ' + detail::number(all[i].y[k]) + '\n';
    }
  }
  detail::write(files.path("_frames.dat"), text);

  const std::string title = frames.front().title.empty() ? "Animation" : frames.front().title;
  std::string s = detail::script_begin(files, title + " (" + std::to_string(frames.size()) + " frames)",
                                       {files.name + "_frames.dat: x y, one index per series, frame after frame"},
                                       {.animated = true, .delay = delay});
  s += "set xlabel " + detail::quote(xlabel) + "\n";
  s += "set ylabel " + detail::quote(ylabel) + "\n";
  const detail::Ranges r = detail::ranges(all, false, false);
  s += "set xrange [" + detail::number(r.x0) + ":" + detail::number(r.x1) + "]\n";
  s += "set yrange [" + detail::number(r.y0) + ":" + detail::number(r.y1) + "]\n";
  s += detail::legend_position(overlaid(frames), false, false, r);
  const std::string file = detail::quote(files.name + "_frames.dat");
  std::size_t index = 0;
  for (const Frame& frame : frames) {
    s += "\nset title " + detail::quote(frame.title) + "\n";
    s += "plot ";
    for (std::size_t i = 0; i < frame.series.size(); ++i, ++index) {
      s += (i > 0 ? ", \\\n     " : "") + file + " index " + std::to_string(index) + " using 1:2" +
           detail::series_style(frame.series[i], i);
    }
    s += "\n";
  }
  s += "unset output\n";
  detail::write(files.path(".gp"), s);
  return detail::run_gnuplot(files, {".gif"});
}

}  // namespace tg::plot
