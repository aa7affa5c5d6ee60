#include <cstdio>

#include <tapegrad/tapegrad.hpp>

static_assert(__cplusplus >= 202002L, "tapegrad::tapegrad compiles its users as C++20");

int main() {
  const tg::Tensor w = tg::tensor({{1.0, 2.0}}, true);
  const tg::Tensor x = tg::tensor({{3.0}, {4.0}});
  const tg::Tensor loss = tg::matmul(w, x).square().sum();  // (3 + 8)² = 121
  loss.backward();
  std::printf("loss %.1f grad %.1f %.1f\n", loss.item(), w.grad().at({0, 0}), w.grad().at({0, 1}));
  // The installed datasets, found from where this program is installed.
  const auto [train, test] = tg::data::load_dataset("iris");
  std::printf("iris %s: %lld train, %lld test\n", tg::data::find_dataset("iris").c_str(),
              static_cast<long long>(train.size()), static_cast<long long>(test.size()));
  return 0;
}
