// Pictures of training with tg::plot (gnuplot): an MLP's training and test loss on two moons,
// the decision boundary it learned, the effective learning rates Adagrad gives each parameter
// tensor, and three optimizers on Rosenbrock's function: their paths over its contours, their
// loss and their parameters against the step. docs/plots.md shows them.
//
//   training_plots [DIR]      writes DIR/training_loss.png, .svg, .gp, _series.dat, ...
//                             (DIR defaults to the current directory; it is created if missing)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;

// Reports what a plot function did: the picture, or how to get gnuplot.
void report(bool drawn, const std::string& base) {
  if (drawn) {
    std::printf("wrote %s.png and %s.svg (data: %s_*.dat, script: %s.gp)\n", base.c_str(), base.c_str(), base.c_str(),
                base.c_str());
  } else {
    std::printf("%s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(),
                base.c_str());
  }
}

std::vector<double> as_doubles(const std::vector<int64_t>& v) { return {v.begin(), v.end()}; }

// 1. Training and test loss of an MLP on two moons, with Adam; then its decision boundary.
void loss_curves_and_boundary(const std::string& dir) {
  auto [train, test] = tg::data::train_test_split(tg::data::make_moons(200, 0.3, 0), 0.5, 0);
  tg::manual_seed(0);
  tg::nn::MLP model({2, 64, 64, 2}, tg::nn::Activation::tanh);
  tg::optim::Adam opt(model.parameters(), {.lr = 0.01});
  tg::train::History history("epoch");
  for (int epoch = 1; epoch <= 1000; ++epoch) {
    opt.zero_grad();
    const tg::Tensor loss = F::cross_entropy(model(train.X), train.y);
    loss.backward();
    double test_loss = 0;
    {
      tg::NoGradGuard no_grad;
      test_loss = F::cross_entropy(model(test.X), test.y).item();
    }
    history.record(epoch, {{"train_loss", loss.item()}, {"test_loss", test_loss}});
    opt.step();
  }
  const std::vector<double> epochs = as_doubles(history.index());
  std::printf("MLP 2-64-64-2 on two moons (100 training, 100 test points), Adam lr 0.01:\n");
  const std::vector<double> test_loss = history.column("test_loss");
  const auto best = std::min_element(test_loss.begin(), test_loss.end()) - test_loss.begin();
  std::printf("  lowest test loss %.4f at epoch %lld; at epoch %lld: training loss %.4f, test loss %.4f\n",
              test_loss[best], static_cast<long long>(epochs[best]), static_cast<long long>(history.size()),
              history.last("train_loss"), history.last("test_loss"));

  report(tg::plot::lines(dir + "/training_loss", "MLP 2-64-64-2 on two moons, Adam lr 0.01", "epoch",
                         "cross-entropy loss",
                         {{"training (100 points)", epochs, history.column("train_loss")},
                          {"test (100 points)", epochs, history.column("test_loss")}},
                         /*log_y=*/true),
         dir + "/training_loss");

  tg::NoGradGuard no_grad;
  const auto p1 = [&model](double x1, double x2) {
    return tg::softmax(model(tg::tensor({{x1, x2}})), 1).at({0, 1});
  };
  std::printf("  accuracy after epoch 1000: training %.4f, test %.4f\n", tg::data::accuracy(model(train.X), train.y),
              tg::data::accuracy(model(test.X), test.y));
  report(tg::plot::decision_boundary(dir + "/decision_boundary",
                                     "Two moons after 1000 epochs: the MLP's P(class 1) and its training points", p1,
                                     train.X, train.y, {-2.0, 3.0, -1.75, 2.25}),
         dir + "/decision_boundary");
}

// 2. Adagrad's effective learning rate, per parameter tensor: the mean over its elements and
// over the steps of an epoch of (θ_before − θ_after) / g.
void effective_learning_rates(const std::string& dir) {
  const tg::data::Dataset data = tg::data::make_moons(200, 0.2, 0);
  tg::manual_seed(0);
  tg::nn::MLP model({2, 16, 16, 2}, tg::nn::Activation::tanh);
  tg::optim::Adagrad opt(model.parameters(), {.lr = 0.1});
  opt.track_step_sizes();
  tg::data::DataLoader loader(data, {.batch_size = 20, .shuffle = true, .seed = 0});
  const auto named = model.named_parameters();
  std::vector<tg::plot::Series> series;
  for (const auto& [name, p] : named) series.push_back({name, {}, {}});
  for (int epoch = 1; epoch <= 100; ++epoch) {
    std::vector<double> sum(named.size(), 0.0);
    std::vector<int64_t> count(named.size(), 0);
    for (const auto& [X, y] : loader) {
      opt.zero_grad();
      F::cross_entropy(model(X), y).backward();
      opt.step();
      const std::vector<tg::Tensor> sizes = opt.step_sizes();
      for (std::size_t k = 0; k < sizes.size(); ++k) {
        for (double s : sizes[k].to_vector()) {
          if (std::isfinite(s)) {
            sum[k] += s;
            ++count[k];
          }
        }
      }
    }
    for (std::size_t k = 0; k < named.size(); ++k) {
      series[k].x.push_back(epoch);
      series[k].y.push_back(count[k] > 0 ? sum[k] / static_cast<double>(count[k]) : std::nan(""));
    }
  }
  std::printf("Adagrad lr 0.1, MLP 2-16-16-2, batches of 20: mean effective learning rate\n");
  for (const auto& s : series) {
    std::printf("  %-16s epoch 1: %.4f  epoch 100: %.4f\n", s.label.c_str(), s.y.front(), s.y.back());
  }
  report(tg::plot::lines(dir + "/effective_lr", "Adagrad lr 0.1: effective learning rate of each parameter tensor",
                         "epoch", "mean of (θ before − θ after) / gradient", series, /*log_y=*/true),
         dir + "/effective_lr");
}

// 3. Three optimizers on Rosenbrock's function (the registry's, tg::functions): their paths
// over its contours, their loss against the step, and their parameters against the step.
struct Run {
  std::string label;
  std::vector<std::vector<double>> points;  // the iterates, start first
  std::vector<double> loss;                 // f at each iterate
};

Run descend(const std::string& label, const tg::functions::TestFunction& f, tg::optim::Optimizer& opt, tg::Tensor& p,
            int steps) {
  Run run{label, {p.to_vector()}, {}};
  for (int k = 0; k < steps; ++k) {
    opt.zero_grad();
    const tg::Tensor loss = f(p);
    run.loss.push_back(loss.item());
    loss.backward();
    opt.step();
    run.points.push_back(p.to_vector());
  }
  {
    tg::NoGradGuard no_grad;
    run.loss.push_back(f(p).item());
  }
  std::printf("  %-26s after %d steps: (%.4f, %.4f), f = %.3g\n", label.c_str(), steps, run.points.back()[0],
              run.points.back()[1], run.loss.back());
  return run;
}

void rosenbrock_plots(const std::string& dir) {
  const tg::functions::TestFunction& f = tg::functions::get("rosenbrock");
  constexpr int kSteps = 500;
  tg::Tensor p_sgd = f.start("(-1.5,2)").set_requires_grad(true);
  tg::Tensor p_momentum = f.start("(-1.5,2)").set_requires_grad(true);
  tg::Tensor p_adam = f.start("(-1.5,2)").set_requires_grad(true);
  tg::optim::SGD sgd({p_sgd}, {.lr = 0.001});
  tg::optim::SGD momentum({p_momentum}, {.lr = 0.001, .momentum = 0.9});
  tg::optim::Adam adam({p_adam}, {.lr = 0.1});
  std::printf("Rosenbrock from (-1.5, 2); minimum at (1, 1):\n");
  const std::vector<Run> runs = {descend("SGD lr 0.001", f, sgd, p_sgd, kSteps),
                                 descend("SGD momentum 0.9 lr 0.001", f, momentum, p_momentum, kSteps),
                                 descend("Adam lr 0.1", f, adam, p_adam, kSteps)};

  tg::plot::ContourPlot plot{
      .title = "Rosenbrock: (1 − x)² + 100 (y − x²)², 500 steps from (−1.5, 2)",
      .window = f.window,
      .f =
          [&f](double x, double y) {
            tg::NoGradGuard no_grad;
            return f(tg::tensor({x, y})).item();
          },
      .log_scale = f.log_scale,
  };
  for (const tg::functions::Point& m : f.points) plot.markers.push_back(m.x);
  for (const Run& r : runs) plot.trajectories.push_back({r.label, r.points});
  report(tg::plot::contour(dir + "/rosenbrock", plot), dir + "/rosenbrock");

  std::vector<tg::plot::Series> losses, params;
  for (const Run& r : runs) {
    tg::plot::Series loss{r.label, {}, r.loss}, x{r.label + ": x", {}, {}}, y{r.label + ": y", {}, {}};
    for (std::size_t k = 0; k < r.points.size(); ++k) {
      loss.x.push_back(static_cast<double>(k));
      x.x.push_back(static_cast<double>(k));
      y.x.push_back(static_cast<double>(k));
      x.y.push_back(r.points[k][0]);
      y.y.push_back(r.points[k][1]);
    }
    losses.push_back(loss);
    params.push_back(x);
    params.push_back(y);
  }
  report(tg::plot::lines(dir + "/rosenbrock_loss", "Rosenbrock from (−1.5, 2): loss against step", "step",
                         "f(x, y)", losses, /*log_y=*/true),
         dir + "/rosenbrock_loss");
  report(tg::plot::lines(dir + "/rosenbrock_params", "Rosenbrock from (−1.5, 2): parameters against step (minimum: x = y = 1)",
                         "step", "parameter value", params),
         dir + "/rosenbrock_params");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: training_plots [DIR]\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    std::filesystem::create_directories(dir);
    loss_curves_and_boundary(dir);
    effective_learning_rates(dir);
    rosenbrock_plots(dir);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "training_plots: %s\n", e.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "training_plots: %s\n", e.what());
    return 1;
  }
  return 0;
}
