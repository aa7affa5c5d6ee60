// One neuron learns y = 1.5x + 2 from 100 noisy samples — the lesson's notebook, in C++:
//   1. gradient descent written by hand on tensors: forward, loss, backward, update;
//   2. the same with tg::nn::Linear and tg::optim::SGD;
//   3. the learning-rate experiment: 0.5, 0.01 and 0.001 for 100 epochs;
//   4. running to convergence, against the least-squares line in closed form.
//
//   single_neuron
#include <cmath>
#include <cstdio>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

// The least-squares line: w = cov(x, y)/var(x), b = ȳ − w·x̄.
struct Line {
  double w, b;
};
Line least_squares(const tg::Tensor& x, const tg::Tensor& y) {
  const tg::Tensor dx = x - x.mean();
  const double w = ((dx * (y - y.mean())).sum() / dx.square().sum()).item();
  return {w, y.mean().item() - w * x.mean().item()};
}

// Part 1: w and b as plain tensors, the update written out. Returns the loss of each epoch
// (computed before that epoch's update, as the lesson's train_step returns it).
std::vector<double> by_hand(const tg::Tensor& x, const tg::Tensor& y, double lr, int epochs, bool print,
                            Line* out = nullptr) {
  tg::Tensor w = tg::zeros({1}, /*requires_grad=*/true);
  tg::Tensor b = tg::zeros({1}, /*requires_grad=*/true);
  std::vector<double> losses;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const tg::Tensor y_pred = w * x + b;                    // 1. forward
    const tg::Tensor loss = (y - y_pred).square().mean();  // 2. MSE
    loss.backward();                                        // 3. dL/dw, dL/db
    {
      tg::NoGradGuard no_grad;                              // 4. update
      w -= lr * w.grad();
      b -= lr * b.grad();
    }
    w.zero_grad();
    b.zero_grad();
    losses.push_back(loss.item());
    if (print && epoch % 10 == 0) {
      std::printf("Epoch %3d: loss = %.4f, w = %.4f, b = %.4f\n", epoch, loss.item(), w.item(), b.item());
    }
  }
  if (out) *out = {w.item(), b.item()};
  return losses;
}

}  // namespace

int main() {
  // The data of the notebook: np.random.seed(42); X = uniform(-5, 5, 100);
  // y = 1.5 X + 2 + normal(0, 1.5, 100). tapegrad's generator is NumPy's, so these are the
  // very same numbers.
  tg::manual_seed(42);
  const tg::data::Dataset data = tg::data::make_linear(100);
  const tg::Tensor x = data.X.reshape({100});
  const tg::Tensor y = data.y;
  const Line best = least_squares(x, y);

  std::printf("1. Gradient descent by hand, lr = 0.01, w = b = 0 at the start\n");
  Line hand{};
  by_hand(x, y, 0.01, 100, /*print=*/true, &hand);
  std::printf("Final: w = %.4f (true: 1.5), b = %.4f (true: 2.0)\n\n", hand.w, hand.b);

  std::printf("2. The same with tg::nn::Linear and tg::optim::SGD\n");
  tg::nn::Linear neuron(1, 1);
  tg::nn::init::zeros_(neuron.weight());  // start from w = b = 0, as by hand
  tg::nn::init::zeros_(neuron.bias());
  tg::optim::SGD opt(neuron.parameters(), {.lr = 0.01});
  for (int epoch = 1; epoch <= 100; ++epoch) {
    opt.zero_grad();
    const tg::Tensor loss = F::mse_loss(neuron(data.X).reshape({100}), y);
    loss.backward();
    opt.step();
    if (epoch % 10 == 0) {
      std::printf("Epoch %3d: loss = %.4f, w = %.4f, b = %.4f\n", epoch, loss.item(), neuron.weight().item(),
                  neuron.bias().item());
    }
  }
  const double minimum = (y - (best.w * x + best.b)).square().mean().item();
  std::printf("\n3. Learning rates, 100 epochs each (the least-squares loss is %.4f)\n", minimum);
  Line at_001{};
  for (const double lr : {0.5, 0.01, 0.001}) {
    Line end{};
    const std::vector<double> losses = by_hand(x, y, lr, 100, /*print=*/false, &end);
    if (lr == 0.01) at_001 = end;
    const double last = losses.back();
    std::string verdict;
    if (!std::isfinite(last) || last > losses.front()) verdict = "diverges: each step overshoots more than the last";
    else if (last > 1.1 * minimum) verdict = "crawls: the steps are too small to get there in 100 epochs";
    else verdict = "converges: within 10% of the least-squares loss";
    std::printf("lr = %-5g loss at epoch 10 = %-10.4g epoch 100 = %-10.4g %s\n", lr, losses[9], last, verdict.c_str());
  }

  std::printf("At lr = 0.01 only w has arrived (w = %.4f, least squares %.4f): b = %.4f is still %.2f short of\n"
              "%.4f. Along b the loss curves 9 times less steeply than along w, so one learning rate moves\n"
              "b only about 2%% of the remaining way per epoch (see why_b_is_slow).\n",
              at_001.w, best.w, at_001.b, best.b - at_001.b, best.b);

  std::printf("\n4. Run to convergence (lr = 0.05, 500 epochs) against the closed form\n");
  Line converged{};
  by_hand(x, y, 0.05, 500, /*print=*/false, &converged);
  std::printf("gradient descent: w = %.6f, b = %.6f\n", converged.w, converged.b);
  std::printf("least squares:    w = %.6f, b = %.6f\n", best.w, best.b);
  std::printf("largest difference %.1e; distance to the true line: |w - 1.5| = %.4f, |b - 2| = %.4f\n",
              std::max(std::fabs(converged.w - best.w), std::fabs(converged.b - best.b)),
              std::fabs(converged.w - 1.5), std::fabs(converged.b - 2.0));
  return 0;
}
