// Cost of the tape, measured with Google Benchmark. Run single-threaded BLAS for figures
// comparable with other libraries: OPENBLAS_NUM_THREADS=1 ./tapegrad_bench
#include <benchmark/benchmark.h>

#include <tapegrad/tapegrad.hpp>

namespace {

constexpr double kLr = 2e-4;

// Record one tiny elementwise op and back-propagate it: the per-node cost of the tape.
void BM_NodeOverhead(benchmark::State& state) {
  tg::Tensor x = tg::tensor(1.0, /*requires_grad=*/true);
  for (auto _ : state) {
    tg::Tensor y = x * 2.0;
    y.backward();
    x.zero_grad();
    benchmark::DoNotOptimize(y);
  }
}
BENCHMARK(BM_NodeOverhead);

// f = (1-x)² + 100 (y - x²)² on p = (x, y) as one 2-element tensor, as a training step:
// zero_grad, forward, backward, SGD update under NoGradGuard.
tg::Tensor rosenbrock(const tg::Tensor& p) {
  const tg::Tensor x = p[0];
  const tg::Tensor y = p[1];
  return (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2);
}

void BM_RosenbrockTape(benchmark::State& state) {
  tg::Tensor p = tg::tensor({-1.2, 1.0}, /*requires_grad=*/true);
  for (auto _ : state) {
    p.zero_grad();
    const tg::Tensor f = rosenbrock(p);
    f.backward();
    tg::NoGradGuard no_grad;
    p.sub_(p.grad(), kLr);
  }
  benchmark::DoNotOptimize(p.data()[0]);
}
BENCHMARK(BM_RosenbrockTape);

// The same step with the analytic gradient on plain doubles: the floor.
void BM_RosenbrockHand(benchmark::State& state) {
  double x = -1.2, y = 1.0;
  for (auto _ : state) {
    const double v = 1.0 - x;
    const double u = y - x * x;
    const double gu = 100.0 * (2.0 * u);
    const double gx = -(2.0 * v) + (-gu) * (2.0 * x);
    const double gy = gu;
    x -= kLr * gx;
    y -= kLr * gy;
    benchmark::DoNotOptimize(x);
    benchmark::DoNotOptimize(y);
  }
}
BENCHMARK(BM_RosenbrockHand);

// 256×256 matmul forward and backward (three GEMMs).
void BM_Matmul256(benchmark::State& state) {
  tg::manual_seed(0);
  const tg::Tensor a = tg::randn({256, 256}, true);
  const tg::Tensor b = tg::randn({256, 256}, true);
  const tg::Tensor g = tg::ones({256, 256});
  for (auto _ : state) {
    const tg::Tensor c = tg::matmul(a, b);
    c.backward(g);
    a.zero_grad(false);
    b.zero_grad(false);
  }
  state.counters["GFLOP/s"] = benchmark::Counter(3.0 * 2.0 * 256 * 256 * 256,
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Matmul256)->Unit(benchmark::kMicrosecond);

}  // namespace

// Google Benchmark's main, plus the instruction set of tapegrad's kernels in the report's context.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("cpu_capability", tg::get_cpu_capability());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
