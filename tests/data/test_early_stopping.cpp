// EarlyStopping: Keras' rules for patience, min_delta and mode, checked epoch by epoch; the best
// weights kept and restored in place; a real training loop; bad options as typed errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

using tg::train::EarlyStopping;

// Feeds the metrics one epoch at a time; returns the epoch (1-based) at which step() first
// said stop, or 0.
int64_t stops_at(EarlyStopping& stopper, const std::vector<double>& metrics) {
  for (double m : metrics)
    if (stopper.step(m)) return stopper.epoch();
  return 0;
}

TEST(EarlyStopping, PatienceCountsEpochsInARowWithoutANewBest) {
  // Best at epoch 2; epochs 3 and 4 are worse; patience 2 stops at epoch 4.
  EarlyStopping two({.patience = 2});
  EXPECT_EQ(stops_at(two, {1.0, 0.5, 0.6, 0.7, 0.1}), 4);
  EXPECT_EQ(two.best_epoch(), 2);
  EXPECT_EQ(two.best(), 0.5);
  EXPECT_EQ(two.stopped_epoch(), 4);
  EXPECT_EQ(two.wait(), 2);
  EXPECT_TRUE(two.should_stop());
  // A new best resets the count: 0.6, 0.4 (best), 0.45, 0.5 -> stops at epoch 5 with patience 2.
  EarlyStopping reset({.patience = 2});
  EXPECT_EQ(stops_at(reset, {1.0, 0.6, 0.4, 0.45, 0.5, 0.3}), 5);
  EXPECT_EQ(reset.best_epoch(), 3);
  // An equal value is not an improvement (strictly below best - min_delta).
  EarlyStopping equal({.patience = 1});
  EXPECT_EQ(stops_at(equal, {1.0, 1.0}), 2);
  // Patience 0 stops at the first epoch without a new best, as 1 does (Keras).
  EarlyStopping zero({.patience = 0});
  EXPECT_EQ(stops_at(zero, {3.0, 2.0, 1.0, 1.5}), 4);
  EarlyStopping one({.patience = 1});
  EXPECT_EQ(stops_at(one, {3.0, 2.0, 1.0, 1.5}), 4);
  // Never worse: never stops.
  EarlyStopping steady({.patience = 3});
  EXPECT_EQ(stops_at(steady, {5, 4, 3, 2, 1, 0.5, 0.25}), 0);
  EXPECT_FALSE(steady.should_stop());
  EXPECT_EQ(steady.epoch(), 7);
  EXPECT_EQ(steady.best_epoch(), 7);
}

TEST(EarlyStopping, MinDeltaAndMode) {
  // min_delta 0.1: 0.95 and 0.91 are not better than 1.0 by more than 0.1; 0.85 is.
  EarlyStopping delta({.patience = 3, .min_delta = 0.1});
  EXPECT_EQ(stops_at(delta, {1.0, 0.95, 0.91, 0.85, 0.8, 0.79, 0.78}), 7);
  EXPECT_EQ(delta.best_epoch(), 4);
  EXPECT_EQ(delta.best(), 0.85);
  // "max": an accuracy. 0.9 at epoch 3 is the best; 0.9 again is no improvement.
  EarlyStopping accuracy({.patience = 2, .mode = "max"});
  EXPECT_EQ(accuracy.best(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(stops_at(accuracy, {0.5, 0.8, 0.9, 0.9, 0.85, 0.95}), 5);
  EXPECT_EQ(accuracy.best_epoch(), 3);
  EXPECT_EQ(accuracy.best(), 0.9);
  EarlyStopping max_delta({.patience = 1, .min_delta = 0.05, .mode = "max"});
  EXPECT_EQ(stops_at(max_delta, {0.5, 0.6, 0.64}), 3);
  EXPECT_EQ(max_delta.best(), 0.6);
}

TEST(EarlyStopping, ANonFiniteMetricIsNeverAnImprovement) {
  EarlyStopping stopper({.patience = 2});
  EXPECT_EQ(stopper.best(), std::numeric_limits<double>::infinity());
  EXPECT_FALSE(stopper.step(NAN));
  EXPECT_FALSE(stopper.improved());
  EXPECT_EQ(stopper.best_epoch(), 0);
  EXPECT_FALSE(stopper.step(2.0));
  EXPECT_TRUE(stopper.improved());
  EXPECT_FALSE(stopper.step(-INFINITY));  // not a better loss: a broken one
  EXPECT_TRUE(stopper.step(NAN));
  EXPECT_EQ(stopper.best_epoch(), 2);
  EXPECT_EQ(stopper.best(), 2.0);
}

TEST(EarlyStopping, OnceStoppedItStaysStopped) {
  EarlyStopping stopper({.patience = 1});
  EXPECT_EQ(stops_at(stopper, {1.0, 2.0}), 2);
  EXPECT_TRUE(stopper.step(0.5));  // a new best after the stop is recorded, but the verdict stands
  EXPECT_TRUE(stopper.improved());
  EXPECT_EQ(stopper.best_epoch(), 3);
  EXPECT_EQ(stopper.stopped_epoch(), 2);
}

// The weights of the best epoch are copied at that epoch and written back, in place, on the
// epoch that stops.
TEST(EarlyStopping, RestoresTheBestWeightsInPlace) {
  tg::Tensor w = tg::tensor({1.0, 2.0}, /*requires_grad=*/true);
  tg::Tensor b = tg::tensor({0.5}, /*requires_grad=*/true);
  const tg::Tensor w_handle = w;  // the same tensor: restoring must not replace it
  EarlyStopping stopper({w, b}, {.patience = 2, .restore_best_weights = true});
  const std::vector<double> losses = {3.0, 1.0, 2.0, 2.5};
  for (std::size_t e = 0; e < losses.size(); ++e) {
    {
      tg::NoGradGuard no_grad;
      w.fill_(static_cast<double>(e + 1));  // epoch e+1 leaves w = (e+1, e+1), b = -(e+1)
      b.fill_(-static_cast<double>(e + 1));
    }
    const bool stop = stopper.step(losses[e]);
    EXPECT_EQ(stop, e == 3) << "epoch " << e + 1;
  }
  EXPECT_EQ(stopper.best_epoch(), 2);
  EXPECT_EQ(w.to_vector(), (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(b.to_vector(), (std::vector<double>{-2.0}));
  EXPECT_TRUE(w.is_same(w_handle));
  EXPECT_TRUE(w.requires_grad());
  EXPECT_EQ(tg::Tape::current().size(), 0u);  // nothing recorded
}

TEST(EarlyStopping, WithoutRestoringTheWeightsStay) {
  tg::Tensor w = tg::tensor({1.0}, true);
  EarlyStopping stopper({w}, {.patience = 1});
  stopper.step(1.0);
  {
    tg::NoGradGuard no_grad;
    w.fill_(7.0);
  }
  EXPECT_TRUE(stopper.step(2.0));
  EXPECT_EQ(w.item(), 7.0);
}

// A loop that ends before patience runs out restores the best weights with restore_best().
TEST(EarlyStopping, RestoreBestAfterALoopThatDidNotStop) {
  tg::Tensor w = tg::tensor({0.0}, true);
  EarlyStopping stopper({w}, {.patience = 10, .restore_best_weights = true});
  for (double v : {3.0, 1.0, 2.0}) {
    {
      tg::NoGradGuard no_grad;
      w.fill_(v);
    }
    EXPECT_FALSE(stopper.step(v));
  }
  EXPECT_EQ(w.item(), 2.0);
  stopper.restore_best();
  EXPECT_EQ(w.item(), 1.0);
}

// A real loop: gradient descent on a model that overfits a validation set. y = 2x on 4 noisy
// training points, validated on clean points; a degree-5 polynomial fits the noise as training
// goes on, so the validation loss has a minimum and the stopper lands the weights on it.
TEST(EarlyStopping, StopsARealRunAtItsBestValidationLoss) {
  const tg::Tensor x = tg::tensor({-1.0, -0.3, 0.4, 1.0});
  const tg::Tensor y = tg::tensor({-2.3, -0.2, 1.1, 1.7});  // 2x plus noise
  const tg::Tensor xv = tg::linspace(-1.0, 1.0, 21), yv = 2.0 * xv;
  const auto features = [](const tg::Tensor& t) { return tg::stack({t, t.pow(2), t.pow(3), t.pow(4), t.pow(5)}, 1); };
  tg::Tensor w = tg::zeros({5}, true);
  tg::optim::SGD opt({w}, {.lr = 0.3});
  EarlyStopping stopper({w}, {.patience = 50, .restore_best_weights = true});
  std::vector<double> val;
  std::vector<std::vector<double>> weights;
  int64_t stopped = 0;
  for (int epoch = 1; epoch <= 20000 && stopped == 0; ++epoch) {
    opt.zero_grad();
    (tg::matmul(features(x), w) - y).square().mean().backward();
    opt.step();
    tg::NoGradGuard no_grad;
    val.push_back((tg::matmul(features(xv), w) - yv).square().mean().item());
    weights.push_back(w.to_vector());
    if (stopper.step(val.back())) stopped = epoch;
  }
  ASSERT_GT(stopped, 0) << "the validation loss never rose for 50 epochs";
  const auto best = std::min_element(val.begin(), val.end()) - val.begin();
  EXPECT_EQ(stopper.best_epoch(), best + 1);
  EXPECT_EQ(stopped, best + 1 + 50);
  EXPECT_EQ(w.to_vector(), weights[static_cast<std::size_t>(best)]);
  EXPECT_LT(val[static_cast<std::size_t>(best)], val.back());
}

TEST(EarlyStopping, BadOptionsAreValueErrors) {
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.patience = -1}); }),
            "EarlyStopping: patience must be >= 0, got -1");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.min_delta = -0.01}); }),
            "EarlyStopping: min_delta must be a finite number >= 0, got -0.01");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.min_delta = NAN}); }),
            "EarlyStopping: min_delta must be a finite number >= 0, got nan");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.min_delta = INFINITY}); }),
            "EarlyStopping: min_delta must be a finite number >= 0, got inf");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.mode = "auto"}); }),
            "EarlyStopping: mode must be \"min\" or \"max\", got \"auto\"");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.mode = "Min"}); }),
            "EarlyStopping: mode must be \"min\" or \"max\", got \"Min\"");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({.restore_best_weights = true}); }),
            "EarlyStopping: restore_best_weights needs the parameters to keep: EarlyStopping(model.parameters(), "
            "options)");
  EXPECT_EQ(message_of<tg::ValueError>([] { EarlyStopping({}, {.restore_best_weights = true}); }),
            "EarlyStopping: restore_best_weights needs the parameters to keep: EarlyStopping(model.parameters(), "
            "options)");
  EXPECT_EQ(message_of<tg::ValueError>([] {
              EarlyStopping({tg::zeros({2}), tg::Tensor()}, {});
            }),
            "EarlyStopping: parameter 1 is an undefined tensor");
}

TEST(EarlyStopping, RestoreBestWithNothingToRestoreIsAValueError) {
  EarlyStopping no_weights({.patience = 1});
  no_weights.step(1.0);
  EXPECT_EQ(message_of<tg::ValueError>([&] { no_weights.restore_best(); }),
            "EarlyStopping: restore_best() needs restore_best_weights = true (no weights were kept)");
  tg::Tensor w = tg::zeros({1}, true);
  EarlyStopping nothing_yet({w}, {.restore_best_weights = true});
  EXPECT_EQ(message_of<tg::ValueError>([&] { nothing_yet.restore_best(); }),
            "EarlyStopping: restore_best(): no epoch has reported a finite metric yet (0 reported)");
  nothing_yet.step(NAN);
  EXPECT_EQ(message_of<tg::ValueError>([&] { nothing_yet.restore_best(); }),
            "EarlyStopping: restore_best(): no epoch has reported a finite metric yet (1 reported)");
  EXPECT_EQ(w.item(), 0.0);
}

}  // namespace
