// Every optimizer against every reference trajectory of the oracle (PyTorch 1.13 for the
// PyTorch forms, an independent NumPy implementation for the paper forms), to 1e-9 relative.
#include <gtest/gtest.h>

#include <set>

#include "oracle.hpp"

namespace {

std::vector<std::string> optimizer_names() {
  std::set<std::string> names;
  for (const oracle::Entry& e : oracle::entries()) names.insert(e.optimizer);
  return {names.begin(), names.end()};
}

class Oracle : public ::testing::TestWithParam<std::string> {};

TEST_P(Oracle, ReproducesEveryTrajectory) {
  int checked = 0;
  for (const oracle::Entry& e : oracle::entries()) {
    if (e.optimizer != GetParam()) continue;
    const std::string mismatch = oracle::compare(e, oracle::run(e));
    EXPECT_EQ(mismatch, "");
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

INSTANTIATE_TEST_SUITE_P(AllOptimizers, Oracle, ::testing::ValuesIn(optimizer_names()),
                         [](const auto& info) { return info.param; });

TEST(Oracle, HasAllEntries) {
  EXPECT_EQ(oracle::entries().size(), 911u);
  EXPECT_EQ(optimizer_names().size(), 31u);
}

}  // namespace
