// The optimizer's step alone: one update of parameters that already hold their gradients,
// with no forward or backward pass. Small tensors show the per-step overhead (groups,
// validation, state), large ones the update loop itself.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

// `count` parameters of `size` elements each, with a fixed gradient.
std::vector<tg::Tensor> parameters_with_gradients(int64_t count, int64_t size) {
  tg::manual_seed(0);
  std::vector<tg::Tensor> params;
  for (int64_t i = 0; i < count; ++i) {
    tg::Tensor p = tg::randn({size}, /*requires_grad=*/true);
    (p * p).sum().backward();
    params.push_back(p);
  }
  return params;
}

void run(benchmark::State& state, const std::string& name, const tg::optim::OptionList& options) {
  std::vector<tg::Tensor> params = parameters_with_gradients(state.range(0), state.range(1));
  std::unique_ptr<tg::optim::Optimizer> opt = tg::optim::make_optimizer(name, params, options);
  for (auto _ : state) opt->step();
  state.SetItemsProcessed(state.iterations() * state.range(0) * state.range(1));
}

void BM_AdamUpdate(benchmark::State& state) { run(state, "adam", {{"lr", "1e-6"}}); }
void BM_SgdMomentumUpdate(benchmark::State& state) { run(state, "sgd", {{"lr", "1e-6"}, {"momentum", "0.9"}}); }
void BM_LionUpdate(benchmark::State& state) { run(state, "lion", {{"lr", "1e-9"}}); }

// {parameters, elements each}: 10 tiny tensors (overhead), one of 10^5 elements (the loop).
BENCHMARK(BM_AdamUpdate)->Args({10, 4})->Args({1, 100'000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgdMomentumUpdate)->Args({10, 4})->Args({1, 100'000})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LionUpdate)->Args({10, 4})->Args({1, 100'000})->Unit(benchmark::kMicrosecond);

}  // namespace
