// accuracy, mse and r2_score against values computed by hand (and scikit-learn's documented
// examples for r2_score), with the refused inputs.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

#include "data/error_message.hpp"

namespace {

using tg::data::accuracy;
using tg::data::mse;
using tg::data::r2_score;

TEST(Accuracy, ArgmaxOfScores) {
  // predicted classes 0, 1, 0, 2 against 0, 1, 2, 2: 3 of 4
  const tg::Tensor logits = tg::tensor({{2, 1, 0}, {0, 3, 1}, {1, 0, 0.5}, {0, 0, 5}});
  EXPECT_EQ(accuracy(logits, tg::tensor({0, 1, 2, 2})), 0.75);
  const tg::Tensor one_hot = tg::tensor({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}});
  EXPECT_EQ(accuracy(logits, one_hot), 0.75);
  EXPECT_EQ(accuracy(logits.softmax(1), tg::tensor({0, 1, 2, 2})), 0.75) << "probabilities rank as logits";
  EXPECT_EQ(accuracy(tg::tensor({{1, 1, 0}}), tg::tensor({0})), 1.0) << "a tie goes to the first class";
  EXPECT_EQ(accuracy(tg::tensor({{1, 1, 0}}), tg::tensor({1})), 0.0);
}

TEST(Accuracy, ThresholdOfProbabilities) {
  // predictions 1, 0, 0 (0.5 is not above 0.5), 1 against 1, 0, 1, 0: 2 of 4
  const tg::Tensor p = tg::tensor({0.9, 0.2, 0.5, 0.7});
  const tg::Tensor y = tg::tensor({1, 0, 1, 0});
  EXPECT_EQ(accuracy(p, y), 0.5);
  EXPECT_EQ(accuracy(p.reshape({4, 1}), y), 0.5);
  EXPECT_EQ(accuracy(p.reshape({4, 1}), y.reshape({4, 1})), 0.5);
  EXPECT_EQ(accuracy(p, y.reshape({4, 1})), 0.5);
}

TEST(Accuracy, RefusedInputs) {
  EXPECT_EQ(error_message<tg::ValueError>([] { accuracy(tg::tensor({{0.1, 0.9}, {0.8, 0.2}}), tg::tensor({1, 2})); }),
            "accuracy: y[1] = 2 is not a class index in 0..1");
  EXPECT_EQ(error_message<tg::ValueError>([] { accuracy(tg::tensor({0.1, 0.9}), tg::tensor({0, 0.5})); }),
            "accuracy: y[1] = 0.5 is not a class index in 0..1");
  EXPECT_EQ(error_message<tg::ValueError>([] { accuracy(tg::tensor({0.1, 0.9}), tg::tensor({0, 3})); }),
            "accuracy: y[1] = 3 is not a class index in 0..1");
  EXPECT_EQ(error_message<tg::ShapeError>([] { accuracy(tg::zeros({3, 2}), tg::zeros({4})); }),
            "accuracy: outputs (3, 2) and y (4,) do not match (y must be (N,) class indices or (N, classes) one-hot rows)");
  EXPECT_EQ(error_message<tg::ShapeError>([] { accuracy(tg::zeros({3}), tg::zeros({3, 2})); }),
            "accuracy: outputs (3,) and y (3, 2) do not match (y must hold N labels 0 or 1)");
  EXPECT_EQ(error_message<tg::ShapeError>([] { accuracy(tg::zeros({2, 2, 2}), tg::zeros({2})); }),
            "accuracy: outputs must be (N,), (N, 1) or (N, classes) with N >= 1, got (2, 2, 2)");
  EXPECT_EQ(error_message<tg::ShapeError>([] { accuracy(tg::zeros({0}), tg::zeros({0})); }),
            "accuracy: outputs must be (N,), (N, 1) or (N, classes) with N >= 1, got (0,)");
  EXPECT_EQ(error_message<tg::ValueError>([] { accuracy(tg::Tensor(), tg::zeros({2})); }),
            "accuracy: undefined tensor (shapes undefined and (2,))");
}

TEST(Mse, HandValues) {
  EXPECT_DOUBLE_EQ(mse(tg::tensor({1, 2, 3}), tg::tensor({1, 1, 5})), 5.0 / 3);  // (0 + 1 + 4) / 3
  EXPECT_EQ(mse(tg::tensor({{1, 2}, {3, 4}}), tg::tensor({{1, 2}, {3, 6}})), 1.0);  // 4 / 4
  EXPECT_EQ(mse(tg::tensor({1, 2}), tg::tensor({{0}, {0}})), 2.5);
  EXPECT_EQ(error_message<tg::ShapeError>([] { mse(tg::zeros({3}), tg::zeros({4})); }),
            "mse: predictions (3,) and targets (4,) must have the same shape");
  EXPECT_EQ(error_message<tg::ValueError>([] { mse(tg::zeros({0}), tg::zeros({0})); }), "mse: no values");
}

TEST(R2Score, HandValues) {
  // targets 3, -0.5, 2, 7 (mean 2.875): Σ(t - mean)² = 29.1875; Σ(t - p)² = 1.5
  const tg::Tensor t = tg::tensor({3, -0.5, 2, 7}), p = tg::tensor({2.5, 0.0, 2, 8});
  EXPECT_DOUBLE_EQ(r2_score(p, t), 1 - 1.5 / 29.1875);
  EXPECT_DOUBLE_EQ(r2_score(p, t), 0.9486081370449679);  // sklearn.metrics.r2_score(t, p)
  EXPECT_EQ(r2_score(t, t), 1.0);
  EXPECT_EQ(r2_score(tg::full({4}, 2.875), t), 0.0) << "predicting the mean scores 0";
  EXPECT_LT(r2_score(-p, t), 0.0);
  // Two outputs, averaged: 1 - 1.25/36.1667 and 1 - 3/32.6667 (sklearn: 0.9368005266622779).
  const tg::Tensor t2 = tg::tensor({{0.5, 1}, {-1, 1}, {7, -6}}), p2 = tg::tensor({{0, 2}, {-1, 2}, {8, -5}});
  EXPECT_NEAR(r2_score(p2, t2), 0.9368005266622779, 1e-15);
  // A constant target: 1 if matched exactly, else 0 (scikit-learn's convention).
  EXPECT_EQ(r2_score(tg::tensor({2, 2}), tg::tensor({2, 2})), 1.0);
  EXPECT_EQ(r2_score(tg::tensor({2, 3}), tg::tensor({2, 2})), 0.0);
  EXPECT_EQ(error_message<tg::ShapeError>([] { r2_score(tg::zeros({2, 1}), tg::zeros({3})); }),
            "r2_score: predictions (2, 1) and targets (3,) must have the same shape");
  EXPECT_EQ(error_message<tg::ShapeError>([] { r2_score(tg::zeros({2, 2, 2}), tg::zeros({2, 2, 2})); }),
            "r2_score: targets must be (N,) or (N, k), got (2, 2, 2)");
}

}  // namespace
