// tapegrad's derivative rules follow libtorch's operation for operation, so a long run of
// the Rosenbrock SGD loop lands on libtorch's final point bit for bit.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

namespace {

TEST(LibtorchParity, RosenbrockSgdTwentyThousandSteps) {
  // libtorch 1.13 C++, PyTorch 1.13 and the hand-written loop all end here (lr 2e-4 from
  // (-1.2, 1), 20 000 steps): x = 0.90332089827296369, y = 0.81557877661987388.
  tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  for (int i = 0; i < 20000; ++i) {
    p.zero_grad();
    const tg::Tensor x = p[0], y = p[1];
    const tg::Tensor f = (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2);
    f.backward();
    tg::NoGradGuard no_grad;
    p.sub_(p.grad(), 2e-4);
  }
  EXPECT_EQ(p.at({0}), 0.90332089827296369);
  EXPECT_EQ(p.at({1}), 0.81557877661987388);
}

}  // namespace
