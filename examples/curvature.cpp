// Curvature: the exact Hessian, its eigenvectors, Newton's method and Hessian-vector products
// (docs/curvature.md shows the output and the pictures):
//
//   1. the ravine x² + 10y² at (3, 1): gradient, Hessian, its eigenvalues and eigenvectors, and
//      one Newton step (solve H·d = −g), which lands exactly on the minimum (0, 0); the same on
//      Booth's tilted valley, whose eigenvectors are the diagonals;
//   2. Rosenbrock's function from (−1.2, 1): Newton's method with a backtracking line search
//      against gradient descent, the steps each needs until f < 1e-10;
//   3. the curvature along the gradient, κ = gᵀHg / ‖g‖², from one Hessian-vector product, and
//      why gradient descent needs lr < 2/λmax;
//   4. pictures: the eigenvectors on the contour maps, Newton's path against gradient descent's.
//
//   curvature [DIR]     writes DIR/curvature_*.png (and .svg, .gp, _*.dat); DIR is created and
//                       defaults to the current directory. Without gnuplot it prints how to
//                       install it and goes on.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace fn = tg::functions;
namespace functional = tg::autograd::functional;
using Vec = std::vector<double>;

constexpr double kTarget = 1e-10;     // "converged": f below this (every minimum here is f = 0)
constexpr int kGdCap = 200000;        // gradient descent gives up after this many steps

void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("  wrote %s.png\n", base.c_str());
  } else {
    std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

tg::Tensor point(const Vec& p) { return tg::tensor(p, tg::Shape{static_cast<int64_t>(p.size())}); }

double value_at(const fn::TestFunction& f, const Vec& p) {
  tg::NoGradGuard no_grad;
  return f(point(p)).item();
}

std::function<double(double, double)> surface(const fn::TestFunction& f) {
  return [&f](double x, double y) { return value_at(f, {x, y}); };
}

double dot(const Vec& a, const Vec& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// -0 printed as 0.
double tidy(double v) { return v + 0.0; }

// Solves A·d = b for a small n×n A (row-major) by Gaussian elimination with partial pivoting.
Vec solve(Vec a, Vec b) {
  const std::size_t n = b.size();
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pivot = k;
    for (std::size_t i = k + 1; i < n; ++i)
      if (std::abs(a[i * n + k]) > std::abs(a[pivot * n + k])) pivot = i;
    if (a[pivot * n + k] == 0.0) throw tg::ValueError("solve: the matrix is singular");
    for (std::size_t j = 0; j < n; ++j) std::swap(a[k * n + j], a[pivot * n + j]);
    std::swap(b[k], b[pivot]);
    for (std::size_t i = k + 1; i < n; ++i) {
      const double m = a[i * n + k] / a[k * n + k];
      for (std::size_t j = k; j < n; ++j) a[i * n + j] -= m * a[k * n + j];
      b[i] -= m * b[k];
    }
  }
  Vec d(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t j = i + 1; j < n; ++j) s -= a[i * n + j] * d[j];
    d[i] = s / a[i * n + i];
  }
  return d;
}

// The eigenvalues (ascending) and unit eigenvectors of a symmetric 2×2 matrix [[a, b], [b, c]]:
// λ = (a + c)/2 ∓ √(((a − c)/2)² + b²); (b, λ − a) and (λ − c, b) both solve (H − λI)v = 0, the
// longer of the two is used. Each vector is signed so that its largest component is positive.
struct Eigen2 {
  double lambda[2];
  Vec v[2];
};

Eigen2 eigen2(const tg::Tensor& h) {
  const double a = h.at({0, 0}), b = h.at({0, 1}), c = h.at({1, 1});
  const double mid = (a + c) / 2, r = std::hypot((a - c) / 2, b);
  Eigen2 e{{mid - r, mid + r}, {}};
  for (int k = 0; k < 2; ++k) {
    const double l = e.lambda[k];
    Vec u = {b, l - a}, w = {l - c, b};
    Vec v = std::hypot(u[0], u[1]) >= std::hypot(w[0], w[1]) ? u : w;
    const double norm = std::hypot(v[0], v[1]);
    if (norm == 0.0) v = k == 0 ? Vec{1.0, 0.0} : Vec{0.0, 1.0};  // H = λI: every direction is one
    else v = {v[0] / norm, v[1] / norm};
    if ((std::abs(v[0]) >= std::abs(v[1]) ? v[0] : v[1]) < 0) v = {-v[0], -v[1]};
    e.v[k] = {tidy(v[0]), tidy(v[1])};
  }
  return e;
}

// A segment from p along the unit vector v, of the given length: a two-point trajectory.
tg::plot::Trajectory segment(const std::string& label, const Vec& p, const Vec& v, double length) {
  return {label, {p, {p[0] + length * v[0], p[1] + length * v[1]}}};
}

// v or −v, whichever points downhill (makes an acute angle with −g).
Vec downhill(const Vec& v, const Vec& g) { return dot(v, g) > 0 ? Vec{-v[0], -v[1]} : v; }

// ---------------------------------------------------------------------------------------------
// 1. One Newton step on a quadratic. Its Taylor series stops at the second order,
//    f(p + d) = f(p) + gᵀd + ½ dᵀHd, so the d where its gradient g + H·d vanishes, d = −H⁻¹g,
//    is the minimum (H positive definite).

void newton_on_quadratic(const fn::TestFunction& f, const Vec& p, const char* name) {
  const tg::Tensor x = point(p);
  const tg::Tensor g = tg::gradient(f.value, x);
  const tg::Tensor h = functional::hessian(f.value, x);
  const Eigen2 e = eigen2(h);
  const Vec minus_g = {-g.at({0}), -g.at({1})};
  const Vec d = solve(h.to_vector(), minus_g);
  const Vec landed = {p[0] + d[0], p[1] + d[1]};
  std::printf("   %s f(x, y) = %s at p = (%g, %g), f(p) = %g\n", name, f.formula.c_str(), p[0], p[1], value_at(f, p));
  std::cout << "   gradient g = " << g << "\n   Hessian H (tg::autograd::functional::hessian) =\n" << h << "\n";
  std::printf("   eigenvalues  %g and %g (condition number %g)\n", e.lambda[0], e.lambda[1], e.lambda[1] / e.lambda[0]);
  std::printf("   eigenvectors (%.4f, %.4f) for lambda = %g, (%.4f, %.4f) for lambda = %g\n", e.v[0][0], e.v[0][1],
              e.lambda[0], e.v[1][0], e.v[1][1], e.lambda[1]);
  std::printf("   Newton step: solve H d = -g  ->  d = (%.17g, %.17g)\n", tidy(d[0]), tidy(d[1]));
  const Vec& minimum = f.points[0].x;
  std::printf("   p + d = (%.17g, %.17g), f(p + d) = %g, distance to the minimum (%g, %g): %.2g\n", tidy(landed[0]),
              tidy(landed[1]), value_at(f, landed), minimum[0], minimum[1],
              std::hypot(landed[0] - minimum[0], landed[1] - minimum[1]));
}

void ravine(const std::string& dir) {
  const auto& f = fn::get("ravine");
  const Vec p = {3.0, 1.0};
  std::printf("1. One Newton step on a quadratic lands on its minimum\n\n");
  newton_on_quadratic(f, p, "ravine:");

  // Gradient descent at its best fixed lr, 2/(λmin + λmax) = 1/11, for comparison: the error
  // shrinks by (λmax − λmin)/(λmax + λmin) = 9/11 per step along both eigenvectors.
  const double lr = 2.0 / (2.0 + 20.0);
  Vec q = p;
  int steps = 0;
  while (value_at(f, q) >= kTarget) {
    const Vec g = tg::gradient(f.value, point(q)).to_vector();
    q = {q[0] - lr * g[0], q[1] - lr * g[1]};
    ++steps;
  }
  std::printf("   gradient descent at its best lr, 2/(2 + 20) = 1/11: %d steps to f < 1e-10\n\n", steps);

  const auto& booth = fn::get("booth");
  newton_on_quadratic(booth, {0.0, 0.0}, "booth, a tilted valley:");

  // The picture: the eigenvectors at p, each of length 1.5/√λ (the axes of the quadratic
  // model's ellipses) and pointing downhill, the direction of steepest descent −g/‖g‖
  // (length 1) and the Newton step.
  const tg::Tensor h = functional::hessian(f.value, point(p));
  const Eigen2 e = eigen2(h);
  const Vec g = tg::gradient(f.value, point(p)).to_vector();
  const double gn = std::hypot(g[0], g[1]);
  char l0[80], l1[80];
  std::snprintf(l0, sizeof l0, "eigenvector, λ = %g (1.5/√λ long)", e.lambda[0]);
  std::snprintf(l1, sizeof l1, "eigenvector, λ = %g (1.5/√λ long)", e.lambda[1]);
  tg::plot::ContourPlot plot{
      .title = "Ravine x² + 10y² at (3, 1): the Hessian's eigenvectors and one Newton step",
      .window = {-1.0, 4.5, -1.5, 1.5},
      .f = surface(f),
      .markers = {{0.0, 0.0}},
      .trajectories = {segment("−g/‖g‖ (1 long)", p, {-g[0] / gn, -g[1] / gn}, 1.0),
                       segment(l0, p, downhill(e.v[0], g), 1.5 / std::sqrt(e.lambda[0])),
                       segment(l1, p, downhill(e.v[1], g), 1.5 / std::sqrt(e.lambda[1])),
                       {"Newton step −H⁻¹g", {p, {0.0, 0.0}}}},
      .levels = {0.5, 1, 2, 4, 7, 11, 15, 19, 25, 32, 40},
  };
  report(tg::plot::contour(dir + "/curvature_ravine", plot), dir + "/curvature_ravine");
}

// ---------------------------------------------------------------------------------------------
// 2. Rosenbrock from the classic start. Newton's direction d = −H⁻¹g comes from the quadratic
//    model at p, which is only good near p, so the step is shortened until it decreases f
//    enough (Armijo): t = 1, 1/2, 1/4, ... until f(p + t·d) ≤ f(p) + 1e-4·t·gᵀd. Where H is
//    not positive definite d may point uphill (gᵀd ≥ 0); then the step falls back to −g.

using Path = std::vector<Vec>;

// The start and the first `steps` iterates of a path.
Path first(const Path& path, std::size_t steps) { return Path(path.begin(), path.begin() + static_cast<long>(steps) + 1); }

struct NewtonStep {
  Vec p;
  double f, t;
  double lambda_min, lambda_max;  // of H at the point the step started from
  bool fallback;
};

std::vector<NewtonStep> newton(const fn::TestFunction& f, const Vec& start) {
  std::vector<NewtonStep> steps = {{start, value_at(f, start), 0, 0, 0, false}};
  while (steps.back().f >= kTarget && steps.size() < 100) {
    const Vec p = steps.back().p;
    const double fp = steps.back().f;
    const Vec g = tg::gradient(f.value, point(p)).to_vector();
    const tg::Tensor h = functional::hessian(f.value, point(p));
    const Eigen2 e = eigen2(h);
    Vec d = solve(h.to_vector(), {-g[0], -g[1]});
    const bool fallback = dot(g, d) >= 0;
    if (fallback) d = {-g[0], -g[1]};
    const double slope = dot(g, d);
    double t = 1.0;
    while (value_at(f, {p[0] + t * d[0], p[1] + t * d[1]}) > fp + 1e-4 * t * slope) t /= 2;
    const Vec next = {p[0] + t * d[0], p[1] + t * d[1]};
    steps.push_back({next, value_at(f, next), t, e.lambda[0], e.lambda[1], fallback});
  }
  return steps;
}

// x ← x − lr·∇f(x) until f < kTarget or kGdCap steps; returns the iterates.
Path gradient_descent(const fn::TestFunction& f, const Vec& start, double lr) {
  Path path = {start};
  Vec x = start;
  while (path.size() <= static_cast<std::size_t>(kGdCap) && value_at(f, x) >= kTarget) {
    const Vec g = tg::gradient(f.value, point(x)).to_vector();
    x = {x[0] - lr * g[0], x[1] - lr * g[1]};
    path.push_back(x);
  }
  return path;
}

void rosenbrock(const std::string& dir) {
  const auto& f = fn::get("rosenbrock");
  const Vec start = {-1.2, 1.0};
  std::printf("\n2. Rosenbrock f(x, y) = %s from (-1.2, 1), until f < 1e-10\n\n", f.formula.c_str());
  std::printf("   Newton's method, d = -H^-1 g, with a backtracking line search: t = 1, 1/2, 1/4, ...\n"
              "   until f(p + t d) <= f(p) + 1e-4 t g.d\n\n");
  std::printf("   step  t       x              y              f(x, y)      eigenvalues of H where the step began\n");
  const std::vector<NewtonStep> steps = newton(f, start);
  int full = 0, fallbacks = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const NewtonStep& s = steps[k];
    if (k == 0) {
      std::printf("   %4zu  -       %13.10f  %13.10f  %.4e\n", k, s.p[0], s.p[1], s.f);
      continue;
    }
    full += s.t == 1.0;
    fallbacks += s.fallback;
    std::printf("   %4zu  %-6g  %13.10f  %13.10f  %.4e   (%.4g, %.4g)%s\n", k, s.t, s.p[0], s.p[1], s.f, s.lambda_min,
                s.lambda_max, s.fallback ? "  fell back to -g" : "");
  }
  const int newton_steps = static_cast<int>(steps.size()) - 1;
  std::printf("\n   Newton: f < 1e-10 after %d steps (%d full steps, %d shortened, %d fell back to -g)\n", newton_steps,
              full, newton_steps - full, fallbacks);

  // Gradient descent: the function's sgd_lr, a round lr, and both sides of 2/λmax at the
  // minimum, where the iterates end: λmax(1, 1) = 1001.6, 2/λmax = 0.0019968.
  const tg::Tensor h_min = functional::hessian(f.value, point({1.0, 1.0}));
  const double limit = 2.0 / eigen2(h_min).lambda[1];
  std::printf("\n   gradient descent, x <- x - lr grad f(x), from (-1.2, 1) (at most %d steps);\n"
              "   at the minimum lambda_max = %.4f, so 2/lambda_max = %.7f:\n",
              kGdCap, eigen2(h_min).lambda[1], limit);
  Path gd_path;
  for (const double lr : {f.sgd_lr, 1e-3, 1.99e-3, 2.01e-3}) {
    const Path path = gradient_descent(f, start, lr);
    const int n = static_cast<int>(path.size()) - 1;
    const double last = value_at(f, path.back());
    const char* note = lr == f.sgd_lr ? "(the function's sgd_lr)" : lr < limit ? "(below 2/lambda_max)" : "(above 2/lambda_max)";
    if (last < kTarget)
      std::printf("   lr %-8g %-24s f < 1e-10 after %6d steps\n", lr, note, n);
    else {
      const Vec& a = path[path.size() - 2];
      const Vec& b = path.back();
      std::printf("   lr %-8g %-24s never in %d steps: it ends jumping to and fro between\n"
                  "   %37s (%.6f, %.6f), f = %.4g, and (%.6f, %.6f), f = %.4g\n",
                  lr, note, n, "", a[0], a[1], value_at(f, a), b[0], b[1], last);
    }
    if (lr == 1e-3) gd_path = path;
  }
  const Vec& gd20 = gd_path[static_cast<std::size_t>(newton_steps)];
  std::printf("   after %d steps (Newton's count), gradient descent at lr 0.001 is at (%.4f, %.4f), f = %.4g\n",
              newton_steps, gd20[0], gd20[1], value_at(f, gd20));

  // The picture: Newton's iterates, and gradient descent's at lr 0.001 (every one of the first
  // 200, then every 100th: the path has tens of thousands).
  tg::plot::Trajectory newton_path{"Newton + line search: " + std::to_string(newton_steps) + " steps", {}};
  for (const NewtonStep& s : steps) newton_path.points.push_back(s.p);
  tg::plot::Trajectory gd{"gradient descent, lr 0.001: " + std::to_string(gd_path.size() - 1) + " steps", {}};
  for (std::size_t k = 0; k < gd_path.size(); ++k)
    if (k < 200 || k % 100 == 0 || k + 1 == gd_path.size()) gd.points.push_back(gd_path[k]);
  const tg::plot::Trajectory gd_first{"gradient descent, its first " + std::to_string(newton_steps) + " steps",
                                      first(gd_path, static_cast<std::size_t>(newton_steps))};
  tg::plot::ContourPlot plot{
      .title = "Rosenbrock from (−1.2, 1) to f < 1e-10: Newton against gradient descent",
      .window = {-1.5, 1.5, -0.5, 1.75},
      .f = surface(f),
      .log_scale = true,
      .markers = {{1.0, 1.0}},
      .trajectories = {gd, newton_path, gd_first},
      .levels = {0.05, 0.2, 0.5, 2, 5, 10, 25, 50, 100, 250, 500},
  };
  report(tg::plot::contour(dir + "/curvature_newton_vs_gd", plot), dir + "/curvature_newton_vs_gd");

  // The eigenvectors at the start, each of length 4/√λ and pointing downhill, in a window
  // around it.
  const tg::Tensor h = functional::hessian(f.value, point(start));
  const Eigen2 e = eigen2(h);
  const Vec g = tg::gradient(f.value, point(start)).to_vector();
  const double gn = std::hypot(g[0], g[1]);
  char l0[64], l1[64];
  std::snprintf(l0, sizeof l0, "eigenvector, λ = %.4g (4/√λ long)", e.lambda[0]);
  std::snprintf(l1, sizeof l1, "eigenvector, λ = %.4g (4/√λ long)", e.lambda[1]);
  tg::plot::ContourPlot eig{
      .title = "Rosenbrock at (−1.2, 1), f = 24.2: the Hessian's eigenvectors",
      .window = {-1.9, -0.3, 0.6, 1.8},
      .f = surface(f),
      .log_scale = true,
      .trajectories = {segment("−g/‖g‖ (0.5 long)", start, {-g[0] / gn, -g[1] / gn}, 0.5),
                       segment(l0, start, downhill(e.v[0], g), 4 / std::sqrt(e.lambda[0])),
                       segment(l1, start, downhill(e.v[1], g), 4 / std::sqrt(e.lambda[1])),
                       {"first Newton step", {start, steps[1].p}}},
      .levels = {2, 5, 10, 24.2, 50, 100, 200, 500},
  };
  report(tg::plot::contour(dir + "/curvature_rosenbrock", eig), dir + "/curvature_rosenbrock");
}

// ---------------------------------------------------------------------------------------------
// 3. The curvature along the gradient. A step of length lr along −g changes f by
//    −lr·‖g‖² + ½ lr²·gᵀHg (to second order): it lowers f only while lr < 2‖g‖²/gᵀHg = 2/κ,
//    and lowers it most at lr = 1/κ. κ lies between λmin and λmax. hvp gives H·g without H.

double curvature_along(const fn::TestFunction& f, const Vec& p, double* gradient_norm) {
  const tg::Tensor x = point(p);
  const tg::Tensor g = tg::gradient(f.value, x);
  const auto [value, hg] = functional::hvp(f.value, x, g);
  *gradient_norm = g.norm().item();
  return (g * hg).sum().item() / (g * g).sum().item();
}

// The largest eigenvalue from Hessian-vector products alone (power iteration: v ← Hv/‖Hv‖).
double lambda_max_by_hvp(const fn::TestFunction& f, const Vec& p, int products) {
  tg::Tensor v = point({1.0, 1.0}) / std::sqrt(2.0);
  double lambda = 0;
  for (int k = 0; k < products; ++k) {
    const tg::Tensor hv = functional::hvp(f.value, point(p), v).second;
    lambda = dot(v.to_vector(), hv.to_vector());  // the Rayleigh quotient vᵀHv
    v = hv / hv.norm().item();
  }
  return lambda;
}

void curvature_along_gradient() {
  std::printf("\n3. The curvature along the gradient, kappa = g.(H g) / |g|^2, from one Hessian-vector product\n"
              "   (tg::autograd::functional::hvp); a step lr along -g lowers f only if lr < 2/kappa\n\n");
  std::printf("   function    point          |g|         kappa        lambda_min   lambda_max   2/kappa      2/lambda_max\n");
  const std::vector<std::pair<const char*, Vec>> probes = {
      {"ravine", {3.0, 1.0}},     {"ravine", {10.0, 0.1}},    {"ravine", {3.0, 0.0}},      {"ravine", {0.0, 1.0}},
      {"rosenbrock", {-1.2, 1.0}}, {"rosenbrock", {0.9, 0.8}}, {"rosenbrock", {0.0, 0.0}}, {"rosenbrock", {0.5, 0.5}},
  };
  for (const auto& [name, p] : probes) {
    const auto& f = fn::get(name);
    double gradient_norm = 0;
    const double kappa = curvature_along(f, p, &gradient_norm);
    const Eigen2 e = eigen2(functional::hessian(f.value, point(p)));
    char at[32];
    std::snprintf(at, sizeof at, "(%g, %g)", p[0], p[1]);
    std::printf("   %-11s %-14s %-11.6g %-12.6g %-12.6g %-12.6g %-12.6g %.6g\n", name, at, gradient_norm, kappa,
                e.lambda[0], e.lambda[1], 2 / kappa, 2 / e.lambda[1]);
  }

  std::printf("\n   lambda_max from Hessian-vector products alone (power iteration, 30 products):\n");
  for (const auto& [name, p] : std::vector<std::pair<const char*, Vec>>{
           {"ravine", {3.0, 1.0}}, {"rosenbrock", {-1.2, 1.0}}, {"rosenbrock", {1.0, 1.0}}}) {
    std::printf("   %-11s at (%g, %g): %.10g\n", name, p[0], p[1], lambda_max_by_hvp(fn::get(name), p, 30));
  }

  // Gradient descent on the ravine: y is multiplied by 1 − 20·lr at every step.
  const auto& f = fn::get("ravine");
  std::printf("\n   Gradient descent on the ravine from (3, 1): each step multiplies x by 1 - 2 lr and y by 1 - 20 lr\n\n");
  std::printf("   lr      1 - 2 lr  1 - 20 lr  |y| after 100 steps  |y| after 500 steps  f after 500 steps\n");
  for (const double lr : {0.099, 0.1, 0.101}) {
    Vec x = {3.0, 1.0};
    double y100 = 0;
    for (int k = 1; k <= 500; ++k) {
      const Vec g = tg::gradient(f.value, point(x)).to_vector();
      x = {x[0] - lr * g[0], x[1] - lr * g[1]};
      if (k == 100) y100 = std::abs(x[1]);
    }
    const double f500 = value_at(f, x);
    const char* verdict = lr < 0.1 ? "converges" : lr == 0.1 ? "bounces for ever" : "diverges";
    std::printf("   %-7g %-9.3f %-10.3f %-20.4e %-20.4e %-12.4e %s\n", lr, 1 - 2 * lr, 1 - 20 * lr, y100, std::abs(x[1]),
                f500, verdict);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: curvature [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    std::filesystem::create_directories(dir);
    ravine(dir);
    rosenbrock(dir);
    curvature_along_gradient();
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "curvature: %s\n", e.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "curvature: %s\n", e.what());
    return 1;
  }
  return 0;
}
