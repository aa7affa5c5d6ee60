// Memory over a long run: the small MLP of bench_mlp.cpp (2-64-64-1, tanh, batch 64, MSE)
// trained by Adam for 10^6 steps, reporting how much the resident memory (VmRSS) and its peak
// (VmHWM) grew after a warm-up of 10^3 steps. A separate executable, so that no other benchmark's peak hides a growth.
//
//   OPENBLAS_NUM_THREADS=1 ./tapegrad_bench_memory
#include <benchmark/benchmark.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include <tapegrad/tapegrad.hpp>

namespace {

// A field of /proc/self/status in KiB ("VmRSS:   1234 kB").
double status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1));
  }
  throw std::runtime_error("no " + field + " in /proc/self/status");
}

// One iteration is one training step: zero_grad, forward, MSE, backward, Adam update.
void BM_TrainMillionSteps(benchmark::State& state) {
  tg::manual_seed(0);
  tg::nn::MLP model({2, 64, 64, 1}, tg::nn::Activation::tanh);
  tg::optim::Adam opt(model.parameters(), {.lr = 1e-3});
  const tg::Tensor X = tg::randn({64, 2});
  const tg::Tensor y = tg::sin(X.select(1, 0)).reshape({64, 1});
  auto step = [&] {
    opt.zero_grad();
    const tg::Tensor loss = tg::nn::functional::mse_loss(model(X), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
  for (int i = 0; i < 1000; ++i) step();  // warm-up: the tape's arrays reach their size
  const double rss = status_kib("VmRSS"), hwm = status_kib("VmHWM");
  double loss = 0.0;
  for (auto _ : state) {
    loss = step();
    benchmark::DoNotOptimize(loss);
  }
  state.counters["rss_kib"] = status_kib("VmRSS");
  state.counters["rss_growth_kib"] = status_kib("VmRSS") - rss;
  state.counters["hwm_growth_kib"] = status_kib("VmHWM") - hwm;
  state.counters["live_nodes"] = static_cast<double>(tg::Tape::current().size());
  state.counters["final_loss"] = loss;
}
BENCHMARK(BM_TrainMillionSteps)->Iterations(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
