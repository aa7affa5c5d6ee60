// What the plot tests share: a fresh directory per test, reading the files back (data blocks
// as gnuplot reads them), checking a PNG's signature and size, and restoring the gnuplot
// command at the end of a test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <tapegrad/plot.hpp>

#include "message_of.hpp"

namespace plot_test {

namespace fs = std::filesystem;

/// A new empty directory named after the running test, removed at the end.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ostringstream name;
    name << "tapegrad_plot_" << info->test_suite_name() << '_' << info->name() << '_' << ::getpid();
    path_ = fs::temp_directory_path() / name.str();
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// dir/name as a string: the `base` of a plot.
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// Sets the gnuplot command for the test's lifetime and restores the default afterwards.
class GnuplotCommand {
 public:
  explicit GnuplotCommand(const std::string& command) { tg::plot::set_gnuplot_command(command); }
  ~GnuplotCommand() { tg::plot::set_gnuplot_command(""); }
  GnuplotCommand(const GnuplotCommand&) = delete;
  GnuplotCommand& operator=(const GnuplotCommand&) = delete;
};

inline std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The rows of a data file, grouped as gnuplot groups them: indices (separated by two blank
/// lines) of blocks (separated by one) of rows of numbers. Comment lines are skipped.
using Rows = std::vector<std::vector<double>>;
inline std::vector<std::vector<Rows>> read_data(const std::string& path) {
  std::vector<std::vector<Rows>> indices(1, std::vector<Rows>(1));
  std::istringstream in(read(path));
  std::string line;
  int blanks = 0;
  while (std::getline(in, line)) {
    if (line.empty()) {
      ++blanks;
      continue;
    }
    if (line[0] == '#') continue;
    if (blanks == 1) indices.back().emplace_back();
    if (blanks >= 2) indices.emplace_back(1);
    blanks = 0;
    std::istringstream fields(line);
    std::vector<double> row;
    std::string field;
    while (fields >> field) row.push_back(std::stod(field));  // stod reads "nan" and "inf"
    indices.back().back().push_back(row);
  }
  return indices;
}

/// The PNG signature, then a width and height in the IHDR chunk; false (with the reason in
/// `why`) otherwise.
inline bool is_png(const std::string& path, int width, int height, std::string& why) {
  const std::string bytes = read(path);
  const std::string signature = "\x89PNG\r\n\x1a\n";
  if (bytes.size() < 24 || bytes.compare(0, 8, signature) != 0) {
    why = path + ": no PNG signature";
    return false;
  }
  const auto be32 = [&](std::size_t at) {
    uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(bytes[at + k]);
    return static_cast<int>(v);
  };
  if (bytes.compare(12, 4, "IHDR") != 0 || be32(16) != width || be32(20) != height) {
    why = path + ": not a " + std::to_string(width) + "x" + std::to_string(height) + " PNG";
    return false;
  }
  // A plot of 800x600 with text and colours: more than 5 KB, less than 2 MB.
  if (bytes.size() < 5000 || bytes.size() > 2000000) {
    why = path + ": implausible size " + std::to_string(bytes.size());
    return false;
  }
  return true;
}

/// The number of images in a GIF of the given size (its blocks walked one by one: extensions,
/// image descriptors with their colour tables and data sub-blocks, the trailer), or -1 with the
/// reason in `why`.
inline int gif_frames(const std::string& path, int width, int height, std::string& why) {
  const std::string bytes = read(path);
  const auto byte = [&](std::size_t at) { return at < bytes.size() ? static_cast<unsigned char>(bytes[at]) : 0u; };
  const auto le16 = [&](std::size_t at) { return static_cast<int>(byte(at) | byte(at + 1) << 8); };
  if (bytes.compare(0, 6, "GIF89a") != 0) {
    why = path + ": no GIF89a signature";
    return -1;
  }
  if (le16(6) != width || le16(8) != height) {
    why = path + ": not a " + std::to_string(width) + "x" + std::to_string(height) + " GIF";
    return -1;
  }
  const auto colour_table = [&](unsigned flags) { return flags & 0x80 ? 3u << ((flags & 7) + 1) : 0u; };
  std::size_t at = 13 + colour_table(byte(10));
  const auto skip_sub_blocks = [&] {
    while (at < bytes.size() && byte(at) != 0) at += byte(at) + 1;
    ++at;
  };
  int frames = 0;
  while (at < bytes.size()) {
    const unsigned block = byte(at);
    if (block == 0x3B) return frames;  // the trailer
    if (block == 0x21) {               // an extension: label, then sub-blocks
      at += 2;
      skip_sub_blocks();
    } else if (block == 0x2C) {        // an image: descriptor, local colour table, LZW size, data
      at += 10 + colour_table(byte(at + 9)) + 1;
      skip_sub_blocks();
      ++frames;
    } else {
      why = path + ": unexpected block " + std::to_string(block) + " at byte " + std::to_string(at);
      return -1;
    }
  }
  why = path + ": no trailer";
  return -1;
}

/// PNG 800x600 (or the size given) and SVG of the plot `base`, when gnuplot is installed.
inline void expect_pictures(const std::string& base, int width = 800, int height = 600) {
  std::string why;
  EXPECT_TRUE(is_png(base + ".png", width, height, why)) << why;
  const std::string svg = read(base + ".svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos) << base << ".svg";
  EXPECT_NE(svg.find("</svg>"), std::string::npos) << base << ".svg";
}

inline double quadratic(double x, double y) { return (x - 3) * (x - 3) + (y + 2) * (y + 2); }

// Plain gradient descent on the quadratic from `start`: x_t = 3 + (x_0 - 3) 0.8^t (lr 0.1).
inline tg::plot::Trajectory descent(const std::string& label, std::vector<double> p, int steps) {
  tg::plot::Trajectory t{label, {p}};
  for (int k = 0; k < steps; ++k) {
    p = {p[0] - 0.1 * 2 * (p[0] - 3), p[1] - 0.1 * 2 * (p[1] + 2)};
    t.points.push_back(p);
  }
  return t;
}

// The quadratic over [-2, 5] x [-4, 3]: from 0 at (3, -2) to 50 at (-2, 3); with 15 grid
// points per axis every grid coordinate is exact and (3, -2) is on the grid. Two descents on
// it, the minimum marked, three contour levels.
inline tg::plot::ContourPlot quadratic_plot() {
  return tg::plot::ContourPlot{
      .title = "Quadratic bowl",
      .window = {-2.0, 5.0, -4.0, 3.0},
      .f = quadratic,
      .resolution = 15,  // a step of 0.5: every grid coordinate is exact
      .markers = {{3.0, -2.0}},
      .trajectories = {descent("GD from (0, 0)", {0, 0}, 10), descent("GD from (-1.5, 2)", {-1.5, 2}, 5)},
      .levels = {1.5, 5.0, 20.0},
  };
}

/// Checks that a data file holds quadratic_plot()'s function on its 15 × 15 grid — rows x y f
/// ..., one block per x, read back exactly — and hands each row with its f to `more`, for the
/// columns after f.
template <class More>
inline void expect_quadratic_grid(const std::string& file, More&& more) {
  const auto grid = read_data(file);
  ASSERT_EQ(grid.size(), 1u);
  ASSERT_EQ(grid[0].size(), 15u);  // one block per x
  for (std::size_t i = 0; i < 15; ++i) {
    ASSERT_EQ(grid[0][i].size(), 15u);
    for (std::size_t j = 0; j < 15; ++j) {
      const auto& row = grid[0][i][j];
      ASSERT_EQ(row.size(), 4u);
      const double x = -2.0 + 0.5 * static_cast<double>(i), y = -4.0 + 0.5 * static_cast<double>(j);
      EXPECT_EQ(row[0], x);
      EXPECT_EQ(row[1], y);
      EXPECT_EQ(row[2], quadratic(x, y));  // 17 digits: read back exactly
      more(row, quadratic(x, y));
    }
  }
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace plot_test
