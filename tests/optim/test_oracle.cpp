// Every optimizer against every reference trajectory of the oracle (PyTorch 1.13 for the
// PyTorch forms, an independent NumPy implementation for the paper forms), and those of
// reference/oracle_ext/ (the authors' own code of an optimizer), to 1e-9 relative.
#include <gtest/gtest.h>

#include <set>

#include "oracle.hpp"

namespace {

std::vector<std::string> optimizer_names(const std::vector<oracle::Entry>& entries) {
  std::set<std::string> names;
  for (const oracle::Entry& e : entries) names.insert(e.optimizer);
  return {names.begin(), names.end()};
}
std::vector<std::string> optimizer_names() { return optimizer_names(oracle::entries()); }

int check_every_trajectory(const std::vector<oracle::Entry>& entries, const std::string& optimizer) {
  int checked = 0;
  for (const oracle::Entry& e : entries) {
    if (e.optimizer != optimizer) continue;
    const std::string mismatch = oracle::compare(e, oracle::run(e));
    EXPECT_EQ(mismatch, "");
    ++checked;
  }
  return checked;
}

class Oracle : public ::testing::TestWithParam<std::string> {};

TEST_P(Oracle, ReproducesEveryTrajectory) { EXPECT_GT(check_every_trajectory(oracle::entries(), GetParam()), 0); }

INSTANTIATE_TEST_SUITE_P(AllOptimizers, Oracle, ::testing::ValuesIn(optimizer_names()),
                         [](const auto& info) { return info.param; });

class OracleExt : public ::testing::TestWithParam<std::string> {};

TEST_P(OracleExt, ReproducesEveryTrajectory) {
  EXPECT_GT(check_every_trajectory(oracle::ext_entries(), GetParam()), 0);
}

INSTANTIATE_TEST_SUITE_P(AuthorsCode, OracleExt, ::testing::ValuesIn(optimizer_names(oracle::ext_entries())),
                         [](const auto& info) { return info.param; });

TEST(OracleExt, YellowFinHasAllEntries) {
  int yellowfin = 0;
  for (const oracle::Entry& e : oracle::ext_entries()) yellowfin += e.optimizer == "yellowfin";
  EXPECT_EQ(yellowfin, 45);  // 44 strict entries and 1 relaxed
}

TEST(Oracle, HasAllEntries) {
  EXPECT_EQ(oracle::entries().size(), 911u);
  EXPECT_EQ(optimizer_names().size(), 31u);
}

}  // namespace
