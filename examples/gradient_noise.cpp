// Stochastic gradients: the noise of mini-batches, measured (docs/examples/gradient_noise.md
// shows the output and the pictures):
//
//   1. the variance of the mini-batch gradient around the full gradient falls as 1/B: linear
//      regression on the diabetes data (442 rows), B = 1 … 256, batches drawn without
//      replacement (a shuffled DataLoader) and with replacement, against the formulas
//      σ²/B·(N − B)/(N − 1) and σ²/B;
//   2. noise escapes a saddle: 128 rows whose losses average to x² − y² + c, started on the
//      saddle's stable manifold y = 0. Full-batch GD converges to the saddle, SGD on
//      mini-batches leaves it;
//   3. momentum as a low-pass filter: on a gentle slope with noisy mini-batch gradients, the
//      variance of the step with and without momentum under the same gradients, and the paths.
//
//   gradient_noise [DIR]   writes DIR/gradient_noise_*.png (and .svg, .gp, _*.dat); DIR defaults
//                          to the current directory and must exist. Without gnuplot it prints
//                          how to install it and goes on.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <tapegrad/tapegrad.hpp>
#include <vector>

namespace {

using Path = std::vector<std::vector<double>>;

void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("  wrote %s.png\n", base.c_str());
  } else {
    std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

// Least-squares slope of y against x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    mx += x[k];
    my += y[k];
  }
  mx /= static_cast<double>(x.size());
  my /= static_cast<double>(y.size());
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
  }
  return sxy / sxx;
}

double median(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// ---------------------------------------------------------------------------------------------
// 1. The variance of the mini-batch gradient. Linear regression ŷ = X·w + b on the diabetes data,
// features and target standardised, at the start of training (w = 0, b = 0). g is the gradient
// of the MSE on all N rows, g_B the gradient on a batch of B rows; the variance is
// E‖g_B − g‖² (the sum over the 11 parameters). With σ² = (1/N)·Σ‖g_i − g‖² (g_i: one row's
// gradient), a batch of B rows drawn with replacement has variance σ²/B; B distinct rows (a
// shuffled loader, or np.random.choice(N, B, replace=False)) have σ²/B·(N − B)/(N − 1).

struct Regression {
  tg::data::Dataset data;
  tg::Tensor w = tg::zeros({10, 1}, /*requires_grad=*/true);
  tg::Tensor b = tg::zeros({1}, /*requires_grad=*/true);

  // The gradient of the MSE on these rows, (dL/dw, dL/db) as 11 numbers.
  std::vector<double> gradient(const tg::Tensor& X, const tg::Tensor& y) {
    w.zero_grad();
    b.zero_grad();
    (X.matmul(w) + b - y).square().mean().backward();
    std::vector<double> g = w.grad().to_vector();
    g.push_back(b.grad().item());
    return g;
  }
};

double squared_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t k = 0; k < a.size(); ++k) s += (a[k] - b[k]) * (a[k] - b[k]);
  return s;
}

void variance_against_batch_size(const std::string& dir) {
  const tg::data::CsvData csv = tg::data::read_csv(tg::data::find_dataset("diabetes"));
  tg::data::StandardScaler x_scaler, y_scaler;
  Regression model{
      tg::data::Dataset(x_scaler.fit_transform(csv.dataset.X), y_scaler.fit_transform(csv.dataset.y.reshape({-1, 1})))};
  const int64_t n = model.data.size();
  const double N = static_cast<double>(n);
  constexpr int kBatches = 4000;  // batches drawn per batch size and sampling
  const std::vector<int> sizes = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  const std::vector<double> full = model.gradient(model.data.X, model.data.y);
  double sigma2 = 0;
  for (int64_t i = 0; i < n; ++i) {
    const tg::data::Dataset row = model.data.subset({i});
    sigma2 += squared_distance(model.gradient(row.X, row.y), full);
  }
  sigma2 /= N;
  double full_norm2 = 0;
  for (double v : full) full_norm2 += v * v;

  std::printf(
      "1. The variance of the mini-batch gradient: linear regression on diabetes (%lld rows, 10 features\n"
      "   and the target standardised), MSE, at w = 0, b = 0 (11 parameters)\n",
      static_cast<long long>(n));
  std::printf(
      "   full gradient g: |g|^2 = %.4f; one row's gradient around it: sigma^2 = (1/N) sum |g_i - g|^2 = %.4f\n",
      full_norm2, sigma2);
  std::printf("   variance = mean over %d batches of |g_B - g|^2\n\n", kBatches);
  std::printf("      B | without replacement (shuffled DataLoader)    | with replacement (B rows by randint)\n");
  std::printf("        | measured    sigma^2/B (N-B)/(N-1)  ratio    | measured    sigma^2/B     ratio\n");

  std::vector<double> log_b, log_without, log_with, log_formula;
  std::vector<double> ratios;
  for (const int B : sizes) {
    // Without replacement: the batches of a shuffled DataLoader, epoch after epoch.
    tg::data::DataLoader loader(model.data, {.batch_size = B, .shuffle = true, .seed = 0, .drop_last = true});
    double without = 0;
    int drawn = 0;
    while (drawn < kBatches) {
      for (const auto& [X, y] : loader) {
        without += squared_distance(model.gradient(X, y), full);
        if (++drawn == kBatches) break;
      }
    }
    without /= kBatches;
    // With replacement: B row numbers uniform in 0..N-1, independently.
    tg::Generator generator(0);
    double with = 0;
    for (int k = 0; k < kBatches; ++k) {
      std::vector<int64_t> rows(static_cast<std::size_t>(B));
      for (int64_t& r : rows) r = generator.randint(0, n);
      const tg::data::Dataset batch = model.data.subset(rows);
      with += squared_distance(model.gradient(batch.X, batch.y), full);
    }
    with /= kBatches;
    const double formula_without = sigma2 / B * (N - B) / (N - 1), formula_with = sigma2 / B;
    std::printf("   %4d | %9.5f   %9.5f              %6.3f   | %9.5f   %9.5f     %6.3f\n", B, without, formula_without,
                without / formula_without, with, formula_with, with / formula_with);
    ratios.push_back(without / formula_without);
    ratios.push_back(with / formula_with);
    log_b.push_back(std::log2(B));
    log_without.push_back(std::log2(without / sigma2));
    log_with.push_back(std::log2(with / sigma2));
    log_formula.push_back(std::log2(formula_without / sigma2));
  }
  const auto [lowest, highest] = std::minmax_element(ratios.begin(), ratios.end());
  std::printf("   measured / formula: from %.3f to %.3f\n", *lowest, *highest);
  std::printf("\n   slope of log(variance) against log(B), least squares over B = 1 ... 256:\n");
  std::printf("   without replacement: measured %.3f, formula %.3f\n", slope(log_b, log_without),
              slope(log_b, log_formula));
  std::printf("   with replacement:    measured %.3f, formula -1\n", slope(log_b, log_with));
  std::printf("   local slope of the formula without replacement, -1 - B/(N-B): %.3f at B = 16, %.3f at B = 256\n",
              -1 - 16 / (N - 16), -1 - 256 / (N - 256));

  // The picture: log2(variance / sigma^2) against log2(B), the formulas on a fine grid.
  std::vector<double> fine_b, fine_without, fine_with;
  for (int k = 0; k <= 80; ++k) {
    const double lb = k / 10.0, B = std::exp2(lb);
    fine_b.push_back(lb);
    fine_without.push_back(std::log2((N - B) / (N - 1) / B));
    fine_with.push_back(-lb);
  }
  report(tg::plot::lines(dir + "/gradient_noise_variance",
                         "Mini-batch gradient variance on diabetes (N = 442): log-log, slope −1 = 1/B",
                         "log₂ B   (B = 1, 2, 4, … 256)", "log₂ (variance / σ²)",
                         {{"1/B (slope −1): with replacement, formula", fine_b, fine_with},
                          {"with replacement, measured", log_b, log_with},
                          {"(1/B)(N−B)/(N−1): without replacement, formula", fine_b, fine_without},
                          {"without replacement (shuffled DataLoader), measured", log_b, log_without}}),
         dir + "/gradient_noise_variance");
}

// ---------------------------------------------------------------------------------------------
// 2. A saddle made of data. Row i = (a_i, b_i) has the loss (x − a_i)² − (y − b_i)²; the a_i
// and the b_i average exactly 0 (64 rows and their mirror images, all multiples of 1/1024, so
// every sum is exact), and the loss on all rows is x² − y² + c. A batch's loss is the same
// saddle centred at the batch's mean (ā_B, b̄_B): each batch sees the saddle somewhere else.

struct Escape {
  Path path;
  int step = -1;  // first step with |y| > 1; -1 if none within the limit
};

Escape descend_saddle(const tg::data::Dataset& data, int batch_size, uint32_t seed, std::vector<double> start,
                      int max_steps) {
  tg::Tensor p = tg::tensor(start, tg::Shape{2}, /*requires_grad=*/true);
  tg::optim::SGD opt({p}, {.lr = 0.1});
  tg::data::DataLoader loader(data, {.batch_size = batch_size, .shuffle = true, .seed = seed, .drop_last = true});
  Escape e;
  e.path.push_back(p.to_vector());
  int step = 0;
  while (step < max_steps) {
    for (const auto& [X, y] : loader) {
      opt.zero_grad();
      ((p[0] - X.select(1, 0)).square() - (p[1] - X.select(1, 1)).square()).mean().backward();
      opt.step();
      e.path.push_back(p.to_vector());
      ++step;
      if (std::abs(e.path.back()[1]) > 1.0) {
        e.step = step;
        return e;
      }
      if (step == max_steps) break;
    }
  }
  return e;
}

void saddle(const std::string& dir) {
  constexpr int kHalf = 64, kRuns = 100, kMaxSteps = 300;
  tg::Generator generator(0);
  std::vector<double> z(2 * kHalf);
  for (double& v : z) v = std::nearbyint(generator.normal() * 1024.0) / 1024.0;
  std::vector<double> rows;
  for (int k = 0; k < kHalf; ++k) rows.insert(rows.end(), {z[k], z[kHalf + k]});
  for (int k = 0; k < kHalf; ++k) rows.insert(rows.end(), {-z[k], -z[kHalf + k]});
  const int64_t n = 2 * kHalf;
  const tg::data::Dataset data(tg::tensor(rows, tg::Shape{n, 2}), tg::zeros({n}));
  const tg::Tensor a = data.X.select(1, 0), b = data.X.select(1, 1);
  const double c = (a.square().mean() - b.square().mean()).item();
  const double sd_b = std::sqrt(b.square().mean().item());  // the population sd: mean b is 0

  std::printf("\n2. A saddle made of data: %lld rows (a_i, b_i), row loss (x - a_i)^2 - (y - b_i)^2\n",
              static_cast<long long>(n));
  std::printf(
      "   mean a_i = %g and mean b_i = %g exactly, so the loss on all rows is x^2 - y^2 + c (c = %.6f);\n"
      "   a batch's loss is the same saddle centred at its mean (a_B, b_B). sd of the b_i: %.4f\n",
      a.mean().item(), b.mean().item(), c, sd_b);
  std::printf(
      "   Start (1, 0), on the saddle's stable manifold y = 0; SGD(lr=0.1): x <- x - 0.2 (x - a_B),\n"
      "   y <- y + 0.2 (y - b_B) = 1.2 y - 0.2 b_B: off the manifold, y grows by 1.2 per step\n\n");

  const Escape gd = descend_saddle(data, static_cast<int>(n), 0, {1.0, 0.0}, 200);
  tg::Tensor end = tg::tensor(gd.path.back(), tg::Shape{2}, /*requires_grad=*/true);
  ((end[0] - a).square() - (end[1] - b).square()).mean().backward();
  std::printf(
      "   full batch (B = %lld), 200 steps from (1, 0): (x, y) = (%.4g, %g), |gradient| = %.3g: at the saddle\n",
      static_cast<long long>(n), gd.path.back()[0], gd.path.back()[1], tg::norm(end.grad()).item());
  const Escape nudged = descend_saddle(data, static_cast<int>(n), 0, {1.0, 1e-3}, kMaxSteps);
  std::printf("   full batch from (1, 0.001), just off the manifold: |y| > 1 at step %d (0.001 * 1.2^%d = %.3f)\n\n",
              nudged.step, nudged.step, 1e-3 * std::pow(1.2, nudged.step));

  std::printf("   mini-batches (a shuffled DataLoader, seeds 0 to %d), at most %d steps from (1, 0):\n", kRuns - 1,
              kMaxSteps);
  std::printf("       B   sd of b_B   runs with |y| > 1   median step   fastest   slowest\n");
  std::vector<Path> drawn;
  for (const int B : {1, 4, 16, 64, static_cast<int>(n)}) {
    std::vector<int> steps;
    for (uint32_t seed = 0; seed < kRuns; ++seed) {
      const Escape e = descend_saddle(data, B, seed, {1.0, 0.0}, kMaxSteps);
      if (e.step > 0) steps.push_back(e.step);
      if (seed == 0 && (B == 1 || B == 16)) drawn.push_back(e.path);
    }
    const double sd = sd_b * std::sqrt((n - B) / (static_cast<double>(B) * static_cast<double>(n - 1)));
    if (steps.empty()) {
      std::printf("    %4d   %.4f      %3d/%d             -             -         -\n", B, sd, 0, kRuns);
    } else {
      std::printf("    %4d   %.4f      %3d/%d            %5.1f          %3d       %3d\n", B, sd,
                  static_cast<int>(steps.size()), kRuns, median(steps), *std::min_element(steps.begin(), steps.end()),
                  *std::max_element(steps.begin(), steps.end()));
    }
  }
  std::printf("   (sd of b_B: sd(b) sqrt((N - B)/(B (N - 1))), the batches being drawn without replacement)\n");

  tg::plot::ContourPlot plot{
      .title = "x² − y² (+ c) as the mean of 128 rows, from (1, 0) on the stable manifold, lr 0.1",
      .window = {-1.5, 1.5, -1.5, 1.5},
      .f = [](double x, double y) { return x * x - y * y; },
      .markers = {{0.0, 0.0}},
      .trajectories = {{"full batch (B = 128): 60 steps into the saddle", Path(gd.path.begin(), gd.path.begin() + 61)},
                       {"mini-batches, B = 16 (seed 0)", drawn[1]},
                       {"mini-batches, B = 1 (seed 0)", drawn[0]}},
      .levels = {-2.0, -1.5, -1.0, -0.6, -0.3, -0.1, 0.1, 0.3, 0.6, 1.0, 1.5, 2.0},
      .marker_label = "saddle (0, 0)",
  };
  report(tg::plot::contour(dir + "/gradient_noise_saddle", plot), dir + "/gradient_noise_saddle");
}

// ---------------------------------------------------------------------------------------------
// 3. Momentum as a low-pass filter. Rows c_i = (−0.2, 0) + noise, row loss c_i·θ: the loss on
// all rows is −0.2x + (mean noise)·θ, a gentle slope downhill along +x whose gradient is the
// same everywhere. A batch's gradient is its rows' mean, whatever θ: so every method can be fed
// exactly the same sequence of batch gradients. Momentum in the average form (momentum_ema:
// v ← βv + (1 − β)g, θ ← θ − lr·v) keeps the mean step lr·g of SGD and so compares directly.

// The batches of one run: each the first B rows of a fresh permutation (np.random.choice(N, B,
// replace=False)), drawn from the global generator seeded with `seed`.
std::vector<std::vector<int64_t>> draw_batches(int64_t n, int batch_size, int count, uint32_t seed) {
  tg::manual_seed(seed);
  std::vector<std::vector<int64_t>> batches;
  for (int k = 0; k < count; ++k) {
    const std::vector<double> perm = tg::randperm(n).to_vector();
    std::vector<int64_t> rows;
    for (int i = 0; i < batch_size; ++i) rows.push_back(static_cast<int64_t>(perm[static_cast<std::size_t>(i)]));
    batches.push_back(rows);
  }
  return batches;
}

// The steps θ_{t+1} − θ_t of an optimizer fed these batches, from θ = (0, 0).
Path steps_of(const tg::data::Dataset& data, const std::vector<std::vector<int64_t>>& batches, double beta) {
  tg::Tensor p = tg::zeros({2}, /*requires_grad=*/true);
  std::unique_ptr<tg::optim::Optimizer> opt;
  if (beta == 0)
    opt = std::make_unique<tg::optim::SGD>(std::vector<tg::Tensor>{p}, tg::optim::SGDOptions{.lr = 0.1});
  else
    opt = std::make_unique<tg::optim::MomentumEMA>(std::vector<tg::Tensor>{p},
                                                   tg::optim::MomentumEMAOptions{.lr = 0.1, .beta = beta});
  Path steps;
  for (const auto& rows : batches) {
    const tg::Tensor X = data.X.index_select(0, rows);
    const std::vector<double> before = p.to_vector();
    opt->zero_grad();
    (X.mean(0) * p).sum().backward();
    opt->step();
    const std::vector<double> after = p.to_vector();
    steps.push_back({after[0] - before[0], after[1] - before[1]});
  }
  return steps;
}

const char* method_name(double beta) {
  if (beta == 0) return "SGD(lr=0.1)";
  if (beta == 0.5) return "momentum_ema(lr=0.1, beta=0.5)";
  if (beta == 0.9) return "momentum_ema(lr=0.1, beta=0.9)";
  return "momentum_ema(lr=0.1, beta=0.99)";
}

void low_pass(const std::string& dir) {
  constexpr int64_t kRows = 1000;
  constexpr int kBatch = 4, kLong = 20000, kWarm = 1000, kShort = 200, kRuns = 200;
  tg::manual_seed(1);
  tg::Tensor noise = tg::randn({kRows, 2});
  noise = noise - noise.mean(0);
  const tg::data::Dataset data(noise + tg::tensor({-0.2, 0.0}), tg::zeros({kRows}));
  const std::vector<double> mean_row = data.X.mean(0).to_vector();
  const std::vector<double> var_row = noise.square().mean(0).to_vector();
  const double shrink =
      (kRows - kBatch) / (static_cast<double>(kBatch) * (kRows - 1));  // batch variance / row variance

  std::printf(
      "\n3. Momentum as a low-pass filter: %lld rows c_i = (-0.2, 0) + noise (standard normal, centred),\n"
      "   row loss c_i . theta. The rows' mean is (%.4f, %.1g): the loss on all rows is a gentle slope down along +x,\n"
      "   with the same gradient everywhere, so every method below is fed the same batch gradients.\n"
      "   Batches: %d rows, np.random.choice(%lld, %d, replace=False) (global generator, seed 2), a new one each "
      "step; lr 0.1.\n",
      static_cast<long long>(kRows), mean_row[0], mean_row[1], kBatch, static_cast<long long>(kRows), kBatch);
  std::printf("   batch gradient: variance per coordinate %.4f, %.4f (row variance / %d * (N - %d)/(N - 1))\n\n",
              var_row[0] * shrink, var_row[1] * shrink, kBatch, kBatch);

  const auto batches = draw_batches(kRows, kBatch, kLong, 2);
  std::printf("   method                           mean step             variance     ratio    (1-beta)/  steps\n");
  std::printf("                                    (x, y)                of the step  to SGD   (1+beta)   uphill\n");
  double sgd_variance = 0;
  for (const double beta : {0.0, 0.5, 0.9, 0.99}) {
    const Path steps = steps_of(data, batches, beta);
    double mx = 0, my = 0;
    int uphill = 0;
    const int count = kLong - kWarm;
    for (int t = kWarm; t < kLong; ++t) {
      mx += steps[static_cast<std::size_t>(t)][0];
      my += steps[static_cast<std::size_t>(t)][1];
      if (steps[static_cast<std::size_t>(t)][0] < 0) ++uphill;
    }
    mx /= count;
    my /= count;
    double variance = 0;
    for (int t = kWarm; t < kLong; ++t) {
      variance += squared_distance(steps[static_cast<std::size_t>(t)], {mx, my});
    }
    variance /= count;
    if (beta == 0) sgd_variance = variance;
    std::printf("   %-32s (%.5f, %+.5f)   %.3e    %.4f   %.4f     %5.1f%%\n", method_name(beta), mx, my, variance,
                variance / sgd_variance, (1 - beta) / (1 + beta), 100.0 * uphill / count);
  }
  std::printf(
      "   (steps %d to %d, after the velocity has warmed up; variance: E|step - mean step|^2, both\n"
      "   coordinates; uphill: a step with x < 0, against the slope)\n",
      kWarm + 1, kLong);

  // Where the runs end: the step-to-step jitter is filtered, the slow drift of the noise is not.
  std::printf("\n   %d steps from (0, 0), %d runs (seeds 3 to %d):\n", kShort, kRuns, kRuns + 2);
  std::printf(
      "   method                           end x: mean   sd (theory)       end y: sd (theory)   path length   "
      "distance\n");
  std::vector<Path> first_run(2);
  int which = 0;
  for (const double beta : {0.0, 0.9}) {
    double sx = 0, sxx = 0, sy = 0, syy = 0, length = 0, distance = 0;
    for (int r = 0; r < kRuns; ++r) {
      const Path steps = steps_of(data, draw_batches(kRows, kBatch, kShort, static_cast<uint32_t>(3 + r)), beta);
      double x = 0, y = 0;
      for (const auto& s : steps) {
        x += s[0];
        y += s[1];
        length += std::hypot(s[0], s[1]);
      }
      sx += x;
      sxx += x * x;
      sy += y;
      syy += y * y;
      distance += std::hypot(x, y);
      if (r == 0) first_run[static_cast<std::size_t>(which)] = steps;
    }
    const double mean_x = sx / kRuns, sd_x = std::sqrt(sxx / kRuns - mean_x * mean_x), mean_y = sy / kRuns,
                 sd_y = std::sqrt(syy / kRuns - mean_y * mean_y);
    // Theory: the end point is lr * sum_k (1 - beta^(T+1-k)) g_k for momentum_ema (1 for SGD).
    double weights = 0, weights2 = 0;
    for (int k = 1; k <= kShort; ++k) {
      const double w = 1 - std::pow(beta, k);
      weights += w;
      weights2 += w * w;
    }
    const double theory_x = 0.1 * std::sqrt(var_row[0] * shrink * weights2),
                 theory_y = 0.1 * std::sqrt(var_row[1] * shrink * weights2);
    std::printf("   %-32s %6.3f (%.3f)  %.3f (%.3f)     %.3f (%.3f)       %6.3f        %.3f\n", method_name(beta),
                mean_x, -0.1 * mean_row[0] * weights, sd_x, theory_x, sd_y, theory_y, length / kRuns, distance / kRuns);
    ++which;
  }
  std::printf("   (means over the runs; path length: sum of |step|; distance: |end - start|)\n");

  // Pictures: the paths of the first run on the slope, and the x-part of every step.
  std::vector<Path> paths;
  for (const Path& steps : first_run) {
    Path path{{0.0, 0.0}};
    for (const auto& s : steps) path.push_back({path.back()[0] + s[0], path.back()[1] + s[1]});
    paths.push_back(path);
  }
  const double fx = mean_row[0], fy = mean_row[1];
  double y0 = 0, y1 = 0, x1 = 0;
  for (const Path& path : paths) {
    for (const auto& q : path) {
      x1 = std::max(x1, q[0]);
      y0 = std::min(y0, q[1]);
      y1 = std::max(y1, q[1]);
    }
  }
  tg::plot::ContourPlot plot{
      .title = "A gentle slope f = −0.2x with noisy mini-batch gradients: 200 steps, the same batches",
      .window = {-0.5, std::ceil(x1 + 0.5), std::floor(y0 - 0.25), std::ceil(y1 + 0.25)},
      .f = [fx, fy](double x, double y) { return fx * x + fy * y; },
      .trajectories = {{"SGD(lr=0.1)", paths[0]}, {"momentum_ema(lr=0.1, beta=0.9)", paths[1]}},
      .levels = {-1.0, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0.0, 0.1},
  };
  report(tg::plot::contour(dir + "/gradient_noise_paths", plot), dir + "/gradient_noise_paths");

  std::vector<double> t, sgd_x, momentum_x, mean_step;
  for (int k = 0; k < kShort; ++k) {
    t.push_back(k + 1);
    sgd_x.push_back(first_run[0][static_cast<std::size_t>(k)][0]);
    momentum_x.push_back(first_run[1][static_cast<std::size_t>(k)][0]);
    mean_step.push_back(-0.1 * fx);
  }
  report(tg::plot::lines(dir + "/gradient_noise_steps", "The x-part of each step, the same batch gradients", "step",
                         "step along x (downhill > 0)",
                         {{"SGD(lr=0.1)", t, sgd_x},
                          {"momentum_ema(lr=0.1, beta=0.9)", t, momentum_x},
                          {"the full-batch step, lr · 0.2", t, mean_step}}),
         dir + "/gradient_noise_steps");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: gradient_noise [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    variance_against_batch_size(dir);
    saddle(dir);
    low_pass(dir);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "gradient_noise: %s\n", e.what());
    return 1;
  }
  return 0;
}
