// The command line's text (src/cli/parse.cpp) and the option values it passes on. Input: one
// byte choosing the reader, then the argument's text:
//   0 parse_number  (--lr, --tol)      the number, printed with %.17g, reads back as the same double
//   1 parse_numbers (--start)          one finite number per comma; printed and read back, the same
//   2 parse_count   (--steps)          >= 0, and its decimal form reads back as the same count
//   3 parse_assignment (--set)         a non-empty key without '=', both sides trimmed; rejoined
//                                      with '=' it splits into the same pair
//   4 --set on an optimizer            the byte after the selector picks the optimizer; a value
//                                      make_optimizer accepts prints (option()) as text that it
//                                      accepts again and prints the same way
//   5 parse_point (--start, --at)      as many numbers as the test function's dimension
// Errors allowed: tg::cli::UsageError (the tool's "bad input" error) and tg::Error.
#include <cmath>
#include <cstring>
#include <tuple>

#include "check.hpp"
#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/functions/test_functions.hpp"
#include "tapegrad/optim/registry.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::fuzz {

namespace {

// Runs `parse`; false if it threw one of the errors the tool reports as bad input.
template <class F>
bool parsed(F&& parse) {
  try {
    parse();
    return true;
  } catch (const cli::UsageError&) {
  } catch (const tg::Error&) {
  }
  return false;
}

bool same_double(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

void check_number(const std::string& text) {
  double v = 0;
  if (!parsed([&] { v = cli::parse_number("--lr", text); })) return;
  require(same_double(cli::parse_number("--lr", cli::format_exact(v)), v),
          "parse_number: '" + text + "' does not round-trip through %.17g");
}

void check_numbers(const std::string& text) {
  std::vector<double> v;
  if (!parsed([&] { v = cli::parse_numbers("--start", text); })) return;
  std::size_t commas = 0;
  for (const char c : text) commas += c == ',';
  require(v.size() == commas + 1, "parse_numbers: not one number per comma-separated item in '" + text + "'");
  std::string printed;
  for (const double x : v) {
    require(std::isfinite(x), "parse_numbers: a number that is not finite");
    if (!printed.empty()) printed += ',';
    printed += cli::format_exact(x);
  }
  const std::vector<double> again = cli::parse_numbers("--start", printed);
  bool same = again.size() == v.size();
  for (std::size_t k = 0; same && k < v.size(); ++k) same = same_double(again[k], v[k]);
  require(same, "parse_numbers: '" + text + "' does not round-trip through %.17g");
}

void check_count(const std::string& text) {
  int64_t n = 0;
  if (!parsed([&] { n = cli::parse_count("--steps", text); })) return;
  require(n >= 0 && cli::parse_count("--steps", std::to_string(n)) == n, "parse_count: '" + text + "' does not round-trip");
}

bool trimmed(const std::string& s) {
  return s.empty() || (s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t');
}

void check_assignment(const std::string& text) {
  std::string key, value;
  if (!parsed([&] { std::tie(key, value) = cli::parse_assignment("--set", text); })) return;
  require(!key.empty() && key.find('=') == std::string::npos, "parse_assignment: an empty key or one with '='");
  require(trimmed(key) && trimmed(value), "parse_assignment: spaces around the key or the value");
  require(cli::parse_assignment("--set", key + "=" + value) == std::pair{key, value},
          "parse_assignment: key=value does not split into the same pair again");
}

void check_option(unsigned char which, const std::string& text) {
  static const std::vector<optim::OptimizerInfo> all = optim::optimizers();
  const std::string& name = all[which % all.size()].name;
  const Tensor w = tensor({1.0, -2.0}).requires_grad_();
  std::string key, value, printed;
  if (!parsed([&] {
        std::tie(key, value) = cli::parse_assignment("--set", text);
        printed = optim::make_optimizer(name, {w}, {{key, value}})->option(key);
      })) {
    return;
  }
  const auto again = optim::make_optimizer(name, {w}, {{key, printed}});
  require(again->option(key) == printed,
          name + ": option " + key + " printed as '" + printed + "' reads back as '" + again->option(key) + "'");
}

void check_point(unsigned char which, const std::string& text) {
  static const std::vector<std::string> names = functions::names();
  const functions::TestFunction& f = cli::find_function(names[which % names.size()]);
  std::vector<double> x;
  if (!parsed([&] { x = cli::parse_point("--start", text, f); })) return;
  require(static_cast<int64_t>(x.size()) == f.dim(), "parse_point: not " + std::to_string(f.dim()) + " numbers");
}

}  // namespace

void check_cli(std::string_view input) {
  if (input.size() < 2) return;
  const auto selector = static_cast<unsigned char>(input[0]);
  const auto which = static_cast<unsigned char>(input[1]);
  switch (selector % 6) {
    case 0: return check_number(std::string(input.substr(1)));
    case 1: return check_numbers(std::string(input.substr(1)));
    case 2: return check_count(std::string(input.substr(1)));
    case 3: return check_assignment(std::string(input.substr(1)));
    case 4: return check_option(which, std::string(input.substr(2)));
    default: return check_point(which, std::string(input.substr(2)));
  }
}

}  // namespace tg::fuzz
