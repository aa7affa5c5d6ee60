// plot::lines(): the series it writes, the script's log axis and styles, the pictures; bad input.
#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "plot/plot_test.hpp"

namespace {

using namespace plot_test;

// The loss of plain GD on f(x) = x^2 from x = 1 with lr 0.1: 0.8^(2t).
tg::plot::Series gd_loss(int steps) {
  tg::plot::Series s{"GD lr 0.1", {}, {}};
  for (int t = 0; t <= steps; ++t) {
    s.x.push_back(t);
    s.y.push_back(std::pow(0.8, 2 * t));
  }
  return s;
}

TEST(PlotLines, EverySeriesIsWrittenAsGiven) {
  TempDir dir;
  const std::string base = dir / "loss";
  const tg::plot::Series gd = gd_loss(100);
  const tg::plot::Series gap{"with a gap", {0, 1, 2, 3}, {1.0, 0.5, NAN, 0.125}};
  const bool drawn = tg::plot::lines(base, "Loss against step", "step", "loss", {gd, gap}, /*log_y=*/true);
  const auto data = read_data(base + "_series.dat");
  ASSERT_EQ(data.size(), 2u);  // one index per series
  ASSERT_EQ(data[0].size(), 1u);
  ASSERT_EQ(data[0][0].size(), 101u);
  for (std::size_t t = 0; t <= 100; ++t) {
    EXPECT_EQ(data[0][0][t], (std::vector<double>{static_cast<double>(t), std::pow(0.8, 2.0 * static_cast<double>(t))}));
  }
  ASSERT_EQ(data[1][0].size(), 4u);
  EXPECT_EQ(data[1][0][1], (std::vector<double>{1, 0.5}));
  EXPECT_TRUE(std::isnan(data[1][0][2][1]));  // written "nan": gnuplot leaves a gap
  const std::string text = read(base + "_series.dat");
  EXPECT_TRUE(contains(text, "# GD lr 0.1\n0 1\n1 0.64000000000000012\n")) << text.substr(0, 200);
  EXPECT_TRUE(contains(text, "\n\n\n# with a gap\n0 1\n1 0.5\n2 nan\n3 0.125\n"));

  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "set logscale y\n"));
  EXPECT_TRUE(contains(script, "set title 'Loss against step'\nset xlabel 'step'\nset ylabel 'loss'\n"));
  // 101 points: a line; 4 points: a line with its points; the two colours of the palette.
  EXPECT_TRUE(contains(script, "'loss_series.dat' index 0 using 1:($2 > 0 ? $2 : NaN) with lines lw 2 dt 1 lc rgb '#1f77b4' title 'GD lr 0.1'"))
      << script;
  EXPECT_TRUE(contains(script, "'loss_series.dat' index 1 using 1:($2 > 0 ? $2 : NaN) with linespoints pt 7 ps 0.7 lw 2 dt 1 lc rgb '#d62728' title 'with a gap'"));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

TEST(PlotLines, ALinearAxisAndManySeries) {
  TempDir dir;
  const std::string base = dir / "params";
  std::vector<tg::plot::Series> series;
  for (int k = 0; k < 12; ++k) {
    std::ostringstream label;
    label << 'w' << k;
    series.push_back({label.str(), {0, 1}, {0.0, -1.0 * k}});
  }
  const bool drawn = tg::plot::lines(base, "", "step", "value", series);
  const std::string script = read(base + ".gp");
  EXPECT_FALSE(contains(script, "logscale"));
  EXPECT_TRUE(contains(script, "index 0 using 1:2 "));
  // Colours repeat after ten, with another dash type.
  EXPECT_TRUE(contains(script, "index 10 using 1:2 with linespoints pt 7 ps 0.7 lw 2 dt 2 lc rgb '#1f77b4' title 'w10'"));
  EXPECT_EQ(read_data(base + "_series.dat").size(), 12u);
  EXPECT_EQ(read_data(base + "_series.dat")[11][0][1], (std::vector<double>{1, -11}));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

// The legend goes in the first inner corner (top right, top left, bottom right, bottom left)
// that no curve crosses, else below the plot.
TEST(PlotLines, TheLegendCoversNoCurve) {
  TempDir dir;
  const tg::plot::Series rising{"rising", {0, 10}, {0, 10}}, falling{"falling", {0, 10}, {10, 0}};
  tg::plot::lines(dir / "one", "", "x", "y", {rising});
  std::string script = read(dir / "one.gp");
  EXPECT_TRUE(contains(script, "set key top left reverse Left")) << script;
  // The y range: 5% of the span on each side; x exactly.
  EXPECT_TRUE(contains(script, "set xrange [0:10]\nset yrange [-0.5:10.5]\n")) << script;
  tg::plot::lines(dir / "two", "", "x", "y", {falling});
  EXPECT_TRUE(contains(read(dir / "two.gp"), "set key top right reverse Left"));
  tg::plot::lines(dir / "cross", "", "x", "y", {rising, falling});
  script = read(dir / "cross.gp");
  EXPECT_TRUE(contains(script, "set key outside below center vertical maxrows 1 reverse Left nobox")) << script;
  EXPECT_TRUE(contains(script, "set bmargin 5.25\n")) << script;
  // On a log axis the corners are judged in log coordinates: 1e-3 ... 1 fills the bottom right.
  tg::plot::lines(dir / "log", "", "x", "y", {{"decay", {0, 1, 2, 3}, {1, 1e-1, 1e-2, 1e-3}}}, /*log_y=*/true);
  EXPECT_TRUE(contains(read(dir / "log.gp"), "set key top right reverse Left"));
}

// A scatter series is drawn as points only, and for the legend only its points count: the
// line (0, 0) -> (8, 10) -> (10, 9) crosses the top right corner, its points do not.
TEST(PlotLines, AScatterSeriesIsPointsOnly) {
  TempDir dir;
  tg::plot::Series s{"s", {0, 8, 10}, {0, 10, 9}};
  tg::plot::lines(dir / "line", "", "x", "y", {s});
  std::string script = read(dir / "line.gp");
  EXPECT_TRUE(contains(script, "set key top left reverse Left")) << script;
  EXPECT_TRUE(contains(script, "index 0 using 1:2 with linespoints pt 7 ps 0.7 lw 2 dt 1")) << script;
  s.scatter = true;
  const bool drawn = tg::plot::lines(dir / "scatter", "", "x", "y", {s});
  script = read(dir / "scatter.gp");
  EXPECT_TRUE(contains(script, "set key top right reverse Left")) << script;
  EXPECT_TRUE(contains(script, "index 0 using 1:2 with points pt 7 ps 0.8 dt 1 lc rgb '#1f77b4' title 's'")) << script;
  EXPECT_EQ(read_data(dir / "scatter_series.dat")[0][0], (Rows{{0, 0}, {8, 10}, {10, 9}}));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(dir / "scatter");
}

// log_x: a logarithmic x axis (a sweep over learning rates); points with x <= 0 are left out
// of the range and of the plot, and the legend's corners are judged in log coordinates.
TEST(PlotLines, ALogarithmicXAxis) {
  TempDir dir;
  const std::string base = dir / "sweep";
  const tg::plot::Series steps{"steps", {0, 1e-3, 1e-2, 1e-1, 1}, {5, 1000, 100, 10, 1}};
  const bool drawn = tg::plot::lines(base, "", "lr", "steps", {steps}, /*log_y=*/true, /*log_x=*/true);
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "set logscale x\n")) << script;
  EXPECT_TRUE(contains(script, "set logscale y\n")) << script;
  EXPECT_TRUE(contains(script, "set xrange [0.001:1]\n")) << script;
  EXPECT_TRUE(contains(script, "index 0 using ($1 > 0 ? $1 : NaN):($2 > 0 ? $2 : NaN) with linespoints")) << script;
  // Falling from top left to bottom right in log-log coordinates: the top right is free.
  EXPECT_TRUE(contains(script, "set key top right reverse Left")) << script;
  EXPECT_EQ(read_data(base + "_series.dat")[0][0][0], (std::vector<double>{0, 5}));  // written, not drawn
  tg::plot::lines(dir / "linear_y", "", "lr", "steps", {steps}, /*log_y=*/false, /*log_x=*/true);
  EXPECT_TRUE(contains(read(dir / "linear_y.gp"), "index 0 using ($1 > 0 ? $1 : NaN):2 "));
  EXPECT_TRUE(contains(message_of<tg::ValueError>([&] {
                         tg::plot::lines(dir / "bad", "", "lr", "steps", {{"s", {0, -1}, {1, 2}}}, false, true);
                       }),
                       "plot::lines: no point to plot: none has a finite x > 0 (log_x) and a finite y"));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  expect_pictures(base);
}

TEST(PlotLines, BadInput) {
  TempDir dir;
  const std::string base = dir / "bad";
  const auto lines = [&](const std::vector<tg::plot::Series>& s, bool log_y = false) {
    return [&, s, log_y] { tg::plot::lines(base, "t", "x", "y", s, log_y); };
  };
  EXPECT_TRUE(contains(message_of<tg::ValueError>(lines({})), "plot::lines: no series to plot"));
  EXPECT_TRUE(contains(message_of<tg::ShapeError>(lines({{"train", {1, 2, 3}, {1, 2}}})),
                       "plot::lines: series 'train' has 3 x values and 2 y values"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>(lines({{"a", {1}, {1}}, {"empty", {}, {}}})),
                       "plot::lines: series 'empty' is empty"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>(lines({{"loss", {1, 2}, {0, -1}}}, true)),
                       "plot::lines: no point to plot: every y is ≤ 0 or not finite (log_y)"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>(lines({{"loss", {1, 2}, {NAN, INFINITY}}})),
                       "no point to plot: every y is not finite"));
  EXPECT_TRUE(contains(message_of<tg::ValueError>([] { tg::plot::lines("", "t", "x", "y", {{"a", {1}, {1}}}); }),
                       "plot::lines: the output must name a file, got ''"));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(PlotLines, AnUnwritableDirectoryIsAnIoErrorNamingThePath) {
  TempDir dir;
  const std::string base = dir / "missing/loss";
  const std::string m = message_of<tg::IoError>([&] { tg::plot::lines(base, "t", "x", "y", {gd_loss(3)}); });
  EXPECT_TRUE(contains(m, base + "_series.dat")) << m;
}

}  // namespace
