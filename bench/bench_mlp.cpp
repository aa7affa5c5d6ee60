// Training steps of tanh MLPs with Adam: zero_grad, forward, loss, backward, step. The three
// sizes are the small, medium and large models tapegrad is meant for, with the same layer
// shapes, batch sizes, losses and initialisation (PyTorch's Linear defaults) as the libtorch
// programs they are compared with (bench/compare.sh). Run with single-threaded BLAS:
//   OPENBLAS_NUM_THREADS=1 ./tapegrad_bench --benchmark_filter=Mlp
#include <benchmark/benchmark.h>

#include <tapegrad/tapegrad.hpp>

#include <cstdint>
#include <vector>

namespace {

struct MlpConfig {
  std::vector<int64_t> sizes;  // layer widths, input first
  int64_t batch;
  bool cross_entropy;  // false: MSE
};

// Matmul flops of one step: forward x·Wᵀ per layer, backward dW per layer and dX for every
// layer but the first (whose input needs no gradient).
double step_matmul_flops(const MlpConfig& c) {
  double flops = 0;
  for (std::size_t i = 0; i + 1 < c.sizes.size(); ++i) {
    const double layer = 2.0 * static_cast<double>(c.batch * c.sizes[i] * c.sizes[i + 1]);
    flops += (i == 0 ? 2.0 : 3.0) * layer;
  }
  return flops;
}

void mlp_adam_step(benchmark::State& state, const MlpConfig& c) {
  tg::manual_seed(0);
  tg::nn::MLP model(c.sizes, tg::nn::Activation::tanh);
  tg::optim::Adam optimizer(model.parameters(), {.lr = 1e-3});
  const tg::Tensor x = tg::randn({c.batch, c.sizes.front()});
  const tg::Tensor y = tg::randn({c.batch, c.sizes.back()});
  const tg::Tensor labels = tg::randint(0, c.sizes.back(), {c.batch});
  for (auto _ : state) {
    optimizer.zero_grad();
    const tg::Tensor out = model.forward(x);
    const tg::Tensor loss = c.cross_entropy ? tg::nn::functional::cross_entropy(out, labels)
                                            : tg::nn::functional::mse_loss(out, y);
    loss.backward();
    optimizer.step();
    benchmark::DoNotOptimize(loss.item());
  }
  state.counters["matmul GFLOP/s"] = benchmark::Counter(
      step_matmul_flops(c), benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_MlpSmallAdamStep(benchmark::State& state) { mlp_adam_step(state, {{2, 64, 64, 1}, 64, false}); }
void BM_MlpMediumAdamStep(benchmark::State& state) { mlp_adam_step(state, {{64, 128, 10}, 32, true}); }
void BM_MlpLargeAdamStep(benchmark::State& state) { mlp_adam_step(state, {{784, 512, 512, 10}, 256, true}); }

BENCHMARK(BM_MlpSmallAdamStep)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MlpMediumAdamStep)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MlpLargeAdamStep)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace
