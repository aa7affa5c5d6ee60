#include <cstdio>

#include <tapegrad/tapegrad.hpp>

int main() {
  const tg::Tensor w = tg::tensor({{1.0, 2.0}}, true);
  const tg::Tensor x = tg::tensor({{3.0}, {4.0}});
  const tg::Tensor loss = tg::matmul(w, x).square().sum();  // (3 + 8)² = 121
  loss.backward();
  std::printf("loss %.1f grad %.1f %.1f\n", loss.item(), w.grad().at({0, 0}), w.grad().at({0, 1}));
  return 0;
}
