// The lessons' claims about loss landscapes, run and measured (docs/landscapes.md shows the
// output and the pictures):
//
//   1. a ravine, x² + 10y²: plain gradient descent at lr 0.095 zig-zags across it, SGD with
//      momentum and RMSprop do not;
//   2. a tilted double well, x⁴ − 2x² + 0.5x from x = 1.5: gradient descent stops in the local
//      minimum, SGD with momentum 0.9 rolls over the barrier into the global one;
//   3. the comparison of the lesson on learning rate, momentum and RMSProp, on (x − 3)² + (y + 2)²
//      from (0, 0): GD, EMA momentum and RMSprop with ε inside the root, 50 steps at lr 0.1;
//   4. the terrain at a point — valley, ravine, canal, plateau, saddle, maximum — from the
//      Hessian's eigenvalues (tg::analyze_terrain).
//
//   landscapes [DIR]     writes DIR/landscapes_*.png (and .svg, .gp, _*.dat); DIR defaults to
//                        the current directory and must exist. Without gnuplot it prints how
//                        to install it and goes on.
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

using Path = std::vector<std::vector<double>>;  // the iterates, start first
constexpr double kPi = 3.14159265358979323846;

// Reports what a plot function did: the picture, or how to get gnuplot.
void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("  wrote %s.png\n", base.c_str());
  } else {
    std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

// `steps` updates of `opt` on f, whose parameter `p` the optimizer holds; returns the iterates.
Path descend(const tg::functions::TestFunction& f, tg::optim::Optimizer& opt, tg::Tensor& p, int steps) {
  Path path{p.to_vector()};
  for (int k = 0; k < steps; ++k) {
    opt.zero_grad();
    f(p).backward();
    opt.step();
    path.push_back(p.to_vector());
  }
  return path;
}

// A fresh parameter at `start`, ready for an optimizer.
tg::Tensor parameter(const std::vector<double>& start) {
  return tg::tensor(start, tg::Shape{static_cast<int64_t>(start.size())}, /*requires_grad=*/true);
}

// f at (x, y) as a plain number, for contour maps.
std::function<double(double, double)> surface(const tg::functions::TestFunction& f) {
  return [&f](double x, double y) {
    tg::NoGradGuard no_grad;
    return f(tg::tensor({x, y}, tg::Shape{2})).item();
  };
}

double loss_at(const tg::functions::TestFunction& f, const std::vector<double>& x) {
  tg::NoGradGuard no_grad;
  return f(tg::tensor(x, tg::Shape{static_cast<int64_t>(x.size())})).item();
}

// The start and the first `steps` iterates of a path.
Path first(const Path& path, std::size_t steps) { return Path(path.begin(), path.begin() + static_cast<long>(steps) + 1); }

// ---------------------------------------------------------------------------------------------
// 1. The ravine x² + 10y². Along y the curvature is 20, along x only 2: gradient descent
// multiplies y by (1 − 20·lr) and x by (1 − 2·lr) each step. At lr = 0.095 the factor for y
// is −0.9: y changes sign at every step while x creeps down by 0.81 per step.

struct RavineRun {
  const char* label;
  Path path;
};

// How much a path zig-zags: y sign changes between points both more than 0.01 off the floor
// (smaller ones are invisible at the scale of the ravine), and the distance walked across
// the ravine, Σ|Δy| (the straight way down from y = 1 is 1).
int visible_crossings(const Path& path) {
  int n = 0;
  for (std::size_t k = 1; k < path.size(); ++k) {
    const double a = path[k - 1][1], b = path[k][1];
    if (a * b < 0 && std::abs(a) > 0.01 && std::abs(b) > 0.01) ++n;
  }
  return n;
}

double walked_across(const Path& path) {
  double s = 0;
  for (std::size_t k = 1; k < path.size(); ++k) s += std::abs(path[k][1] - path[k - 1][1]);
  return s;
}

double distance_to_origin(const std::vector<double>& p) { return std::hypot(p[0], p[1]); }

// The first step from which every later iterate is within `radius` of the minimum (0, 0);
// -1 if the path never settles there.
int settles_within(const Path& path, double radius) {
  int from = -1;
  for (std::size_t k = 0; k < path.size(); ++k) {
    if (distance_to_origin(path[k]) >= radius) from = -1;
    else if (from < 0) from = static_cast<int>(k);
  }
  return from;
}

void ravine(const std::string& dir) {
  const auto& f = tg::functions::get("ravine");
  const std::vector<double> start = {4.0, 1.0};
  constexpr int kSteps = 50, kLongRun = 300;

  std::printf("1. A ravine: f(x, y) = %s from (4, 1), Hessian diag(2, 20)\n", f.formula.c_str());
  std::printf("   Gradient descent multiplies x by 1 - 2 lr and y by 1 - 20 lr at every step;\n");
  std::printf("   at lr = 0.095: x by %.2f, y by %.2f (y changes sign at every step).\n\n", 1 - 2 * 0.095,
              1 - 20 * 0.095);

  std::vector<RavineRun> runs;
  {
    tg::Tensor p = parameter(start);
    tg::optim::SGD opt({p}, {.lr = 0.095});
    runs.push_back({"GD, SGD(lr=0.095)", descend(f, opt, p, kLongRun)});
  }
  {
    tg::Tensor p = parameter(start);
    tg::optim::SGD opt({p}, {.lr = 0.05, .momentum = 0.5});
    runs.push_back({"SGD(lr=0.05, momentum=0.5)", descend(f, opt, p, kLongRun)});
  }
  {
    tg::Tensor p = parameter(start);
    tg::optim::RMSprop opt({p}, {.lr = 0.095});  // PyTorch's form: alpha 0.99, eps 1e-8 outside the root
    runs.push_back({"RMSprop(lr=0.095)", descend(f, opt, p, kLongRun)});
  }
  {
    tg::Tensor p = parameter(start);
    tg::optim::SGD opt({p}, {.lr = 0.0095, .momentum = 0.9});
    runs.push_back({"SGD(lr=0.0095, momentum=0.9)", descend(f, opt, p, kLongRun)});
  }

  std::printf("   method                          y sign     walked across   distance to (0, 0)   within 0.01\n");
  std::printf("                                   changes    sum |dy|        after %d steps        from step\n",
              kSteps);
  for (const RavineRun& r : runs) {
    const Path head = first(r.path, kSteps);
    std::printf("   %-31s %5d      %8.4f        %.4e           %4d\n", r.label, visible_crossings(head),
                walked_across(head), distance_to_origin(head.back()), settles_within(r.path, 0.01));
  }
  std::printf("   (sign changes and sum |dy| over the first %d steps; sign changes counted where |y| > 0.01 on\n"
              "   both sides; the straight way down has sum |dy| = 1; \"within 0.01\": the step from which every\n"
              "   later iterate of a %d-step run stays within 0.01 of (0, 0))\n",
              kSteps, kLongRun);

  tg::plot::ContourPlot plot{
      .title = "Ravine x² + 10y² from (4, 1): the first 50 steps",
      .window = {-1.0, 4.5, -1.25, 1.25},
      .f = surface(f),
      .markers = {{0.0, 0.0}},
      .trajectories = {},
      .levels = {0.1, 0.25, 0.5, 1, 2, 4, 7, 11, 16, 22, 30},
  };
  for (std::size_t k = 0; k < 3; ++k) plot.trajectories.push_back({runs[k].label, first(runs[k].path, kSteps)});
  report(tg::plot::contour(dir + "/landscapes_ravine", plot), dir + "/landscapes_ravine");
}

// ---------------------------------------------------------------------------------------------
// 2. The tilted double well f(x) = x⁴ − 2x² + 0.5x: a local minimum at 0.9304, a barrier (a
// local maximum) at 0.1271 and the global minimum at −1.0575.

void double_well(const std::string& dir) {
  const auto& f = tg::functions::get("double_well");
  const double global = f.points[0].x[0], local = f.points[1].x[0], barrier = f.points[2].x[0];
  constexpr int kSteps = 300;

  tg::Tensor p_gd = parameter({1.5}), p_momentum = parameter({1.5});
  tg::optim::SGD gd({p_gd}, {.lr = 0.02});
  tg::optim::SGD momentum({p_momentum}, {.lr = 0.02, .momentum = 0.9});
  const Path gd_path = descend(f, gd, p_gd, kSteps);
  const Path momentum_path = descend(f, momentum, p_momentum, kSteps);

  std::printf("\n2. A tilted double well: f(x) = %s from x = 1.5\n", f.formula.c_str());
  std::printf("   global minimum x = %.10f (f = %.6f), barrier (local maximum) x = %.10f (f = %.6f),\n"
              "   local minimum x = %.10f (f = %.6f)\n\n",
              global, f.points[0].value, barrier, f.points[2].value, local, f.points[1].value);
  std::printf("   step   SGD(lr=0.02): x       f(x)                    SGD(lr=0.02, momentum=0.9): x   f(x)\n");
  for (int step : {150, 300}) {
    const double a = gd_path[static_cast<std::size_t>(step)][0], b = momentum_path[static_cast<std::size_t>(step)][0];
    std::printf("   %4d   %.15f  %.15f     %.15f              %.15f\n", step, a, loss_at(f, {a}), b,
                loss_at(f, {b}));
  }

  int crossed = -1, lowest_step = 0, within_1e3 = -1, within_1e6 = -1;
  for (std::size_t k = 0; k < momentum_path.size(); ++k) {
    const double x = momentum_path[k][0];
    if (x < barrier && crossed < 0) crossed = static_cast<int>(k);
    if (x < momentum_path[static_cast<std::size_t>(lowest_step)][0]) lowest_step = static_cast<int>(k);
    const double off = std::abs(x - global);
    if (off >= 1e-3) within_1e3 = -1;
    else if (within_1e3 < 0) within_1e3 = static_cast<int>(k);
    if (off >= 1e-6) within_1e6 = -1;
    else if (within_1e6 < 0) within_1e6 = static_cast<int>(k);
  }
  bool gd_monotone = true;
  for (std::size_t k = 1; k < gd_path.size(); ++k) gd_monotone = gd_monotone && gd_path[k][0] <= gd_path[k - 1][0];
  std::printf("\n   GD: x %s from 1.5 and never passes the barrier\n", gd_monotone ? "decreases at every step" : "moves");
  std::printf("   momentum: x = %.8f, %.8f, %.8f, %.8f, ...; past the barrier at step %d, lowest x = %.5f (step %d),\n",
              momentum_path[1][0], momentum_path[2][0], momentum_path[3][0], momentum_path[4][0], crossed,
              momentum_path[static_cast<std::size_t>(lowest_step)][0], lowest_step);
  std::printf("   within 1e-3 of the global minimum from step %d on, within 1e-6 from step %d on\n", within_1e3,
              within_1e6);

  // The escape depends on the learning rate: too small a step never builds enough speed.
  std::printf("\n   where each ends after 400 steps, by learning rate (momentum 0.9):\n");
  for (const double lr : {0.01, 0.0125, 0.015, 0.02, 0.05, 0.095}) {
    tg::Tensor a = parameter({1.5}), b = parameter({1.5});
    tg::optim::SGD plain({a}, {.lr = lr});
    tg::optim::SGD heavy({b}, {.lr = lr, .momentum = 0.9});
    const double end_plain = descend(f, plain, a, 400).back()[0], end_heavy = descend(f, heavy, b, 400).back()[0];
    const auto basin = [barrier](double x) { return x < barrier ? "(global)" : "(local)"; };
    std::printf("   lr %-7g GD: x = %9.6f %-8s   momentum: x = %9.6f %s\n", lr, end_plain, basin(end_plain), end_heavy,
                basin(end_heavy));
  }

  std::vector<double> steps;
  for (int k = 0; k <= 200; ++k) steps.push_back(k);
  const auto column = [&steps](const Path& path) {
    std::vector<double> x;
    for (std::size_t k = 0; k < steps.size(); ++k) x.push_back(path[k][0]);
    return x;
  };
  const auto level = [&steps](double v) { return std::vector<double>(steps.size(), v); };
  char global_label[64], barrier_label[64], local_label[64];
  std::snprintf(global_label, sizeof global_label, "global minimum x = %.4f", global);
  std::snprintf(barrier_label, sizeof barrier_label, "barrier (local maximum) x = %.4f", barrier);
  std::snprintf(local_label, sizeof local_label, "local minimum x = %.4f", local);
  report(tg::plot::lines(dir + "/landscapes_double_well", "x⁴ − 2x² + 0.5x from x = 1.5, lr 0.02", "step", "x",
                         {{"SGD(lr=0.02)", steps, column(gd_path)},
                          {"SGD(lr=0.02, momentum=0.9)", steps, column(momentum_path)},
                          {local_label, steps, level(local)},
                          {barrier_label, steps, level(barrier)},
                          {global_label, steps, level(global)}}),
         dir + "/landscapes_double_well");

  std::vector<double> xs, fx;
  for (int k = 0; k <= 160; ++k) {
    xs.push_back(-1.6 + 3.2 * k / 160.0);
    fx.push_back(loss_at(f, {xs.back()}));
  }
  const auto iterates = [&f](const Path& path, int n) {
    tg::plot::Series s;
    for (int k = 0; k <= n; ++k) {
      s.x.push_back(path[static_cast<std::size_t>(k)][0]);
      s.y.push_back(loss_at(f, path[static_cast<std::size_t>(k)]));
    }
    return s;
  };
  tg::plot::Series gd_points = iterates(gd_path, 30), momentum_points = iterates(momentum_path, 30);
  gd_points.label = "SGD(lr=0.02): steps 0-30";
  momentum_points.label = "SGD(lr=0.02, momentum=0.9): steps 0-30";
  report(tg::plot::lines(dir + "/landscapes_double_well_f", "The double well f(x) = x⁴ − 2x² + 0.5x and the iterates",
                         "x", "f(x)", {{"f(x)", xs, fx}, gd_points, momentum_points}),
         dir + "/landscapes_double_well_f");
}

// ---------------------------------------------------------------------------------------------
// 3. The lesson's round bowl: (x − 3)² + (y + 2)² from (0, 0), 50 steps at lr 0.1, with its own
// update rules: plain GD, momentum as an average of gradients (v ← 0.9 v + 0.1 g, θ ← θ − lr v)
// and RMSprop with ε inside the root (s ← 0.9 s + 0.1 g², θ ← θ − lr g / √(s + 1e-8)).

int crossings_of(const Path& path, std::size_t coordinate, double value) {
  int n = 0;
  for (std::size_t k = 1; k < path.size(); ++k)
    if ((path[k - 1][coordinate] - value) * (path[k][coordinate] - value) < 0) ++n;
  return n;
}

void round_bowl(const std::string& dir) {
  const auto& f = tg::functions::get("quadratic");
  const std::vector<double> start = {0.0, 0.0};
  constexpr int kSteps = 50;

  tg::Tensor p_gd = parameter(start), p_momentum = parameter(start), p_rmsprop = parameter(start);
  tg::optim::SGD gd({p_gd}, {.lr = 0.1});
  tg::optim::MomentumEMA momentum({p_momentum}, {.lr = 0.1, .beta = 0.9});
  tg::optim::RMSpropEpsInside rmsprop({p_rmsprop}, {.lr = 0.1, .rho = 0.9, .eps = 1e-8});
  // Momentum first: drawn first, underneath GD, which moves along the same line.
  const std::vector<std::pair<const char*, Path>> runs = {
      {"momentum_ema(lr=0.1, beta=0.9)", descend(f, momentum, p_momentum, kSteps)},
      {"GD, SGD(lr=0.1)", descend(f, gd, p_gd, kSteps)},
      {"rmsprop_eps_inside(lr=0.1, rho=0.9)", descend(f, rmsprop, p_rmsprop, kSteps)},
  };

  std::printf("\n3. The lesson's round bowl: f(x, y) = %s from (0, 0), %d steps at lr 0.1; minimum at (3, -2)\n\n", f.formula.c_str(),
              kSteps);
  std::printf("   %-36s %-42s %s\n", "method", "final point", "final loss");
  for (const auto& [label, path] : runs) {
    const std::vector<double>& end = path.back();
    std::printf("   %-36s (%.16f, %.16f)  %.15e\n", label, end[0], end[1], loss_at(f, end));
  }
  std::printf("\n");
  for (const auto& [label, path] : runs) {
    double max_x = path[0][0];
    int at = 0;
    for (std::size_t k = 0; k < path.size(); ++k) {
      if (path[k][0] > max_x) {
        max_x = path[k][0];
        at = static_cast<int>(k);
      }
    }
    std::printf("   %-36s crosses x = 3: %d times, largest x %.4f (step %d), first step (%.4f, %.4f)\n", label,
                crossings_of(path, 0, 3.0), max_x, at, path[1][0], path[1][1]);
  }

  tg::plot::ContourPlot plot{
      .title = "A round bowl, (x − 3)² + (y + 2)² from (0, 0): 50 steps at lr 0.1",
      .window = {-0.5, 4.5, -3.0, 0.5},
      .f = surface(f),
      .markers = {{3.0, -2.0}},
      .trajectories = {},
      .levels = {0.05, 0.25, 0.5, 1, 2, 4, 6, 9, 13, 18},
  };
  for (const auto& [label, path] : runs) plot.trajectories.push_back({label, path});
  report(tg::plot::contour(dir + "/landscapes_bowl", plot), dir + "/landscapes_bowl");

  std::vector<tg::plot::Series> distances;
  for (const auto& [label, path] : runs) {
    tg::plot::Series s{label, {}, {}};
    for (std::size_t k = 0; k < path.size(); ++k) {
      s.x.push_back(static_cast<double>(k));
      s.y.push_back(std::hypot(path[k][0] - 3.0, path[k][1] + 2.0));
    }
    distances.push_back(s);
  }
  report(tg::plot::lines(dir + "/landscapes_bowl_distance", "A round bowl: distance to the minimum (3, −2), lr 0.1",
                         "step", "distance to (3, −2)", distances, /*log_y=*/true),
         dir + "/landscapes_bowl_distance");
}

// ---------------------------------------------------------------------------------------------
// 4. The terrain at a point, from the gradient and the Hessian's eigenvalues.

// The direction of an eigenvector as an angle in (-90°, 90°] (v and -v are the same line).
double line_angle_degrees(double vx, double vy) {
  double a = std::atan2(vy, vx) * 180.0 / kPi;
  if (a > 90.0) a -= 180.0;
  if (a <= -90.0) a += 180.0;
  return a;
}

void terrains(const std::string& dir) {
  struct Probe {
    const char* terrain;  // what the lesson calls it
    const char* function;
    std::vector<double> at;
  };
  const auto& himmelblau = tg::functions::get("himmelblau");
  std::vector<double> himmelblau_saddle, himmelblau_maximum;
  for (const auto& point : himmelblau.points) {
    if (point.kind == "saddle" && himmelblau_saddle.empty()) himmelblau_saddle = point.x;
    if (point.kind == "local maximum") himmelblau_maximum = point.x;
  }
  const std::vector<Probe> probes = {
      {"valley", "quadratic", {3.0, -2.0}},
      {"valley, tilted", "booth", {1.0, 3.0}},
      {"valley side", "quadratic", {0.0, 0.0}},
      {"ravine", "ravine", {0.0, 0.0}},
      {"ravine, extreme", "rosenbrock", {1.0, 1.0}},
      {"plateau", "easom", {0.0, 0.0}},
      {"saddle", "saddle", {0.0, 0.0}},
      {"saddle", "himmelblau", himmelblau_saddle},
      {"local maximum", "himmelblau", himmelblau_maximum},
  };

  std::printf("\n4. The terrain at a point: gradient and Hessian eigenvalues (tg::analyze_terrain)\n\n");
  std::vector<std::string> reasons;
  std::printf("   %-16s %-11s %-17s %-11s %-10s %-27s %-10s %s\n", "lesson's name", "function", "point", "f", "|grad|",
              "eigenvalues", "cond", "verdict");
  for (const Probe& probe : probes) {
    const auto& f = tg::functions::get(probe.function);
    const tg::Terrain t = tg::analyze_terrain(f.value, tg::tensor(probe.at, tg::Shape{2}));
    char point[40], eig[40];
    std::snprintf(point, sizeof point, "(%.4g, %.4g)", probe.at[0], probe.at[1]);
    std::snprintf(eig, sizeof eig, "(%.5g, %.5g)", t.eigenvalues[0], t.eigenvalues[1]);
    std::printf("   %-16s %-11s %-17s %-11.4g %-10.2g %-27s %-10.4g %s\n", probe.terrain, probe.function, point, t.value,
                t.gradient_norm, eig, t.condition_number, t.kind.c_str());
    reasons.push_back(std::string(probe.function) + " " + point + ": " + t.reason);
  }
  std::printf("\n   why:\n");
  for (const std::string& reason : reasons) std::printf("   %s\n", reason.c_str());

  // The canal: Rosenbrock's curved floor y = x². At each point of the floor the terrain is a
  // ravine, but its soft direction (the eigenvector of the smallest eigenvalue) turns with
  // the floor's tangent, atan(2x).
  const auto& rosenbrock = tg::functions::get("rosenbrock");
  std::printf("\n   A canal: Rosenbrock's floor y = x^2 (minimum at (1, 1))\n");
  std::printf("   %-14s %-24s %-10s %-8s %-22s %s\n", "point", "eigenvalues", "cond", "verdict", "soft direction",
              "floor tangent");
  std::vector<tg::plot::Trajectory> soft_directions;
  for (const double x : {-1.0, 0.0, 0.5}) {
    const tg::Terrain t = tg::analyze_terrain(rosenbrock.value, tg::tensor({x, x * x}, tg::Shape{2}));
    const double vx = t.eigenvectors.at({0, 0}), vy = t.eigenvectors.at({1, 0});
    const double angle = line_angle_degrees(vx, vy), tangent = std::atan(2 * x) * 180.0 / kPi;
    char point[32], eig[40];
    std::snprintf(point, sizeof point, "(%g, %g)", x, x * x);
    std::snprintf(eig, sizeof eig, "(%.5g, %.5g)", t.eigenvalues[0], t.eigenvalues[1]);
    std::printf("   %-14s %-24s %-10.4g %-8s %6.2f deg              %6.2f deg\n", point, eig, t.condition_number,
                t.kind.c_str(), angle, tangent);
    // A segment from the point along the soft direction, pointing towards the minimum.
    const double length = 0.6, ux = std::cos(angle * kPi / 180.0), uy = std::sin(angle * kPi / 180.0);
    char label[64];
    std::snprintf(label, sizeof label, "at (%g, %g): soft direction %.1f°", x, x * x, angle);
    soft_directions.push_back({label, {{x, x * x}, {x + length * ux, x * x + length * uy}}});
  }

  tg::plot::ContourPlot plot{
      .title = "A canal: along Rosenbrock's curved floor y = x² the soft direction turns",
      .window = {-2.0, 2.0, -1.0, 3.0},
      .f = surface(rosenbrock),
      .log_scale = true,
      .markers = {{1.0, 1.0}},
      .trajectories = soft_directions,
      .levels = {0.5, 2, 10, 50, 200, 1000},
  };
  report(tg::plot::contour(dir + "/landscapes_canal", plot), dir + "/landscapes_canal");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: landscapes [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    ravine(dir);
    double_well(dir);
    round_bowl(dir);
    terrains(dir);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "landscapes: %s\n", e.what());
    return 1;
  }
  return 0;
}
