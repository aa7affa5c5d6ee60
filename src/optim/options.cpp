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

// Sets one named field from text.
class Setter : public OptionVisitor {
 public:
  Setter(const char* optimizer, std::string name, std::string text)
      : optimizer_(optimizer), name_(std::move(name)), text_(std::move(text)) {}
  bool found = false;

  void field(const char* name, double& value) override {
    if (!match(name)) return;
    if (!parse_double(text_, value)) fail("a number");
  }
  void field(const char* name, bool& value) override {
    if (!match(name)) return;
    const std::string t = trim(text_);
    if (t == "true" || t == "1" || t == "True") value = true;
    else if (t == "false" || t == "0" || t == "False") value = false;
    else fail("true or false");
  }
  void field(const char* name, int64_t& value) override {
    if (!match(name)) return;
    const std::string t = trim(text_);
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) fail("an integer");
  }
  void field(const char* name, std::array<double, 2>& value) override {
    if (!match(name)) return;
    std::vector<double> v;
    if (!parse_list(text_, v) || v.size() != 2) fail("two numbers, as (a,b)");
    value = {v[0], v[1]};
  }
  void field(const char* name, std::vector<double>& value) override {
    if (!match(name)) return;
    std::vector<double> v;
    if (!parse_list(text_, v)) fail("a list of numbers, as (a,b,c)");
    value = v;
  }
  void field(const char* name, std::string& value) override {
    if (!match(name)) return;
    value = trim(text_);
  }
  void field(const char* name, std::optional<double>& value) override {
    if (!match(name)) return;
    const std::string t = trim(text_);
    if (t == "none" || t == "None") {
      value.reset();
      return;
    }
    double v;
    if (!parse_double(t, v)) fail("a number or none");
    value = v;
  }

 private:
  bool match(const char* name) {
    if (name_ != name) return false;
    found = true;
    return true;
  }
  [[noreturn]] void fail(const char* expected) {
    throw ValueError(std::string(optimizer_) + ": option " + name_ + " = '" + text_ + "' is not " + expected);
  }
  const char* optimizer_;
  std::string name_, text_;
};

class Formatter : public OptionVisitor {
 public:
  OptionList out;
  void field(const char* name, double& v) override { out.emplace_back(name, format_value(v)); }
  void field(const char* name, bool& v) override { out.emplace_back(name, v ? "true" : "false"); }
  void field(const char* name, int64_t& v) override { out.emplace_back(name, std::to_string(v)); }
  void field(const char* name, std::array<double, 2>& v) override {
    out.emplace_back(name, format_list(v.data(), 2));
  }
  void field(const char* name, std::vector<double>& v) override {
    out.emplace_back(name, format_list(v.data(), v.size()));
  }
  void field(const char* name, std::string& v) override { out.emplace_back(name, v); }
  void field(const char* name, std::optional<double>& v) override {
    out.emplace_back(name, v ? format_value(*v) : "none");
  }
};

class Names : public OptionVisitor {
 public:
  std::string all;
  void add(const char* n) { all += (all.empty() ? "" : ", ") + std::string(n); }
  void field(const char* n, double&) override { add(n); }
  void field(const char* n, bool&) override { add(n); }
  void field(const char* n, int64_t&) override { add(n); }
  void field(const char* n, std::array<double, 2>&) override { add(n); }
  void field(const char* n, std::vector<double>&) override { add(n); }
  void field(const char* n, std::string&) override { add(n); }
  void field(const char* n, std::optional<double>&) override { add(n); }
};

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

namespace detail {

void apply_options(const char* optimizer, OptionList values, void (*visit)(void*, OptionVisitor&),
                   void* options) {
  for (const auto& [name, text] : values) {
    Setter setter(optimizer, name, text);
    visit(options, setter);
    if (!setter.found) {
      Names names;
      visit(options, names);
      throw ValueError(std::string(optimizer) + ": unknown option '" + name + "' (options: " + names.all + ")");
    }
  }
}

OptionList format_options(void (*visit)(void*, OptionVisitor&), void* options) {
  Formatter f;
  visit(options, f);
  return f.out;
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

}  // namespace tg::optim
