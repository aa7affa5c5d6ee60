// plot::decision_boundary(): the probability grid, the line p1 = 0.5 and the points it writes,
// checked against a classifier whose boundary is known; the pictures; bad input.
#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "plot/plot_test.hpp"

namespace {

using namespace plot_test;

// A logistic classifier whose boundary is the diagonal y = x.
double diagonal(double x, double y) { return 1.0 / (1.0 + std::exp(-3.0 * (x - y))); }

const tg::Tensor kX = tg::tensor({{0.5, -0.5}, {1.0, 0.0}, {-0.5, 0.5}, {-1.0, 0.25}, {0.2, 0.1}});
const tg::Tensor kY = tg::tensor({1.0, 1.0, 0.0, 0.0, 1.0});

TEST(PlotDecisionBoundary, TheDataFilesHoldTheClassifierAndThePoints) {
  TempDir dir;
  const std::string base = dir / "boundary";
  const bool drawn = tg::plot::decision_boundary(base, "Diagonal", diagonal, kX, kY, {-1.5, 1.5, -1.0, 1.0});
  // 150 x 150 grid, p1 exact.
  const auto grid = read_data(base + "_grid.dat");
  ASSERT_EQ(grid.size(), 1u);
  ASSERT_EQ(grid[0].size(), 150u);
  for (const auto& block : grid[0]) {
    ASSERT_EQ(block.size(), 150u);
    for (const auto& row : block) EXPECT_EQ(row[2], diagonal(row[0], row[1]));
  }
  EXPECT_EQ(grid[0].front().front()[0], -1.5);
  EXPECT_EQ(grid[0].back().back()[0], 1.5);
  EXPECT_EQ(grid[0].back().back()[1], 1.0);
  // The boundary: the diagonal from (-1, -1) to (1, 1), as one line.
  const auto boundary = read_data(base + "_boundary.dat");
  ASSERT_EQ(boundary[0].size(), 1u);
  const Rows& line = boundary[0][0];
  EXPECT_GT(line.size(), 100u);
  // Each point is where p1, interpolated linearly along a grid edge (0.02 long), crosses 0.5:
  // p1 - 0.5 is odd about the diagonal, so the crossing misses it only at third order.
  for (const auto& p : line) {
    EXPECT_NEAR(p[0], p[1], 1e-6);
    EXPECT_EQ(p[2], 0.5);
  }
  EXPECT_NEAR(std::min(line.front()[0], line.back()[0]), -1.0, 1e-6);
  EXPECT_NEAR(std::max(line.front()[0], line.back()[0]), 1.0, 1e-6);
  // The points with their classes.
  const auto points = read_data(base + "_points.dat");
  EXPECT_EQ(points[0][0], (Rows{{0.5, -0.5, 1}, {1, 0, 1}, {-0.5, 0.5, 0}, {-1, 0.25, 0}, {0.2, 0.1, 1}}));
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "'boundary_boundary.dat' using 1:2 with lines lw 2.5 lc rgb '#111111' title 'P = 0.5'"));
  EXPECT_TRUE(contains(script, "'boundary_points.dat' using 1:($3 == 1 ? $2 : NaN) with points pt 5"));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

TEST(PlotDecisionBoundary, AClassifierThatIsSureEverywhereHasNoBoundaryLine) {
  TempDir dir;
  const std::string base = dir / "sure";
  const bool drawn = tg::plot::decision_boundary(base, "", [](double, double) { return 0.9; }, kX, kY, {-1, 1, -1, 1});
  EXPECT_EQ(read(base + "_boundary.dat"), "# x y p1: the pieces of the line p1 = 0.5\n");
  EXPECT_FALSE(contains(read(base + ".gp"), "boundary_boundary.dat' using"));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

TEST(PlotDecisionBoundary, BadInput) {
  TempDir dir;
  const std::string base = dir / "bad";
  const std::array<double, 4> w = {-1, 1, -1, 1};
  const auto call = [&](const tg::Tensor& X, const tg::Tensor& y, std::array<double, 4> window = {-1, 1, -1, 1}) {
    return [&, X, y, window] { tg::plot::decision_boundary(base, "t", diagonal, X, y, window); };
  };
  EXPECT_TRUE(contains(message_of<tg::ShapeError>(call(tg::zeros({5, 3}), kY)),
                       "plot::decision_boundary: X must be (N, 2), got (5, 3)"));
  EXPECT_TRUE(contains(message_of<tg::ShapeError>(call(tg::zeros({5}), kY)), "X must be (N, 2), got (5,)"));
  EXPECT_TRUE(contains(message_of<tg::ShapeError>(call(kX, tg::zeros({4}))),
                       "plot::decision_boundary: y must be (N,) for X (5, 2), got (4,)"));
  EXPECT_TRUE(contains(message_of<tg::ShapeError>(call(kX, tg::zeros({5, 1}))), "got (5, 1)"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>(call(kX, tg::tensor({1.0, 0.0, 2.0, 0.0, 1.0}))),
                       "plot::decision_boundary: y[2] = 2, expected the class 0 or 1"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>(call(kX, kY, {1, -1, -1, 1})),
                       "the window (x0, x1, y0, y1) = (1, -1, -1, 1) needs x0 < x1 and y0 < y1"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>(call(kX, kY, {-1, 1, NAN, 1})), "the window must be finite, got nan"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>([&] { tg::plot::decision_boundary(base, "t", nullptr, kX, kY, w); }),
                       "plot::decision_boundary: no probability function p1"));
  EXPECT_TRUE(fs::is_empty(dir.path()));
  const std::string unwritable = dir / "nowhere/b";
  EXPECT_TRUE(contains(message_of<tg::IoError>([&] { tg::plot::decision_boundary(unwritable, "t", diagonal, kX, kY, w); }),
                       unwritable + "_grid.dat"));
}

}  // namespace
