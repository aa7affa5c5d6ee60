// End to end: an MLP trained with Adam fits y = sin(x) on [−3, 3].
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

namespace {

TEST(Fit, MlpLearnsSineWithAdam) {
  tg::manual_seed(0);
  tg::nn::MLP model({1, 16, 16, 1}, tg::nn::Activation::tanh);
  const tg::Tensor x = tg::linspace(-3.0, 3.0, 200).reshape({200, 1});
  const tg::Tensor y = tg::sin(x);
  tg::optim::Adam opt(model.parameters(), {.lr = 0.01});
  const double initial = (model(x) - y).square().mean().item();
  for (int step = 1; step <= 1000; ++step) {
    opt.zero_grad();
    const tg::Tensor loss = (model(x) - y).square().mean();
    loss.backward();
    opt.step();
  }
  model.eval();
  const tg::Tensor error = model(x) - y;
  const double mse = error.square().mean().item();
  // Measured (seed 0, this setup): initial MSE 1.059, final MSE 1.630e-05, largest error
  // 0.0172, MSE between the training points 1.826e-05. The bounds leave room for rounding.
  EXPECT_GT(initial, 0.5);
  EXPECT_LT(mse, 2e-5);
  EXPECT_LT(tg::max(tg::abs(error)).item(), 0.025);
  // Points between the training points are fitted as well.
  const tg::Tensor between = tg::linspace(-2.99, 2.99, 57).reshape({57, 1});
  EXPECT_LT((model(between) - tg::sin(between)).square().mean().item(), 2.5e-5);
}

}  // namespace
