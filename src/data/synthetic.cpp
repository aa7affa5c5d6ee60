#include "tapegrad/data/synthetic.hpp"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "shuffle.hpp"
#include "text.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/random.hpp"

namespace tg::data {

namespace {

void check_n(const char* function, int64_t n, int64_t minimum) {
  if (n < minimum) {
    throw ValueError(std::string(function) + ": n must be at least " + std::to_string(minimum) +
                     ", got " + std::to_string(n));
  }
}

void check_noise(const char* function, double noise) {
  if (!(noise >= 0.0) || !std::isfinite(noise)) {
    throw ValueError(std::string(function) + ": noise must be a finite number >= 0, got " +
                     detail::number(noise));
  }
}

// np.linspace(start, stop, m): i·step + start, the last value exactly stop.
std::vector<double> linspace(double start, double stop, int64_t m) {
  std::vector<double> out(static_cast<std::size_t>(m));
  const double step = m > 1 ? (stop - start) / static_cast<double>(m - 1) : 0.0;
  for (int64_t i = 0; i < m; ++i) out[static_cast<std::size_t>(i)] = static_cast<double>(i) * step + start;
  if (m > 1) out.back() = stop;
  return out;
}

Dataset points(std::vector<double> X, std::vector<double> y) {
  const auto n = static_cast<int64_t>(y.size());
  return Dataset(tensor(X, Shape{n, 2}), tensor(y, Shape{n}));
}

}  // namespace

Dataset make_linear(int64_t n, const LinearOptions& options) {
  check_n("make_linear", n, 1);
  check_noise("make_linear", options.noise);
  if (!(options.low <= options.high)) {
    throw ValueError("make_linear: low (" + detail::number(options.low) + ") must not exceed high (" +
                     detail::number(options.high) + ")");
  }
  const Tensor x = uniform({n}, options.low, options.high);
  const Tensor noise = normal({n}, 0.0, options.noise);
  return Dataset(x.reshape({n, 1}), options.weight * x + options.bias + noise);
}

Dataset make_xor(int64_t n, double noise, uint32_t seed) {
  check_n("make_xor", n, 1);
  check_noise("make_xor", noise);
  Generator generator(seed);
  std::vector<double> X, y;
  for (int64_t i = 0; i < n; ++i) {
    const double a = (i & 2) ? 1.0 : -1.0, b = (i & 1) ? 1.0 : -1.0;
    X.push_back(a + noise * generator.normal());
    X.push_back(b + noise * generator.normal());
    y.push_back(a != b ? 1.0 : 0.0);
  }
  return points(std::move(X), std::move(y));
}

Dataset make_moons(int64_t n, double noise, uint32_t seed) {
  check_n("make_moons", n, 1);
  check_noise("make_moons", noise);
  const int64_t n_out = n / 2, n_in = n - n_out;
  std::vector<double> x0, x1, label;
  for (const double t : linspace(0.0, std::numbers::pi, n_out)) {
    x0.push_back(std::cos(t));
    x1.push_back(std::sin(t));
    label.push_back(0.0);
  }
  for (const double t : linspace(0.0, std::numbers::pi, n_in)) {
    x0.push_back(1.0 - std::cos(t));
    x1.push_back(1.0 - std::sin(t) - 0.5);
    label.push_back(1.0);
  }
  Generator generator(seed);
  const std::vector<int64_t> order = detail::permutation(n, generator);
  std::vector<double> X, y;
  for (const int64_t row : order) {
    X.push_back(x0[static_cast<std::size_t>(row)]);
    X.push_back(x1[static_cast<std::size_t>(row)]);
    y.push_back(label[static_cast<std::size_t>(row)]);
  }
  for (double& value : X) value += noise * generator.normal();
  return points(std::move(X), std::move(y));
}

Dataset make_spirals(int64_t n, int classes, double noise, uint32_t seed) {
  if (classes < 2) throw ValueError("make_spirals: classes must be at least 2, got " + std::to_string(classes));
  check_n("make_spirals", n, classes);
  check_noise("make_spirals", noise);
  Generator generator(seed);
  std::vector<double> X, y;
  for (int j = 0; j < classes; ++j) {
    const int64_t m = n / classes + (j < n % classes ? 1 : 0);
    for (const double r : linspace(0.0, 1.0, m)) {
      const double t = 2.0 * std::numbers::pi * j / classes + 4.0 * r + noise * generator.normal();
      X.push_back(r * std::cos(t));
      X.push_back(r * std::sin(t));
      y.push_back(j);
    }
  }
  return points(std::move(X), std::move(y));
}

}  // namespace tg::data
