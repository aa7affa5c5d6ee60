#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

TEST(Smoke, Rosenbrock) {
  tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  auto x = p[0], y = p[1];
  auto f = (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2);
  std::cout << tg::Tape::current();
  f.backward();
  std::cout << p << "\n" << p.grad() << "\n" << f << "\n";
  EXPECT_NEAR(p.grad().at({0}), -215.6, 1e-9);
  EXPECT_NEAR(p.grad().at({1}), -88.0, 1e-9);
  EXPECT_EQ(tg::Tape::current().size(), 0u);
}
