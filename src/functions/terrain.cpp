// analyze_terrain(): the gradient, the Hessian's eigenvalues (LAPACK through xtensor-blas)
// and the verdict of terrain.hpp.
#include "tapegrad/functions/terrain.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xtensor.hpp>

#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/tape.hpp"

namespace tg {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string list(const std::vector<double>& values) {
  if (values.size() > 4)
    return "(" + std::to_string(values.size()) + " of them, from " + num(values.front()) + " to " + num(values.back()) + ")";
  std::string s = "(";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + num(values[i]);
  return s + ")";
}

bool all_finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

void validate(const TerrainThresholds& t) {
  auto fail = [](const std::string& what, double v) {
    throw ValueError("analyze_terrain: " + what + ", got " + num(v));
  };
  if (!(t.gradient_tol >= 0.0)) fail("gradient_tol must be >= 0", t.gradient_tol);
  if (!(t.curvature_tol >= 0.0)) fail("curvature_tol must be >= 0", t.curvature_tol);
  if (!(t.ravine_condition >= 1.0)) fail("ravine_condition must be >= 1", t.ravine_condition);
  if (!(t.eps > 0.0) || !std::isfinite(t.eps)) fail("eps must be > 0 and finite", t.eps);
}

}  // namespace

Terrain analyze_terrain(const ScalarFunction& f, const Tensor& x, const TerrainThresholds& t) {
  validate(t);
  if (!x.defined()) throw ValueError("analyze_terrain: x is undefined");
  if (x.numel() == 0) throw ValueError("analyze_terrain: x has no elements (shape " + x.shape().str() + ")");
  Terrain r;
  {
    NoGradGuard no_grad;
    const Tensor y = f(x.detach());
    if (!y.defined() || y.numel() != 1)
      throw ShapeError("analyze_terrain: f must return a single value" +
                       (y.defined() ? ", got a tensor of shape " + y.shape().str() : std::string()));
    r.value = y.item();
  }
  r.gradient = gradient(f, x);
  const std::vector<double> g = r.gradient.to_vector();
  r.hessian = hessian(f, x, t.hessian, t.eps);
  const std::vector<double> h = r.hessian.to_vector();
  const std::string at = " at " + (x.numel() <= 4 ? list(x.to_vector()) : "x");
  if (!std::isfinite(r.value)) throw ValueError("analyze_terrain: f is not finite" + at + ": " + num(r.value));
  if (!all_finite(g)) throw ValueError("analyze_terrain: the gradient is not finite" + at + " (f is not differentiable there?)");
  if (!all_finite(h))
    throw ValueError("analyze_terrain: the Hessian is not finite" + at + " (f is not twice differentiable near there?)");

  const auto n = static_cast<std::size_t>(x.numel());
  xt::xtensor<double, 2> a({n, n});
  std::copy(h.begin(), h.end(), a.begin());
  const auto [w, q] = xt::linalg::eigh(a);
  std::vector<double> ev(n), vectors(n * n);
  for (std::size_t k = 0; k < n; ++k) {
    ev[k] = w(k);
    for (std::size_t i = 0; i < n; ++i) vectors[i * n + k] = q(i, k);
  }
  r.eigenvalues = ev;
  r.eigenvectors = tensor(vectors, Shape{static_cast<int64_t>(n), static_cast<int64_t>(n)});

  double gnorm2 = 0.0;
  for (double v : g) gnorm2 += v * v;
  r.gradient_norm = std::sqrt(gnorm2);
  double abs_min = std::numeric_limits<double>::infinity(), abs_max = 0.0;
  int positive = 0, negative = 0;
  for (double l : ev) {
    abs_min = std::min(abs_min, std::abs(l));
    abs_max = std::max(abs_max, std::abs(l));
    positive += l > t.curvature_tol;
    negative += l < -t.curvature_tol;
  }
  r.condition_number = abs_min == 0.0 ? std::numeric_limits<double>::infinity() : abs_max / abs_min;
  const int flat = static_cast<int>(n) - positive - negative;
  r.stationary = r.gradient_norm <= t.gradient_tol;

  const std::string grad = "gradient norm " + num(r.gradient_norm) + (r.stationary ? " <= " : " > ") + num(t.gradient_tol);
  const std::string eig = "eigenvalues " + list(ev);
  const std::string tol = num(t.curvature_tol);
  if (r.stationary && positive == 0 && negative == 0) {
    r.kind = "plateau";
    r.reason = grad + " and " + eig + " all within +-" + tol + ": flat ground, a plateau";
  } else if (r.stationary && positive > 0 && negative > 0) {
    r.kind = "saddle";
    r.reason = grad + ", " + eig + " of both signs: a saddle point (up along some directions, down along others)";
  } else if (r.stationary && positive == 0) {
    r.kind = "maximum";
    r.reason = grad + ", " + eig + " none above " + tol + ": a maximum" +
               (flat > 0 ? " (flat along " + std::to_string(flat) + " direction(s): the Hessian cannot confirm it)" : "");
  } else if (positive == static_cast<int>(n)) {
    const bool ravine = r.condition_number >= t.ravine_condition * (1.0 - 1e-6);
    r.kind = ravine ? "ravine" : "valley";
    r.reason = grad + ", " + eig + " all above " + tol + ", condition number " + num(r.condition_number) +
               (ravine ? " >= " : " < ") + num(t.ravine_condition) + ": " +
               (r.stationary ? "a minimum at the bottom of a " : "on the side of a ") + r.kind;
  } else if (r.stationary) {
    r.kind = "minimum";
    r.reason = grad + ", " + eig + " none below -" + tol + ", " + std::to_string(flat) +
               " within +-" + tol + ": a minimum that is flat along " + std::to_string(flat) + " direction(s)";
  } else {
    r.kind = "slope";
    r.reason = grad + ", " + eig + (negative > 0 ? " with a negative one" : " with a flat one") +
               ": a slope (the ground tilts and does not curve up in every direction)";
  }
  return r;
}

}  // namespace tg
