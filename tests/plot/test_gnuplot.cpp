// Running gnuplot: the command, a missing or failing gnuplot, text that must not break the
// script, and redrawing from the files left behind.
#include <cstdlib>

#include <tapegrad/tapegrad.hpp>

#include "plot/plot_test.hpp"

namespace {

using namespace plot_test;

const std::vector<tg::plot::Series> kSeries = {{"loss", {0, 1, 2}, {1.0, 0.5, 0.25}}};

TEST(PlotGnuplot, TheCommandAndItsDefault) {
  EXPECT_EQ(tg::plot::gnuplot_command(), "gnuplot");
  {
    const GnuplotCommand custom("/usr/local/bin/gnuplot-5");
    EXPECT_EQ(tg::plot::gnuplot_command(), "/usr/local/bin/gnuplot-5");
  }
  EXPECT_EQ(tg::plot::gnuplot_command(), "gnuplot");
  {
    const GnuplotCommand relative("tools/gnuplot");  // made absolute: gnuplot runs in another directory
    EXPECT_EQ(tg::plot::gnuplot_command(), (fs::current_path() / "tools/gnuplot").string());
  }
  {
    const GnuplotCommand in_path("gnuplot-nox");  // no '/': looked up in PATH, kept as is
    EXPECT_EQ(tg::plot::gnuplot_command(), "gnuplot-nox");
  }
  EXPECT_EQ(tg::plot::install_hint(),
            "plots skipped: gnuplot not found (install it with: sudo apt-get install gnuplot-nox)");
}

TEST(PlotGnuplot, AMissingGnuplotReturnsFalseAndLeavesDataAndScript) {
  TempDir dir;
  for (const std::string& command : {(dir.path() / "bin/gnuplot").string(), std::string("tapegrad-no-such-gnuplot")}) {
    const GnuplotCommand missing(command);
    EXPECT_FALSE(tg::plot::gnuplot_available()) << command;
    const std::string base = dir / "loss";
    EXPECT_FALSE(tg::plot::lines(base, "t", "x", "y", kSeries)) << command;
    EXPECT_EQ(read_data(base + "_series.dat")[0][0], (Rows{{0, 1}, {1, 0.5}, {2, 0.25}}));
    EXPECT_TRUE(contains(read(base + ".gp"), "plot 'loss_series.dat' index 0"));
    EXPECT_FALSE(fs::exists(base + ".png"));
  }
}

TEST(PlotGnuplot, AFailingGnuplotIsAnIoError) {
  TempDir dir;
  const std::string base = dir / "loss";
  {
    const GnuplotCommand failing("false");  // runs, exits with status 1
    const std::string m = message_of<tg::IoError>([&] { tg::plot::lines(base, "t", "x", "y", kSeries); });
    EXPECT_TRUE(contains(m, "plot::lines: gnuplot failed (exit status 1) on " + base + ".gp")) << m;
  }
  {
    const GnuplotCommand silent("true");  // succeeds without drawing anything
    const std::string m = message_of<tg::IoError>([&] { tg::plot::lines(base, "t", "x", "y", kSeries); });
    EXPECT_TRUE(contains(m, "plot::lines: gnuplot did not write " + base + ".png")) << m;
  }
  EXPECT_TRUE(fs::is_regular_file(base + "_series.dat"));
}

// What gnuplot says on failure reaches the caller (here a stand-in that complains and fails).
TEST(PlotGnuplot, GnuplotsMessageIsInTheError) {
  TempDir dir;
  const std::string fake = dir / "fake-gnuplot";
  {
    std::ofstream script(fake);
    script << "#!/bin/sh\necho \"line 3: undefined variable: foo\" >&2\nexit 2\n";
  }
  fs::permissions(fake, fs::perms::owner_all);
  const GnuplotCommand command(fake);
  const std::string m = message_of<tg::IoError>([&] { tg::plot::lines(dir / "loss", "t", "x", "y", kSeries); });
  EXPECT_TRUE(contains(m, "gnuplot failed (exit status 2)")) << m;
  EXPECT_TRUE(contains(m, ": line 3: undefined variable: foo")) << m;
}

// Titles, labels and legends are written as single-quoted gnuplot strings: quotes, backslashes,
// backquotes (command substitution in double quotes), @ (macros) and line breaks stay text.
TEST(PlotGnuplot, AnyTextIsSafeInTheScript) {
  TempDir dir;
  const std::string base = dir / "text";
  const std::string title = "it's \"quoted\" \\ back\\slash `touch pwned` @macro\nsecond line";
  const bool drawn = tg::plot::lines(base, title, "x'", "\\y", {{"a\nb 'c'", {0, 1}, {1, 2}}});
  const std::string script = read(base + ".gp");
  EXPECT_TRUE(contains(script, "set title 'it''s \"quoted\" \\ back\\slash `touch pwned` @macro'.\"\\n\".'second line'\n"))
      << script;
  EXPECT_TRUE(contains(script, "set xlabel 'x'''\n"));
  EXPECT_TRUE(contains(script, "set ylabel '\\y'\n"));
  EXPECT_TRUE(contains(script, "title 'a'.\"\\n\".'b ''c'''"));
  // The first line, a comment, keeps the title on one line.
  EXPECT_EQ(script.substr(0, script.find('\n')), "# it's \"quoted\" \\ back\\slash `touch pwned` @macro second line");
  EXPECT_TRUE(contains(read(base + "_series.dat"), "# a b 'c'\n0 1\n"));
  if (!drawn) GTEST_SKIP() << tg::plot::install_hint();
  EXPECT_FALSE(fs::exists(dir / "pwned"));
  EXPECT_FALSE(fs::exists(fs::current_path() / "pwned"));
  expect_pictures(base);
  const std::string svg = read(base + ".svg");
  EXPECT_TRUE(contains(svg, "second line")) << "the title's second line is drawn";
  EXPECT_TRUE(contains(svg, "back\\slash"));
}

// The script redraws the pictures from the data files alone: `cd dir && gnuplot name.gp`, and
// at another size with `gnuplot -e 'width = 400; height = 300' name.gp`.
TEST(PlotGnuplot, TheScriptRedrawsFromTheDataFiles) {
  if (!tg::plot::gnuplot_available()) GTEST_SKIP() << tg::plot::install_hint();
  TempDir dir;
  const std::string base = dir / "loss";
  ASSERT_TRUE(tg::plot::lines(base, "t", "x", "y", kSeries));
  fs::remove(base + ".png");
  fs::remove(base + ".svg");
  const std::string command = "cd '" + dir.path().string() + "' && gnuplot loss.gp";
  ASSERT_EQ(std::system(command.c_str()), 0);
  expect_pictures(base);
  // At another size, through the script's width and height variables.
  const std::string smaller = "cd '" + dir.path().string() + "' && gnuplot -e 'width = 400; height = 300' loss.gp";
  ASSERT_EQ(std::system(smaller.c_str()), 0);
  std::string why;
  EXPECT_TRUE(is_png(base + ".png", 400, 300, why)) << why;
  EXPECT_TRUE(contains(read(base + ".svg"), "width=\"400\" height=\"300\""));
}

}  // namespace
