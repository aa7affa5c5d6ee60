// What the plot functions share: where the files go, how numbers and text are written into
// data files and gnuplot scripts, the terminals and the colours.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tg::plot::detail {

/// `base` split into the directory gnuplot runs in and the file name stem of every output.
struct Files {
  std::string function;  // "plot::contour", for messages
  std::string dir;       // "" for the current directory
  std::string name;      // the stem: name.png, name.svg, name.gp, name_*.dat

  /// dir/name + suffix: where to write.
  std::string path(const std::string& suffix) const;
};

/// tg::ValueError unless `base` names a file (not empty, not ending in '/').
Files files(const std::string& function, const std::string& base);

/// A double with 17 significant digits ("nan", "inf" as printf writes them): reads back exact.
std::string number(double v);
/// A short form for labels: 4 significant digits.
std::string short_number(double v);

/// A gnuplot string literal for any text: single-quoted, in which gnuplot interprets nothing
/// (no backslash escapes, no `command` substitution, no @macros) except '' for a quote.
/// Line breaks become "\n" pieces joined with '.', other control characters spaces.
std::string quote(std::string_view text);

/// Replaces line breaks so that text fits in one comment line of a script or data file.
std::string one_line(std::string_view text);

/// Writes a data or script file atomically (tg::IoError naming the path on failure).
void write(const std::string& path, std::string_view text);

/// The size of the pictures (the script's default `width` and `height`), and whether they are
/// the frames of an animated GIF (`delay` hundredths of a second apart) instead of a PNG and
/// an SVG.
struct Canvas {
  int width = 800;
  int height = 600;
  bool animated = false;
  int delay = 10;
};

/// The head of every script: what it draws, how to redraw it, and the PNG terminal (the GIF
/// one for an animation).
std::string script_begin(const Files& f, const std::string& what, const std::vector<std::string>& data_notes,
                         const Canvas& canvas = {});
/// The SVG terminal, writing name.svg.
std::string svg_terminal(const Files& f);
/// The tail: the same plot again, as SVG.
std::string script_end(const Files& f);

/// Line colours (matplotlib's "tab10"), cycled.
std::string colour(std::size_t i);
/// Dash types, changing after every cycle of the colours.
int dash_type(std::size_t i);

/// Runs gnuplot on `name`.gp in the directory of the files; false if gnuplot cannot be
/// started, tg::IoError (with gnuplot's messages) if it fails or leaves one of the pictures
/// `name` + suffix unwritten.
bool run_gnuplot(const Files& f, const std::vector<std::string>& suffixes = {".png", ".svg"});

}  // namespace tg::plot::detail
