// Numerical faults: a loss that becomes NaN or Inf is reported with its step (and epoch) by
// tg::train::check_finite, before it can reach the parameters; with anomaly detection on,
// backward() names the operation of the forward pass that made the first NaN or Inf, and the
// operation whose derivative did.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Turns anomaly detection on for one test.
struct AnomalyDetection {
  AnomalyDetection() { tg::set_detect_anomaly(true); }
  ~AnomalyDetection() { tg::set_detect_anomaly(false); }
};

TEST(CheckFinite, NamesTheValueTheStepAndTheEpoch) {
  EXPECT_NO_THROW(tg::train::check_finite(0.25, 1));
  EXPECT_NO_THROW(tg::train::check_finite(-1e308, 1));
  EXPECT_EQ(message_of<tg::NumericalError>([] { tg::train::check_finite(kNaN, 123, 4); }), "loss is nan at step 123 (epoch 4)");
  EXPECT_EQ(message_of<tg::NumericalError>([] { tg::train::check_finite(-kNaN, 123, 4); }), "loss is nan at step 123 (epoch 4)");
  EXPECT_EQ(message_of<tg::NumericalError>([] { tg::train::check_finite(kInf, 7); }), "loss is inf at step 7");
  EXPECT_EQ(message_of<tg::NumericalError>([] { tg::train::check_finite(-kInf, 7, 0, "gradient norm"); }),
            "gradient norm is -inf at step 7 (epoch 0)");
  EXPECT_EQ(message_of<tg::NumericalError>([] { tg::train::check_finite(tg::tensor({1.0, kNaN}).sum(), 2); }),
            "loss is nan at step 2");
  EXPECT_THROW(tg::train::check_finite(tg::tensor({1.0, 2.0}), 1), tg::Error) << "a loss must have one element";
}

// The single neuron of the lessons: y = 1.5x + 2 + N(0, 1.5^2) at 100 points x ~ U(-5, 5),
// seed 42, w = b = 0, plain gradient descent on the MSE. With lr 10 it diverges: each step
// multiplies the error by about 1 - 10 * 2 E[x^2] ~ -160.
struct SingleNeuron {
  tg::Tensor x, y;
  SingleNeuron() {
    tg::manual_seed(42);
    x = tg::uniform({100}, -5.0, 5.0);
    y = 1.5 * x + 2.0 + tg::normal({100}, 0.0, 1.5);
  }
};

// The first step whose loss is not finite, computed independently with plain doubles:
// loss = mean((w x + b - y)^2), dL/dw = 2 mean(r x), dL/db = 2 mean(r), r = w x + b - y. The mean
// is the sum divided by n, as in tapegrad and PyTorch: the sum overflows before any square does.
int first_non_finite_step(const SingleNeuron& d, double lr) {
  const std::vector<double> x = d.x.to_vector(), y = d.y.to_vector();
  const double n = static_cast<double>(x.size());
  double w = 0.0, b = 0.0;
  for (int step = 1; step <= 10'000; ++step) {
    double sum = 0.0, gw = 0.0, gb = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double r = w * x[i] + b - y[i];
      sum += r * r;
      gw += 2.0 * r * x[i] / n;
      gb += 2.0 * r / n;
    }
    if (!std::isfinite(sum / n)) return step;
    w -= lr * gw;
    b -= lr * gb;
  }
  return -1;
}

TEST(NumericalFaults, ADivergingRunIsStoppedAtTheRightStep) {
  const SingleNeuron d;
  const int expected = first_non_finite_step(d, 10.0);
  ASSERT_GT(expected, 10) << "it diverges, but not at once";
  tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
  tg::optim::SGD opt({w, b}, {.lr = 10.0});
  const int steps_per_epoch = 10;  // pretend an epoch is 10 steps, to check the epoch too
  int last_good_step = 0;
  double w_before = 0.0;
  const std::string msg = message_of<tg::NumericalError>([&] {
    for (int step = 1; step <= 10'000; ++step) {
      opt.zero_grad();
      const tg::Tensor loss = (w * d.x + b - d.y).square().mean();
      w_before = w.item();
      tg::train::check_finite(loss, step, (step - 1) / steps_per_epoch + 1);
      loss.backward();
      opt.step();
      last_good_step = step;
    }
  });
  EXPECT_EQ(msg, "loss is inf at step " + std::to_string(expected) + " (epoch " +
                     std::to_string((expected - 1) / steps_per_epoch + 1) + ")");
  EXPECT_EQ(last_good_step, expected - 1);
  EXPECT_TRUE(std::isfinite(w.item())) << "the bad loss never reached the parameters";
  EXPECT_EQ(w.item(), w_before);
}

TEST(NumericalFaults, WithAnomalyDetectionTheDivergingRunNamesTheOperation) {
  // Without check_finite, backward() itself refuses the infinite loss at the same step and
  // names the operation that overflowed: the mean, whose sum of 100 finite squares exceeds
  // the largest double (1.8e308).
  const SingleNeuron d;
  const int expected = first_non_finite_step(d, 10.0);
  tg::Tensor w = tg::zeros({1}, true), b = tg::zeros({1}, true);
  tg::optim::SGD opt({w, b}, {.lr = 10.0});
  const AnomalyDetection anomaly;
  int step = 0;
  const std::string msg = message_of<tg::AnomalyError>([&] {
    for (step = 1; step <= 10'000; ++step) {
      opt.zero_grad();
      (w * d.x + b - d.y).square().mean().backward();
      opt.step();
    }
  });
  EXPECT_EQ(step, expected);
  EXPECT_EQ(msg,
            "backward(): the tensor to differentiate (shape ()) holds NaN or Inf; the first NaN or Inf of the "
            "forward pass is the output of 'mean' (node #4, output shape ())");
  EXPECT_EQ(tg::Tape::current().size(), 0u) << "the refused graph is released with its tensors";
}

TEST(NumericalFaults, AnomalyDetectionNamesTheOperation) {
  const AnomalyDetection anomaly;
  // log of a negative number: the value is NaN (its derivative, 1/x, is not).
  {
    const tg::Tensor w = tg::tensor({-0.5}, true);
    const tg::Tensor x = tg::tensor({1.0, 2.0, 3.0});
    const tg::Tensor loss = (tg::log(w * x) - 1.0).square().mean();
    EXPECT_EQ(message_of<tg::AnomalyError>([&] { loss.backward(); }),
              "backward(): the tensor to differentiate (shape ()) holds NaN or Inf; the first NaN or Inf of the "
              "forward pass is the output of 'log' (node #1, output shape (3,))");
    EXPECT_FALSE(w.grad().defined()) << "nothing was back-propagated";
  }
  // 0/0 in a division.
  {
    const tg::Tensor a = tg::tensor({0.0, 1.0}, true);
    const tg::Tensor b = tg::tensor({0.0, 2.0}, true);
    const tg::Tensor loss = (a / b).sum();
    EXPECT_EQ(message_of<tg::AnomalyError>([&] { loss.backward(); }),
              "backward(): the tensor to differentiate (shape ()) holds NaN or Inf; the first NaN or Inf of the "
              "forward pass is the output of 'div' (node #0, output shape (2,))");
  }
  // A finite loss whose gradient is NaN: where() hides the NaN of 0/0 from the value but not
  // from the derivative (0 times the division's 1/b = 1/0). Both operations are named.
  {
    const tg::Tensor a = tg::tensor({0.0, 1.0}, true);
    const tg::Tensor b = tg::tensor({0.0, 2.0}, true);
    const tg::Tensor safe = tg::where(tg::tensor({0.0, 1.0}), a / b, tg::zeros({2}));
    const tg::Tensor loss = safe.sum();
    ASSERT_EQ(loss.item(), 0.5);
    EXPECT_EQ(message_of<tg::AnomalyError>([&] { loss.backward(); }),
              "backward(): the derivative of 'div' (node #0, output shape (2,)) produced NaN in the gradient of its "
              "input 0 (shape (2,), element 0); the first NaN or Inf of the forward pass is the output of 'div' "
              "(node #0, output shape (2,))");
  }
  EXPECT_EQ(tg::Tape::current().size(), 0u);
}

TEST(NumericalFaults, WithoutAnomalyDetectionBackwardLetsNaNThrough) {
  // The default: no check, no cost; the NaN reaches the gradient.
  const tg::Tensor w = tg::tensor({-0.5}, true);
  const tg::Tensor loss = (tg::log(w * tg::tensor({1.0, 2.0})) - 1.0).square().mean();
  loss.backward();
  EXPECT_TRUE(std::isnan(w.grad().item()));
}

}  // namespace
