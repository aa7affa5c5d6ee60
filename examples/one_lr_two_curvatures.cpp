// One learning rate cannot serve two curvatures (seed 004, Concept 5), measured on the
// lesson's L(x, y) = x² + 15y² (tg::functions::get("ravine15")):
//
//   1. gradient descent multiplies x by 1 − 2η and y by 1 − 30η per step: x is fastest at
//      η = 1/2, y at η = 1/30, and y diverges for η > 2/30, where x has barely started;
//   2. a sweep of η from 0.001 to 3: the steps x alone and y alone need to reach the tolerance,
//      and the same for the per-parameter fixes — a parameter group (η for x, η/15 for y),
//      AdaGrad and RMSprop — all on one picture.
//
// Every run starts at (1, 1). "Steps to tolerance" along a coordinate: the first step after
// which |x| (or |y|) stays below 0.01 — 1% of the start — up to the last of 20000 steps.
//
//   one_lr_two_curvatures [DIR]   writes DIR/one_lr_two_curvatures.png (and .svg, .gp, _*.dat);
//                                 DIR defaults to the current directory and must exist.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

constexpr double kTolerance = 0.01;
constexpr int kMaxSteps = 20000;

// What happened along one coordinate.
struct Coordinate {
  int steps = -1;         // steps to tolerance, -1 if it never stays below it
  bool diverged = false;  // |coordinate| above 1e6 or not finite
};

struct Outcome {
  Coordinate x, y;
  // Steps until both coordinates are within the tolerance, -1 if one never is.
  int both() const { return x.steps < 0 || y.steps < 0 ? -1 : std::max(x.steps, y.steps); }
};

// One run: `make` builds the parameters (x, y as one tensor or two) and the optimizer; `read`
// gives the current (x, y).
struct Run {
  std::vector<tg::Tensor> parameters;
  std::unique_ptr<tg::optim::Optimizer> optimizer;
  std::function<tg::Tensor()> point;  // (x, y) as one (2,) tensor, recorded
};

Outcome descend(const Run& run) {
  const tg::functions::TestFunction& f = tg::functions::get("ravine15");
  Outcome out;
  Coordinate* coordinates[2] = {&out.x, &out.y};
  for (int step = 1; step <= kMaxSteps; ++step) {
    run.optimizer->zero_grad();
    f(run.point()).backward();
    run.optimizer->step();
    std::vector<double> p;
    {
      tg::NoGradGuard no_grad;
      p = run.point().to_vector();
    }
    bool done = true;  // every coordinate diverged or exactly at 0, a fixed point of every method here
    for (int i = 0; i < 2; ++i) {
      Coordinate& c = *coordinates[i];
      if (c.diverged) continue;
      const double a = std::fabs(p[static_cast<std::size_t>(i)]);
      if (!std::isfinite(a) || a > 1e6) {
        c.diverged = true;
        c.steps = -1;
        continue;
      }
      if (a >= kTolerance) c.steps = -1;
      else if (c.steps < 0) c.steps = step;
      done = done && a == 0.0;
    }
    if (done) break;
  }
  return out;
}

tg::Tensor start() { return tg::tensor({1.0, 1.0}, /*requires_grad=*/true); }

Outcome one_lr(double lr) {
  Run run;
  run.parameters = {start()};
  run.optimizer = std::make_unique<tg::optim::SGD>(run.parameters, tg::optim::SGDOptions{.lr = lr});
  run.point = [p = run.parameters[0]] { return p; };
  return descend(run);
}

// A parameter group per coordinate: η for x, η·2/30 = η/15 for y — each step matched to its
// curvature, so that y shrinks by 1 − 30·η/15 = 1 − 2η, exactly as x does.
Outcome groups(double lr) {
  Run run;
  const tg::Tensor x = tg::tensor({1.0}, true), y = tg::tensor({1.0}, true);
  run.parameters = {x, y};
  run.optimizer = std::make_unique<tg::optim::SGD>(
      std::vector<tg::optim::SGD::ParamGroup>{{{x}, {.lr = lr}}, {{y}, {.lr = lr / 15.0}}});
  run.point = [x, y] { return tg::concat({x, y}); };
  return descend(run);
}

Outcome adagrad(double lr) {
  Run run;
  run.parameters = {start()};
  run.optimizer = std::make_unique<tg::optim::Adagrad>(run.parameters, tg::optim::AdagradOptions{.lr = lr});
  run.point = [p = run.parameters[0]] { return p; };
  return descend(run);
}

Outcome rmsprop(double lr) {
  Run run;
  run.parameters = {start()};
  run.optimizer = std::make_unique<tg::optim::RMSprop>(run.parameters, tg::optim::RMSpropOptions{.lr = lr});
  run.point = [p = run.parameters[0]] { return p; };
  return descend(run);
}

std::string steps(const Coordinate& c) {
  if (c.diverged) return "diverges";
  if (c.steps < 0) return "never";
  return std::to_string(c.steps);
}

std::string steps(int n) { return n < 0 ? "never" : std::to_string(n); }

double plotted(int n) { return n < 0 ? NAN : static_cast<double>(n); }

// printf into a line, printed without its trailing blanks.
template <class... Args>
void line(const char* format, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, args...);
  std::string text = buffer;
  text.erase(text.find_last_not_of(' ') + 1);
  std::printf("%s\n", text.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: one_lr_two_curvatures [DIR]   (DIR: where the picture goes, default .)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    const tg::functions::TestFunction& f = tg::functions::get("ravine15");
    const tg::Tensor h = tg::hessian(f.value, f.start());
    std::printf("L(x, y) = %s from (1, 1); Hessian diag(%g, %g): curvature %g along x, %g along y\n", f.formula.c_str(),
                h.at({0, 0}), h.at({1, 1}), h.at({0, 0}), h.at({1, 1}));
    std::printf("Gradient descent: x <- (1 - %g lr) x, y <- (1 - %g lr) y\n", h.at({0, 0}), h.at({1, 1}));
    std::printf("  fastest for x: lr = 1/%g = %g (one step); fastest for y: lr = 1/%g = %.6f (one step)\n",
                h.at({0, 0}), 1.0 / h.at({0, 0}), h.at({1, 1}), 1.0 / h.at({1, 1}));
    std::printf(
        "  y diverges for lr > 2/%g = %.6f; best one lr for both: |1 - 2 lr| = |1 - 30 lr| at lr = 2/32 = "
        "0.0625 (x and y shrink by 0.875 per step)\n\n",
        h.at({1, 1}), 2.0 / h.at({1, 1}));

    // 1. Gradient descent at chosen learning rates.
    std::printf("1. Steps until |x| and |y| stay below %g (at most %d steps), one learning rate for both\n\n",
                kTolerance, kMaxSteps);
    line("   %-10s %-10s %-10s %-10s", "lr", "x alone", "y alone", "both");
    const std::vector<std::pair<double, const char*>> chosen = {{0.001, "crawls in both"},
                                                                {0.01, ""},
                                                                {1.0 / 30, "= 1/30: y in one step"},
                                                                {0.0625, "= 1/16: the best single lr"},
                                                                {0.066, "just below 2/30"},
                                                                {2.0 / 30, "= 2/30: y bounces between +1 and -1"},
                                                                {0.07, ""},
                                                                {0.1, ""},
                                                                {0.5, "= 1/2: x in one step"},
                                                                {0.9, ""}};
    for (const auto& [lr, note] : chosen) {
      const Outcome o = one_lr(lr);
      line("   %-10.6g %-10s %-10s %-10s %s", lr, steps(o.x).c_str(), steps(o.y).c_str(),
           (o.y.diverged || o.x.diverged ? std::string("diverges") : steps(o.both())).c_str(), note);
    }

    // 2. The sweep: 20 learning rates per decade from 0.001 to 3.16, with 1/30, 1/16 and 1/2.
    std::vector<double> lrs;
    for (int k = 0; k <= 70; ++k) lrs.push_back(std::pow(10.0, -3.0 + k / 20.0));
    for (const double special : {1.0 / 30, 0.0625, 0.5}) lrs.push_back(special);
    std::sort(lrs.begin(), lrs.end());

    tg::plot::Series gd_x{"one lr, x alone", {}, {}}, gd_y{"one lr, y alone", {}, {}};
    tg::plot::Series group{"group: lr for x, lr/15 for y", {}, {}};
    tg::plot::Series ada{"AdaGrad", {}, {}}, rms{"RMSprop", {}, {}};
    struct Best {
      double lr = NAN;
      int steps = -1;
      void offer(double l, int s) {
        if (s > 0 && (steps < 0 || s < steps)) {
          lr = l;
          steps = s;
        }
      }
    } best_x, best_y, best_both, best_group, best_ada, best_rms;
    int unequal = 0;  // runs of a fix whose x and y counts differ
    std::size_t index = 0;  // of the learning rate in the sweep
    for (const double lr : lrs) {
      const Outcome g = one_lr(lr), pg = groups(lr), a = adagrad(lr), r = rmsprop(lr);
      gd_x.x.push_back(lr);
      gd_x.y.push_back(plotted(g.x.steps));
      gd_y.x.push_back(lr);
      gd_y.y.push_back(plotted(g.y.steps));
      if (index++ % 2 == 0) {  // every other one: drawn as dots on the line of x alone
        group.x.push_back(lr);
        group.y.push_back(plotted(pg.both()));
      }
      ada.x.push_back(lr);
      ada.y.push_back(plotted(a.both()));
      rms.x.push_back(lr);
      rms.y.push_back(plotted(r.both()));
      best_x.offer(lr, g.x.steps);
      best_y.offer(lr, g.y.steps);
      best_both.offer(lr, g.both());
      best_group.offer(lr, pg.both());
      best_ada.offer(lr, a.both());
      best_rms.offer(lr, r.both());
      for (const Outcome* o : {&pg, &a, &r}) unequal += o->x.steps != o->y.steps;
    }
    const int stable_y =
        static_cast<int>(std::count_if(gd_y.y.begin(), gd_y.y.end(), [](double v) { return !std::isnan(v); }));
    double last_stable_y = 0;
    for (std::size_t k = 0; k < lrs.size(); ++k)
      if (!std::isnan(gd_y.y[k])) last_stable_y = lrs[k];

    std::printf("\n2. Sweep: %zu learning rates from 0.001 to 3.16 (20 per decade, and 1/30, 1/16, 1/2)\n\n",
                lrs.size());
    line("   %-58s %-12s %s", "", "best lr", "steps");
    std::printf("   %-58s %-12.6g %d\n", "one lr, x alone", best_x.lr, best_x.steps);
    std::printf("   %-58s %-12.6g %d\n", "one lr, y alone", best_y.lr, best_y.steps);
    std::printf("   %-58s %-12.6g %d\n", "one lr, x and y", best_both.lr, best_both.steps);
    std::printf("   %-58s %-12.6g %d\n", "parameter group (lr for x, lr/15 for y), x and y", best_group.lr,
                best_group.steps);
    std::printf("   %-58s %-12.6g %d\n", "AdaGrad, x and y", best_ada.lr, best_ada.steps);
    std::printf("   %-58s %-12.6g %d\n", "RMSprop, x and y", best_rms.lr, best_rms.steps);
    std::printf(
        "\n   y reaches the tolerance at %d of the %zu learning rates, the largest %.4g; at lr = %g, best for x,\n"
        "   y is multiplied by %g per step.\n",
        stable_y, lrs.size(), last_stable_y, best_x.lr, 1 - 30 * best_x.lr);
    std::printf("   The fixes treat x and y alike: x and y need different numbers of steps in %d of their %zu runs.\n",
                unequal, 3 * lrs.size());

    std::printf("\n");
    line("   %-10s %-12s %-12s %-12s %-12s %s", "lr", "group x", "group y", "AdaGrad x", "AdaGrad y", "RMSprop x/y");
    for (const double lr : {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 2.0}) {
      const Outcome pg = groups(lr), a = adagrad(lr), r = rmsprop(lr);
      std::printf("   %-10g %-12s %-12s %-12s %-12s %s/%s\n", lr, steps(pg.x).c_str(), steps(pg.y).c_str(),
                  steps(a.x).c_str(), steps(a.y).c_str(), steps(r.x).c_str(), steps(r.y).c_str());
    }

    // The picture: steps to tolerance against lr, log-log; a vertical line at 2/30. The group's
    // dots come first, so that the line of x alone, which they lie on, is drawn over them.
    const tg::plot::Series limit{"lr = 2/30", {2.0 / 30, 2.0 / 30}, {1.0, 2.0 * kMaxSteps}};
    const std::string base = dir + "/one_lr_two_curvatures";
    const bool drawn = tg::plot::lines(
        base, "x² + 15y² from (1, 1): steps until |x|, |y| < 0.01 (group, AdaGrad, RMSprop: both)", "learning rate lr",
        "steps to tolerance (no point: never)", {group, gd_x, gd_y, limit, ada, rms}, /*log_y=*/true,
        /*log_x=*/true);
    if (drawn) {
      std::printf("\n  wrote %s.png\n", base.c_str());
    } else {
      std::printf("\n  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(),
                  base.c_str(), base.c_str());
    }
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "one_lr_two_curvatures: %s\n", e.what());
    return 1;
  }
  return 0;
}
