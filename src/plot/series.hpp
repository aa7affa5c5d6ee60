// What lines() and animation() share: which points are drawn, the ranges they span, where the
// legend goes and how a series is styled.
#pragma once

#include <string>
#include <vector>

#include "plot/script.hpp"
#include "tapegrad/plot.hpp"

namespace tg::plot::detail {

/// Whether point k of a series is drawn: finite, and positive on a logarithmic axis.
bool drawn(const Series& s, std::size_t k, bool log_x, bool log_y);

/// The plotted ranges: x exactly as the data spans it, y with a margin of 5% of its span on
/// each side (of the logarithms with log_y), so that a curve never touches the frame.
struct Ranges {
  double x0, x1, y0, y1;
};
Ranges ranges(const std::vector<Series>& series, bool log_x, bool log_y);

/// Where the legend goes (gnuplot commands): the first of the four inner corners whose box
/// holds no piece of any curve, else below the plot. The box is estimated from the 800×600
/// layout: about 7 px per character of the longest label plus 50 px for the line sample, 20 px
/// per entry, in a plot area of about 680×480 px.
std::string legend_position(const std::vector<Series>& series, bool log_x, bool log_y, const Ranges& r);

/// tg::ShapeError for a series whose x and y differ in length, tg::ValueError for an empty one.
void check_series(const std::string& function, const std::vector<Series>& series);

/// How series i is drawn, from " with" to its title: lines, lines with points (at most 40),
/// or points only (scatter); its colour and dash type by i.
std::string series_style(const Series& s, std::size_t i);

}  // namespace tg::plot::detail
