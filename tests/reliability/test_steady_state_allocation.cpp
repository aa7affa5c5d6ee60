// Once warm, a training step (zero_grad, forward, loss, backward, Adam step) allocates nothing
// with operator new: the tape's arrays, the tensor objects and their value blocks are reused
// from the steps before (docs/performance.md). This executable replaces the global operator new
// to count its calls.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct Model {
  std::vector<int64_t> sizes;
  int64_t batch;
  bool cross_entropy;
};

// Allocations made by steps 101 to 200 of a training loop.
long allocations_of_warm_steps(const Model& m) {
  tg::manual_seed(0);
  tg::nn::MLP model(m.sizes, tg::nn::Activation::tanh);
  tg::optim::Adam optimizer(model.parameters(), {.lr = 1e-3});
  const tg::Tensor x = tg::randn({m.batch, m.sizes.front()});
  const tg::Tensor y = tg::randn({m.batch, m.sizes.back()});
  const tg::Tensor labels = tg::randint(0, m.sizes.back(), {m.batch});
  long before = 0;
  for (int step = 1; step <= 200; ++step) {
    if (step == 101) before = g_allocations.load();
    optimizer.zero_grad();
    const tg::Tensor out = model(x);
    const tg::Tensor loss = m.cross_entropy ? tg::nn::functional::cross_entropy(out, labels)
                                            : tg::nn::functional::mse_loss(out, y);
    loss.backward();
    optimizer.step();
  }
  return g_allocations.load() - before;
}

TEST(SteadyStateAllocation, MseStepAllocatesNothing) {
  EXPECT_EQ(allocations_of_warm_steps({{2, 64, 64, 1}, 64, false}), 0);
}

TEST(SteadyStateAllocation, CrossEntropyStepAllocatesNothing) {
  EXPECT_EQ(allocations_of_warm_steps({{64, 128, 10}, 32, true}), 0);
}

// The counter counts: the library's own allocations are seen (named_parameters() returns a
// new vector of names and tensors).
TEST(SteadyStateAllocation, CounterSeesTheLibrarysAllocations) {
  const tg::nn::MLP model({2, 3, 1});
  const long before = g_allocations.load();
  const auto named = model.named_parameters();
  EXPECT_EQ(named.size(), 4u);
  EXPECT_GE(g_allocations.load() - before, 1);
}

}  // namespace
