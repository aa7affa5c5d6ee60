// `tapegrad optimize` against the project's reference trajectories (tests/reference/oracle/):
// every one of the 911 entries — quadratic, ravine, rosenbrock, saddle; 31 optimizers with
// default and non-default options — run through the subcommand with `--set key=value` for each
// option of the key and the trace read back from its CSV text, at |a - b| <= 1e-12 + 1e-9·|b|;
// and the same for the entries made with the authors' code of larc_sgd and yellowfin
// (tests/reference/oracle_ext/larc/ and yellowfin/).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <tapegrad/tapegrad.hpp>

#include "cli_test.hpp"
#include "optim/oracle.hpp"

namespace {

std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The optimize arguments of an entry: the options of its key as --set, its start, 50 steps.
tg::cli::OptimizeArgs args_of(const oracle::Entry& e) {
  std::vector<std::string> set;
  for (const auto& [key, value] : e.options) set.push_back(key + "=" + value);
  std::ostringstream start;
  start << exact(e.start[0]) << ',' << exact(e.start[1]);
  // Built in one piece: assigning short literals to the members trips a GCC 12
  // -Wstringop-overflow false positive.
  return {.function = e.function, .optimizer = e.optimizer, .set = set, .start = start.str(), .steps = "50", .trace = "-"};
}

// Runs `e` through `tapegrad optimize` and checks the trace against it.
void check_through_optimize(const oracle::Entry& e) {
  const cli_test::Output o = cli_test::optimize(args_of(e));
  ASSERT_EQ(o.status, 0) << e.key << ": " << o.err;
  const cli_test::Csv csv = cli_test::read_csv(o.out);
  ASSERT_EQ(csv.header, "step,loss,p0,p1") << e.key;
  ASSERT_EQ(csv.rows.size(), 51u) << e.key;
  std::vector<std::vector<double>> params;
  const tg::functions::TestFunction& f = tg::functions::get(e.function);
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    ASSERT_EQ(csv.rows[r].size(), 4u) << e.key;
    EXPECT_EQ(csv.rows[r][0], static_cast<double>(r)) << e.key;
    params.push_back({csv.rows[r][2], csv.rows[r][3]});
    // The loss column is f at the row's parameters, and f is the oracle's function.
    const double reference_loss = oracle::evaluate(e.function, tg::tensor(params.back(), tg::Shape{2})).item();
    EXPECT_NEAR(csv.rows[r][1], reference_loss, 1e-12 + 1e-9 * std::fabs(reference_loss)) << e.key << " row " << r;
    tg::NoGradGuard no_grad;
    EXPECT_EQ(csv.rows[r][1], f(tg::tensor(params.back(), tg::Shape{2})).item()) << e.key << " row " << r;
  }
  EXPECT_EQ(oracle::compare(e, params), "");
}

TEST(CliOracle, EveryReferenceTrajectory) {
  const std::vector<oracle::Entry>& entries = oracle::entries();
  ASSERT_EQ(entries.size(), 911u);
  std::map<std::string, int> per_optimizer;
  for (const oracle::Entry& e : entries) {
    check_through_optimize(e);
    ++per_optimizer[e.optimizer];
  }
  EXPECT_EQ(per_optimizer.size(), 31u);
}

// larc_sgd against the 59 trajectories of apex's LARC around torch's SGD (53 strict, 6 relaxed).
TEST(CliOracle, EveryLarcTrajectoryOfApex) {
  const std::vector<oracle::Entry>& entries = oracle::ext_entries("larc");
  ASSERT_EQ(entries.size(), 59u);
  for (const oracle::Entry& e : entries) check_through_optimize(e);
}

// yellowfin against the 45 trajectories of its authors' code (44 strict, 1 relaxed).
TEST(CliOracle, EveryYellowFinTrajectoryOfItsAuthors) {
  const std::vector<oracle::Entry>& entries = oracle::ext_entries("yellowfin");
  ASSERT_EQ(entries.size(), 45u);
  for (const oracle::Entry& e : entries) check_through_optimize(e);
}

}  // namespace
