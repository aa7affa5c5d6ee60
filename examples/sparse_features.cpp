// Sparse against dense features: why AdaGrad exists (docs/examples/sparse_features.md shows the
// output and the pictures).
//
// Linear regression y = m·x + b + noise where the feature x is 1 in a few percent of the rows
// and 0 in all the others (a word that occurs in few documents, a rarely seen category). The
// intercept b is used by every row, the slope m only by the rows where x ≠ 0, so the batch
// gradient of m is an average in which almost every term is zero: at the start it is 9 times
// smaller than b's, and the loss curves 22 times less along m. With one learning rate, gradient
// descent and momentum fix b first and reach the right m only much later; AdaGrad divides each
// parameter's step by the root of its own accumulated squared gradients, moves m and b at a
// similar rate, and arrives in fewer steps. RMSprop and Adam, which also scale per parameter,
// are run beside them. The data and the settings are chosen here (the lesson gives none).
//
//   sparse_features [DIR]   writes DIR/sparse_features_*.png (and .svg, .gp, _*.dat); DIR
//                           defaults to the current directory. Without gnuplot it prints how to
//                           install it and goes on.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

constexpr int kRows = 1000;
constexpr double kShare = 0.05;     // probability that a row has x = 1
constexpr double kTrueM = 3.0, kTrueB = 2.0, kNoise = 0.5;
constexpr double kTolerance = 1e-3;  // "converged": both within this of the least-squares (m, b)
constexpr int kMaxSteps = 20000;

using Options = tg::optim::OptionList;  // {name, value} pairs
using Path = std::vector<std::vector<double>>;  // (m, b) after each step, the start first

struct Problem {
  tg::Tensor x, y;
  double m_hat = 0, b_hat = 0;                          // least squares
  double sx = 0, sxx = 0, sy = 0, sxy = 0, syy = 0;     // means of x, x², y, xy, y²
  // The loss as a plain number, from the means: L(m, b) = mean((m·x + b − y)²).
  double loss(double m, double b) const {
    return m * m * sxx + b * b + syy + 2 * m * b * sx - 2 * m * sxy - 2 * b * sy;
  }
};

struct Run {
  std::string label;
  Path path;
  std::vector<double> lr_m, lr_b;  // effective learning rates, step 1 first
  int converged = -1;              // first step from which both stay within kTolerance; -1: never
  int first_in = -1, first_out = -1;  // the first step within kTolerance, the first after it outside
  bool diverged = false;
};

void report(bool drawn, const std::string& base) {
  if (drawn) std::printf("  wrote %s.png\n", base.c_str());
  else std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(), base.c_str());
}

std::string describe(const std::string& name, const Options& options) {
  std::string s = (name == "sgd" ? "SGD" : name == "adagrad" ? "Adagrad" : name == "rmsprop" ? "RMSprop" : "Adam") + std::string("(");
  for (std::size_t i = 0; i < options.size(); ++i) s += (i ? ", " : "") + options[i].first + "=" + options[i].second;
  return s + ")";
}

// Full-batch steps of optimizer `name` from (m, b) = (0, 0).
Run train(const Problem& p, const std::string& name, const Options& options, int steps, bool track = false) {
  tg::Tensor m = tg::zeros({1}, true), b = tg::zeros({1}, true);
  auto opt = tg::optim::make_optimizer(name, {m, b}, options);
  opt->track_step_sizes(track);
  Run run;
  run.label = describe(name, options);
  run.path = {{0.0, 0.0}};
  for (int step = 1; step <= steps; ++step) {
    opt->zero_grad();
    (m * p.x + b - p.y).square().mean().backward();
    opt->step();
    const double mv = m.item(), bv = b.item();
    if (!std::isfinite(mv) || !std::isfinite(bv) || std::abs(mv) + std::abs(bv) > 1e6) {
      run.diverged = true;
      run.converged = -1;
      return run;
    }
    run.path.push_back({mv, bv});
    if (track) {
      const std::vector<tg::Tensor> sizes = opt->step_sizes();
      run.lr_m.push_back(sizes[0].item());
      run.lr_b.push_back(sizes[1].item());
    }
    const bool inside = std::abs(mv - p.m_hat) < kTolerance && std::abs(bv - p.b_hat) < kTolerance;
    if (!inside) run.converged = -1;
    else if (run.converged < 0) run.converged = step;
    if (inside && run.first_in < 0) run.first_in = step;
    if (!inside && run.first_in > 0 && run.first_out < 0) run.first_out = step;
  }
  // Settling means staying for at least the second half of the run: Adam with a constant lr
  // keeps entering and leaving the tolerance, and may happen to be inside at the end.
  if (run.converged > steps / 2) run.converged = -1;
  return run;
}

// The share of the way from the start (0, 0) to the least-squares value that coordinate i has
// covered after `step` steps.
double share(const Problem& p, const Run& r, std::size_t step, int i) {
  return r.path[std::min(step, r.path.size() - 1)][i] / (i == 0 ? p.m_hat : p.b_hat);
}

// The first step after which coordinate i has covered 90% of the way to its least-squares value.
int ninety_percent(const Problem& p, const Run& r, int i) {
  for (std::size_t k = 0; k < r.path.size(); ++k)
    if (share(p, r, k, i) >= 0.9) return static_cast<int>(k);
  return -1;
}

std::string steps_text(const Run& r) {
  if (r.diverged) return "diverges";
  if (r.converged < 0) return "does not settle";
  return std::to_string(r.converged);
}

Problem make_problem() {
  // NumPy's generator: np.random.seed(0); u = np.random.uniform(0, 1, 1000);
  // noise = np.random.normal(0, 0.5, 1000) gives the same data.
  tg::manual_seed(0);
  const tg::Tensor u = tg::uniform({kRows}, 0.0, 1.0);
  Problem p;
  std::vector<double> x = u.to_vector();
  for (double& v : x) v = v < kShare ? 1.0 : 0.0;
  p.x = tg::tensor(x, tg::Shape{kRows});
  p.y = kTrueM * p.x + kTrueB + tg::normal({kRows}, 0.0, kNoise);
  p.sx = p.x.mean().item();
  p.sxx = p.x.square().mean().item();
  p.sy = p.y.mean().item();
  p.sxy = (p.x * p.y).mean().item();
  p.syy = p.y.square().mean().item();
  p.m_hat = (p.sxy - p.sx * p.sy) / (p.sxx - p.sx * p.sx);
  p.b_hat = p.sy - p.m_hat * p.sx;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: sparse_features [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    std::filesystem::create_directories(dir);
    const Problem p = make_problem();
    const double nonzero = p.x.sum().item();

    std::printf("Sparse and dense features: y = m*x + b + noise, fitted by full-batch steps from (m, b) = (0, 0)\n\n");
    std::printf("Data: %d rows, y = %g*x + %g + N(0, %g^2); x = 1 in %.0f rows (%.1f %%), 0 in the others (seed 0)\n",
                kRows, kTrueM, kTrueB, kNoise, nonzero, 100 * nonzero / kRows);
    std::printf("Least squares: m^ = %.6f, b^ = %.6f, loss %.6f\n", p.m_hat, p.b_hat, p.loss(p.m_hat, p.b_hat));
    // The gradient at the start: dL/dm = 2·mean(x·r), dL/db = 2·mean(r), r = m·x + b − y.
    const double gm = -2 * p.sxy, gb = -2 * p.sy;
    std::printf("Gradient at (0, 0): dL/dm = %.4f (only the %.0f rows with x = 1 contribute), dL/db = %.4f (every row): "
                "ratio %.1f\n",
                gm, nonzero, gb, gb / gm);
    const double hmm = 2 * p.sxx, hmb = 2 * p.sx, hbb = 2.0;
    const double mid = (hmm + hbb) / 2, half = std::sqrt((hmm - hbb) * (hmm - hbb) / 4 + hmb * hmb);
    std::printf("Hessian 2*[[mean x^2, mean x], [mean x, 1]] = [[%.4f, %.4f], [%.4f, %.4f]], eigenvalues %.4f and %.4f "
                "(ratio %.1f)\n",
                hmm, hmb, hmb, hbb, mid - half, mid + half, (mid + half) / (mid - half));

    // ---- 1. The paths, at one setting each ----
    struct Setting {
      std::string name;
      Options options;
    };
    const std::vector<Setting> settings = {
        {"sgd", {{"lr", "0.5"}}},
        {"sgd", {{"lr", "0.05"}, {"momentum", "0.9"}}},
        {"adagrad", {{"lr", "1"}}},
        {"rmsprop", {{"lr", "0.01"}}},
        {"adam", {{"lr", "0.1"}}},
    };
    std::vector<Run> runs;
    for (const Setting& s : settings) runs.push_back(train(p, s.name, s.options, kMaxSteps, /*track=*/true));

    std::printf("\n1. The paths from (0, 0). Share of the way to m^ and to b^ covered after a step (1 = arrived):\n\n");
    std::printf("   %-28s %-14s %-14s %-14s %-14s %-15s %s\n", "method", "step 1", "step 3", "step 10", "step 30",
                "90% first", "within 1e-3");
    std::printf("   %-28s %-14s %-14s %-14s %-14s %-15s %s\n", "", "  m     b", "  m     b", "  m     b", "  m     b",
                "  m     b", "for good");
    for (const Run& r : runs) {
      std::printf("   %-28s", r.label.c_str());
      for (std::size_t k : {1, 3, 10, 30}) std::printf(" %5.2f %5.2f   ", share(p, r, k, 0), share(p, r, k, 1));
      std::printf(" %4d  %4d      %s\n", ninety_percent(p, r, 0), ninety_percent(p, r, 1), steps_text(r).c_str());
    }
    std::printf("   (\"90%% first\": the first step after which the parameter has covered 90%% of its way;\n"
                "   \"within 1e-3 for good\": the step from which both stay within 1e-3 of (m^, b^) to the end of\n"
                "   a %d-step run, arriving in its first half)\n",
                kMaxSteps);

    // ---- 2. The effective learning rate of each parameter ----
    std::printf("\n2. Effective learning rate of m and of b, (value before - value after) / gradient (step_sizes()):\n\n");
    std::printf("   %-28s %-26s %-26s %-26s %s\n", "method", "step 1", "step 10", "step 30", "step 100");
    std::printf("   %-28s %-26s %-26s %-26s %s\n", "", "      m        b    m/b", "      m        b    m/b",
                "      m        b    m/b", "      m        b    m/b");
    for (const Run& r : runs) {
      std::printf("   %-28s", r.label.c_str());
      for (std::size_t k : {1, 10, 30, 100}) {
        const double lm = r.lr_m[k - 1], lb = r.lr_b[k - 1];
        std::printf(" %8.4g %8.4g %6.3g  ", lm, lb, lm / lb);
      }
      std::printf("\n");
    }

    // ---- 3. Steps to the tolerance at each optimizer's best learning rate ----
    struct Grid {
      std::string name, label;
      std::vector<std::string> momenta;  // empty: no momentum option
      std::vector<std::string> lrs;
    };
    const std::vector<Grid> grids = {
        {"sgd", "gradient descent", {}, {"0.1", "0.3", "0.5", "0.7", "0.9", "0.95", "1"}},
        {"sgd", "momentum", {"0.5", "0.7", "0.9"}, {"0.05", "0.1", "0.2", "0.5", "0.7", "1"}},
        {"adagrad", "Adagrad", {}, {"0.1", "0.3", "1", "2", "3", "5", "10"}},
        {"rmsprop", "RMSprop", {}, {"0.0003", "0.001", "0.003", "0.01", "0.03"}},
        {"adam", "Adam", {}, {"0.003", "0.01", "0.03", "0.1", "0.3"}},
    };
    std::printf("\n3. Steps until m and b stay within %g of (m^, b^), at the best learning rate of a grid\n\n", kTolerance);
    std::printf("   %-18s %-56s %-26s %s\n", "method", "grid", "best", "steps");
    for (const Grid& g : grids) {
      std::string grid = "lr";
      for (std::size_t i = 0; i < g.lrs.size(); ++i) grid += (i ? ", " : " ") + g.lrs[i];
      const std::vector<std::string>& momenta = g.momenta;
      if (!momenta.empty()) grid += "; momentum " + momenta.front() + ", " + momenta[1] + ", " + momenta.back();
      Run best;
      std::string best_label = "none settles";
      const std::vector<std::string> ms = momenta.empty() ? std::vector<std::string>{""} : momenta;
      for (const std::string& mu : ms) {
        for (const std::string& lr : g.lrs) {
          Options o{{"lr", lr}};
          if (!mu.empty()) o.emplace_back("momentum", mu);
          const Run r = train(p, g.name, o, kMaxSteps);
          if (r.converged > 0 && (best.converged < 0 || r.converged < best.converged)) {
            best = r;
            best_label = r.label;
          }
        }
      }
      std::printf("   %-18s %-56s %-26s %s\n", g.label.c_str(), grid.c_str(), best_label.c_str(),
                  best.converged > 0 ? std::to_string(best.converged).c_str() : "-");
    }
    std::printf("   (settled: within %g from that step to the end of a %d-step run, arriving in its first half)\n",
                kTolerance, kMaxSteps);

    // Adam with a constant lr gets there early, and leaves again: once the gradients are tiny,
    // its second moment v decays (beta2 = 0.999) and the step sizes grow back.
    std::printf("\n   Adam with a constant lr: the first step within %g of (m^, b^), and the first step after it outside\n", kTolerance);
    for (const std::string& lr : grids.back().lrs) {
      const Run r = train(p, "adam", {{"lr", lr}}, kMaxSteps);
      std::printf("   %-28s first within: %5d   outside again: %s\n", r.label.c_str(), r.first_in,
                  r.first_out > 0 ? std::to_string(r.first_out).c_str() : "never");
    }

    // ---- The pictures ----
    std::printf("\n");
    constexpr std::size_t kDrawn = 40;  // steps drawn (each one a dot on the map)
    const auto head = [](const Run& r, std::size_t n) { return Path(r.path.begin(), r.path.begin() + static_cast<long>(n) + 1); };
    const double l_hat = p.loss(p.m_hat, p.b_hat);
    tg::plot::ContourPlot map{
        .title = "Contours of L(m, b) − min L; x ≠ 0 in 4.5 % of the rows. The first 40 steps from (0, 0)",
        .window = {-0.5, 4.0, -0.5, 4.0},
        .f = [&p, l_hat](double m, double b) { return p.loss(m, b) - l_hat; },
        .markers = {{p.m_hat, p.b_hat}},
        .trajectories = {},
        .xlabel = "m (weight of the sparse feature)",
        .ylabel = "b (intercept, used by every row)",
        .levels = {0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10},
        .marker_label = "least squares",
    };
    // Adagrad first: the first path is drawn widest.
    for (std::size_t i : {2, 0, 1}) map.trajectories.push_back({runs[i].label, head(runs[i], kDrawn)});
    report(tg::plot::contour(dir + "/sparse_features_paths", map), dir + "/sparse_features_paths");

    tg::plot::ContourPlot adaptive = map;
    adaptive.title = "The same map: the three adaptive methods, first 40 steps";
    adaptive.trajectories.clear();
    for (std::size_t i : {2, 3, 4}) adaptive.trajectories.push_back({runs[i].label, head(runs[i], kDrawn)});
    report(tg::plot::contour(dir + "/sparse_features_adaptive", adaptive), dir + "/sparse_features_adaptive");

    std::vector<tg::plot::Series> shares;
    for (std::size_t i : {0, 1, 2}) {
      for (int c = 0; c < 2; ++c) {
        tg::plot::Series s{runs[i].label + (c == 0 ? ": m" : ": b"), {}, {}};
        for (std::size_t k = 0; k <= 60; ++k) {
          s.x.push_back(static_cast<double>(k));
          s.y.push_back(share(p, runs[i], k, c));
        }
        shares.push_back(s);
      }
    }
    report(tg::plot::lines(dir + "/sparse_features_share", "Share of the way from 0 to the least-squares value", "step",
                           "share of the way (1 = arrived)", shares),
           dir + "/sparse_features_share");

    // Gradient descent's rate is lr for both; Adagrad's and RMSprop's are their lr over the root
    // of each parameter's own (accumulated, averaged) squared gradients. Momentum's and Adam's
    // ratios mix in the velocity (they pass through ±infinity where the gradient changes sign),
    // so they are printed above but not drawn.
    std::vector<tg::plot::Series> rates;
    for (std::size_t i : {2, 3}) {
      for (int c = 0; c < 2; ++c) {
        tg::plot::Series s{runs[i].label + (c == 0 ? ": m" : ": b"), {}, {}};
        for (std::size_t k = 1; k <= 100; ++k) {
          s.x.push_back(static_cast<double>(k));
          s.y.push_back(c == 0 ? runs[i].lr_m[k - 1] : runs[i].lr_b[k - 1]);
        }
        rates.push_back(s);
      }
    }
    tg::plot::Series gd{runs[0].label + ": m and b", {}, {}};
    for (std::size_t k = 1; k <= 100; ++k) {
      gd.x.push_back(static_cast<double>(k));
      gd.y.push_back(runs[0].lr_m[k - 1]);
    }
    rates.push_back(gd);
    report(tg::plot::lines(dir + "/sparse_features_effective_lr", "Effective learning rate of each parameter", "step",
                           "(value before − value after) / gradient", rates, /*log_y=*/true),
           dir + "/sparse_features_effective_lr");
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "sparse_features: %s\n", e.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "sparse_features: %s\n", e.what());
    return 1;
  }
  return 0;
}
