// Flat memory: after a warm-up, a training loop of 10^5 steps does not grow the process's
// resident memory (VmRSS) nor its peak (VmHWM), and a tape that is built but never
// back-propagated -- an exception between forward and backward, an exception inside the
// forward pass, a forward pass in eval mode or under NoGradGuard -- is released completely.
//
// The bound, 1 MiB, is a fixed amount: a leak of a single double per step would add 0.8 MB
// over the 10^5 steps, one small tensor (~100 bytes) per step 10 MB. Measured growth is 0.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>

#include <tapegrad/detail/address_sanitizer.hpp>
#include <tapegrad/tapegrad.hpp>

namespace {

constexpr long kBoundKiB = 1024;

// AddressSanitizer keeps freed blocks in a quarantine (up to 256 MB) on purpose, so resident
// memory grows in a sanitized build whatever the code does; there LeakSanitizer checks for
// leaks at exit instead, and only the normal build bounds VmRSS and VmHWM.
using tg::detail::kAddressSanitizer;
// Under AddressSanitizer the vectorised tanh runs ~10 times slower (its instrumentation keeps
// xsimd's functions from being inlined) and RSS is not checked, so the loops are 10 times
// shorter there: LeakSanitizer's check at exit sees a leak per step as well in 10^4 steps.
constexpr int kScale = kAddressSanitizer ? 10 : 1;

// A field of /proc/self/status in KiB ("VmRSS:   1234 kB").
long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  throw std::runtime_error("no " + field + " in /proc/self/status");
}

struct Memory {
  long rss = status_kib("VmRSS"), hwm = status_kib("VmHWM");
};

// Checks growth from `start` to now, prints the figures.
void expect_flat(const char* what, const Memory& start) {
  const Memory end;
  std::printf("%s: VmRSS %ld -> %ld KiB (%+ld), VmHWM %ld -> %ld KiB (%+ld)\n", what, start.rss, end.rss,
              end.rss - start.rss, start.hwm, end.hwm, end.hwm - start.hwm);
  if (kAddressSanitizer) return;
  EXPECT_LE(end.rss - start.rss, kBoundKiB) << what << ": VmRSS grew from " << start.rss << " to " << end.rss << " KiB";
  EXPECT_LE(end.hwm - start.hwm, kBoundKiB) << what << ": VmHWM grew from " << start.hwm << " to " << end.hwm << " KiB";
}

tg::Tape& tape() { return tg::Tape::current(); }

// The lessons' small network: an MLP 2-16-16-1 with tanh, Adam, full batch of 64 points.
struct Training {
  tg::nn::MLP model = (tg::manual_seed(0), tg::nn::MLP({2, 16, 16, 1}, tg::nn::Activation::tanh));
  tg::optim::Adam opt{model.parameters(), {.lr = 1e-3}};
  tg::Tensor X = tg::randn({64, 2});
  tg::Tensor y = tg::sin(X.select(1, 0)).reshape({64, 1});

  double step() {
    opt.zero_grad();
    const tg::Tensor loss = tg::nn::functional::mse_loss(model(X), y);
    loss.backward();
    opt.step();
    return loss.item();
  }
};

TEST(Memory, TrainingForAHundredThousandStepsStaysFlat) {
  Training t;
  for (int step = 1; step <= 1000; ++step) t.step();
  const double early_loss = t.step();
  const Memory start;
  const tg::TapeStats tape_start = tape().stats();
  double loss = 0.0;
  for (int step = 1002; step <= 100'000 / kScale; ++step) loss = t.step();
  expect_flat("10^5 training steps (after 10^3)", start);
  EXPECT_LT(loss, early_loss) << "it did train";
  const tg::TapeStats tape_end = tape().stats();
  EXPECT_EQ(tape_end.live_nodes, 0u);
  EXPECT_EQ(tape_end.stored_nodes, 0u);
  EXPECT_EQ(tape_end.node_capacity, tape_start.node_capacity) << "the tape's arrays are reused, not regrown";
  EXPECT_EQ(tape_end.grad_arena, tape_start.grad_arena);
}

// Each of these builds a graph and never calls backward(); afterwards the tape must be empty.
// Freed value blocks are kept per thread for the next tensor of the same size, up to 256 MiB:
// tensors of ever new sizes (400 of about 1 MiB, each dropped at once) would keep 400 MiB
// without that bound.
TEST(Memory, KeptValueBlocksAreBounded) {
  const Memory start;
  for (int64_t i = 0; i < 400; ++i) {
    const tg::Tensor t = tg::zeros({131072 + 8 * i});  // writes every page
    ASSERT_EQ(t.data()[t.numel() - 1], 0.0);
  }
  const Memory end;
  std::printf("400 tensors of new sizes: VmRSS %ld -> %ld KiB (%+ld)\n", start.rss, end.rss, end.rss - start.rss);
  if (kAddressSanitizer) return;  // nothing is kept there
  EXPECT_LE(end.rss - start.rss, (256 + 32) * 1024);  // the kept blocks, and what malloc holds
  EXPECT_GE(end.rss - start.rss, 200 * 1024);  // blocks are kept, up to the bound
}

TEST(Memory, TapesThatAreNeverBackPropagatedAreReleased) {
  Training t;
  const tg::Tensor wrong_width = tg::randn({64, 3});
  auto forward_then_throw = [&] {  // an exception between forward and backward
    try {
      const tg::Tensor loss = tg::nn::functional::mse_loss(t.model(t.X), t.y);
      EXPECT_GT(tape().size(), 0u);
      throw std::runtime_error("interrupted before backward()");
    } catch (const std::runtime_error&) {
    }
  };
  auto throw_inside_forward = [&] {  // the first layer is recorded, the second refuses the shape
    const tg::Tensor h = tg::tanh(tg::matmul(t.X, t.model.parameters()[0].t()));
    EXPECT_THROW(tg::matmul(h, wrong_width), tg::ShapeError);
  };
  auto eval_forward = [&] {  // recorded (grad mode is on), then dropped
    t.model.eval();
    const tg::Tensor prediction = t.model(t.X);
    EXPECT_GT(tape().size(), 0u);
    t.model.train();
  };
  auto no_grad_forward = [&] {  // nothing recorded at all
    tg::NoGradGuard no_grad;
    const tg::Tensor prediction = t.model(t.X);
    EXPECT_EQ(tape().size(), 0u);
  };
  const std::pair<const char*, std::function<void()>> cases[] = {{"exception between forward and backward", forward_then_throw},
                                                                  {"exception inside the forward pass", throw_inside_forward},
                                                                  {"forward in eval mode, dropped", eval_forward},
                                                                  {"forward under NoGradGuard", no_grad_forward}};
  for (const auto& [what, run] : cases) {
    for (int i = 0; i < 1000; ++i) run();  // warm-up
    const Memory start;
    for (int i = 0; i < 50'000 / kScale; ++i) {
      run();
      if (tape().size() != 0u || tape().stats().stored_nodes != 0u) {
        ADD_FAILURE() << what << ": " << tape().size() << " live nodes left on the tape at iteration " << i;
        break;
      }
    }
    expect_flat(what, start);
  }
}

}  // namespace
