// Three claims of the lessons, run and measured (docs/examples/lesson_claims.md shows the
// output and the pictures):
//
//   1. seed 000: decreasing learning rates, η_w = 0.01/(1 + 0.01·e) and η_b = 0.1/(1 + 0.01·e),
//      "slow b down even more" on the single neuron y = w·x + b;
//   2. seed 004: AdaGrad "never converges" because its learning rate keeps shrinking — where
//      that is true and where it is not, on the single neuron and on Rosenbrock's function;
//   3. seed 004's AdamW picture: Adam with an L2 term against AdamW on the toy f(θ) = θ₁² + θ₂²
//      (the lesson's θ² in each coordinate) from (4, 1): the paths, and ‖θ‖ against the step.
//
//   lesson_claims [DIR]    writes DIR/lesson_claims_*.png (and .svg, .gp, _*.dat); DIR defaults
//                          to the current directory and must exist. Without gnuplot it prints
//                          how to install it and goes on.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("  wrote %s.png\n", base.c_str());
  } else {
    std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

// The lesson's single neuron: 100 points of y = 1.5x + 2 + N(0, 1.5²), x ~ U(−5, 5), seed 42
// (NumPy's generator: the notebook's very data), and its least-squares line.
struct Neuron {
  tg::Tensor x, y;
  double w_star = 0, b_star = 0;
  Neuron() {
    tg::manual_seed(42);
    const tg::data::Dataset data = tg::data::make_linear(100);
    x = data.X.reshape({100});
    y = data.y;
    const tg::Tensor dx = x - x.mean();
    w_star = ((dx * (y - y.mean())).sum() / dx.square().sum()).item();
    b_star = y.mean().item() - w_star * x.mean().item();
  }
  tg::Tensor loss(const tg::Tensor& w, const tg::Tensor& b) const { return (w * x + b - y).square().mean(); }
};

// The first epoch from which |v| stays below `tol` up to the last one: -1 if it does not.
int settles(const std::vector<double>& v, double tol) {
  int from = -1;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (!(std::fabs(v[k]) < tol)) from = -1;
    else if (from < 0) from = static_cast<int>(k) + 1;
  }
  return from;
}

std::string epochs(int n) { return n < 0 ? "never" : std::to_string(n); }

std::vector<double> one_to(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = static_cast<double>(k + 1);
  return v;
}

// ---- 1. Decreasing learning rates on the single neuron ---------------------------------------

void decaying_rates(const std::string& dir) {
  const Neuron n;
  constexpr int kEpochs = 20000;
  constexpr double kTol = 1e-3;
  std::printf("1. Seed 000's decreasing learning rates on the single neuron (100 points, seed 42)\n");
  std::printf("   least squares w* = %.6f, b* = %.6f; epochs until w and b stay within %g of them (at most %d)\n\n",
              n.w_star, n.b_star, kTol, kEpochs);
  struct Case {
    const char* name;
    double lr_w, lr_b;
    bool decay;
  };
  const std::vector<Case> cases = {{"one lr 0.01, constant", 0.01, 0.01, false},
                                   {"one lr 0.01/(1 + 0.01 e)", 0.01, 0.01, true},
                                   {"the pair 0.01 / 0.1, constant", 0.01, 0.1, false},
                                   {"the pair 0.01/(1 + 0.01 e) / 0.1/(1 + 0.01 e)", 0.01, 0.1, true}};
  std::printf("   %-48s %-8s %-8s %-16s %-16s %s\n", "learning rates (w / b)", "w after", "b after", "b at epoch 100",
              "b at epoch 1000", "lr_b at epoch 1000");
  std::vector<tg::plot::Series> series;
  std::vector<int> b_epochs;
  for (const Case& c : cases) {
    tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
    tg::optim::SGD opt(std::vector<tg::optim::SGD::ParamGroup>{{{w}, {.lr = c.lr_w}}, {{b}, {.lr = c.lr_b}}});
    // InverseTimeLR: lr(e) = base_lr/(1 + 0.01·e) for every group, e = 0 in the first epoch.
    std::unique_ptr<tg::optim::InverseTimeLR> schedule;
    if (c.decay)
      schedule = std::make_unique<tg::optim::InverseTimeLR>(opt, tg::optim::InverseTimeLROptions{.decay = 0.01});
    std::vector<double> dw, db;
    double b100 = 0, b1000 = 0, lr_b1000 = 0;
    for (int e = 1; e <= kEpochs; ++e) {
      if (e == 1000) lr_b1000 = opt.lr(1);
      opt.zero_grad();
      n.loss(w, b).backward();
      opt.step();
      if (schedule) schedule->step();
      dw.push_back(w.item() - n.w_star);
      db.push_back(b.item() - n.b_star);
      if (e == 100) b100 = b.item();
      if (e == 1000) b1000 = b.item();
    }
    const int ew = settles(dw, kTol), eb = settles(db, kTol);
    b_epochs.push_back(eb);
    std::printf("   %-48s %-8s %-8s %-16.6f %-16.6f %g\n", c.name, epochs(ew).c_str(), epochs(eb).c_str(), b100, b1000,
                lr_b1000);
    tg::plot::Series s{c.name, one_to(1000), {}};
    for (int e = 0; e < 1000; ++e) s.y.push_back(std::fabs(db[static_cast<std::size_t>(e)]));
    series.push_back(std::move(s));
  }
  std::printf(
      "\n   Decaying the rates slows b: %d epochs instead of %d with one lr (%.1f times as many), %d instead of %d\n"
      "   with the pair (%.2f times).\n",
      b_epochs[1], b_epochs[0], static_cast<double>(b_epochs[1]) / b_epochs[0], b_epochs[3], b_epochs[2],
      static_cast<double>(b_epochs[3]) / b_epochs[2]);
  report(tg::plot::lines(dir + "/lesson_claims_decay",
                         "The single neuron: how far b is from b* (SGD, w = b = 0 at the start)", "epoch", "|b − b*|",
                         series, /*log_y=*/true),
         dir + "/lesson_claims_decay");
}

// ---- 2. Does AdaGrad converge? ----------------------------------------------------------------

// lr / (√S + ε) of parameter `index`: the learning rate AdaGrad gives its next step.
double effective_lr(const tg::optim::Adagrad& opt, std::size_t index, double lr) {
  return lr / (std::sqrt(opt.state(0, index).sum.to_vector()[0]) + 1e-10);
}

void adagrad(const std::string& dir) {
  std::printf("\n2. Does AdaGrad converge? (tg::optim::Adagrad: PyTorch's, eps 1e-10)\n\n");
  const Neuron n;
  constexpr int kEpochs = 20000;
  std::printf(
      "   The single neuron, full batch, from w = b = 0: distance max(|w - w*|, |b - b*|), and b's learning rate\n"
      "   lr/sqrt(S_b) (S_b: the sum of b's squared gradients), over %d epochs\n\n",
      kEpochs);
  std::printf("   %-8s %-14s %-11s %-11s %-11s %-13s %-13s %s\n", "lr", "within 1e-3", "epoch 100", "epoch 1000",
              "epoch 20000", "lr_b ep. 10", "lr_b ep. 1000", "lr_b ep. 20000");
  std::vector<tg::plot::Series> distance, rate;
  for (const double lr : {0.001, 0.01, 0.1, 1.0, 10.0}) {
    tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
    tg::optim::Adagrad opt({w, b}, {.lr = lr});
    std::vector<double> d, lr_b;
    for (int e = 1; e <= kEpochs; ++e) {
      opt.zero_grad();
      n.loss(w, b).backward();
      opt.step();
      d.push_back(std::max(std::fabs(w.item() - n.w_star), std::fabs(b.item() - n.b_star)));
      lr_b.push_back(effective_lr(opt, 1, lr));
    }
    std::printf("   %-8g %-14s %-11.3e %-11.3e %-11.3e %-13.4g %-13.4g %.4g\n", lr, epochs(settles(d, 1e-3)).c_str(),
                d[99], d[999], d.back(), lr_b[9], lr_b[999], lr_b.back());
    char label[32];
    std::snprintf(label, sizeof label, "AdaGrad lr %g", lr);
    // Every epoch up to 100, then every 10th: the picture has a log axis.
    tg::plot::Series sd{label, {}, {}}, sr{label, {}, {}};
    for (int e = 1; e <= kEpochs; e += e < 100 ? 1 : 10) {
      sd.x.push_back(e);
      sd.y.push_back(std::max(d[static_cast<std::size_t>(e - 1)], 1e-16));  // 0 would leave the log axis
      sr.x.push_back(e);
      sr.y.push_back(lr_b[static_cast<std::size_t>(e - 1)]);
    }
    distance.push_back(std::move(sd));
    rate.push_back(std::move(sr));
  }
  report(tg::plot::lines(dir + "/lesson_claims_adagrad_distance",
                         "AdaGrad on the single neuron: distance to the least-squares line", "epoch",
                         "max(|w − w*|, |b − b*|)  (1e-16: exact)", distance, /*log_y=*/true, /*log_x=*/true),
         dir + "/lesson_claims_adagrad_distance");
  report(tg::plot::lines(dir + "/lesson_claims_adagrad_lr",
                         "AdaGrad on the single neuron: the learning rate of b, lr/√(sum of its squared gradients)",
                         "epoch", "lr / √S_b", rate, /*log_y=*/true, /*log_x=*/true),
         dir + "/lesson_claims_adagrad_lr");

  const tg::functions::TestFunction& rosenbrock = tg::functions::get("rosenbrock");
  std::printf("\n   Rosenbrock's function from (-1.5, 2), %d steps: steps until f stays below 1e-6\n\n", kEpochs);
  std::printf("   %-8s %-14s %-13s %-26s %s\n", "lr", "f < 1e-6", "f at the end", "point at the end",
              "lr/sqrt(S) at the end (x, y)");
  for (const double lr : {0.001, 0.01, 0.03, 0.1, 1.0}) {
    tg::Tensor p = rosenbrock.start("(-1.5,2)").set_requires_grad(true);
    tg::optim::Adagrad opt({p}, {.lr = lr});
    std::vector<double> f;
    for (int k = 1; k <= kEpochs; ++k) {
      opt.zero_grad();
      rosenbrock(p).backward();
      opt.step();
      tg::NoGradGuard no_grad;
      f.push_back(rosenbrock(p).item());
    }
    const std::vector<double> s = opt.state(0, 0).sum.to_vector(), at = p.to_vector();
    char point[40];
    std::snprintf(point, sizeof point, "(%.6f, %.6f)", at[0], at[1]);
    std::printf("   %-8g %-14s %-13.4e %-26s (%.3g, %.3g)\n", lr, epochs(settles(f, 1e-6)).c_str(), f.back(), point,
                lr / (std::sqrt(s[0]) + 1e-10), lr / (std::sqrt(s[1]) + 1e-10));
  }
}

// ---- 3. Adam with an L2 term against AdamW on the lesson's toy --------------------------------

struct NormRun {
  std::vector<double> norm;                 // ‖θ‖ at each step, the start first
  std::vector<std::vector<double>> points;  // θ at each step
};

// f(θ) = θ₁² + θ₂²: the registry's parabola, x², in each coordinate. `coupled`: Adam on
// f + λ/2·‖θ‖²; otherwise AdamW on f with weight_decay λ (λ = 0 with coupled: plain Adam).
NormRun toy(double lr, double lambda, bool coupled, int steps) {
  const tg::functions::TestFunction& parabola = tg::functions::get("parabola");
  tg::Tensor p = tg::tensor({4.0, 1.0}, true);
  std::unique_ptr<tg::optim::Optimizer> opt;
  if (coupled) {
    opt = std::make_unique<tg::optim::Adam>(std::vector<tg::Tensor>{p}, tg::optim::AdamOptions{.lr = lr});
  } else {
    opt = std::make_unique<tg::optim::AdamW>(std::vector<tg::Tensor>{p},
                                             tg::optim::AdamWOptions{.lr = lr, .weight_decay = lambda});
  }
  NormRun run{{tg::norm(p).item()}, {p.to_vector()}};
  for (int k = 0; k < steps; ++k) {
    opt->zero_grad();
    tg::Tensor loss = parabola(p.narrow(0, 0, 1)) + parabola(p.narrow(0, 1, 1));
    if (coupled) loss = loss + F::l2_penalty({p}, lambda);
    loss.backward();
    opt->step();
    run.norm.push_back(tg::norm(p).item());
    run.points.push_back(p.to_vector());
  }
  return run;
}

// The first step at which ‖θ‖ < tol (-1: never), and how many steps raise ‖θ‖ while it is above 1e-6.
int first_below(const std::vector<double>& norm, double tol) {
  for (std::size_t k = 0; k < norm.size(); ++k)
    if (norm[k] < tol) return static_cast<int>(k);
  return -1;
}
int rises(const std::vector<double>& norm) {
  int count = 0;
  for (std::size_t k = 0; k + 1 < norm.size(); ++k) count += norm[k] > 1e-6 && norm[k + 1] > norm[k];
  return count;
}

tg::plot::Series norm_series(const std::string& label, const std::vector<double>& norm) {
  tg::plot::Series s{label, {}, {}};
  for (std::size_t k = 0; k < norm.size(); ++k) {
    s.x.push_back(static_cast<double>(k));
    s.y.push_back(norm[k] < 1e-12 ? NAN : norm[k]);  // the last, tiny values would stretch the axis
  }
  return s;
}

void adamw_toy(const std::string& dir) {
  constexpr int kSteps = 1200;
  constexpr double kLr = 0.02;
  std::printf("\n3. Adam + L2 against AdamW on f(theta) = theta1^2 + theta2^2 from (4, 1), lr %g, betas (0.9, 0.999)\n",
              kLr);
  std::printf("   Adam + L2: Adam on f + lambda/2 |theta|^2; AdamW: f, weight_decay lambda (PyTorch's rules)\n\n");
  const NormRun adam = toy(kLr, 0.0, true, kSteps);
  const NormRun l2_01 = toy(kLr, 0.1, true, kSteps), l2_1 = toy(kLr, 1.0, true, kSteps);
  const NormRun w_01 = toy(kLr, 0.1, false, kSteps), w_1 = toy(kLr, 1.0, false, kSteps);
  std::printf("   %-24s %-14s %-14s %-14s %-14s %s\n", "", "|theta| < 1e-3", "|theta| < 1e-6", "|theta| at 100",
              "|theta| at 300", "steps raising |theta|");
  const auto row = [](const char* name, const NormRun& r) {
    std::printf("   %-24s %-14s %-14s %-14.4e %-14.4e %d\n", name, epochs(first_below(r.norm, 1e-3)).c_str(),
                epochs(first_below(r.norm, 1e-6)).c_str(), r.norm[100], r.norm[300], rises(r.norm));
  };
  row("Adam, no L2", adam);
  row("Adam + L2, lambda 0.1", l2_01);
  row("Adam + L2, lambda 1", l2_1);
  row("AdamW, lambda 0.1", w_01);
  row("AdamW, lambda 1", w_1);
  double worst = 0;  // Adam + L2 against plain Adam, relative, while |theta| > 1e-6
  for (const NormRun* r : {&l2_01, &l2_1})
    for (std::size_t k = 0; k < adam.norm.size(); ++k)
      if (adam.norm[k] > 1e-6) worst = std::max(worst, std::fabs(r->norm[k] - adam.norm[k]) / adam.norm[k]);
  std::printf(
      "\n   Adam + L2 follows plain Adam: largest relative difference of |theta| %.1e (while |theta| > 1e-6).\n"
      "   The L2 gradient lambda*theta only rescales f's, 2*theta, to (2 + lambda)*theta, and Adam divides\n"
      "   the scale away.\n",
      worst);

  std::printf(
      "\n   Where the claim holds: first step with |theta| < 1e-3 and steps raising |theta| (while > 1e-6),\n"
      "   3000 steps\n\n");
  std::printf("   %-6s %-8s %-22s %s\n", "lr", "lambda", "Adam + L2", "AdamW");
  for (const double lr : {0.01, 0.02, 0.05, 0.1}) {
    for (const double lambda : {0.01, 0.1, 1.0}) {
      const NormRun a = toy(lr, lambda, true, 3000), w = toy(lr, lambda, false, 3000);
      char ca[32], cw[32];
      std::snprintf(ca, sizeof ca, "%s, %d rises", epochs(first_below(a.norm, 1e-3)).c_str(), rises(a.norm));
      std::snprintf(cw, sizeof cw, "%s, %d rises", epochs(first_below(w.norm, 1e-3)).c_str(), rises(w.norm));
      std::printf("   %-6g %-8g %-22s %s\n", lr, lambda, ca, cw);
    }
  }

  const auto path = [](const std::string& label, const NormRun& r, int steps) {
    return tg::plot::Trajectory{label, {r.points.begin(), r.points.begin() + steps + 1}};
  };
  tg::plot::ContourPlot plot{
      .title = "θ₁² + θ₂² from (4, 1), lr 0.02: the first 300 steps",
      .window = {-0.5, 4.5, -0.6, 1.4},
      .f = [](double x, double y) { return x * x + y * y; },
      .markers = {{0.0, 0.0}},
      .trajectories = {path("AdamW, λ = 1", w_1, 300), path("AdamW, λ = 0.1", w_01, 300),
                       path("Adam + L2, λ = 1 (the same as Adam)", l2_1, 300)},
      .xlabel = "θ₁",
      .ylabel = "θ₂",
      .levels = {0.25, 1, 2, 4, 8, 12, 16},
  };
  report(tg::plot::contour(dir + "/lesson_claims_adamw_paths", plot), dir + "/lesson_claims_adamw_paths");
  report(tg::plot::lines(dir + "/lesson_claims_adamw_norm", "‖θ‖ against the step, lr 0.02, from (4, 1)", "step",
                         "‖θ‖ (not drawn below 1e-12)",
                         {norm_series("Adam + L2, λ = 0.1 or 1 (the same as Adam)", l2_1.norm),
                          norm_series("AdamW, λ = 0.1", w_01.norm), norm_series("AdamW, λ = 1", w_1.norm)},
                         /*log_y=*/true),
         dir + "/lesson_claims_adamw_norm");
  const NormRun fast_l2 = toy(0.1, 0.1, true, 400), fast_w = toy(0.1, 0.1, false, 400);
  report(tg::plot::lines(dir + "/lesson_claims_adamw_norm_lr01", "‖θ‖ against the step, lr 0.1, λ = 0.1, from (4, 1)",
                         "step", "‖θ‖", {norm_series("Adam + L2", fast_l2.norm), norm_series("AdamW", fast_w.norm)},
                         /*log_y=*/true),
         dir + "/lesson_claims_adamw_norm_lr01");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: lesson_claims [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    decaying_rates(dir);
    adagrad(dir);
    adamw_toy(dir);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "lesson_claims: %s\n", e.what());
    return 1;
  }
  return 0;
}
