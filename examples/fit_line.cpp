// Fits y = w·x + b to noisy samples of y = 1.5x + 2 with plain gradient descent written on
// tensors: forward, MSE loss, backward(), an update under NoGradGuard, zero_grad().
//
//   fit_line [--lr 0.05] [--epochs 200]   (with --lr 10 it diverges and stops with a message)
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
  double lr = 0.05;
  int epochs = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--lr") == 0) lr = std::atof(argv[i + 1]);
    else if (std::strcmp(argv[i], "--epochs") == 0) epochs = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: fit_line [--lr LR] [--epochs N]\n");
      return 2;
    }
  }

  // The data: x ~ U(-5, 5), y = 1.5x + 2 + N(0, 1.5²), 100 samples.
  tg::manual_seed(42);
  const tg::Tensor x = tg::uniform({100}, -5.0, 5.0);
  const tg::Tensor y = 1.5 * x + 2.0 + tg::normal({100}, 0.0, 1.5);

  // The parameters start at zero; backward() will fill their grad().
  tg::Tensor w = tg::zeros({1}, /*requires_grad=*/true);
  tg::Tensor b = tg::zeros({1}, /*requires_grad=*/true);

  std::printf("Fitting y = w*x + b by gradient descent, lr = %g, %d epochs\n", lr, epochs);
  double loss_value = 0.0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const tg::Tensor y_hat = w * x + b;                   // forward
    const tg::Tensor loss = (y - y_hat).square().mean();  // MSE
    try {
      tg::train::check_finite(loss, epoch);  // a too large lr makes the loss overflow
    } catch (const tg::NumericalError& e) {
      std::fprintf(stderr, "fit_line: %s; the learning rate %g is too large\n", e.what(), lr);
      return 1;
    }
    loss.backward();                                      // dloss/dw, dloss/db
    {
      tg::NoGradGuard no_grad;  // the update itself is not part of the model
      w -= lr * w.grad();
      b -= lr * b.grad();
    }
    w.zero_grad();
    b.zero_grad();
    loss_value = loss.item();
    if (epoch % (epochs >= 10 ? epochs / 10 : 1) == 0) {
      std::printf("Epoch %4d: loss = %.4f, w = %.4f, b = %.4f\n", epoch, loss_value, w.item(),
                  b.item());
    }
  }

  // The least-squares line, in closed form, is where gradient descent should arrive.
  const tg::Tensor dx = x - x.mean();
  const double w_star = ((dx * (y - y.mean())).sum() / dx.square().sum()).item();
  const double b_star = y.mean().item() - w_star * x.mean().item();
  std::printf("\nLearned:       w = %.6f, b = %.6f (true: 1.5, 2)\n", w.item(), b.item());
  std::printf("Least squares: w = %.6f, b = %.6f\n", w_star, b_star);
  return 0;
}
