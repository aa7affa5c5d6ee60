// The loss modules: value types that call their function with their settings, and small
// training runs that use them.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tapegrad/tapegrad.hpp>
#include <type_traits>
#include <vector>

namespace {

namespace F = tg::nn::functional;
namespace nn = tg::nn;
using R = tg::nn::Reduction;

constexpr R kReductions[] = {R::none, R::mean, R::sum};

template <class Module>
constexpr bool is_value_type = std::is_nothrow_copy_constructible_v<Module>&&
    std::is_nothrow_copy_assignable_v<Module>&& std::is_trivially_destructible_v<Module>;
static_assert(is_value_type<nn::MSELoss> && is_value_type<nn::L1Loss> && is_value_type<nn::HuberLoss> &&
              is_value_type<nn::BCELoss> && is_value_type<nn::BCEWithLogitsLoss> &&
              is_value_type<nn::CrossEntropyLoss> && is_value_type<nn::NLLLoss>);

void expect_same(const tg::Tensor& a, const tg::Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  EXPECT_EQ(a.to_vector(), b.to_vector());
}

TEST(LossModules, DefaultReductionIsMean) {
  EXPECT_EQ(nn::MSELoss().reduction(), R::mean);
  EXPECT_EQ(nn::L1Loss().reduction(), R::mean);
  EXPECT_EQ(nn::HuberLoss().reduction(), R::mean);
  EXPECT_EQ(nn::HuberLoss().delta(), 1.0);
  EXPECT_EQ(nn::BCELoss().reduction(), R::mean);
  EXPECT_EQ(nn::BCEWithLogitsLoss().reduction(), R::mean);
  EXPECT_EQ(nn::CrossEntropyLoss().reduction(), R::mean);
  EXPECT_EQ(nn::NLLLoss().reduction(), R::mean);
  EXPECT_STREQ(F::to_string(R::none), "none");
  EXPECT_STREQ(F::to_string(R::mean), "mean");
  EXPECT_STREQ(F::to_string(R::sum), "sum");
}

TEST(LossModules, CallTheirFunctions) {
  tg::manual_seed(5);
  const tg::Tensor x = tg::uniform({4, 3}, -2.0, 2.0);
  const tg::Tensor y = tg::uniform({4, 3}, -2.0, 2.0);
  const tg::Tensor p = tg::uniform({4, 3}, 0.1, 0.9);
  const tg::Tensor t = tg::rand({4, 3});
  const tg::Tensor labels = tg::randint(0, 3, {4});
  for (const R r : kReductions) {
    SCOPED_TRACE(F::to_string(r));
    expect_same(nn::MSELoss(r)(x, y), F::mse_loss(x, y, r));
    expect_same(nn::L1Loss(r)(x, y), F::l1_loss(x, y, r));
    expect_same(nn::HuberLoss(r)(x, y), F::huber_loss(x, y, r));
    expect_same(nn::HuberLoss(r, 0.3)(x, y), F::huber_loss(x, y, r, 0.3));
    expect_same(nn::BCELoss(r)(p, t), F::binary_cross_entropy(p, t, r));
    expect_same(nn::BCEWithLogitsLoss(r)(x, t), F::binary_cross_entropy_with_logits(x, t, r));
    expect_same(nn::CrossEntropyLoss(r)(x, labels), F::cross_entropy(x, labels, r));
    expect_same(nn::NLLLoss(r)(tg::log_softmax(x, 1), labels), F::nll_loss(tg::log_softmax(x, 1), labels, r));
  }
}

TEST(LossModules, ReductionsRelate) {
  tg::manual_seed(6);
  const tg::Tensor x = tg::randn({5, 4});
  const tg::Tensor labels = tg::randint(0, 4, {5});
  const tg::Tensor none = F::cross_entropy(x, labels, R::none);
  EXPECT_EQ(none.shape(), tg::Shape({5}));
  EXPECT_DOUBLE_EQ(F::cross_entropy(x, labels, R::sum).item(), tg::sum(none).item());
  EXPECT_DOUBLE_EQ(F::cross_entropy(x, labels).item(), tg::sum(none).item() / 5.0);
  // The probability form with one-hot targets is the index form.
  std::vector<double> onehot(20, 0.0);
  for (int i = 0; i < 5; ++i) onehot[static_cast<std::size_t>(i * 4 + static_cast<int>(labels.at({i})))] = 1.0;
  EXPECT_NEAR(F::cross_entropy(x, tg::tensor(onehot, {5, 4})).item(), F::cross_entropy(x, labels).item(), 1e-15);
}

TEST(LossModules, CopiesKeepTheirSettings) {
  nn::HuberLoss a(R::sum, 0.25);
  const nn::HuberLoss b = a;
  a = nn::HuberLoss();
  EXPECT_EQ(b.reduction(), R::sum);
  EXPECT_EQ(b.delta(), 0.25);
  EXPECT_EQ(a.delta(), 1.0);
  std::vector<nn::CrossEntropyLoss> criteria(3, nn::CrossEntropyLoss(R::none));
  EXPECT_EQ(criteria[2].reduction(), R::none);
}

TEST(LossModules, LogisticRegressionLearnsWithBCEWithLogits) {
  // Points above the line x1 = x0 are positive.
  tg::manual_seed(7);
  const tg::Tensor x = tg::uniform({200, 2}, -1.0, 1.0);
  const tg::Tensor y = tg::gt(tg::select(x, 1, 1), tg::select(x, 1, 0));
  tg::Tensor w = tg::zeros({2}, true);
  tg::Tensor b = tg::zeros({1}, true);
  tg::optim::SGD opt({w, b}, {.lr = 1.0});
  const nn::BCEWithLogitsLoss criterion;
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 300; ++step) {
    opt.zero_grad();
    const tg::Tensor loss = criterion(tg::matmul(x, w) + b, y);
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item();
  }
  EXPECT_NEAR(first, std::log(2.0), 1e-12);
  EXPECT_LT(last, 0.15);
  EXPECT_LT(w.at({0}), 0.0);
  EXPECT_GT(w.at({1}), 0.0);
}

TEST(LossModules, SoftmaxRegressionLearnsWithCrossEntropy) {
  // Three classes: the class of a point is the index of its largest coordinate.
  tg::manual_seed(8);
  const tg::Tensor x = tg::uniform({300, 3}, -1.0, 1.0);
  std::vector<double> labels;
  for (int i = 0; i < 300; ++i) {
    int best = 0;
    for (int c = 1; c < 3; ++c) {
      if (x.at({i, c}) > x.at({i, best})) best = c;
    }
    labels.push_back(best);
  }
  const tg::Tensor y = tg::tensor(labels, {300});
  tg::Tensor w = tg::zeros({3, 3}, true);
  tg::optim::SGD opt({w}, {.lr = 2.0});
  const nn::CrossEntropyLoss criterion;
  tg::Tensor loss;
  for (int step = 0; step < 300; ++step) {
    opt.zero_grad();
    loss = criterion(tg::matmul(x, w), y);
    loss.backward();
    opt.step();
  }
  EXPECT_LT(loss.item(), 0.25);
  int correct = 0;
  const tg::Tensor predicted = tg::matmul(x, w);
  for (int i = 0; i < 300; ++i) {
    int best = 0;
    for (int c = 1; c < 3; ++c) {
      if (predicted.at({i, c}) > predicted.at({i, best})) best = c;
    }
    correct += best == static_cast<int>(labels[static_cast<std::size_t>(i)]);
  }
  EXPECT_GE(correct, 290);
}

}  // namespace
