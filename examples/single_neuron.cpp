// One neuron learns y = 1.5x + 2 from 100 noisy samples — the lesson's notebook, in C++:
//   1. gradient descent written by hand on tensors: forward, loss, backward, update;
//   2. the same with tg::nn::Linear and tg::optim::SGD;
//   3. the learning-rate experiment: 0.5, 0.01 and 0.001 for 100 epochs;
//   4. running to convergence, against the least-squares line in closed form;
//   5. with --plots DIR, the notebook's pictures: the loss curve, w and b over the epochs, the
//      fitted line over the data, the fit animated (a GIF), and the three learning rates' losses.
//
//   single_neuron [--plots DIR]
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

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

// What a run by hand went through: the loss of each epoch (computed before that epoch's
// update, as the lesson's train_step returns it) and w, b after it.
struct Run {
  std::vector<double> losses, w, b;
};

// Part 1: w and b as plain tensors, the update written out.
Run by_hand(const tg::Tensor& x, const tg::Tensor& y, double lr, int epochs, bool print, Line* out = nullptr) {
  tg::Tensor w = tg::zeros({1}, /*requires_grad=*/true);
  tg::Tensor b = tg::zeros({1}, /*requires_grad=*/true);
  Run run;
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
    run.losses.push_back(loss.item());
    run.w.push_back(w.item());
    run.b.push_back(b.item());
    if (print && epoch % 10 == 0) {
      std::printf("Epoch %3d: loss = %.4f, w = %.4f, b = %.4f\n", epoch, loss.item(), w.item(), b.item());
    }
  }
  if (out) *out = {w.item(), b.item()};
  return run;
}

// The line y = w·x + b across the data's x range [-5, 5], as a curve to plot.
tg::plot::Series line(const std::string& label, double w, double b) {
  return {label, {-5.0, 5.0}, {-5.0 * w + b, 5.0 * w + b}};
}

std::vector<double> epochs_up_to(std::size_t n) {
  std::vector<double> epochs;
  for (std::size_t k = 1; k <= n; ++k) epochs.push_back(static_cast<double>(k));
  return epochs;
}

void report(bool drawn, const std::string& file) {
  if (drawn) {
    std::printf("  wrote %s\n", file.c_str());
  } else {
    std::printf("  %s (data and script written beside %s)\n", tg::plot::install_hint().c_str(), file.c_str());
  }
}

// Part 5: the notebook's pictures (its exercises 5 to 7), from the run at lr = 0.01 and the
// three learning rates.
void draw(const std::string& dir, const tg::Tensor& x, const tg::Tensor& y, const Run& run,
          const std::vector<std::pair<double, Run>>& rates, double minimum) {
  namespace plot = tg::plot;
  std::filesystem::create_directories(dir);
  // The loss's Hessian in (w, b) is 2 [[mean x², mean x], [mean x, 1]]; its larger eigenvalue:
  const double a = 2 * x.square().mean().item(), c = 2 * x.mean().item(), d = 2.0;
  const double lambda_max = (a + d) / 2 + std::sqrt((a - d) * (a - d) / 4 + c * c);
  const std::vector<double> xs = x.to_vector(), ys = y.to_vector();
  const std::vector<double> epochs = epochs_up_to(run.losses.size());
  const std::size_t last = run.losses.size() - 1;
  std::printf("\n5. Pictures, lr = 0.01 (in %s/)\n", dir.c_str());

  std::printf("The loss falls fast, then slowly: %.4f at epoch 1, %.4f at 10, %.4f at 100\n", run.losses[0],
              run.losses[9], run.losses[last]);
  report(plot::lines(dir + "/loss", "Loss over time, lr = 0.01", "epoch", "loss (MSE)", {{"loss", epochs, run.losses}}),
         dir + "/loss.png");

  report(plot::lines(dir + "/params", "Parameters over time, lr = 0.01", "epoch", "parameter value",
                     {{"w", epochs, run.w},
                      {"b", epochs, run.b},
                      {"true w = 1.5", {1.0, epochs.back()}, {1.5, 1.5}},
                      {"true b = 2", {1.0, epochs.back()}, {2.0, 2.0}}}),
         dir + "/params.png");

  char learned[64];
  std::snprintf(learned, sizeof learned, "learned: y = %.2fx + %.2f", run.w[last], run.b[last]);
  report(plot::lines(dir + "/fit", "Final fit after 100 epochs", "x", "y",
                     {{"data", xs, ys, /*scatter=*/true}, line("true: y = 1.5x + 2", 1.5, 2.0),
                      line(learned, run.w[last], run.b[last])}),
         dir + "/fit.png");

  // The animation: every fourth epoch, from the start (w = b = 0) to epoch 100.
  std::vector<plot::Frame> frames;
  for (std::size_t epoch = 0; epoch <= run.losses.size(); epoch += 4) {
    const double w = epoch == 0 ? 0.0 : run.w[epoch - 1], b = epoch == 0 ? 0.0 : run.b[epoch - 1];
    // The loss of the line drawn: the one computed at the start of the next epoch.
    const double loss = epoch < run.losses.size() ? run.losses[epoch] : (y - (w * x + b)).square().mean().item();
    char title[96], label[64];
    std::snprintf(title, sizeof title, "Epoch %zu | loss: %.4f", epoch, loss);
    std::snprintf(label, sizeof label, "learned: y = %.3fx + %.3f", w, b);
    frames.push_back({title, {{"data", xs, ys, true}, line("true line", 1.5, 2.0), line(label, w, b)}});
  }
  // The line turns into place before it slides: the share of the way to the end of the run
  // that w and b have come, a few epochs in.
  for (const std::size_t epoch : {5, 10, 50}) {
    std::printf("Epoch %3zu: w has come %3.0f%% of its way to %.4f, b %3.0f%% of its way to %.4f\n", epoch,
                100 * run.w[epoch - 1] / run.w[last], run.w[last], 100 * run.b[epoch - 1] / run.b[last], run.b[last]);
  }
  const bool animated = plot::animation(dir + "/fit_animation", "x", "y", frames, /*delay=*/20);
  if (animated) {
    std::printf("  wrote %s/fit_animation.gif (%zu frames: epochs 0 to %zu, every fourth one)\n", dir.c_str(),
                frames.size(), run.losses.size());
  } else {
    report(false, dir + "/fit_animation.gif");
  }

  // The learning rates: 0.01 against 0.001 on a linear axis, with the least-squares loss below
  // them; 0.5 on its own, on a logarithmic one (its 1e178 would flatten the other two).
  std::vector<plot::Series> converging;
  for (const auto& [lr, r] : rates) {
    if (lr == 0.5) continue;
    char label[32];
    std::snprintf(label, sizeof label, "lr = %g", lr);
    converging.push_back({label, epochs, r.losses});
  }
  char floor[48];
  std::snprintf(floor, sizeof floor, "least-squares loss %.4f", minimum);
  converging.push_back({floor, {1.0, epochs.back()}, {minimum, minimum}});
  report(plot::lines(dir + "/learning_rates", "lr = 0.01 converges, lr = 0.001 crawls (100 epochs)", "epoch",
                     "loss (MSE)", converging),
         dir + "/learning_rates.png");
  // Along the steepest direction of the loss, each step multiplies the error by 1 − lr·λmax, and
  // the loss by its square.
  const std::vector<double>& diverging = rates.front().second.losses;
  const double growth = std::pow(diverging[99] / diverging[89], 0.1);
  std::printf("lr = 0.5: the loss grows %.1f-fold per epoch (epochs 90 to 100); (1 - 0.5 * %.4f)^2 = %.1f, with\n"
              "%.4f the largest eigenvalue of the loss's Hessian\n",
              growth, lambda_max, std::pow(1 - 0.5 * lambda_max, 2), lambda_max);
  report(plot::lines(dir + "/lr_diverges", "lr = 0.5 diverges: the loss, log scale", "epoch", "loss (MSE), log scale",
                     {{"lr = 0.5", epochs, diverging}}, /*log_y=*/true),
         dir + "/lr_diverges.png");
}

}  // namespace

int main(int argc, char** argv) {
  std::string plots;
  if (argc == 3 && std::strcmp(argv[1], "--plots") == 0) {
    plots = argv[2];
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: single_neuron [--plots DIR]\n");
    return 2;
  }
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
  const Run run = by_hand(x, y, 0.01, 100, /*print=*/true, &hand);
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
  std::vector<std::pair<double, Run>> rates;
  for (const double lr : {0.5, 0.01, 0.001}) {
    Line end{};
    rates.emplace_back(lr, by_hand(x, y, lr, 100, /*print=*/false, &end));
    const std::vector<double>& losses = rates.back().second.losses;
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

  if (!plots.empty()) {
    try {
      draw(plots, x, y, run, rates, minimum);
    } catch (const tg::Error& e) {
      std::fprintf(stderr, "single_neuron: %s\n", e.what());
      return 1;
    } catch (const std::filesystem::filesystem_error& e) {
      std::fprintf(stderr, "single_neuron: %s\n", e.what());
      return 1;
    }
  }
  return 0;
}
