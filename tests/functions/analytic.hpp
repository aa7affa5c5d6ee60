// Analytic gradients and Hessians of the test functions, written out from the reference table
// of test functions or, for the classic landscapes, which it gives
// without derivatives, differentiated by hand from their formulas.
#pragma once

#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <string>
#include <vector>

namespace analytic {

using Vec = std::vector<double>;
using std::numbers::pi;

inline const Vec kLsqX = {1.0, 0.5, -0.3, 0.2, -1.0, 0.4, 0.7, 0.1, 1.2, -0.6, 0.9, 0.3, 0.4, -0.2, -0.8};  // 5x3
inline const Vec kLsqY = {1.0, -1.0, 0.5, 0.0, 0.0, 2.0, -0.5, 1.0, 0.3, 0.3,
                          1.0, -1.0, -1.0, 0.5, 0.0, 0.2, 0.5, 0.0, -0.7, 0.9};  // 5x4

inline Vec rosenbrock_n(const Vec& p) {  // the reference's rosenbrock10 gradient, any n
  Vec g(p.size(), 0.0);
  for (std::size_t i = 0; i + 1 < p.size(); ++i) {
    const double d = p[i + 1] - p[i] * p[i];
    g[i] += -400.0 * p[i] * d - 2.0 * (1.0 - p[i]);
    g[i + 1] += 200.0 * d;
  }
  return g;
}

inline Vec rastrigin_n(const Vec& p) {
  Vec g(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) g[i] = 2.0 * p[i] + 2.0 * pi * 10.0 * std::sin(2.0 * pi * p[i]);
  return g;
}

inline Vec styblinski_tang_n(const Vec& p) {
  Vec g(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) g[i] = 0.5 * (4.0 * std::pow(p[i], 3) - 32.0 * p[i] + 5.0);
  return g;
}

// f = -20 exp(-0.2 r) - exp(c) + e + 20, r = sqrt(mean x^2), c = mean cos(2 pi x).
inline Vec ackley_n(const Vec& p) {
  const double n = static_cast<double>(p.size());
  double s = 0.0, c = 0.0;
  for (double v : p) {
    s += v * v;
    c += std::cos(2.0 * pi * v);
  }
  const double r = std::sqrt(s / n);
  c /= n;
  Vec g(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    g[i] = 4.0 * std::exp(-0.2 * r) * p[i] / (n * r) + std::exp(c) * 2.0 * pi * std::sin(2.0 * pi * p[i]) / n;
  return g;
}

inline Vec matrix_lsq(const Vec& w) {  // X^T (X W - Y), W 3x4 row-major
  Vec r(20, 0.0), g(12, 0.0);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 4; ++j) {
      double s = -kLsqY[i * 4 + j];
      for (int k = 0; k < 3; ++k) s += kLsqX[i * 3 + k] * w[k * 4 + j];
      r[i * 4 + j] = s;
    }
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 5; ++i) g[k * 4 + j] += kLsqX[i * 3 + k] * r[i * 4 + j];
  return g;
}

/// name -> gradient, for every function of tg::functions::all().
inline const std::map<std::string, std::function<Vec(const Vec&)>>& gradients() {
  static const std::map<std::string, std::function<Vec(const Vec&)>> table = {
      {"quadratic", [](const Vec& p) { return Vec{2.0 * (p[0] - 3.0), 2.0 * (p[1] + 2.0)}; }},
      {"ravine", [](const Vec& p) { return Vec{2.0 * p[0], 20.0 * p[1]}; }},
      {"rosenbrock",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         return Vec{-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)};
       }},
      {"beale",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
         return Vec{2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
                    2 * a * x + 4 * b * x * y + 6 * c * x * y * y};
       }},
      {"booth",
       [](const Vec& p) {
         const double a = p[0] + 2 * p[1] - 7, b = 2 * p[0] + p[1] - 5;
         return Vec{2 * a + 4 * b, 4 * a + 2 * b};
       }},
      {"himmelblau",
       [](const Vec& p) {
         const double x = p[0], y = p[1], a = x * x + y - 11, b = x + y * y - 7;
         return Vec{4 * x * a + 2 * b, 2 * a + 4 * y * b};
       }},
      {"rastrigin", rastrigin_n},
      {"saddle", [](const Vec& p) { return Vec{2.0 * p[0], -2.0 * p[1]}; }},
      {"rosenbrock10", rosenbrock_n},
      {"matrix_lsq", matrix_lsq},
      {"ackley", ackley_n},
      {"drop_wave",
       [](const Vec& p) {
         // f = -N/D, N = 1 + cos(12 r), D = 0.5 r^2 + 2; df/dx = (12 sin(12r) x/r · D + N x) / D^2.
         const double r = std::hypot(p[0], p[1]), n = 1.0 + std::cos(12.0 * r), d = 0.5 * r * r + 2.0;
         const double k = 12.0 * std::sin(12.0 * r) / r * d + n;
         return Vec{k * p[0] / (d * d), k * p[1] / (d * d)};
       }},
      {"styblinski_tang", styblinski_tang_n},
      {"goldstein_price",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         const double s = x + y + 1, A = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
         const double t = 2 * x - 3 * y, B = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
         const double a = 1 + s * s * A, b = 30 + t * t * B;
         const double ax = 2 * s * A + s * s * (-14 + 6 * x + 6 * y), ay = 2 * s * A + s * s * (-14 + 6 * x + 6 * y);
         const double bx = 4 * t * B + t * t * (-32 + 24 * x - 36 * y), by = -6 * t * B + t * t * (48 - 36 * x + 54 * y);
         return Vec{ax * b + a * bx, ay * b + a * by};
       }},
      {"matyas", [](const Vec& p) { return Vec{0.52 * p[0] - 0.48 * p[1], 0.52 * p[1] - 0.48 * p[0]}; }},
      {"three_hump_camel",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         return Vec{4 * x - 4.2 * std::pow(x, 3) + std::pow(x, 5) + y, x + 2 * y};
       }},
      {"mccormick",
       [](const Vec& p) {
         const double c = std::cos(p[0] + p[1]), d = 2 * (p[0] - p[1]);
         return Vec{c + d - 1.5, c - d + 2.5};
       }},
      {"six_hump_camel",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         return Vec{8 * x - 8.4 * std::pow(x, 3) + 2 * std::pow(x, 5) + y, x - 8 * y + 16 * std::pow(y, 3)};
       }},
      {"easom",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         const double e = std::exp(-((x - pi) * (x - pi) + (y - pi) * (y - pi)));
         const double cx = std::cos(x), cy = std::cos(y), sx = std::sin(x), sy = std::sin(y);
         return Vec{e * cy * (sx + 2 * (x - pi) * cx), e * cx * (sy + 2 * (y - pi) * cy)};
       }},
      {"double_well", [](const Vec& p) { return Vec{4 * std::pow(p[0], 3) - 4 * p[0] + 0.5}; }},
      {"ravine15", [](const Vec& p) { return Vec{2.0 * p[0], 30.0 * p[1]}; }},
      {"parabola", [](const Vec& p) { return Vec{2.0 * p[0]}; }},
  };
  return table;
}

}  // namespace analytic

namespace analytic {

/// name -> Hessian (row-major n×n), for the functions whose Hessian is short to write by hand.
// Ackley in n dimensions: with A = -20 e^(-0.2 r), r = ‖x‖/√n, and B = -e^c, c = mean cos 2πx,
// H = 4 e^(-0.2r) (-0.2 r_i r_j + r_ij) - e^c (c_i c_j + c_ij), where r_i = x_i/(n r),
// r_ij = δ_ij/(n r) - x_i x_j/(n² r³), c_i = -(2π/n) sin 2πx_i, c_ij = -δ_ij (4π²/n) cos 2πx_i.
// Undefined at the origin (the cone's tip).
inline Vec ackley_hessian(const Vec& p) {
  const std::size_t n = p.size();
  const double dn = static_cast<double>(n);
  double s = 0.0, c = 0.0;
  for (double v : p) {
    s += v * v;
    c += std::cos(2.0 * pi * v);
  }
  const double r = std::sqrt(s / dn);
  c /= dn;
  Vec h(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double ri = p[i] / (dn * r), rj = p[j] / (dn * r);
      const double rij = (i == j ? 1.0 / (dn * r) : 0.0) - p[i] * p[j] / (dn * dn * r * r * r);
      const double ci = -2.0 * pi / dn * std::sin(2.0 * pi * p[i]), cj = -2.0 * pi / dn * std::sin(2.0 * pi * p[j]);
      const double cij = i == j ? -4.0 * pi * pi / dn * std::cos(2.0 * pi * p[i]) : 0.0;
      h[i * n + j] = 4.0 * std::exp(-0.2 * r) * (-0.2 * ri * rj + rij) - std::exp(c) * (ci * cj + cij);
    }
  return h;
}

// Drop-wave as a function of s = r²: f(s) = -N/D, N = 1 + cos 12√s, D = s/2 + 2, so
// H_ij = 2δ_ij f'(s) + 4 x_i x_j f''(s), with N', N'' from their series near s = 0 (where the
// closed forms cancel) and closed forms elsewhere.
inline Vec drop_wave_hessian(const Vec& p) {
  const double s = p[0] * p[0] + p[1] * p[1], r = std::sqrt(s);
  double n1 = 0.0, n2 = 0.0;  // N'(s), N''(s)
  if (s < 1e-2) {
    double term = 1.0;  // (-144)^k / (2k)!
    for (int k = 1; k < 30; ++k) {
      term *= -144.0 / ((2.0 * k) * (2.0 * k - 1.0));
      n1 += k * term * std::pow(s, k - 1);
      if (k >= 2) n2 += k * (k - 1) * term * std::pow(s, k - 2);
    }
  } else {
    n1 = -6.0 * std::sin(12.0 * r) / r;
    n2 = -3.0 * (12.0 * r * std::cos(12.0 * r) - std::sin(12.0 * r)) / (r * r * r);
  }
  const double N = 1.0 + std::cos(12.0 * r), D = 0.5 * s + 2.0;
  const double f1 = -(n1 * D - N * 0.5) / (D * D);
  const double f2 = -(n2 * D) / (D * D) + 2.0 * (n1 * D - N * 0.5) * 0.5 / (D * D * D);
  return {2.0 * f1 + 4.0 * p[0] * p[0] * f2, 4.0 * p[0] * p[1] * f2, 4.0 * p[0] * p[1] * f2,
          2.0 * f1 + 4.0 * p[1] * p[1] * f2};
}

// Goldstein-Price: the second derivatives of its expanded polynomial (sympy).
inline Vec goldstein_price_hessian(const Vec& p) {
  const double x = p[0], y = p[1];
  using std::pow;
  const double hxx = 8064*pow(x, 6) - 12096*pow(x, 5)*y - 32256*pow(x, 5) - 19440*pow(x, 4)*pow(y, 2) + 40320*pow(x, 4)*y + 28560*pow(x, 4) + 24480*pow(x, 3)*pow(y, 3) + 51840*pow(x, 3)*pow(y, 2) - 3360*pow(x, 3)*y + 26880*pow(x, 3) + 15660*pow(x, 2)*pow(y, 4) - 48960*pow(x, 2)*pow(y, 3) - 64440*pow(x, 2)*pow(y, 2) - 92160*pow(x, 2)*y - 29448*pow(x, 2) - 11016*x*pow(y, 5) - 20880*x*pow(y, 4) + 7440*x*pow(y, 3) + 59040*x*pow(y, 2) + 34704*x*y - 6432*x - 2916*pow(y, 6) + 7344*pow(y, 5) + 17460*pow(y, 4) + 10080*pow(y, 3) + 15552*pow(y, 2) + 14688*y + 2520;
  const double hxy = -2016*pow(x, 6) - 7776*pow(x, 5)*y + 8064*pow(x, 5) + 18360*pow(x, 4)*pow(y, 2) + 25920*pow(x, 4)*y - 840*pow(x, 4) + 20880*pow(x, 3)*pow(y, 3) - 48960*pow(x, 3)*pow(y, 2) - 42960*pow(x, 3)*y - 30720*pow(x, 3) - 27540*pow(x, 2)*pow(y, 4) - 41760*pow(x, 2)*pow(y, 3) + 11160*pow(x, 2)*pow(y, 2) + 59040*pow(x, 2)*y + 17352*pow(x, 2) - 17496*x*pow(y, 5) + 36720*x*pow(y, 4) + 69840*x*pow(y, 3) + 30240*x*pow(y, 2) + 31104*x*y + 14688*x + 6804*pow(y, 6) + 11664*pow(y, 5) - 5940*pow(y, 4) - 47520*pow(y, 3) - 70848*pow(y, 2) - 38592*y - 4680;
  const double hyy = -1296*pow(x, 6) + 7344*pow(x, 5)*y + 5184*pow(x, 5) + 15660*pow(x, 4)*pow(y, 2) - 24480*pow(x, 4)*y - 10740*pow(x, 4) - 36720*pow(x, 3)*pow(y, 3) - 41760*pow(x, 3)*pow(y, 2) + 7440*pow(x, 3)*y + 19680*pow(x, 3) - 43740*pow(x, 2)*pow(y, 4) + 73440*pow(x, 2)*pow(y, 3) + 104760*pow(x, 2)*pow(y, 2) + 30240*pow(x, 2)*y + 15552*pow(x, 2) + 40824*x*pow(y, 5) + 58320*x*pow(y, 4) - 23760*x*pow(y, 3) - 142560*x*pow(y, 2) - 141696*x*y - 38592*x + 40824*pow(y, 6) - 27216*pow(y, 5) - 132840*pow(y, 4) + 38880*pow(y, 3) + 172152*pow(y, 2) + 73728*y + 6120;
  return {hxx, hxy, hxy, hyy};
}

inline const std::map<std::string, std::function<Vec(const Vec&)>>& hessians() {
  static const std::map<std::string, std::function<Vec(const Vec&)>> table = {
      {"quadratic", [](const Vec&) { return Vec{2, 0, 0, 2}; }},
      {"ackley", ackley_hessian},
      {"drop_wave", drop_wave_hessian},
      {"goldstein_price", goldstein_price_hessian},
      {"ravine", [](const Vec&) { return Vec{2, 0, 0, 20}; }},
      {"booth", [](const Vec&) { return Vec{10, 8, 8, 10}; }},
      {"saddle", [](const Vec&) { return Vec{2, 0, 0, -2}; }},
      {"matyas", [](const Vec&) { return Vec{0.52, -0.48, -0.48, 0.52}; }},
      {"rosenbrock",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         return Vec{2 - 400 * (y - x * x) + 800 * x * x, -400 * x, -400 * x, 200};
       }},
      {"himmelblau",
       [](const Vec& p) {
         const double x = p[0], y = p[1];
         return Vec{12 * x * x + 4 * y - 42, 4 * x + 4 * y, 4 * x + 4 * y, 4 * x + 12 * y * y - 26};
       }},
      {"rastrigin",
       [](const Vec& p) {
         return Vec{2 + 40 * pi * pi * std::cos(2 * pi * p[0]), 0, 0, 2 + 40 * pi * pi * std::cos(2 * pi * p[1])};
       }},
      {"styblinski_tang", [](const Vec& p) { return Vec{6 * p[0] * p[0] - 16, 0, 0, 6 * p[1] * p[1] - 16}; }},
      {"three_hump_camel",
       [](const Vec& p) { return Vec{4 - 12.6 * p[0] * p[0] + 5 * std::pow(p[0], 4), 1, 1, 2}; }},
      {"six_hump_camel",
       [](const Vec& p) {
         return Vec{8 - 25.2 * p[0] * p[0] + 10 * std::pow(p[0], 4), 1, 1, -8 + 48 * p[1] * p[1]};
       }},
      {"mccormick",
       [](const Vec& p) {
         const double s = std::sin(p[0] + p[1]);
         return Vec{2 - s, -2 - s, -2 - s, 2 - s};
       }},
      {"double_well", [](const Vec& p) { return Vec{12 * p[0] * p[0] - 4}; }},
      {"ravine15", [](const Vec&) { return Vec{2, 0, 0, 30}; }},
      {"parabola", [](const Vec&) { return Vec{2}; }},
      {"beale",
       [](const Vec& p) {
         // f = a² + b² + c²: H = 2 Σ (∇r ∇rᵀ + r ∇²r) over r = a, b, c.
         const double x = p[0], y = p[1];
         const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
         const double ax = y - 1, ay = x, bx = y * y - 1, by = 2 * x * y, cx = y * y * y - 1, cy = 3 * x * y * y;
         const double hxx = 2 * (ax * ax + bx * bx + cx * cx);
         const double hxy = 2 * (ax * ay + bx * by + cx * cy) + 2 * (a * 1 + b * 2 * y + c * 3 * y * y);
         const double hyy = 2 * (ay * ay + by * by + cy * cy) + 2 * (b * 2 * x + c * 6 * x * y);
         return Vec{hxx, hxy, hxy, hyy};
       }},
      {"easom",
       [](const Vec& p) {
         // f = -u(x) u(y) with u(t) = cos t · exp(-(t - pi)²):
         // u' = e (-sin t - 2a cos t), u'' = e (4a sin t + (4a² - 3) cos t), a = t - pi.
         const auto u = [](double t) { return std::cos(t) * std::exp(-(t - pi) * (t - pi)); };
         const auto du = [](double t) {
           const double a = t - pi;
           return std::exp(-a * a) * (-std::sin(t) - 2 * a * std::cos(t));
         };
         const auto d2u = [](double t) {
           const double a = t - pi;
           return std::exp(-a * a) * (4 * a * std::sin(t) + (4 * a * a - 3) * std::cos(t));
         };
         const double x = p[0], y = p[1];
         return Vec{-d2u(x) * u(y), -du(x) * du(y), -du(x) * du(y), -u(x) * d2u(y)};
       }},
      {"rosenbrock10",
       [](const Vec& p) {
         const std::size_t n = p.size();
         Vec h(n * n, 0.0);
         for (std::size_t i = 0; i + 1 < n; ++i) {
           h[i * n + i] += 2 - 400 * (p[i + 1] - p[i] * p[i]) + 800 * p[i] * p[i];
           h[(i + 1) * n + i + 1] += 200;
           h[i * n + i + 1] = h[(i + 1) * n + i] = -400 * p[i];
         }
         return h;
       }},
      {"matrix_lsq",
       [](const Vec&) {  // kron(X^T X, I4) on the row-major flattening of W
         Vec h(144, 0.0);
         for (int a = 0; a < 3; ++a)
           for (int b = 0; b < 3; ++b) {
             double s = 0.0;
             for (int i = 0; i < 5; ++i) s += kLsqX[i * 3 + a] * kLsqX[i * 3 + b];
             for (int j = 0; j < 4; ++j) h[(a * 4 + j) * 12 + b * 4 + j] = s;
           }
         return h;
       }},
  };
  return table;
}

}  // namespace analytic
