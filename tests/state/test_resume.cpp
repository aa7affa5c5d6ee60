// A run stopped at any step and resumed from its checkpoint in a new process is bit-identical
// to the uninterrupted run: Dropout (the global generator), a shuffling DataLoader (stopped
// mid-epoch or at an epoch's end), Adam, and each schedule — whichever order the objects are
// rebuilt and loaded in. The run itself is tests/state/resume_run.cpp.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "data/temp_dir.hpp"

namespace {

std::string run(const std::string& args) {
  const std::string command = std::string(TAPEGRAD_RESUME_RUN) + " " + args;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return "cannot run " + command;
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
  const int status = pclose(pipe.release());
  if (status != 0) out += "\nexit status " + std::to_string(status) + " for " + command;
  return out;
}

class Resume : public ::testing::TestWithParam<std::string> {};

constexpr int kSteps = 17;  // 3 passes of 5 batches and 2 batches into the fourth

TEST_P(Resume, StopAndResumeEqualsTheUninterruptedRun) {
  const std::string& schedule = GetParam();
  const std::string full = run(schedule + " " + std::to_string(kSteps) + " full");
  ASSERT_NE(full.find("lr "), std::string::npos) << full;
  TempDir dir;
  for (int stop : {1, 3, 5, 8, 10, 16}) {  // mid-epoch and at epochs' ends
    for (const char* order : {"load_first", "build_first"}) {
      const std::string file = dir.path() + "/run_" + std::to_string(stop) + ".ckpt";
      ASSERT_EQ(run(schedule + " " + std::to_string(kSteps) + " stop " + std::to_string(stop) + " " + file), "");
      EXPECT_EQ(run(schedule + " " + std::to_string(kSteps) + " resume " + file + " " + order), full)
          << schedule << " stopped after step " << stop << ", resumed " << order;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EverySchedule, Resume,
                         ::testing::Values("StepLR", "MultiStepLR", "ExponentialLR", "MultiplicativeLR", "InverseTimeLR",
                                           "LambdaLR", "LinearLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
                                           "CyclicLR", "OneCycleLR", "SequentialLR", "ReduceLROnPlateau"));

}  // namespace
