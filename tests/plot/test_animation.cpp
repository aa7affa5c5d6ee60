// plot::animation(): the frames' data and script, one GIF image per frame, bad input.
#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "plot/plot_test.hpp"

namespace {

using namespace plot_test;

// A line y = w·x turning towards y = 2x over three frames, over fixed data points.
std::vector<tg::plot::Frame> turning_line() {
  const tg::plot::Series data{"data", {-1, 0, 1, 2}, {-2.5, 0.5, 1.5, 4.5}, /*scatter=*/true};
  std::vector<tg::plot::Frame> frames;
  for (const double w : {0.0, 1.0, 2.0}) {
    frames.push_back({"w = " + std::to_string(static_cast<int>(w)), {data, {"y = w x", {-1, 2}, {-w, 2 * w}}}});
  }
  return frames;
}

TEST(PlotAnimation, EveryFrameIsWrittenOnTheSameAxes) {
  TempDir dir;
  const std::string base = dir / "turn";
  const bool drawn = tg::plot::animation(base, "x", "y", turning_line(), /*delay=*/7);
  const auto indices = read_data(base + "_frames.dat");
  ASSERT_EQ(indices.size(), 6u);  // two series per frame, frame after frame
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(indices[2 * k][0][3], (std::vector<double>{2, 4.5}));
    const double w = static_cast<double>(k);
    EXPECT_EQ(indices[2 * k + 1][0], (Rows{{-1, -w}, {2, 2 * w}}));
  }
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "set terminal gif animate delay 7 loop 0 optimize size width,height")) << script;
  EXPECT_TRUE(contains(script, "set output 'turn.gif'\n")) << script;
  // One range for all frames: x as the data spans it, y from -2.5 to 4.5 with 5% to spare.
  EXPECT_TRUE(contains(script, "set xrange [-1:2]\nset yrange [-2.8500000000000001:4.8499999999999996]\n")) << script;
  EXPECT_TRUE(contains(script, "set title 'w = 2'\nplot 'turn_frames.dat' index 4 using 1:2 with points pt 7 ps 0.8")) << script;
  EXPECT_TRUE(contains(script, "'turn_frames.dat' index 5 using 1:2 with linespoints pt 7 ps 0.7 lw 2 dt 1 lc rgb "
                               "'#d62728' title 'y = w x'"))
      << script;
  EXPECT_FALSE(contains(script, "svg")) << script;
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  std::string why;
  EXPECT_EQ(gif_frames(base + ".gif", 800, 600, why), 3) << why;
}

TEST(PlotAnimation, WithoutGnuplotTheDataAndScriptAreStillWritten) {
  TempDir dir;
  const GnuplotCommand missing("/nonexistent/gnuplot");
  EXPECT_FALSE(tg::plot::animation(dir / "turn", "x", "y", turning_line()));
  EXPECT_TRUE(fs::exists(dir.path() / "turn.gp"));
  EXPECT_TRUE(fs::exists(dir.path() / "turn_frames.dat"));
  EXPECT_FALSE(fs::exists(dir.path() / "turn.gif"));
}

TEST(PlotAnimation, BadInput) {
  TempDir dir;
  const std::string base = dir / "bad";
  const auto error = [&](const std::vector<tg::plot::Frame>& frames, int delay = 10) {
    return message_of<tg::ValueError>([&] { tg::plot::animation(base, "x", "y", frames, delay); });
  };
  EXPECT_EQ(error({}), "plot::animation: no frames to draw");
  EXPECT_EQ(error(turning_line(), 0),
            "plot::animation: the delay between frames must be at least 1 (hundredth of a second), got 0");
  std::vector<tg::plot::Frame> frames = turning_line();
  frames[1].series.clear();
  EXPECT_EQ(error(frames), "plot::animation: frame 1 has no series");
  frames = turning_line();
  frames[2].series[1].x.clear();
  frames[2].series[1].y.clear();
  EXPECT_EQ(error(frames), "plot::animation: series 'y = w x' is empty");
  EXPECT_EQ(error({{"nan", {{"s", {NAN}, {1}}}}}), "plot::animation: no point to plot: every x or y is not finite");
  frames = turning_line();
  frames[0].series[0].y.pop_back();
  EXPECT_EQ(message_of<tg::ShapeError>([&] { tg::plot::animation(base, "x", "y", frames); }),
            "plot::animation: series 'data' has 4 x values and 3 y values");
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(PlotAnimation, AnUnwritableDirectoryIsAnIoErrorNamingThePath) {
  TempDir dir;
  const std::string base = dir / "missing/turn";
  const std::string m = message_of<tg::IoError>([&] { tg::plot::animation(base, "x", "y", turning_line()); });
  EXPECT_TRUE(contains(m, base + "_frames.dat")) << m;
}

}  // namespace
