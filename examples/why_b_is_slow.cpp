// Why the intercept b of y = w·x + b converges so much more slowly than the slope w under
// gradient descent, and five ways to fix it, side by side.
//
// The loss is the mean squared error L(w, b) = mean((w·x + b − y)²). Its curvature (the
// Hessian, constant here) is 2·[[mean x², mean x], [mean x, 1]]: along w the loss curves with
// mean x² ≈ 8.9, along b with 1. Gradient descent with one learning rate lr shrinks the error
// along each eigendirection by |1 − lr·λ| per step, so the flat direction — almost exactly b —
// takes ~λ_max/λ_min ≈ 9 times as many steps as the steep one.
//
//   why_b_is_slow
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

constexpr double kTolerance = 1e-3;
constexpr int kMaxEpochs = 20000;

struct Problem {
  tg::Tensor x, y;
  double w_star, b_star;             // the least-squares line, in the data's units
  double scale = 1.0, shift = 0.0;   // x here = (x in the data's units − shift)/scale
};

// Epochs until both w and b stay within kTolerance of the least-squares solution, or -1.
struct Outcome {
  int epochs_w = -1, epochs_b = -1;
  bool diverged = false;
  double w100 = 0, b100 = 0;  // w and b after 100 epochs
};

using MakeOptimizer = std::function<std::unique_ptr<tg::optim::Optimizer>(tg::Tensor& w, tg::Tensor& b)>;
using MakeSchedule =
    std::function<std::unique_ptr<tg::optim::LRScheduler>(tg::optim::Optimizer&)>;

Outcome train(const Problem& p, const MakeOptimizer& make, const MakeSchedule& schedule = nullptr) {
  tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
  auto opt = make(w, b);
  auto sched = schedule ? schedule(*opt) : nullptr;
  Outcome out;
  for (int epoch = 1; epoch <= kMaxEpochs; ++epoch) {
    opt->zero_grad();
    const tg::Tensor loss = (w * p.x + b - p.y).square().mean();
    loss.backward();
    opt->step();
    if (sched) sched->step();
    // Back to the data's units: w·(x − shift)/scale + b = (w/scale)·x + (b − (w/scale)·shift).
    const double w_data = w.item() / p.scale, b_data = b.item() - w_data * p.shift;
    if (epoch == 100) {
      out.w100 = w_data;
      out.b100 = b_data;
    }
    const double dw = std::fabs(w_data - p.w_star), db = std::fabs(b_data - p.b_star);
    if (!std::isfinite(dw) || !std::isfinite(db) || dw > 1e6) {
      out.diverged = true;
      return out;
    }
    // "Arrived" means: within the tolerance from this epoch on (checked until the end).
    if (dw >= kTolerance) out.epochs_w = -1;
    else if (out.epochs_w < 0) out.epochs_w = epoch;
    if (db >= kTolerance) out.epochs_b = -1;
    else if (out.epochs_b < 0) out.epochs_b = epoch;
  }
  return out;
}

std::string describe(const Outcome& o) {
  if (o.diverged) return "diverges";
  char at100[64];
  std::snprintf(at100, sizeof at100, "   (epoch 100: w = %.4f, b = %.4f)", o.w100, o.b100);
  // Arriving in the last 100 epochs is passing through, not settling.
  const auto settled = [](int epochs) { return epochs > 0 && epochs <= kMaxEpochs - 100; };
  if (!settled(o.epochs_w) || !settled(o.epochs_b)) return "does not settle in " + std::to_string(kMaxEpochs) + " epochs" + at100;
  char buf[96];
  std::snprintf(buf, sizeof buf, "w after %5d, b after %5d epochs", o.epochs_w, o.epochs_b);
  return buf + std::string(at100);
}

}  // namespace

int main() {
  // The lesson's data: y = 1.5x + 2 + N(0, 1.5²) at 100 points x ~ U(−5, 5) (seed 42).
  tg::manual_seed(42);
  const tg::data::Dataset data = tg::data::make_linear(100);
  Problem p{data.X.reshape({100}), data.y, 0, 0};
  const tg::Tensor dx = p.x - p.x.mean();
  p.w_star = ((dx * (p.y - p.y.mean())).sum() / dx.square().sum()).item();
  p.b_star = p.y.mean().item() - p.w_star * p.x.mean().item();

  // The Hessian's eigenvalues, from its 2×2 closed form.
  const double a = 2 * p.x.square().mean().item(), c = 2 * p.x.mean().item(), d = 2.0;
  const double mid = (a + d) / 2, half = std::sqrt((a - d) * (a - d) / 4 + c * c);
  std::printf("Least squares: w* = %.6f, b* = %.6f\n", p.w_star, p.b_star);
  std::printf("Hessian of the MSE: [[%.4f, %.4f], [%.4f, %.4f]], eigenvalues %.4f and %.4f (ratio %.1f)\n", a, c, c, d,
              mid - half, mid + half, (mid + half) / (mid - half));
  std::printf("Epochs until w and b stay within %g of w*, b* (from w = b = 0):\n\n", kTolerance);

  struct Fix {
    const char* name;
    MakeOptimizer make;
    MakeSchedule schedule;
  };
  const std::vector<Fix> fixes = {
      {"one learning rate, lr = 0.01",
       [](tg::Tensor& w, tg::Tensor& b) { return std::make_unique<tg::optim::SGD>(std::vector<tg::Tensor>{w, b}, tg::optim::SGDOptions{.lr = 0.01}); },
       nullptr},
      {"a larger lr for b: groups 0.01 / 0.1",
       [](tg::Tensor& w, tg::Tensor& b) {
         return std::make_unique<tg::optim::SGD>(
             std::vector<tg::optim::SGD::ParamGroup>{{{w}, {.lr = 0.01}}, {{b}, {.lr = 0.1}}});
       },
       nullptr},
      {"b's lr growing, lr_b *= 1.03 per epoch",
       [](tg::Tensor& w, tg::Tensor& b) {
         return std::make_unique<tg::optim::SGD>(
             std::vector<tg::optim::SGD::ParamGroup>{{{w}, {.lr = 0.01}}, {{b}, {.lr = 0.01}}});
       },
       [](tg::optim::Optimizer& opt) {
         // Growth stops at 0.1: unbounded growth would end in divergence (lr·λ > 2).
         return std::make_unique<tg::optim::MultiplicativeLR>(
             opt, std::vector<tg::optim::LRLambda>{[](int64_t) { return 1.0; },
                                                   [&opt](int64_t) { return opt.lr(1) < 0.1 ? 1.03 : 1.0; }});
       }},
      {"momentum 0.9, lr = 0.01",
       [](tg::Tensor& w, tg::Tensor& b) {
         return std::make_unique<tg::optim::SGD>(std::vector<tg::Tensor>{w, b}, tg::optim::SGDOptions{.lr = 0.01, .momentum = 0.9});
       },
       nullptr},
      {"an adaptive optimizer: Adagrad, lr = 1",
       [](tg::Tensor& w, tg::Tensor& b) {
         return std::make_unique<tg::optim::Adagrad>(std::vector<tg::Tensor>{w, b}, tg::optim::AdagradOptions{.lr = 1.0});
       },
       nullptr},
      // Adam also gives each parameter its own step size, but with a constant lr its steps
      // stay about lr long near the minimum, where it circles for thousands of epochs; a
      // decaying lr lets it settle.
      {"Adam, lr = 0.05 (constant)",
       [](tg::Tensor& w, tg::Tensor& b) { return std::make_unique<tg::optim::Adam>(std::vector<tg::Tensor>{w, b}, tg::optim::AdamOptions{.lr = 0.05}); },
       nullptr},
      {"Adam, lr = 0.05 decaying as 1/(1 + 0.05 t)",
       [](tg::Tensor& w, tg::Tensor& b) { return std::make_unique<tg::optim::Adam>(std::vector<tg::Tensor>{w, b}, tg::optim::AdamOptions{.lr = 0.05}); },
       [](tg::optim::Optimizer& opt) { return std::make_unique<tg::optim::InverseTimeLR>(opt, tg::optim::InverseTimeLROptions{.decay = 0.05}); }},
  };
  for (const Fix& fix : fixes) std::printf("  %-44s %s\n", fix.name, describe(train(p, fix.make, fix.schedule)).c_str());

  // Standardised inputs: fit y = w'·x' + b' with x' = (x − mean)/std, whose Hessian is
  // 2·[[1, 0], [0, 1]] (condition number 1); w and b are read back in the data's units.
  {
    const double mean = p.x.mean().item(), std = std::sqrt(p.x.var(false).item());
    const Problem q{(p.x - mean) / std, p.y, p.w_star, p.b_star, std, mean};
    const Outcome o = train(q, [](tg::Tensor& w, tg::Tensor& b) {
      return std::make_unique<tg::optim::SGD>(std::vector<tg::Tensor>{w, b}, tg::optim::SGDOptions{.lr = 0.1});
    });
    std::printf("  %-44s %s\n", "standardised x, lr = 0.1", describe(o).c_str());
  }
  return 0;
}
