// A tour of tg::functions (a function's metadata, its gradient, Hessian and terrain), then four
// landscapes drawn with tg::plot::contour: plain gradient descent at the function's sgd_lr from
// each of its start points, the known stationary points as stars, and what analyze_terrain says
// where each run ends; and the same runs on each function's surface, beside its contour map
// (tg::plot::surface_beside_contour). docs/functions.md shows the output and the pictures.
//
//   function_gallery [DIR]    writes DIR/himmelblau.png, DIR/himmelblau_surface.png, .svg, .gp,
//                             _*.dat, ... (DIR is created)
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace fn = tg::functions;

constexpr int kSteps = 200;

// The registry, the gradient, the Hessian and the terrain: the code docs/functions.md shows.
void tour() {
  const fn::TestFunction& f = fn::get("rosenbrock");
  const tg::Tensor x = f.start("(-1.2,1)");
  std::cout << f.name << ": " << f.formula << ", global minimum " << f.points[0].value << " at (" << f.points[0].x[0]
            << ", " << f.points[0].x[1] << ")\n";
  std::cout << "f(x)       = " << f(x).item() << " at x = " << x << "\n";
  std::cout << "gradient   = " << tg::gradient(f.value, x) << "\n";
  std::cout << "hessian    =\n" << tg::hessian(f.value, x) << "\n";
  const tg::Terrain t = tg::analyze_terrain(f.value, tg::tensor({1.0, 1.0}));
  std::cout << "at (1, 1): " << t.kind << ", eigenvalues " << t.eigenvalues[0] << " and " << t.eigenvalues[1]
            << ", condition number " << t.condition_number << "\n  " << t.reason << "\n";
  const fn::TestFunction r5 = fn::make("rastrigin", 5);
  std::cout << r5.name << ": " << r5.formula << ", f(start) = " << r5(r5.start()).item() << "\n\n";
}

// kSteps of x <- x - lr * grad f(x) from `start`, every iterate kept.
tg::plot::Trajectory descend(const fn::TestFunction& f, const std::string& label, const std::vector<double>& start) {
  tg::plot::Trajectory path{"from " + label, {start}};
  tg::Tensor x = tg::tensor(start, f.shape);
  for (int k = 0; k < kSteps; ++k) {
    const tg::Tensor g = tg::gradient(f.value, x);
    x = x - f.sgd_lr * g;
    path.points.push_back(x.to_vector());
  }
  return path;
}

void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("  wrote %s.png and %s.svg\n", base.c_str(), base.c_str());
  } else {
    std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

void draw(const fn::TestFunction& f, const std::string& dir) {
  tg::plot::ContourPlot plot{
      .title = f.name + ": " + std::to_string(kSteps) + " steps of gradient descent",
      .window = f.window,
      .f =
          [&f](double x, double y) {
            tg::NoGradGuard no_grad;
            return f(tg::tensor({x, y})).item();
          },
      .log_scale = f.log_scale,
      .resolution = 120,
      .marker_label = "stationary points",
  };
  for (const fn::Point& p : f.points) plot.markers.push_back(p.x);
  std::printf("%s: %s, lr %g\n", f.name.c_str(), f.formula.c_str(), f.sgd_lr);
  for (const auto& [label, start] : f.starts) {
    plot.trajectories.push_back(descend(f, label, start));
    const std::vector<double>& end = plot.trajectories.back().points.back();
    const tg::Terrain t = tg::analyze_terrain(f.value, tg::tensor(end, f.shape));
    std::printf("  from %-10s -> (%9.5f, %9.5f)  f = %-11.6g |grad| = %-9.2g %s\n", label.c_str(), end[0], end[1],
                t.value, t.gradient_norm, t.kind.c_str());
  }
  const std::string base = dir + "/" + f.name;
  report(tg::plot::contour(base, plot), base);
  // The surface view: the same runs lifted onto f, beside the contour map.
  report(tg::plot::surface_beside_contour(base + "_surface", plot), base + "_surface");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: function_gallery [DIR]\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    std::filesystem::create_directories(dir);
    tour();
    for (const char* name : {"himmelblau", "six_hump_camel", "matyas", "easom"}) draw(fn::get(name), dir);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "function_gallery: %s\n", e.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "function_gallery: %s\n", e.what());
    return 1;
  }
  return 0;
}
