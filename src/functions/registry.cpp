// The list of test functions, lookup by name, and the n-D forms.
#include <sstream>

#include "builders.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"

namespace tg::functions {

namespace detail {

Formula checked(const std::string& name, const Shape& shape, Formula f) {
  return [name, shape, f = std::move(f)](const Tensor& p) {
    if (!p.defined()) throw ValueError(name + ": the parameter tensor is undefined");
    if (p.shape() != shape)
      throw ShapeError(name + ": expected a parameter of shape " + shape.str() + ", got " + p.shape().str());
    return f(p);
  };
}

std::string label(const std::vector<double>& x) {
  std::ostringstream os;
  os << '(';
  for (std::size_t i = 0; i < x.size(); ++i) os << (i ? "," : "") << x[i];
  os << ')';
  return os.str();
}

std::vector<std::pair<std::string, std::vector<double>>> labelled(const std::vector<std::vector<double>>& xs) {
  std::vector<std::pair<std::string, std::vector<double>>> out;
  for (const auto& x : xs) out.emplace_back(label(x), x);
  return out;
}

std::vector<double> tile(const std::vector<double>& pattern, int64_t n) {
  std::vector<double> out(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = pattern[i % pattern.size()];
  return out;
}

}  // namespace detail

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& item : items) s += (s.empty() ? "" : ", ") + item;
  return s;
}

struct Family {
  const char* name;
  int64_t min_n;
  TestFunction (*build)(int64_t);
};

constexpr Family kFamilies[] = {
    {"rosenbrock", 2, detail::rosenbrock},
    {"rastrigin", 1, detail::rastrigin},
    {"styblinski_tang", 1, detail::styblinski_tang},
    {"ackley", 1, detail::ackley},
};

}  // namespace

Tensor TestFunction::start(const std::string& label) const {
  std::vector<std::string> labels;
  for (const auto& [l, x] : starts) {
    if (l == label) return tensor(x, shape);
    labels.push_back(l);
  }
  throw ValueError(name + ": no start point '" + label + "' (starts: " + joined(labels) + ")");
}

Tensor TestFunction::start() const {
  if (starts.empty()) throw ValueError(name + ": no start points");
  return tensor(starts.front().second, shape);
}

const std::vector<TestFunction>& all() {
  static const std::vector<TestFunction> functions = [] {
    using namespace detail;
    return std::vector<TestFunction>{
        quadratic(),  ravine(), rosenbrock(2),         beale(),    booth(),
        himmelblau(), rastrigin(2), saddle(),          rosenbrock(10), matrix_lsq(),
        ackley(2),    drop_wave(), styblinski_tang(2), goldstein_price(), matyas(),
        three_hump_camel(), mccormick(), six_hump_camel(), easom(), double_well(),
        ravine15(),   parabola(),
    };
  }();
  return functions;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const TestFunction& f : all()) out.push_back(f.name);
  return out;
}

const TestFunction& get(const std::string& name) {
  for (const TestFunction& f : all())
    if (f.name == name) return f;
  throw ValueError("functions::get: unknown function '" + name + "' (known: " + joined(names()) + ")");
}

TestFunction make(const std::string& name, int64_t n) {
  for (const Family& family : kFamilies) {
    if (name != family.name) continue;
    if (n < family.min_n)
      throw ValueError("functions::make: " + name + " needs n >= " + std::to_string(family.min_n) + ", got " +
                       std::to_string(n));
    for (const TestFunction& f : all())
      if (f.dim() == n && (f.name == name || f.name == name + std::to_string(n))) return f;
    return family.build(n);
  }
  const TestFunction& f = get(name);
  if (n == f.dim()) return f;
  std::vector<std::string> with;
  for (const Family& family : kFamilies) with.emplace_back(family.name);
  throw ValueError("functions::make: " + name + " has a fixed size " + std::to_string(f.dim()) + ", got n = " +
                   std::to_string(n) + " (n-D forms: " + joined(with) + ")");
}

}  // namespace tg::functions
