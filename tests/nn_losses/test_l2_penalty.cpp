// l2_penalty: λ/2·Σθ², its gradient λθ, and how it relates to the optimizers' weight decay:
// the same as SGD's and Adam's (coupled) weight_decay, not AdamW's (decoupled) one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tapegrad/nn/linear.hpp>
#include <tapegrad/tapegrad.hpp>
#include <vector>

namespace {

namespace F = tg::nn::functional;

TEST(L2Penalty, ValueAndGradient) {
  const tg::Tensor w = tg::tensor({{1.0, -2.0}, {0.5, 3.0}}, true);
  const tg::Tensor b = tg::tensor({-1.0}, true);
  const tg::Tensor penalty = F::l2_penalty({w, b}, 0.1);
  EXPECT_EQ(penalty.shape(), tg::Shape());
  EXPECT_DOUBLE_EQ(penalty.item(), 0.05 * (1.0 + 4.0 + 0.25 + 9.0 + 1.0));
  penalty.backward();
  EXPECT_EQ(w.grad().to_vector(), (std::vector<double>{0.1, -0.2, 0.05, 0.30000000000000004}));  // λθ
  EXPECT_EQ(b.grad().to_vector(), (std::vector<double>{-0.1}));
}

TEST(L2Penalty, EmptyListAndZeroLambda) {
  const tg::Tensor none = F::l2_penalty({}, 0.1);
  EXPECT_EQ(none.shape(), tg::Shape());
  EXPECT_EQ(none.item(), 0.0);
  EXPECT_FALSE(none.requires_grad());
  const tg::Tensor w = tg::ones({3}, true);
  const tg::Tensor zero = F::l2_penalty({w}, 0.0);
  EXPECT_EQ(zero.item(), 0.0);
  zero.backward();
  EXPECT_EQ(w.grad().to_vector(), (std::vector<double>{0.0, 0.0, 0.0}));
}

TEST(L2Penalty, OneLineRegularisedLoss) {
  tg::manual_seed(42);
  const tg::Tensor x = tg::uniform({20, 3}, -1.0, 1.0);
  const tg::Tensor y = tg::uniform({20}, -1.0, 1.0);
  const tg::Tensor w = tg::uniform({3}, -1.0, 1.0, true);
  const tg::Tensor loss = F::mse_loss(tg::matmul(x, w), y) + F::l2_penalty({w}, 1e-3);
  loss.backward();
  const tg::Tensor w2 = w.detach().set_requires_grad();
  F::mse_loss(tg::matmul(x, w2), y).backward();
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(w.grad().at({i}), w2.grad().at({i}) + 1e-3 * w.at({i}), 1e-15);
}

TEST(L2Penalty, OneLineWithAModel) {
  tg::manual_seed(3);
  tg::nn::Linear model(3, 1);
  const tg::Tensor x = tg::uniform({8, 3}, -1.0, 1.0);
  const tg::Tensor y = tg::uniform({8, 1}, -1.0, 1.0);
  const tg::Tensor loss = F::mse_loss(model(x), y) + F::l2_penalty(model.parameters(), 1e-3);
  loss.backward();
  std::vector<tg::Tensor> with_penalty;
  for (const tg::Tensor& p : model.parameters()) {
    with_penalty.push_back(p.grad().detach());
    p.zero_grad();
  }
  F::mse_loss(model(x), y).backward();
  for (std::size_t i = 0; i < with_penalty.size(); ++i) {
    const tg::Tensor p = model.parameters()[i];
    EXPECT_TRUE(tg::allclose(with_penalty[i], p.grad() + 1e-3 * p.detach(), 0.0, 1e-15)) << "parameter " << i;
  }
}

// Trains y ≈ x·w + b from the same start with `Opt` on loss + l2_penalty (when lambda_in_loss)
// or with the optimizer's own weight decay; returns the final parameters.
template <class Opt, class Options>
std::vector<double> train(Options options, double lambda_in_loss) {
  tg::manual_seed(1);
  const tg::Tensor x = tg::uniform({30, 2}, -2.0, 2.0);
  const tg::Tensor y = tg::uniform({30}, -1.0, 1.0);
  tg::Tensor w = tg::tensor({0.5, -0.5}, true);
  tg::Tensor b = tg::tensor({0.25}, true);
  Opt opt({w, b}, options);
  for (int step = 0; step < 50; ++step) {
    opt.zero_grad();
    tg::Tensor loss = F::mse_loss(tg::matmul(x, w) + b, y);
    if (lambda_in_loss > 0.0) loss = loss + F::l2_penalty({w, b}, lambda_in_loss);
    loss.backward();
    opt.step();
  }
  std::vector<double> out = w.to_vector();
  out.push_back(b.item());
  return out;
}

void expect_near(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tol) << "element " << i;
}

TEST(L2Penalty, IsSGDsWeightDecay) {
  const double lambda = 0.1;
  expect_near(train<tg::optim::SGD>(tg::optim::SGDOptions{.lr = 0.05}, lambda),
              train<tg::optim::SGD>(tg::optim::SGDOptions{.lr = 0.05, .weight_decay = lambda}, 0.0), 1e-14);
  expect_near(train<tg::optim::SGD>(tg::optim::SGDOptions{.lr = 0.05, .momentum = 0.9}, lambda),
              train<tg::optim::SGD>(tg::optim::SGDOptions{.lr = 0.05, .momentum = 0.9, .weight_decay = lambda}, 0.0),
              1e-14);
}

TEST(L2Penalty, IsAdamsCoupledWeightDecayButNotAdamWs) {
  const double lambda = 0.1;
  const std::vector<double> penalty = train<tg::optim::Adam>(tg::optim::AdamOptions{.lr = 0.05}, lambda);
  expect_near(penalty, train<tg::optim::Adam>(tg::optim::AdamOptions{.lr = 0.05, .weight_decay = lambda}, 0.0), 1e-14);
  // AdamW shrinks θ by lr·λ·θ outside the adaptive step; the penalty's λθ is divided by √v̂.
  const std::vector<double> decoupled =
      train<tg::optim::AdamW>(tg::optim::AdamWOptions{.lr = 0.05, .weight_decay = lambda}, 0.0);
  double largest = 0.0;
  for (std::size_t i = 0; i < penalty.size(); ++i) largest = std::max(largest, std::abs(penalty[i] - decoupled[i]));
  EXPECT_GT(largest, 1e-3);
}

}  // namespace
