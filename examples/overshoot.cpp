// Overshoot: Nesterov's look-ahead against heavy-ball momentum (docs/examples/overshoot.md shows
// the output and the pictures). The lesson's two rules, with γ = 0.9 and γ = 0.5:
//
//   heavy ball  (tg::optim::HeavyBall):          v ← γv + lr·∇f(θ),        θ ← θ − v
//   Nesterov    (tg::optim::NesterovLookahead):  v ← γv + lr·∇f(θ − γv),   θ ← θ − v
//
// on the ravine x² + 10y² from (4, 1) and on the round bowl (x − 3)² + (y + 2)² from (0, 0):
// how far each goes past the minimum along each axis, how often it crosses it, how many steps
// it needs to stay within 1e-3 of it, and the paths on one contour map per function.
//
//   overshoot [DIR]   writes DIR/overshoot_*.png (and .svg, .gp, _*.dat); DIR defaults to the
//                     current directory and must exist. Without gnuplot it prints how to
//                     install it and goes on.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdio>
#include <memory>
#include <string>
#include <tapegrad/tapegrad.hpp>
#include <vector>

namespace {

using Path = std::vector<std::vector<double>>;
constexpr double kTolerance = 1e-3;

void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("  wrote %s.png\n", base.c_str());
  } else {
    std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

struct Method {
  bool nesterov;
  double gamma;
  std::string name() const {
    char s[48];
    std::snprintf(s, sizeof s, "%s(gamma=%g)", nesterov ? "nesterov_lookahead" : "heavy_ball", gamma);
    return s;
  }
};

const std::vector<Method> kMethods = {{false, 0.9}, {false, 0.5}, {true, 0.9}, {true, 0.5}};
// The order of the pictures' legends (and colours): a contour map draws each path narrower than
// the one before, so the wide swings of heavy ball with 0.9 come last, on top.
const std::vector<std::size_t> kDrawOrder = {2, 1, 3, 0};

// `steps` updates from `start`; the iterates, start first. Stops early if the run diverges.
Path run(const tg::functions::TestFunction& f, const Method& m, double lr, const std::vector<double>& start,
         int steps) {
  tg::Tensor p = tg::tensor(start, tg::Shape{2}, /*requires_grad=*/true);
  std::unique_ptr<tg::optim::Optimizer> opt;
  if (m.nesterov) {
    opt = std::make_unique<tg::optim::NesterovLookahead>(
        std::vector<tg::Tensor>{p}, tg::optim::NesterovLookaheadOptions{.lr = lr, .gamma = m.gamma});
  } else {
    opt = std::make_unique<tg::optim::HeavyBall>(std::vector<tg::Tensor>{p},
                                                 tg::optim::HeavyBallOptions{.lr = lr, .beta = m.gamma});
  }
  const auto closure = [&] {
    opt->zero_grad();
    tg::Tensor loss = f(p);
    loss.backward();
    return loss;
  };
  Path path{p.to_vector()};
  for (int k = 0; k < steps; ++k) {
    if (m.nesterov) {
      opt->step(closure);
    } else {
      closure();
      opt->step();
    }
    path.push_back(p.to_vector());
    if (std::hypot(path.back()[0], path.back()[1]) > 1e6) break;
  }
  return path;
}

bool diverged(const Path& path) { return std::hypot(path.back()[0], path.back()[1]) > 1e6; }

// How far the path goes past the minimum's coordinate, on the side away from the start (0 if
// it never passes it).
double overshoot(const Path& path, std::size_t axis, double minimum) {
  const double side = path[0][axis] > minimum ? 1.0 : -1.0;
  double most = 0;
  for (const auto& p : path) most = std::max(most, -side * (p[axis] - minimum));
  return most;
}

// Crossings of the minimum's coordinate between two iterates both more than the tolerance
// away from it (smaller ones are invisible at the scale of the pictures).
int crossings(const Path& path, std::size_t axis, double minimum) {
  int n = 0;
  for (std::size_t k = 1; k < path.size(); ++k) {
    const double a = path[k - 1][axis] - minimum, b = path[k][axis] - minimum;
    if (a * b < 0 && std::abs(a) > kTolerance && std::abs(b) > kTolerance) ++n;
  }
  return n;
}

// The first step from which every later iterate is within the tolerance of the minimum; -1 if
// the path does not settle there.
int settles(const Path& path, const std::vector<double>& minimum) {
  int from = -1;
  for (std::size_t k = 0; k < path.size(); ++k) {
    if (std::hypot(path[k][0] - minimum[0], path[k][1] - minimum[1]) >= kTolerance)
      from = -1;
    else if (from < 0)
      from = static_cast<int>(k);
  }
  return from;
}

// Along an axis of curvature λ both rules are linear recurrences in the offset e from the
// minimum: heavy ball e' = (1 + γ − h)e − γe_prev, Nesterov e' = (1 + γ)(1 − h)e − γ(1 − h)e_prev,
// with h = lr·λ. The roots z of z² − b·z + c = 0 decide: complex roots (b² < 4c) make the axis
// oscillate for ever with amplitude shrinking as |z|^t; real positive roots let it cross the
// minimum at most once. Returns the largest |z| and whether the roots are complex.
struct Roots {
  double modulus;
  bool complex;
};

Roots roots(const Method& m, double h) {
  const double g = m.gamma;
  const double b = m.nesterov ? (1 + g) * (1 - h) : 1 + g - h, c = m.nesterov ? g * (1 - h) : g;
  const std::complex<double> d = std::sqrt(std::complex<double>(b * b - 4 * c, 0.0));
  const double r = std::max(std::abs((b + d) / 2.0), std::abs((b - d) / 2.0));
  return {r, b * b - 4 * c < 0};
}

std::string percent(double part, double whole) {
  char s[32];
  std::snprintf(s, sizeof s, "(%.1f%%)", 100.0 * part / whole);
  return s;
}

void compare(const std::string& dir, const std::string& title, const std::string& picture,
             const tg::functions::TestFunction& f, const std::vector<double>& start, const std::vector<double>& minimum,
             const std::vector<double>& curvature, double lr, int steps, const std::string& base,
             const std::array<double, 4>& window, const std::vector<double>& levels, int drawn_steps, bool with_y) {
  std::printf("%s\n", title.c_str());
  std::printf("   curvature %g along x, %g along y: lr * curvature = %g and %g\n\n", curvature[0], curvature[1],
              lr * curvature[0], lr * curvature[1]);
  std::printf(
      "   method                        along x: overshoot   crossings  |root|        "
      "along y: overshoot   crossings  |root|        within 1e-3\n");
  std::vector<Path> paths;
  for (const Method& m : kMethods) {
    const Path path = run(f, m, lr, start, steps);
    paths.push_back(path);
    std::printf("   %-29s", m.name().c_str());
    for (std::size_t axis = 0; axis < 2; ++axis) {
      const double o = overshoot(path, axis, minimum[axis]);
      const Roots r = roots(m, lr * curvature[axis]);
      std::printf(" %7.4f %-10s  %3d        %.3f %-7s", o, percent(o, std::abs(start[axis] - minimum[axis])).c_str(),
                  crossings(path, axis, minimum[axis]), r.modulus, r.complex ? "complex" : "real");
    }
    std::printf("  from step %d\n", settles(path, minimum));
  }
  std::printf(
      "   (overshoot: the farthest point past the minimum along the axis, and that as a share of the start's\n"
      "   offset; crossings of the minimum between iterates both more than 1e-3 from it; |root|: the\n"
      "   largest root of the axis's recurrence, complex roots oscillate; within 1e-3: the step from which\n"
      "   every later iterate of a %d-step run stays within 1e-3 of the minimum)\n",
      steps);

  tg::plot::ContourPlot plot{
      .title = "",
      .window = window,
      .f =
          [&f](double x, double y) {
            tg::NoGradGuard no_grad;
            return f(tg::tensor({x, y}, tg::Shape{2})).item();
          },
      .markers = {minimum},
      .trajectories = {},
      .levels = levels,
  };
  char heading[160];
  std::snprintf(heading, sizeof heading, "%s: the first %d steps, lr %g", picture.c_str(), drawn_steps, lr);
  plot.title = heading;
  for (const std::size_t k : kDrawOrder) {
    const Path& path = paths[k];
    const auto shown = std::min<std::ptrdiff_t>(drawn_steps + 1, static_cast<std::ptrdiff_t>(path.size()));
    plot.trajectories.push_back({kMethods[k].name(), Path(path.begin(), path.begin() + shown)});
  }
  report(tg::plot::contour(dir + "/" + base, plot), dir + "/" + base);

  // The offset from the minimum against the step, along x (and along y where it differs).
  for (std::size_t axis = 0; axis < (with_y ? 2u : 1u); ++axis) {
    const int shown = axis == 0 ? 120 : 60;  // HB with 0.9 swings along x for over 100 steps
    std::vector<tg::plot::Series> offsets;
    for (const std::size_t k : kDrawOrder) {
      tg::plot::Series s{kMethods[k].name(), {}, {}};
      for (int t = 0; t <= shown && t < static_cast<int>(paths[k].size()); ++t) {
        s.x.push_back(t);
        s.y.push_back(paths[k][static_cast<std::size_t>(t)][axis] - minimum[axis]);
      }
      offsets.push_back(s);
    }
    tg::plot::Series zero{"the minimum", {}, {}};
    for (int t = 0; t <= shown; ++t) {
      zero.x.push_back(t);
      zero.y.push_back(0.0);
    }
    offsets.push_back(zero);
    const char* name = axis == 0 ? "x" : "y";
    char label[32], line_title[160];
    if (minimum[axis] == 0)
      std::snprintf(label, sizeof label, "%s", name);
    else
      std::snprintf(label, sizeof label, "%s %s %g", name, minimum[axis] > 0 ? "−" : "+", std::abs(minimum[axis]));
    std::snprintf(line_title, sizeof line_title, "%s: the offset along %s against the step, lr %g", picture.c_str(),
                  name, lr);
    report(tg::plot::lines(dir + "/" + base + "_" + name, line_title, "step", label, offsets),
           dir + "/" + base + "_" + name);
  }
}

// The ravine at other learning rates: steps to settle (and crossings along y).
void ravine_sweep(const tg::functions::TestFunction& f) {
  std::printf(
      "\n   the ravine at other learning rates: steps until within 1e-3 for good (crossings along x, along y)\n");
  std::printf("   lr      ");
  for (std::size_t k = 0; k < kMethods.size(); ++k) {
    std::printf(k + 1 < kMethods.size() ? " %-30s" : " %s\n", kMethods[k].name().c_str());
  }
  for (const double lr : {0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.095}) {
    std::string line(256, '\0');
    line.resize(static_cast<std::size_t>(std::snprintf(line.data(), line.size(), "   %-8g", lr)));
    for (const Method& m : kMethods) {
      const Path path = run(f, m, lr, {4.0, 1.0}, 1000);
      char cell[40];
      if (diverged(path) || settles(path, {0.0, 0.0}) < 0) {
        std::snprintf(cell, sizeof cell, "diverges (|root| %.3f)", roots(m, lr * 20).modulus);
      } else {
        std::snprintf(cell, sizeof cell, "%4d (%d, %d)", settles(path, {0.0, 0.0}), crossings(path, 0, 0.0),
                      crossings(path, 1, 0.0));
      }
      char padded[48];
      std::snprintf(padded, sizeof padded, " %-30s", cell);
      line += padded;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::printf("%s\n", line.c_str());
  }
  std::printf(
      "   stable while lr * 20 < 2(1 + gamma) for heavy ball (lr < %.4f, %.4f), but only while\n"
      "   lr * 20 < 2(1 + gamma)/(1 + 2 gamma) for Nesterov (lr < %.4f, %.4f)\n",
      2 * 1.9 / 20, 2 * 1.5 / 20, 2 * 1.9 / 2.8 / 20, 2 * 1.5 / 2.0 / 20);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: overshoot [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    std::printf(
        "Heavy ball against Nesterov, gamma = 0.9 and 0.5:\n"
        "   heavy_ball:          v <- gamma v + lr grad f(theta),            theta <- theta - v\n"
        "   nesterov_lookahead:  v <- gamma v + lr grad f(theta - gamma v),  theta <- theta - v\n\n");
    const auto& ravine = tg::functions::get("ravine");
    compare(dir, "1. The ravine x^2 + 10y^2 from (4, 1), lr 0.04; minimum (0, 0)", "x² + 10y² from (4, 1)", ravine,
            {4.0, 1.0}, {0.0, 0.0}, {2.0, 20.0}, 0.04, 400, "overshoot_ravine", {-2.5, 4.5, -1.25, 1.25},
            {0.1, 0.25, 0.5, 1, 2, 4, 7, 11, 16, 22, 30}, 80, /*with_y=*/true);
    ravine_sweep(ravine);
    std::printf("\n");
    compare(dir, "2. The round bowl (x - 3)^2 + (y + 2)^2 from (0, 0), lr 0.1; minimum (3, -2)",
            "(x − 3)² + (y + 2)² from (0, 0)", tg::functions::get("quadratic"), {0.0, 0.0}, {3.0, -2.0}, {2.0, 2.0},
            0.1, 400, "overshoot_bowl", {-0.5, 5.5, -3.75, 0.5}, {0.05, 0.25, 0.5, 1, 2, 4, 6, 9, 13, 18}, 80,
            /*with_y=*/false);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "overshoot: %s\n", e.what());
    return 1;
  }
  return 0;
}
