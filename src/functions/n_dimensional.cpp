// The functions with an n-D form: Rosenbrock, Rastrigin, Styblinski–Tang and Ackley. The 2-D
// forms (and Rosenbrock's 10-D form) are the ones registered in all(); make() builds the others.
#include <cmath>
#include <numbers>

#include "builders.hpp"
#include "tapegrad/ops.hpp"

namespace tg::functions::detail {

namespace {

std::string sized(const std::string& base, int64_t n, int64_t registered) {
  return n == registered ? base : base + std::to_string(n);
}

// A point whose coordinates are `rest` except the first k, which are `first`.
std::vector<double> leading(int64_t n, int64_t k, double first, double rest) {
  std::vector<double> x(static_cast<std::size_t>(n), rest);
  for (int64_t i = 0; i < k && i < n; ++i) x[static_cast<std::size_t>(i)] = first;
  return x;
}

// The 2-D starts, labelled "(a,b)" in 2-D and "(a,b) repeated" otherwise.
std::vector<std::pair<std::string, std::vector<double>>> tiled_starts(const std::vector<std::vector<double>>& starts,
                                                                      int64_t n) {
  std::vector<std::pair<std::string, std::vector<double>>> out;
  for (const auto& s : starts) out.emplace_back(label(s) + (n == 2 ? "" : " repeated"), tile(s, n));
  return out;
}

}  // namespace

TestFunction rosenbrock(int64_t n) {
  TestFunction f;
  f.name = sized("rosenbrock", n, 2);
  f.shape = Shape{n};
  if (n == 2) {
    f.formula = "(1-x)^2 + 100*(y-x^2)^2";
    f.value = checked(f.name, f.shape, [](const Tensor& p) {
      const Tensor x = p[0], y = p[1];
      return (1.0 - x).square() + 100.0 * (y - x.square()).square();
    });
  } else {
    f.formula = "sum_{i=0}^{" + std::to_string(n - 2) + "} 100*(x_{i+1}-x_i^2)^2 + (1-x_i)^2";
    f.value = checked(f.name, f.shape, [n](const Tensor& p) {
      const Tensor head = p.narrow(0, 0, n - 1), tail = p.narrow(0, 1, n - 1);
      return (100.0 * (tail - head.square()).square() + (1.0 - head).square()).sum();
    });
  }
  f.points = {{std::vector<double>(static_cast<std::size_t>(n), 1.0), 0.0, "global minimum"}};
  if (n == 10)
    f.points.push_back({{-0.99326337285636895, 0.99660603944343522, 0.99824061139111252, 0.99898843376780063,
                         0.99922615343966498, 0.99907364816334434, 0.99845417740290879, 0.99705625166303772,
                         0.99417937522806614, 0.98839263012886794},
                        3.9865791123471382,
                        "local minimum"});
  if (n == 2) {
    f.starts = {{"(0,0)", {0.0, 0.0}}, {"(-1.5,2)", {-1.5, 2.0}}, {"(-1.2,1)", {-1.2, 1.0}}};
    f.window = {-2.0, 2.0, -1.0, 3.0};
    f.log_scale = true;
    f.note = "a narrow curved valley (a canal) along y = x^2; Hessian eigenvalues 0.39936 and 1001.60 "
             "at the minimum (condition number 2508); (-1.2, 1) is the classic start";
  } else {
    f.starts = {{"zeros", std::vector<double>(static_cast<std::size_t>(n), 0.0)}, {"classic", tile({-1.2, 1.0}, n)}};
    if (n == 10) f.starts.push_back({"spread", {0.5, -0.3, 1.1, 0.8, -0.9, 0.2, 1.3, -0.4, 0.6, 0.0}});
    f.window = {0.0, 0.0, 0.0, 0.0};
    f.note = "the chained Rosenbrock function; for n >= 4 it also has a local minimum near (-1, 1, ..., 1)"
             " (listed for n = 10)";
  }
  f.sgd_lr = 2e-4;
  return f;
}

TestFunction rastrigin(int64_t n) {
  constexpr double kA = 10.0;
  // The 1-D stationary points of x^2 - A cos(2 pi x) (roots of 2x + 2 pi A sin(2 pi x) = 0)
  // and their values x^2 - A cos(2 pi x) + A: each adds that much to f.
  constexpr double kMin1 = 0.99495863765233479545, kMin1Value = 0.99495905709329139;
  constexpr double kMin2 = 1.9899122337085495607, kMin2Value = 3.9798311905540875;
  constexpr double kMax = 0.50254603655467463179, kMaxValue = 20.251272990990113;
  TestFunction f;
  f.name = sized("rastrigin", n, 2);
  f.formula = "A*n + sum_i (x_i^2 - A*cos(2*pi*x_i)), A=10, n=" + std::to_string(n);
  f.shape = Shape{n};
  f.value = checked(f.name, f.shape, [n](const Tensor& p) {
    return kA * static_cast<double>(n) + (p.square() - kA * (2.0 * std::numbers::pi * p).cos()).sum();
  });
  f.points = {{leading(n, 0, 0.0, 0.0), 0.0, "global minimum"},
              {leading(n, 1, kMin1, 0.0), kMin1Value, "local minimum"}};
  if (n >= 2) f.points.push_back({leading(n, 2, kMin1, 0.0), 2.0 * kMin1Value, "local minimum"});
  f.points.push_back({leading(n, 1, kMin2, 0.0), kMin2Value, "local minimum"});
  f.points.push_back({leading(n, 1, kMax, 0.0), kMaxValue, n >= 2 ? "saddle" : "local maximum"});
  f.starts = tiled_starts({{0.3, -0.2}, {-1.2, 2.3}, {2.6, 1.1}}, n);
  f.window = n == 2 ? std::array<double, 4>{-3.0, 3.0, -3.0, 3.0} : std::array<double, 4>{0.0, 0.0, 0.0, 0.0};
  f.sgd_lr = 1e-3;
  f.domain = {-5.12, 5.12, -5.12, 5.12};
  f.note = "a local minimum near every integer point, saddles between them; Hessian 396.78 I at the minimum";
  return f;
}

TestFunction styblinski_tang(int64_t n) {
  // The roots of 4x^3 - 32x + 5 = 0 (minima at kLow and kHigh) and 0.5(x^4 - 16x^2 + 5x) there.
  constexpr double kLow = -2.9035340277711770951, kLowValue = -39.166165703771415;
  constexpr double kHigh = 2.7468027709908369925, kHighValue = -25.029446655283943;
  const double dn = static_cast<double>(n);
  TestFunction f;
  f.name = sized("styblinski_tang", n, 2);
  f.formula = "0.5*sum_i (x_i^4 - 16*x_i^2 + 5*x_i), n=" + std::to_string(n);
  f.shape = Shape{n};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    return 0.5 * (p.pow(4) - 16.0 * p.square() + 5.0 * p).sum();
  });
  f.points = {{leading(n, 0, 0.0, kLow), dn * kLowValue, "global minimum"}};
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> x = leading(n, 0, 0.0, kLow);
    x[static_cast<std::size_t>(i)] = kHigh;
    f.points.push_back({x, (dn - 1.0) * kLowValue + kHighValue, "local minimum"});
  }
  if (n >= 2) f.points.push_back({leading(n, 0, 0.0, kHigh), dn * kHighValue, "local minimum"});
  f.starts = tiled_starts({{0.0, 0.0}, {4.0, 4.0}, {-4.5, 1.0}}, n);
  f.window = n == 2 ? std::array<double, 4>{-5.0, 5.0, -5.0, 5.0} : std::array<double, 4>{0.0, 0.0, 0.0, 0.0};
  f.sgd_lr = 0.02;
  f.domain = {-5.0, 5.0, -5.0, 5.0};
  f.note = "every coordinate of the minimizer is -2.903534027771178, the root of 4x^3 - 32x + 5 = 0 near -2.9; "
           "f_min = -39.16616570377142 n; a local minimum wherever some coordinates are 2.746803 instead";
  return f;
}

TestFunction ackley(int64_t n) {
  const double inv_sqrt_n = 1.0 / std::sqrt(static_cast<double>(n));
  TestFunction f;
  f.name = sized("ackley", n, 2);
  f.formula = n == 2 ? "-20*exp(-0.2*sqrt(0.5*(x^2+y^2))) - exp(0.5*(cos(2*pi*x)+cos(2*pi*y))) + e + 20"
                     : "-20*exp(-0.2*sqrt(mean_i x_i^2)) - exp(mean_i cos(2*pi*x_i)) + e + 20, n=" + std::to_string(n);
  f.shape = Shape{n};
  // sqrt(mean x_i^2) = |x| / sqrt(n), through norm(), whose derivative at 0 is taken as 0.
  f.value = checked(f.name, f.shape, [inv_sqrt_n](const Tensor& p) {
    const Tensor r = p.norm() * inv_sqrt_n;
    return -20.0 * (-0.2 * r).exp() - (2.0 * std::numbers::pi * p).cos().mean().exp() + std::numbers::e + 20.0;
  });
  f.points = {{leading(n, 0, 0.0, 0.0), 0.0, "global minimum"}};
  f.starts = tiled_starts({{0.6, -0.4}, {2.3, 1.6}, {-3.6, 3.2}}, n);
  f.window = n == 2 ? std::array<double, 4>{-5.0, 5.0, -5.0, 5.0} : std::array<double, 4>{0.0, 0.0, 0.0, 0.0};
  f.sgd_lr = 0.02;
  f.domain = {-32.768, 32.768, -32.768, 32.768};
  f.note = "not differentiable at the minimum: near 0, f ~ 4 |x| / sqrt(n), a cone tip (directional derivative "
           "2.828427 = 2 sqrt(2) in every direction for n = 2), so gradient methods oscillate around it; the tape "
           "gives 0 there (norm()'s derivative at 0), a subgradient; many regular local minima";
  return f;
}

}  // namespace tg::functions::detail
