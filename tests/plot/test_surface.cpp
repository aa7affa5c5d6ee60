// plot::surface() and plot::surface_beside_contour(): the surface grid and the lifted paths they
// write, checked against the function; the logarithmic z axis; the pictures; bad input.
#include <algorithm>
#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "plot/plot_test.hpp"

namespace {

using namespace plot_test;

const tg::plot::SurfaceView kView{.rot_x = 50, .rot_z = 120, .resolution = 15};

TEST(PlotSurface, TheSurfaceHoldsTheFunction) {
  TempDir dir;
  const std::string base = dir / "bowl";
  const bool drawn = tg::plot::surface(base, quadratic_plot(), kView);
  expect_quadratic_grid(base + "_surface.dat", [](const Rows::value_type& row, double f) {
    EXPECT_EQ(row[3], f);  // a linear z axis draws f itself
  });
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "set view 50, 120\n")) << script;
  EXPECT_TRUE(contains(script, "set zrange [0:50.75]\n")) << script;  // up to the highest lifted point
  EXPECT_TRUE(contains(script, "splot 'bowl_surface.dat' using 1:2:4 with pm3d notitle")) << script;
  EXPECT_TRUE(contains(script, "'bowl_paths_3d.dat' index 1 using 2:3:5 with lines lw 2.75 lc rgb '#d62728' title "
                               "'GD from (-1.5, 2)'"))
      << script;
  EXPECT_FALSE(contains(script, "set logscale")) << script;
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

// Each point of a path is drawn at f(x, y) plus 1.5% of the z axis's span: 0.015 * 50 = 0.75.
TEST(PlotSurface, PathsAndMarkersAreLiftedOntoTheSurface) {
  TempDir dir;
  const std::string base = dir / "bowl";
  const tg::plot::ContourPlot plot = quadratic_plot();
  tg::plot::surface(base, plot, kView);
  const auto paths = read_data(base + "_paths_3d.dat");
  ASSERT_EQ(paths.size(), 2u);  // one index per trajectory
  for (std::size_t t = 0; t < 2; ++t) {
    ASSERT_EQ(paths[t].size(), 1u);
    const auto& rows = paths[t][0];
    ASSERT_EQ(rows.size(), plot.trajectories[t].points.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto& p = plot.trajectories[t].points[k];
      ASSERT_EQ(rows[k].size(), 5u);
      EXPECT_EQ(rows[k][0], static_cast<double>(k));
      EXPECT_EQ(rows[k][1], p[0]);
      EXPECT_EQ(rows[k][2], p[1]);
      EXPECT_EQ(rows[k][3], quadratic(p[0], p[1]));
      EXPECT_EQ(rows[k][4], quadratic(p[0], p[1]) + 0.75);
    }
  }
  // GD from (0, 0): f = 13 at the start, 13 * 0.64^10 = 0.1497... after 10 steps.
  EXPECT_EQ(paths[0][0].front()[3], 13);
  EXPECT_NEAR(paths[0][0].back()[3], 13 * std::pow(0.64, 10), 1e-12);
  const auto markers = read_data(base + "_markers_3d.dat");
  ASSERT_EQ(markers[0][0].size(), 1u);
  EXPECT_EQ(markers[0][0][0], (std::vector<double>{3, -2, 0, 0.75}));
}

// With log_scale: over f itself when f > 0 spans two decades or more, else over f − min f plus a
// floor; never lower than 1e-4 of the highest point. Paths go up by a factor (z1 / z0)^0.015.
TEST(PlotSurface, ALogarithmicZAxis) {
  TempDir dir;
  // exp(x) on [0, 10]: from 1 to e^10 = 22026.5, so f itself, drawn no lower than 2.20265.
  tg::plot::ContourPlot plot{
      .window = {0.0, 10.0, 0.0, 1.0},
      .f = [](double x, double) { return std::exp(x); },
      .log_scale = true,
      .trajectories = {{"right", {{0.0, 0.5}, {5.0, 0.5}, {10.0, 0.5}}}},
  };
  const tg::plot::SurfaceView view{.resolution = 11};
  const std::string base = dir / "exp";
  const bool drawn = tg::plot::surface(base, plot, view);
  const double hi = std::exp(10.0), floor = hi * 1e-4, lift = std::pow(hi / floor, 0.015);
  const auto exp_surface = read_data(base + "_surface.dat");
  for (const auto& block : exp_surface[0]) {
    for (const auto& row : block) {
      EXPECT_EQ(row[2], std::exp(row[0]));
      EXPECT_DOUBLE_EQ(row[3], std::max(std::exp(row[0]), floor)) << row[0];
    }
  }
  const auto path = read_data(base + "_paths_3d.dat")[0][0];
  ASSERT_EQ(path.size(), 3u);
  EXPECT_DOUBLE_EQ(path[0][4], floor * lift);  // f = 1 is below the floor: drawn on it
  EXPECT_DOUBLE_EQ(path[1][4], std::exp(5.0) * lift);
  EXPECT_DOUBLE_EQ(path[2][4], hi * lift);
  std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "set logscale zcb\n")) << script;
  EXPECT_TRUE(contains(script, "set zlabel 'f (log scale)' rotate parallel\n")) << script;

  // The bowl from 0: over f + (50 − 0)·1e-4 = f + 0.005.
  plot = quadratic_plot();
  plot.log_scale = true;
  tg::plot::surface(dir / "bowl", plot, kView);
  const auto surface = read_data(dir / "bowl_surface.dat")[0];
  EXPECT_DOUBLE_EQ(surface[10][4][3], 0.0050005);  // (3, -2): f = 0, at the floor 50.005e-4
  EXPECT_DOUBLE_EQ(surface[0][14][3], 50.005);     // (-2, 3): f = 50
  script = read(dir / "bowl.gp");
  EXPECT_TRUE(contains(script, "set zlabel 'f + 0.005 (log scale)' rotate parallel\n")) << script;
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

TEST(PlotSurface, BesideTheContourMap) {
  TempDir dir;
  const std::string base = dir / "both";
  const tg::plot::ContourPlot plot = quadratic_plot();
  const bool drawn = tg::plot::surface_beside_contour(base, plot, kView);
  // The contour map's files are the ones contour() writes.
  tg::plot::contour(dir / "alone", plot);
  for (const char* data : {"_grid.dat", "_contours.dat", "_paths.dat", "_markers.dat"}) {
    EXPECT_EQ(read(base + data), read(dir / (std::string("alone") + data))) << data;
  }
  EXPECT_EQ(read_data(base + "_paths_3d.dat")[1][0].back()[4],
            quadratic(plot.trajectories[1].points.back()[0], plot.trajectories[1].points.back()[1]) + 0.75);
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "if (!exists('width')) width = 1400\n")) << script;
  EXPECT_TRUE(contains(script, "set multiplot layout 1, 2 title 'Quadratic bowl'\n")) << script;
  // Drawn twice, as PNG and as SVG: a multiplot cannot be replotted.
  std::size_t multiplots = 0;
  for (std::size_t at = script.find("unset multiplot"); at != std::string::npos;
       at = script.find("unset multiplot", at + 1)) {
    ++multiplots;
  }
  EXPECT_EQ(multiplots, 2u);
  EXPECT_TRUE(contains(script, "set output 'both.svg'\n")) << script;
  EXPECT_FALSE(contains(script, "replot")) << script;
  // The panels have no title of their own.
  EXPECT_TRUE(contains(script, "set title ''\n")) << script;
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base, 1400, 600);
}

TEST(PlotSurface, WithoutGnuplotTheDataAndScriptAreStillWritten) {
  TempDir dir;
  const GnuplotCommand missing("/nonexistent/gnuplot");
  EXPECT_FALSE(tg::plot::surface(dir / "bowl", quadratic_plot(), kView));
  EXPECT_FALSE(tg::plot::surface_beside_contour(dir / "both", quadratic_plot(), kView));
  for (const char* file : {"bowl.gp", "bowl_surface.dat", "bowl_paths_3d.dat", "both.gp", "both_grid.dat"}) {
    EXPECT_TRUE(fs::exists(dir.path() / file)) << file;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "bowl.png"));
}

TEST(PlotSurface, BadInput) {
  TempDir dir;
  const std::string base = dir / "bad";
  const auto error = [&](const tg::plot::ContourPlot& plot, const tg::plot::SurfaceView& view = {}) {
    return message_of<tg::ValueError>([&] { tg::plot::surface(base, plot, view); });
  };
  tg::plot::ContourPlot plot = quadratic_plot();
  plot.trajectories.push_back({"empty", {}});
  EXPECT_EQ(error(plot), "plot::surface: trajectory 'empty' has no points");
  plot = quadratic_plot();
  plot.trajectories[0].points[3] = {1.0, 2.0, 3.0};
  EXPECT_EQ(error(plot), "plot::surface: point 3 of trajectory 'GD from (0, 0)' has 3 coordinates, expected 2");
  plot = quadratic_plot();
  plot.markers = {{1.0}};
  EXPECT_EQ(error(plot), "plot::surface: marker 0 has 1 coordinates, expected 2");
  plot = quadratic_plot();
  plot.window = {1, 1, 0, 1};
  EXPECT_EQ(error(plot), "plot::surface: the window (x0, x1, y0, y1) = (1, 1, 0, 1) needs x0 < x1 and y0 < y1");
  plot = quadratic_plot();
  plot.f = nullptr;
  EXPECT_EQ(error(plot), "plot::surface: no function f to plot");
  plot = quadratic_plot();
  plot.f = [](double, double) { return NAN; };
  EXPECT_EQ(error(plot), "plot::surface: f is not finite anywhere in the window");
  EXPECT_EQ(error(quadratic_plot(), {.resolution = 1}), "plot::surface: the surface's resolution must be at least 2, got 1");
  EXPECT_EQ(error(quadratic_plot(), {.rot_x = NAN}), "plot::surface: the view angles must be finite, got rot_x = nan, rot_z = 30");
  EXPECT_EQ(message_of<tg::ValueError>([&] { tg::plot::surface_beside_contour(base, plot); }),
            "plot::surface_beside_contour: f is not finite anywhere in the window");
  EXPECT_EQ(message_of<tg::ValueError>([&] { tg::plot::surface(dir / "sub/", quadratic_plot()); }),
            "plot::surface: the output must name a file, got '" + (dir / "sub/") + "'");
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(PlotSurface, AnUnwritableDirectoryIsAnIoErrorNamingThePath) {
  TempDir dir;
  const std::string base = dir / "missing/bowl";
  const std::string m = message_of<tg::IoError>([&] { tg::plot::surface(base, quadratic_plot(), kView); });
  EXPECT_TRUE(contains(m, base + "_surface.dat")) << m;
}

}  // namespace
