// Files, numbers, quoted text, the terminals and the colours every plot uses.
#include "plot/script.hpp"

#include <cstdio>
#include <filesystem>

#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"

namespace tg::plot::detail {

std::string Files::path(const std::string& suffix) const {
  return dir.empty() ? name + suffix : (std::filesystem::path(dir) / (name + suffix)).string();
}

Files files(const std::string& function, const std::string& base) {
  if (base.empty() || base.back() == '/') {
    throw ValueError(function + ": the output must name a file, got '" + base + "'");
  }
  const std::filesystem::path p(base);
  return Files{function, p.parent_path().string(), p.filename().string()};
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

std::string short_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

std::string quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\n') {
      out += "'.\"\\n\".'";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

void write(const std::string& path, std::string_view text) { io::write_file_atomic(path, text); }

namespace {

const char* const kFont = "'DejaVu Sans,11'";
// The GIF terminal draws with libgd, which finds the font by its file name; its lines are
// thinner than cairo's at the same width.
const char* const kGdFont = "'DejaVuSans,11'";

}  // namespace

std::string script_begin(const Files& f, const std::string& what, const std::vector<std::string>& data_notes,
                         const Canvas& canvas) {
  const std::string pictures = canvas.animated ? one_line(f.name) + ".gif"
                                               : one_line(f.name) + ".png and " + one_line(f.name) + ".svg";
  std::string s = "# " + one_line(what) + "\n";
  s += "# Written by tapegrad (tg::" + f.function + ").\n";
  s += "# Redraw " + pictures + " from the data files, in this directory:\n";
  s += "#   gnuplot " + one_line(f.name) + ".gp\n";
  s += "# or at another size: gnuplot -e 'width = 640; height = 480' " + one_line(f.name) + ".gp\n";
  s += "# Data (whitespace-separated columns; one blank line between pieces of a curve, two between curves):\n";
  for (const std::string& note : data_notes) s += "#   " + one_line(note) + "\n";
  s += "\nset encoding utf8\n";
  s += "if (!exists('width')) width = " + std::to_string(canvas.width) + "\n";
  s += "if (!exists('height')) height = " + std::to_string(canvas.height) + "\n";
  if (canvas.animated) {
    s += "set terminal gif animate delay " + std::to_string(canvas.delay) +
         " loop 0 optimize size width,height linewidth 1.5 font " + std::string(kGdFont) + " noenhanced\n";
    s += "set output " + quote(f.name + ".gif") + "\n";
  } else {
    s += "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n";
    s += "  set terminal pngcairo size width,height font " + std::string(kFont) + " noenhanced\n";
    s += "} else {\n";
    s += "  set terminal png size width,height noenhanced\n";
    s += "}\n";
    s += "set output " + quote(f.name + ".png") + "\n";
  }
  s += "set border lw 1 lc rgb '#444444'\n";
  s += "set tics nomirror out scale 0.6\n";
  s += "set grid lw 1 lc rgb '#dddddd'\n";
  s += "set key box lc rgb '#aaaaaa' opaque samplen 2.5 spacing 1.2\n";
  return s;
}

std::string svg_terminal(const Files& f) {
  std::string s = "\nset terminal svg size width,height font " + std::string(kFont) + " noenhanced background '#ffffff'\n";
  return s + "set output " + quote(f.name + ".svg") + "\n";
}

std::string script_end(const Files& f) { return svg_terminal(f) + "replot\nunset output\n"; }

std::string colour(std::size_t i) {
  static const char* const tab10[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  return tab10[i % 10];
}

int dash_type(std::size_t i) { return static_cast<int>(i / 10 % 5) + 1; }

}  // namespace tg::plot::detail
