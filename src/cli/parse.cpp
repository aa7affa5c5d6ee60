// Reading the command line's text: numbers, lists, key=value, function names, points.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"

namespace tg::cli {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool read_double(const std::string& text, double& out) {
  const std::string t = trim(text);
  const char* first = t.data();
  const char* last = t.data() + t.size();
  if (first != last && *first == '+') ++first;
  if (first == last) return false;
  const auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last;
}

}  // namespace

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

double parse_number(const std::string& what, const std::string& text) {
  double v;
  if (!read_double(text, v)) throw UsageError(what + ": '" + text + "' is not a number");
  return v;
}

std::vector<double> parse_numbers(const std::string& what, const std::string& text) {
  std::vector<double> out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = text.find(',', begin);
    const std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
    double v;
    if (!read_double(item, v)) {
      throw UsageError(what + ": '" + trim(item) + "' in '" + text + "' is not a number");
    }
    if (!std::isfinite(v)) throw UsageError(what + ": '" + trim(item) + "' in '" + text + "' is not finite");
    out.push_back(v);
    if (comma == std::string::npos) return out;
    begin = comma + 1;
  }
}

int64_t parse_count(const std::string& what, const std::string& text) {
  const std::string t = trim(text);
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || v < 0) {
    throw UsageError(what + ": '" + text + "' is not a whole number >= 0");
  }
  return v;
}

std::pair<std::string, std::string> parse_assignment(const std::string& what, const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || trim(text.substr(0, eq)).empty()) {
    throw UsageError(what + ": '" + text + "' is not of the form key=value");
  }
  return {trim(text.substr(0, eq)), trim(text.substr(eq + 1))};
}

std::pair<std::string, std::string> parse_option(const std::string& what, const std::string& text) {
  auto option = parse_assignment(what, text);
  // The optimizers read "nan" as "not given" (an option without a default), so a number
  // that is not finite never reaches them: each item of "0.9", "0.8,0.99" or "(0,0.9)".
  std::string items = option.second;
  for (char& c : items) {
    if (c == '(' || c == ')') c = ',';
  }
  std::size_t begin = 0;
  while (begin <= items.size()) {
    const std::size_t comma = std::min(items.find(',', begin), items.size());
    double v;
    if (read_double(items.substr(begin, comma - begin), v) && !std::isfinite(v)) {
      throw UsageError(what + ": " + option.first + " = '" + option.second + "' is not finite");
    }
    begin = comma + 1;
  }
  return option;
}

const functions::TestFunction& find_function(const std::string& name) {
  std::string known;
  for (const std::string& n : functions::names()) {
    if (n == name) return functions::get(name);
    known += (known.empty() ? "" : ", ") + n;
  }
  throw UsageError("unknown function '" + name + "' (known: " + known + ")");
}

std::vector<double> parse_point(const std::string& what, const std::string& text, const functions::TestFunction& f) {
  if (text.empty()) return f.starts.front().second;
  std::vector<double> x = parse_numbers(what, text);
  if (static_cast<int64_t>(x.size()) != f.dim()) {
    throw UsageError(what + ": " + f.name + " takes " + std::to_string(f.dim()) + " numbers (shape " +
                     f.shape.str() + (f.shape.size() > 1 ? ", row-major" : "") + "), got " +
                     std::to_string(x.size()));
  }
  NoGradGuard no_grad;
  const double value = f(tg::tensor(x, f.shape)).item();
  if (!std::isfinite(value)) {
    throw UsageError(what + ": " + f.name + format_point(x) + " = " + format_short(value) +
                     "; choose a point where it is finite");
  }
  return x;
}

std::string format_point(const std::vector<double>& x) {
  std::string s = "(";
  char buf[32];
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.6g", x[i]);
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + ")";
}

std::string format_short(double v) {
  if (std::isnan(v)) return "nan";  // printf may write "-nan"
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string format_exact(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

int guarded(const std::string& command, std::ostream& err, const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    err << "tapegrad " << command << ": " << one_line(e.what()) << "\n";
    return kUsage;
  } catch (const tg::ValueError& e) {
    err << "tapegrad " << command << ": " << one_line(e.what()) << "\n";
    return kUsage;
  } catch (const tg::IoError& e) {
    err << "tapegrad " << command << ": " << one_line(e.what()) << "\n";
    return kIoError;
  }
}

}  // namespace tg::cli
