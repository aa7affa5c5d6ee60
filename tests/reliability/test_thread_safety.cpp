// Thread-safety claims of docs/reliability.md: grad mode is per thread, anomaly detection is
// one switch for the whole process, and the global random generator is locked -- threads that
// draw at the same time get, between them, exactly the numbers one thread would have drawn.
// (Per-thread tapes: tests/test_tape.cpp, Tape.OneTapePerThread and ThreadsTrainIndependently.)
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

TEST(Threads, GradModeIsPerThread) {
  bool other_thread_records = false;
  {
    tg::NoGradGuard no_grad;
    std::thread([&] {
      const tg::Tensor w = tg::ones({2}, true);
      other_thread_records = tg::is_grad_enabled() && (w * 2.0).requires_grad();
    }).join();
    EXPECT_FALSE(tg::is_grad_enabled());
  }
  EXPECT_TRUE(other_thread_records) << "a NoGradGuard on one thread does not switch off another's recording";
}

TEST(Threads, AnomalyDetectionIsOneSwitchForTheProcess) {
  tg::set_detect_anomaly(true);
  bool seen = false;
  std::thread([&] { seen = tg::is_anomaly_enabled(); }).join();
  tg::set_detect_anomaly(false);
  EXPECT_TRUE(seen);
}

TEST(Threads, TheGlobalGeneratorIsLockedAndLosesNoDraw) {
  constexpr int kPerThread = 20'000;
  tg::manual_seed(5);
  std::vector<double> one_thread = tg::rand({2 * kPerThread}).to_vector();

  tg::manual_seed(5);
  std::vector<double> a, b;
  auto draw = [](std::vector<double>& out) {
    for (int i = 0; i < kPerThread; ++i) out.push_back(tg::rand({1}).item());  // one lock per draw
  };
  std::thread ta(draw, std::ref(a)), tb(draw, std::ref(b));
  ta.join();
  tb.join();
  // The interleaving is up to the scheduler, but every number of the stream is drawn once.
  std::vector<double> both = a;
  both.insert(both.end(), b.begin(), b.end());
  std::sort(both.begin(), both.end());
  std::sort(one_thread.begin(), one_thread.end());
  EXPECT_EQ(both, one_thread);
}

}  // namespace
