// Crash safety, tested with real crashes: a child process saves a checkpoint (model, Adam and
// the step) after every training step, and is killed with SIGKILL at a random moment. Whatever
// the moment, the file on disk is a complete checkpoint -- the previous one or a newer one --
// byte for byte the one an uninterrupted run writes at that step, and resuming from it gives,
// bit for bit, the uninterrupted run's state K steps later. Temporary files do not pile up.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

namespace fs = std::filesystem;

constexpr int kStepsPerChild = 4;  // a child saves this many checkpoints unless killed first
constexpr int kResumeSteps = 3;    // K: steps run from each surviving checkpoint

// The data: 32 points in the plane with targets drawn from seed 7.
struct Data {
  tg::Tensor X, y;
};
Data make_data() {
  tg::manual_seed(7);
  tg::Tensor X = tg::randn({32, 2});
  tg::Tensor y = tg::randn({32, 1});
  return {X, y};
}

// An MLP 2-16-16-1 (tanh) trained by Adam (lr 0.01) on the full batch, and its checkpoint:
// the step, the module's parameters and the optimizer's state in one file.
struct TrainingRun {
  tg::nn::MLP model;
  tg::optim::Adam opt;
  int64_t step = 0;

  explicit TrainingRun(uint32_t seed)
      : model((tg::manual_seed(seed), tg::nn::MLP({2, 16, 16, 1}, tg::nn::Activation::tanh))),
        opt(model.parameters(), {.lr = 0.01}) {}

  void train_step(const Data& d) {
    opt.zero_grad();
    (model(d.X) - d.y).square().mean().backward();
    opt.step();
    ++step;
  }
  tg::CheckpointWriter checkpoint() const {
    tg::CheckpointWriter out;
    out.set("step", std::to_string(step));
    model.save(out);
    opt.save_state(out);
    return out;
  }
  void save(const std::string& path) const { checkpoint().save(path); }
  void load(const std::string& path) {
    const tg::CheckpointReader in = tg::CheckpointReader::load(path);
    model.load(in);
    opt.load_state(in);
    step = in.get_int("step");
  }
};

// A checkpoint's identity: 64-bit hash and CRC-32 of its bytes.
struct Fingerprint {
  std::size_t hash;
  uint32_t crc;
  bool operator==(const Fingerprint&) const = default;
};
Fingerprint fingerprint(const std::string& bytes) { return {std::hash<std::string>{}(bytes), tg::io::crc32(bytes)}; }

int count_temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().filename().string().rfind("run.ckpt.tmp.", 0) == 0;
  return n;
}

// `trials` children, each killed at a random moment, saving in a new directory under `parent`.
void crash_while_saving(const fs::path& parent, int trials) {
  const Data data = make_data();
  const fs::path dir = parent / ("tapegrad_crash_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "run.ckpt").string();

  // The uninterrupted run: the checkpoint it would write at every step it can reach.
  const int max_step = trials * kStepsPerChild + kResumeSteps;
  std::vector<Fingerprint> reference;
  {
    TrainingRun run(1);
    reference.push_back(fingerprint(run.checkpoint().bytes()));
    while (run.step < max_step) {
      run.train_step(data);
      reference.push_back(fingerprint(run.checkpoint().bytes()));
    }
  }

  TrainingRun trainer(1);
  trainer.save(path);  // step 0: from here on there is always a previous checkpoint
  // A child's life, from fork() to its exit: it trains and saves kStepsPerChild times (or
  // fails, with status 3).
  const auto child = [&] {
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    try {
      for (int k = 0; k < kStepsPerChild; ++k) {
        trainer.train_step(data);
        trainer.save(path);
      }
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  };
  // The kill comes at a random moment in [0, the shortest of five whole lives].
  std::chrono::microseconds life = std::chrono::hours(1);
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = child();
    ASSERT_GE(pid, 0) << "fork failed";
    ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
    life = std::min(life, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0));
  }
  trainer.save(path);  // back to step 0
  // The bound adapts: a child that finished before its kill shortens it by 10%, a killed one
  // lengthens it by 2%, so that most kills land inside a life even when lives vary (a
  // sanitized build's first children live far longer than the later ones).
  int64_t max_delay_us = life.count();
  std::mt19937 rng(2024);

  int finished = 0, killed = 0, unchanged = 0, temporaries_left = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int trial = 0; trial < trials; ++trial) {
    const int64_t before = trainer.step;
    const pid_t pid = child();
    ASSERT_GE(pid, 0) << "fork failed";
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int64_t>(0, max_delay_us)(rng)));
    ::kill(pid, SIGKILL);  // harmless if the child has already finished
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the child failed to save (trial " << trial << ")";
      ++finished;
      max_delay_us = std::max<int64_t>(1, max_delay_us * 9 / 10);
    } else {
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
      ++killed;
      max_delay_us += std::max<int64_t>(1, max_delay_us / 50);
    }

    // The file is a complete checkpoint of a step the child reached: exactly the bytes the
    // uninterrupted run writes at that step.
    TrainingRun resumed(3);  // other initial weights, all overwritten by the load
    ASSERT_NO_THROW(resumed.load(path)) << "trial " << trial;
    const int64_t s = resumed.step;
    ASSERT_GE(s, before) << "trial " << trial;
    ASSERT_LE(s, before + kStepsPerChild) << "trial " << trial;
    ASSERT_EQ(fingerprint(tg::io::read_file(path)), reference[static_cast<std::size_t>(s)]) << "trial " << trial << ", step " << s;
    unchanged += s == before;
    // Resuming K steps gives the uninterrupted run's state at step s + K, bit for bit.
    for (int k = 0; k < kResumeSteps; ++k) resumed.train_step(data);
    ASSERT_EQ(fingerprint(resumed.checkpoint().bytes()), reference[static_cast<std::size_t>(s + kResumeSteps)])
        << "trial " << trial << ", resumed from step " << s;

    // At most the temporary file of the killed save; the next save removes it.
    const int temps = count_temporaries(dir);
    ASSERT_LE(temps, 1) << "trial " << trial;
    temporaries_left += temps;
    trainer.load(path);  // the next child continues from what survived
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  trainer.save(path);
  EXPECT_EQ(count_temporaries(dir), 0) << "a successful save removes temporary files of killed saves";
  EXPECT_GT(killed, trials / 4) << "most kills should land while the child is saving";
  // Each trial gains a step when its child saved at least once before the kill; how many do
  // depends on the timing of the kills, so only steady progress is required.
  EXPECT_GT(trainer.step, trials / 4) << "the run made progress across the crashes";
  std::printf("%s: %d trials in %.2f s (a child's life: %lld us; kill delays 0..%lld us): %d children killed, %d finished; "
              "%d kills left the previous checkpoint, %d left a temporary file; reached step %lld\n",
              parent.c_str(), trials, seconds, static_cast<long long>(life.count()), static_cast<long long>(max_delay_us), killed,
              finished, unchanged, temporaries_left, static_cast<long long>(trainer.step));
  fs::remove_all(dir);
}

// In memory (tmpfs, where fsync costs nothing): a save takes ~0.1 ms, so the kills land in
// every phase of it -- before the temporary file, while writing, around the rename.
TEST(CrashSafety, KilledWhileSavingInMemoryLeavesACompleteCheckpointThatResumesBitExactly) {
  if (!fs::is_directory("/dev/shm")) GTEST_SKIP() << "no /dev/shm";
  crash_while_saving("/dev/shm", 400);
}

// On the disk of the test's temporary directory, with its real fsync (~1-20 ms a save): fewer
// trials, most kills land in an fsync.
TEST(CrashSafety, KilledWhileSavingOnDiskLeavesACompleteCheckpointThatResumesBitExactly) {
  crash_while_saving(::testing::TempDir(), 100);
}

}  // namespace
