// plot::contour(): the grid, contour lines, paths and markers it writes, checked against the
// function; the levels it chooses; the pictures; bad input.
#include <algorithm>
#include <cmath>
#include <set>

#include <tapegrad/tapegrad.hpp>

#include "plot/plot_test.hpp"

namespace {

using namespace plot_test;

// The levels that have contour lines, from the third column of _contours.dat.
std::vector<double> levels_in(const std::string& file) {
  std::set<double> levels;
  for (const auto& index : read_data(file)) {
    for (const auto& block : index) {
      for (const auto& row : block) levels.insert(row.at(2));
    }
  }
  return {levels.begin(), levels.end()};
}

// v = m · 10^k with m one of `mantissas`.
bool round_number(double v, std::initializer_list<double> mantissas) {
  const double decade = std::pow(10.0, std::floor(std::log10(v) + 1e-9));
  for (double m : mantissas) {
    if (std::abs(v - m * decade) <= 1e-9 * v) return true;
  }
  return false;
}

TEST(PlotContour, TheGridHoldsTheFunctionAndItsBand) {
  TempDir dir;
  const std::string base = dir / "bowl";
  const bool drawn = tg::plot::contour(base, quadratic_plot());
  expect_quadratic_grid(base + "_grid.dat", [](const Rows::value_type& row, double f) {
    // The band: -0.5 below 1.5, 0.5 in [1.5, 5), 1.5 in [5, 20), 2.5 from 20 on.
    EXPECT_EQ(row[3], f < 1.5 ? -0.5 : f < 5 ? 0.5 : f < 20 ? 1.5 : 2.5) << row[0] << " " << row[1];
  });
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

TEST(PlotContour, ContourLinesLieOnTheirLevel) {
  TempDir dir;
  const std::string base = dir / "bowl";
  tg::plot::contour(base, quadratic_plot());
  const auto contours = read_data(base + "_contours.dat");
  ASSERT_EQ(contours.size(), 1u);
  EXPECT_EQ(levels_in(base + "_contours.dat"), (std::vector<double>{1.5, 5.0, 20.0}));
  int closed = 0;
  for (const auto& piece : contours[0]) {
    ASSERT_GE(piece.size(), 2u);
    const double level = piece.front()[2];
    for (const auto& p : piece) {
      EXPECT_EQ(p[2], level);
      // Linear interpolation of f along a grid edge of length h = 0.5 misses the quadratic
      // by at most h^2/8 · f'' = 0.0625.
      EXPECT_NEAR(quadratic(p[0], p[1]), level, 0.0625 + 1e-12) << p[0] << " " << p[1];
    }
    if (level == 1.5) {
      // The circle of radius sqrt(1.5) around (3, -2): inside the window, one closed line.
      EXPECT_EQ(piece.front(), piece.back());
      ++closed;
    }
  }
  EXPECT_EQ(closed, 1);
}

TEST(PlotContour, PathsAndMarkersAreWrittenAsGiven) {
  TempDir dir;
  const std::string base = dir / "bowl";
  const tg::plot::ContourPlot plot = quadratic_plot();
  tg::plot::contour(base, plot);
  const auto paths = read_data(base + "_paths.dat");
  ASSERT_EQ(paths.size(), 2u);  // one index per trajectory
  for (std::size_t t = 0; t < 2; ++t) {
    ASSERT_EQ(paths[t].size(), 1u);
    const auto& rows = paths[t][0];
    ASSERT_EQ(rows.size(), plot.trajectories[t].points.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      EXPECT_EQ(rows[k], (std::vector<double>{static_cast<double>(k), plot.trajectories[t].points[k][0],
                                              plot.trajectories[t].points[k][1]}));
    }
  }
  // Step 10 of GD from (0, 0): 3 (1 - 0.8^10).
  EXPECT_NEAR(paths[0][0].back()[1], 3 * (1 - std::pow(0.8, 10)), 1e-12);
  const std::string text = read(base + "_paths.dat");
  EXPECT_TRUE(contains(text, "# GD from (0, 0)\n0 0 0\n1 0.60000000000000009 -0.40000000000000002\n")) << text;
  const auto markers = read_data(base + "_markers.dat");
  ASSERT_EQ(markers.size(), 1u);
  EXPECT_EQ(markers[0], (std::vector<Rows>{Rows{{3.0, -2.0}}}));

  // The script reads the data files by their names, relative to its own directory.
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "#   gnuplot bowl.gp\n")) << script;
  EXPECT_TRUE(contains(script, "set output 'bowl.png'\n"));
  EXPECT_TRUE(contains(script, "set output 'bowl.svg'\n"));
  EXPECT_TRUE(contains(script, "'bowl_grid.dat' using 1:2:4 with image"));
  EXPECT_TRUE(contains(script, "'bowl_paths.dat' index 1 using 2:3"));
  EXPECT_TRUE(contains(script, "title 'GD from (-1.5, 2)'"));
  EXPECT_TRUE(contains(script, "title 'minimum'"));
  EXPECT_TRUE(contains(script, "set cbrange [-1:3]\n"));  // 3 levels: 4 bands
  EXPECT_TRUE(contains(script, "set xrange [-2:5]\nset yrange [-4:3]\n"));
  EXPECT_FALSE(contains(script, dir.path().string()));  // no absolute paths
}

// Without given levels: 1-2-5 round numbers, evenly spaced on a linear scale...
TEST(PlotContour, LinearLevelsAreEvenlySpacedRoundNumbers) {
  TempDir dir;
  const std::string base = dir / "booth";
  tg::plot::ContourPlot plot{
      .window = {-3, 5, -3, 5},
      .f = [](double x, double y) { return (x + 2 * y - 7) * (x + 2 * y - 7) + (2 * x + y - 5) * (2 * x + y - 5); },
      .resolution = 60};
  tg::plot::contour(base, plot);
  const std::vector<double> levels = levels_in(base + "_contours.dat");
  ASSERT_GE(levels.size(), 7u);
  EXPECT_LE(levels.size(), 16u);
  const double step = levels[1] - levels[0];
  EXPECT_TRUE(round_number(step, {1, 2, 5})) << step;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    EXPECT_NEAR(levels[k], levels[0] + step * static_cast<double>(k), 1e-9 * levels.back());
    EXPECT_NEAR(std::remainder(levels[k], step), 0.0, 1e-9 * levels.back());  // multiples of the step
  }
  // Booth on [-3, 5]^2 reaches 0 at (1, 3) and 740 at (-3, -3): the levels lie within.
  EXPECT_GT(levels.front(), 0.0);
  EXPECT_LT(levels.back(), 740.0);
}

// ... and log-spaced (1, 2, 5 per decade) where the range is wide, as Rosenbrock's.
TEST(PlotContour, LogLevelsForAWideRange) {
  TempDir dir;
  const std::string base = dir / "rosenbrock";
  const auto& f = tg::functions::get("rosenbrock");
  tg::plot::ContourPlot plot{
      .window = f.window,
      .f = [](double x, double y) { return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x); },
      .log_scale = true,
      .resolution = 80};
  tg::plot::contour(base, plot);
  const std::vector<double> levels = levels_in(base + "_contours.dat");
  ASSERT_GE(levels.size(), 8u);
  EXPECT_LE(levels.size(), 16u);
  for (double v : levels) EXPECT_TRUE(round_number(v, {1, 2, 5})) << v;
  // Over at least three decades, up to the maximum on the window, f(-2, -1) = 2509.
  EXPECT_GE(levels.back() / levels.front(), 1000.0);
  EXPECT_LT(levels.back(), 2509.0);
  EXPECT_TRUE(contains(read(base + ".gp"), "set cblabel 'f (log-spaced levels)'"));
}

// A log scale over a function with negative values: levels min f + d for round d.
TEST(PlotContour, LogLevelsAboveTheMinimumWhenFGoesNegative) {
  TempDir dir;
  const std::string base = dir / "camel";
  const auto f = [](double x, double y) {
    return (4 - 2.1 * x * x + x * x * x * x / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
  };
  tg::plot::contour(base, {.window = {-2, 2, -1, 1}, .f = f, .log_scale = true, .resolution = 41});
  double lo = INFINITY;
  const auto grid = read_data(base + "_grid.dat");
  for (const auto& block : grid[0]) {
    for (const auto& row : block) lo = std::min(lo, row[2]);
  }
  EXPECT_LT(lo, -1.0);  // near the minimum -1.0316
  for (double v : levels_in(base + "_contours.dat")) EXPECT_TRUE(round_number(v - lo, {1, 2, 5})) << v - lo;
}

TEST(PlotContour, WithoutGnuplotTheDataAndScriptAreStillWritten) {
  TempDir dir;
  const GnuplotCommand missing((dir.path() / "no-such-gnuplot").string());
  const std::string base = dir / "bowl";
  EXPECT_FALSE(tg::plot::contour(base, quadratic_plot()));
  for (const char* suffix : {"_grid.dat", "_contours.dat", "_paths.dat", "_markers.dat", ".gp"}) {
    EXPECT_TRUE(fs::is_regular_file(base + suffix)) << suffix;
  }
  EXPECT_FALSE(fs::exists(base + ".png"));
  EXPECT_EQ(read_data(base + "_markers.dat")[0][0][0], (std::vector<double>{3.0, -2.0}));
}

TEST(PlotContour, BadInput) {
  TempDir dir;
  const std::string base = dir / "bad";
  const auto error = [&](tg::plot::ContourPlot plot) {
    if (!plot.f) plot.f = quadratic;
    return message_of<tg::ValueError>([&] { tg::plot::contour(base, plot); });
  };
  const std::array<double, 4> w = {-2, 5, -4, 3};
  EXPECT_TRUE(contains(error({.window = {1, 1, 0, 1}}), "plot::contour: the window (x0, x1, y0, y1) = (1, 1, 0, 1) needs x0 < x1 and y0 < y1"));
  EXPECT_TRUE(contains(error({.window = {0, 1, 2, -2}}), "needs x0 < x1 and y0 < y1"));
  EXPECT_TRUE(contains(error({.window = {0, INFINITY, 0, 1}}), "the window must be finite, got inf"));
  EXPECT_TRUE(contains(error({.window = w, .resolution = 1}), "resolution must be at least 2, got 1"));
  EXPECT_TRUE(contains(error({.window = w, .markers = {{1, 2, 3}}}), "marker 0 has 3 coordinates, expected 2"));
  EXPECT_TRUE(contains(error({.window = w, .trajectories = {{"Adam", {}}}}), "trajectory 'Adam' has no points"));
  EXPECT_TRUE(contains(error({.window = w, .trajectories = {{"SGD", {{0, 0}, {1}}}}}),
                       "point 1 of trajectory 'SGD' has 1 coordinates, expected 2"));
  EXPECT_TRUE(contains(error({.window = w, .levels = {1, 3, 2}}), "levels must be finite and increasing, got 2 at position 2"));
  EXPECT_TRUE(contains(error({.window = w, .levels = {NAN}}), "levels must be finite and increasing"));
  tg::plot::ContourPlot no_f{.window = w};
  EXPECT_TRUE(contains(message_of<tg::ValueError>([&] { tg::plot::contour(base, no_f); }), "plot::contour: no function f to plot"));
  EXPECT_TRUE(contains(error({.window = w, .f = [](double, double) { return NAN; }}), "f is not finite anywhere in the window"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>([&] { tg::plot::contour("", quadratic_plot()); }),
                       "plot::contour: the output must name a file, got ''"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>([&] { tg::plot::contour(dir / "sub/", quadratic_plot()); }),
                       "the output must name a file"));
  EXPECT_TRUE(fs::is_empty(dir.path()));  // nothing written for bad input
}

TEST(PlotContour, AnUnwritableDirectoryIsAnIoErrorNamingThePath) {
  TempDir dir;
  { std::ofstream(dir / "a_file") << "not a directory"; }
  const std::string base = dir / "a_file/bowl";
  const std::string m = message_of<tg::IoError>([&] { tg::plot::contour(base, quadratic_plot()); });
  EXPECT_TRUE(contains(m, base + "_grid.dat")) << m;
  const std::string missing = dir / "no/such/dir/bowl";
  EXPECT_TRUE(contains(message_of<tg::IoError>([&] { tg::plot::contour(missing, quadratic_plot()); }), missing));
}

}  // namespace
