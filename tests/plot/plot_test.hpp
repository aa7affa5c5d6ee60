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

/// PNG 800x600 and SVG of the plot `base`, when gnuplot is installed.
inline void expect_pictures(const std::string& base) {
  std::string why;
  EXPECT_TRUE(is_png(base + ".png", 800, 600, why)) << why;
  const std::string svg = read(base + ".svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos) << base << ".svg";
  EXPECT_NE(svg.find("</svg>"), std::string::npos) << base << ".svg";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace plot_test
