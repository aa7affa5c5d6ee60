// Setting options from text and writing them as text.
#include "tapegrad/optim/options.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "tapegrad/error.hpp"

namespace tg::optim {

namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool parse_double(const std::string& text, double& out) {
  const std::string t = trim(text);
  if (t == "inf" || t == "+inf") {
    out = INFINITY;
    return true;
  }
  if (t == "-inf") {
    out = -INFINITY;
    return true;
  }
  const char* first = t.data();
  const char* last = t.data() + t.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last && first != last;
}

// "(a,b,...)", "[a,b]" or "a,b"
bool parse_list(const std::string& text, std::vector<double>& out) {
  std::string t = trim(text);
  if (t.size() >= 2 && ((t.front() == '(' && t.back() == ')') || (t.front() == '[' && t.back() == ']'))) {
    t = t.substr(1, t.size() - 2);
  }
  out.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = t.find(',', start);
    double v;
    if (!parse_double(t.substr(start, comma - start), v)) return false;
    out.push_back(v);
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

std::string format_list(const double* v, std::size_t n) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += (i ? "," : "") + format_value(v[i]);
  return s + ")";
}

std::string describe(double value) { return format_value(value); }

}  // namespace

std::string format_value(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, ptr);
}

std::string format_value(bool v) { return v ? "true" : "false"; }
std::string format_value(int64_t v) { return std::to_string(v); }
std::string format_value(const Betas& v) { return format_list(v.data(), v.size()); }
std::string format_value(const std::vector<double>& v) { return format_list(v.data(), v.size()); }
std::string format_value(const std::string& v) { return v; }
std::string format_value(const std::optional<double>& v) { return v ? format_value(*v) : "none"; }

namespace {
[[noreturn]] void not_a(const char* optimizer, const char* option, const std::string& text, const char* expected) {
  throw ValueError(std::string(optimizer) + ": option " + option + " = '" + text + "' is not " + expected);
}
}  // namespace

void parse_value(const char* optimizer, const char* option, const std::string& text, double& out) {
  if (!parse_double(text, out)) not_a(optimizer, option, text, "a number");
}

void parse_value(const char* optimizer, const char* option, const std::string& text, bool& out) {
  const std::string t = trim(text);
  if (t == "true" || t == "1" || t == "True") out = true;
  else if (t == "false" || t == "0" || t == "False") out = false;
  else not_a(optimizer, option, text, "true or false");
}

void parse_value(const char* optimizer, const char* option, const std::string& text, int64_t& out) {
  const std::string t = trim(text);
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) not_a(optimizer, option, text, "an integer");
}

void parse_value(const char* optimizer, const char* option, const std::string& text, Betas& out) {
  std::vector<double> v;
  if (!parse_list(text, v) || v.size() != 2) not_a(optimizer, option, text, "two numbers, as (a,b)");
  out = {v[0], v[1]};
}

void parse_value(const char* optimizer, const char* option, const std::string& text, std::vector<double>& out) {
  std::vector<double> v;
  if (!parse_list(text, v)) not_a(optimizer, option, text, "a list of numbers, as (a,b,c)");
  out = v;
}

void parse_value(const char*, const char*, const std::string& text, std::string& out) { out = trim(text); }

void parse_value(const char* optimizer, const char* option, const std::string& text, std::optional<double>& out) {
  const std::string t = trim(text);
  if (t == "none" || t == "None") {
    out.reset();
    return;
  }
  double v;
  if (!parse_double(t, v)) not_a(optimizer, option, text, "a number or none");
  out = v;
}

namespace detail {
void throw_unknown_option(const char* optimizer, const std::string& option, const std::vector<std::string>& known) {
  std::string names;
  for (const std::string& n : known) names += (names.empty() ? "" : ", ") + n;
  throw ValueError(std::string(optimizer) + ": unknown option '" + option + "' (options: " + names + ")");
}
}  // namespace detail

void check_lr(const char* optimizer, double lr) {
  if (std::isnan(lr)) throw ValueError(std::string(optimizer) + ": option lr is required (it has no default)");
  if (!(lr >= 0.0) || std::isinf(lr)) {
    throw ValueError(std::string(optimizer) + ": invalid lr = " + describe(lr) + " (expected a finite value >= 0)");
  }
}

void check_non_negative(const char* optimizer, const char* option, double value) {
  if (!(value >= 0.0) || std::isinf(value)) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + describe(value) +
                     " (expected a finite value >= 0)");
  }
}

void check_positive(const char* optimizer, const char* option, double value) {
  if (!(value > 0.0) || std::isinf(value)) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + describe(value) +
                     " (expected a finite value > 0)");
  }
}

void check_unit_interval(const char* optimizer, const char* option, double value) {
  if (!(value >= 0.0 && value < 1.0)) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + describe(value) +
                     " (expected 0 <= value < 1)");
  }
}

void check_range(const char* optimizer, const char* option, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi)) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + describe(value) + " (expected " +
                     describe(lo) + " <= value <= " + describe(hi) + ")");
  }
}

namespace check {

void lr(const char* optimizer, const char*, double value) { check_lr(optimizer, value); }

void non_negative(const char* optimizer, const char* option, double value) {
  check_non_negative(optimizer, option, value);
}
void non_negative(const char* optimizer, const char* option, const std::optional<double>& value) {
  if (value) check_non_negative(optimizer, option, *value);
}

void positive(const char* optimizer, const char* option, double value) { check_positive(optimizer, option, value); }
void positive(const char* optimizer, const char* option, const std::optional<double>& value) {
  if (value) check_positive(optimizer, option, *value);
}
namespace {
void integer_at_least(const char* optimizer, const char* option, int64_t value, int64_t min) {
  if (value < min) {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = " + std::to_string(value) +
                     " (expected an integer >= " + std::to_string(min) + ")");
  }
}

// "betas[1]": the name of one element of a pair or list, made only for an element that
// fails (the checks run at every step).
std::string element_name(const char* option, std::size_t i) {
  return std::string(option) + "[" + std::to_string(i) + "]";
}
}  // namespace

void positive(const char* optimizer, const char* option, int64_t value) {
  integer_at_least(optimizer, option, value, 1);
}

void non_negative(const char* optimizer, const char* option, int64_t value) {
  integer_at_least(optimizer, option, value, 0);
}

void unit_interval(const char* optimizer, const char* option, double value) {
  check_unit_interval(optimizer, option, value);
}
namespace {
void unit_interval_elements(const char* optimizer, const char* option, const double* values, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!(values[i] >= 0.0 && values[i] < 1.0)) check_unit_interval(optimizer, element_name(option, i).c_str(), values[i]);
}
}  // namespace

void unit_interval(const char* optimizer, const char* option, const Betas& value) {
  unit_interval_elements(optimizer, option, value.data(), value.size());
}
void unit_interval(const char* optimizer, const char* option, const std::vector<double>& value) {
  unit_interval_elements(optimizer, option, value.data(), value.size());
}

void range_check(const char* optimizer, const char* option, double value, double lo, double hi) {
  check_range(optimizer, option, value, lo, hi);
}
void range_check(const char* optimizer, const char* option, const Betas& value, double lo, double hi) {
  for (std::size_t i = 0; i < value.size(); ++i)
    if (!(value[i] >= lo && value[i] <= hi)) check_range(optimizer, element_name(option, i).c_str(), value[i], lo, hi);
}

}  // namespace check

}  // namespace tg::optim
