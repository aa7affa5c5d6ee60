// Plots drawn by gnuplot: loss curves, contour maps and surfaces of a function with optimizer
// paths, the decision boundary of a 2-D classifier, and animations.
//
//   tg::plot::lines("out/loss", "Training loss", "epoch", "loss",
//                   {{"train", epochs, train_loss}, {"test", epochs, test_loss}}, /*log_y=*/true);
//
// writes out/loss.png (800×600) and out/loss.svg. Every plot also leaves what it was drawn from:
// the data, as plain whitespace-separated columns with 17 significant digits (`base`_*.dat;
// blocks separated by one blank line are pieces of one curve, by two blank lines different
// curves, as gnuplot reads them), and the gnuplot script (`base`.gp), which refers to them by
// file name: `cd out && gnuplot loss.gp` redraws the pictures (`gnuplot -e 'width = 640;
// height = 480' loss.gp` at another size), and any other tool can read the columns. gnuplot
// runs as a child process in the directory of `base`; text (titles, labels, file names) is
// written into the script as single-quoted strings, so no character of it is ever interpreted.
//
// Without gnuplot the functions still write the data and the script, and return false; print
// install_hint() then. They throw tg::IoError naming the path if a file cannot be written,
// and if gnuplot runs but fails (with what it said).
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::plot {

/// One curve: y against x (same lengths; NaN leaves a gap). With scatter, the points are drawn
/// unconnected, as data rather than a curve.
struct Series {
  std::string label{};
  std::vector<double> x{}, y{};
  bool scatter = false;
};

/// A path through the plane, e.g. an optimizer's iterates: points {x, y}.
struct Trajectory {
  std::string label{};
  std::vector<std::vector<double>> points{};
};

struct ContourPlot {
  std::string title{};
  std::array<double, 4> window{};      // x0, x1, y0, y1
  std::function<double(double, double)> f{};
  bool log_scale = false;              // log-spaced contour levels
  int resolution = 150;                // grid points along each axis
  std::vector<std::vector<double>> markers{};  // e.g. known minima (drawn as stars)
  std::vector<Trajectory> trajectories{};      // one colour each, start marked, legend
  std::string xlabel = "x";
  std::string ylabel = "y";
  std::vector<double> levels{};        // the contour levels, increasing; empty: chosen from f
  std::string marker_label = "minimum";       // the markers' legend entry
};

/// How surface() sees f: from gnuplot's `set view rot_x, rot_z` (degrees: rot_x tilts the
/// plane away from looking straight down, rot_z turns it about the vertical axis), over a
/// grid of resolution × resolution points (coarser than a contour map's, so that the shading
/// of each patch shows the shape).
struct SurfaceView {
  double rot_x = 45;
  double rot_z = 30;
  int resolution = 50;
  std::string zlabel = "f";
};

/// One picture of an animation: its title and its curves.
struct Frame {
  std::string title{};
  std::vector<Series> series{};
};

/// True when gnuplot can be run (`gnuplot --version` succeeds).
bool gnuplot_available();

/// Writes `base`.png and `base`.svg: f as filled contours (one colour per band between two
/// levels, with a colour bar) and contour lines, the trajectories on top (start: a filled
/// circle, end: a cross), the markers as stars. Levels are 1-2-5 round numbers, log-spaced
/// with log_scale (over f itself when f > 0 on the grid, else over f − min f + a small offset).
/// Data: `base`_grid.dat (x y f, one block per x), `base`_contours.dat (x y level, one block
/// per line piece), `base`_paths.dat (step x y, one index per trajectory), `base`_markers.dat
/// (x y). Returns false without throwing if gnuplot is missing (the data files are still
/// written). tg::ValueError for an empty window, resolution < 2, a missing f, points that are
/// not 2-D or levels that do not increase; tg::IoError if a file cannot be written.
bool contour(const std::string& base, const ContourPlot& plot);

/// Writes `base`.png and `base`.svg: f over plot.window as a shaded surface (the contour map's
/// colours by height, lit from the viewer's side), each trajectory lifted onto it — drawn at
/// f(x, y) plus 1.5% of the z axis, so that it stays above the patches around it — with its
/// start (a filled circle) and end (a cross), the markers as red stars on the surface. With
/// plot.log_scale the z axis is logarithmic: over f when f > 0 on the grid and spans two
/// decades or more, else over f − min f + (max f − min f)·1e-4, as the contour levels are, and
/// no lower than 1e-4 of the highest point (lower values are drawn at that floor).
/// plot.resolution, plot.levels and plot.title's placement are the contour map's; the surface
/// takes its grid from view. Data: `base`_surface.dat (x y f z, one block per x; z the height
/// drawn), `base`_paths_3d.dat (step x y f z, one index per trajectory), `base`_markers_3d.dat
/// (x y f z). Errors as contour(), and tg::ValueError for view.resolution < 2 or a view angle
/// that is not finite.
bool surface(const std::string& base, const ContourPlot& plot, const SurfaceView& view = {});

/// Writes `base`.png and `base`.svg (1400×600): the surface of surface() on the left, the
/// contour map of contour() on the right, under plot.title — the same paths seen from the side
/// and from above. Data: the files of both.
bool surface_beside_contour(const std::string& base, const ContourPlot& plot, const SurfaceView& view = {});

/// Writes `base`.png and `base`.svg: each series as a line in its own colour, with a legend
/// (points on the line when a series has at most 40 of them; a scatter series as points only),
/// and a logarithmic y axis with log_y, a logarithmic x axis with log_x (values ≤ 0 on a logarithmic axis are left out).
/// Data: `base`_series.dat (x y, one index per series). tg::ValueError for no series, an empty
/// one, or none with a point to draw; tg::ShapeError if x and y differ in length.
bool lines(const std::string& base, const std::string& title, const std::string& xlabel, const std::string& ylabel,
           const std::vector<Series>& series, bool log_y = false, bool log_x = false);

/// Writes `base`.gif (800×600): the frames one after another, `delay` hundredths of a second
/// apart, looping; every frame on the same axes (spanning all frames' data as lines() spans
/// one plot's), series k of each frame drawn as lines() draws series k. Data:
/// `base`_frames.dat (x y, one index per series, frame after frame). tg::ValueError for no
/// frames, a frame without series, an empty series, delay < 1 or nothing to draw;
/// tg::ShapeError if a series' x and y differ in length.
bool animation(const std::string& base, const std::string& xlabel, const std::string& ylabel,
               const std::vector<Frame>& frames, int delay = 10);

/// Writes `base`.png and `base`.svg: p1(x, y) — the probability of class 1 — over the window
/// as a filled map (blue below 0.5, red above, in bands of 0.1), the boundary p1 = 0.5 as a
/// black line, and the points X (N, 2) coloured by their class y (N,), 0 or 1. Data:
/// `base`_grid.dat (x y p1), `base`_boundary.dat (x y 0.5), `base`_points.dat (x y class).
/// tg::ShapeError for X not (N, 2) or y not (N,); tg::ValueError for a class other than 0/1.
bool decision_boundary(const std::string& base, const std::string& title, const std::function<double(double, double)>& p1,
                       const tg::Tensor& X, const tg::Tensor& y, const std::array<double, 4>& window);

/// The one line to print when gnuplot is missing: how to install it.
std::string install_hint();   // "plots skipped: gnuplot not found (install it with: sudo apt-get install gnuplot-nox)"

/// The gnuplot program that is run: "gnuplot" (looked up in PATH) unless set. An empty
/// command restores the default; a relative path with a '/' is made absolute.
void set_gnuplot_command(const std::string& command);
std::string gnuplot_command();

}  // namespace tg::plot
