// The panels a picture of a function over the plane is made of: the contour map and the
// surface, each written as its data files and the gnuplot commands that draw it, so that
// contour(), surface() and surface_beside_contour() put them on the page alone or side by side.
#pragma once

#include <string>
#include <vector>

#include "plot/contour_lines.hpp"
#include "plot/script.hpp"
#include "tapegrad/plot.hpp"

namespace tg::plot::detail {

/// The colours of height, low to high, which both panels use: the surface reads like the map.
inline constexpr const char* kHeightPalette =
    "set palette defined (0 '#8f6698', 0.25 '#8997b9', 0.5 '#7abdba', 0.75 '#9edfa1', 1 '#fef17c')\n";

/// tg::ValueError (naming files.function) for an empty or non-finite window, resolution < 2,
/// no f, markers or trajectory points that are not 2-D, an empty trajectory, levels that do
/// not increase.
void check_plane(const Files& files, const ContourPlot& plot);

/// f on an n × n grid spanning the window exactly, with its least and greatest finite values
/// (tg::ValueError if there is none).
struct Sampled {
  Grid grid;
  double lo = 0, hi = 0;
};
Sampled sample(const Files& files, const ContourPlot& plot, int n);

/// How both panels draw the trajectories of `file` (index t: trajectory t; `columns` its
/// coordinates, "2:3" on the map, "2:3:5" on the surface), in layers: a white outline under
/// every path, so that it stands out from the colours below; the paths, each narrower than the
/// ones before it, so that a path another one follows still shows on both sides of it (with
/// dots at the iterates when `dots` and at most 60 points); then each start (a filled circle)
/// and end (a cross).
std::vector<std::string> path_layers(const std::string& file, const std::string& columns, const ContourPlot& plot,
                                     bool dots);
/// The legend's entries for the start and end symbols.
std::vector<std::string> start_and_end_legend();

/// What each of contour_panel's data files holds, for the script's head.
std::vector<std::string> contour_data_notes(const Files& files);
/// Writes name_grid.dat, name_contours.dat, name_paths.dat and name_markers.dat; returns the
/// commands from `set title` to the `plot` that draws the contour map.
std::string contour_panel(const Files& files, const ContourPlot& plot);

/// Writes name_surface.dat, name_paths_3d.dat and name_markers_3d.dat; returns the commands
/// from `set title` to the `splot` that draws the surface.
std::string surface_panel(const Files& files, const ContourPlot& plot, const SurfaceView& view);

}  // namespace tg::plot::detail
