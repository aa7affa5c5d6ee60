// `tapegrad optimize`: the trace (step,loss,p0,... at %.17g), the summary, divergence, and
// every kind of bad input (one line, exit status 2).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <tapegrad/tapegrad.hpp>

#include "cli_test.hpp"

namespace {

using cli_test::Output;
using cli_test::read_file;
using cli_test::reference_run;
using tg::cli::OptimizeArgs;

TEST(CliOptimize, WorkedExampleOfTheReference) {
  // optimizers.md, "Worked example": f = (x-3)^2 + (y+2)^2 from (0, 0), lr 0.1. Step 1 is
  // the same with or without momentum: g = (-6, 4), theta = (0.6, -0.4), f = 2.4^2 + 1.6^2.
  // Plain SGD then: theta_2 = theta_1 - 0.1*(2*(0.6-3), 2*(-0.4+2)) = (1.08, -0.72).
  const Output o = cli_test::optimize({"quadratic", "sgd", {"lr=0.1"}, "", "3", "-"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out,
            "step,loss,p0,p1\n"
            "0,13,0,0\n"
            "1,8.3200000000000003,0.60000000000000009,-0.40000000000000002\n"
            "2,5.3247999999999998,1.0800000000000001,-0.72000000000000008\n"
            "3,3.4078720000000002,1.464,-0.97599999999999998\n");
}

TEST(CliOptimize, MomentumWorkedExampleRows) {
  // optimizers.md: key quadratic/sgd/lr=0.1,momentum=0.9/start=(0,0), rows 0..3 as PyTorch
  // computed them. PyTorch adds -lr*buf with a fused multiply-add, tapegrad with a product and
  // a sum, so the last digit may differ: the oracle's tolerance, |a - b| <= 1e-12 + 1e-9|b|.
  const Output o = cli_test::optimize({"quadratic", "sgd", {"lr=0.1", "momentum=0.9"}, "0,0", "3", "-"});
  EXPECT_EQ(o.status, 0);
  const cli_test::Csv csv = cli_test::read_csv(o.out);
  const std::vector<std::vector<double>> reference = {{0, 13, 0, 0},
                                                      {1, 8.3200000000000003, 0.60000000000000009, -0.40000000000000002},
                                                      {2, 2.7507999999999995, 1.6200000000000001, -1.0800000000000001},
                                                      {3, 0.049971999999999954, 2.8140000000000001, -1.8760000000000001}};
  ASSERT_EQ(csv.rows.size(), reference.size());
  for (std::size_t r = 0; r < reference.size(); ++r) {
    for (std::size_t c = 0; c < 4; ++c) {
      EXPECT_NEAR(csv.rows[r][c], reference[r][c], 1e-12 + 1e-9 * std::fabs(reference[r][c])) << r << ", " << c;
    }
  }
}

TEST(CliOptimize, TraceIsTheUsersLoopAndEveryLossIsFAtItsRow) {
  struct Case {
    std::string function, optimizer;
    std::vector<std::string> set;
    tg::optim::OptionList options;
  };
  const std::vector<Case> cases = {
      {"rosenbrock", "adam", {"lr=0.05", "betas=0.8,0.99", "amsgrad=true"}, {{"lr", "0.05"}, {"betas", "0.8,0.99"}, {"amsgrad", "true"}}},
      {"rosenbrock", "lbfgs", {"line_search_fn=strong_wolfe"}, {{"line_search_fn", "strong_wolfe"}}},
      {"rosenbrock", "nesterov_lookahead", {"lr=0.0005"}, {{"lr", "0.0005"}}},
      {"rosenbrock10", "sgd", {"lr=0.0002", "momentum=0.9", "nesterov=true"}, {{"lr", "0.0002"}, {"momentum", "0.9"}, {"nesterov", "true"}}},
      {"matrix_lsq", "rmsprop", {"lr=0.01", "centered=true"}, {{"lr", "0.01"}, {"centered", "true"}}},
      {"matrix_lsq", "shampoo", {"lr=0.1"}, {{"lr", "0.1"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.function + " " + c.optimizer);
    const tg::functions::TestFunction& f = tg::functions::get(c.function);
    const Output o = cli_test::optimize({c.function, c.optimizer, c.set, "", "20", "-"});
    ASSERT_EQ(o.status, 0) << o.err;
    const cli_test::Csv csv = cli_test::read_csv(o.out);
    std::string header = "step,loss";
    for (int64_t i = 0; i < f.dim(); ++i) header += ",p" + std::to_string(i);
    EXPECT_EQ(csv.header, header);
    const auto expected = reference_run(f, c.optimizer, c.options, f.starts.front().second, 20);
    ASSERT_EQ(csv.rows.size(), 21u);
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
      const std::vector<double> params(csv.rows[r].begin() + 2, csv.rows[r].end());
      EXPECT_EQ(csv.rows[r][0], static_cast<double>(r));
      EXPECT_EQ(params, expected[r]) << "row " << r;
      tg::NoGradGuard no_grad;
      EXPECT_EQ(csv.rows[r][1], f(tg::tensor(params, f.shape)).item()) << "row " << r;
    }
  }
}

TEST(CliOptimize, StartGivesEveryComponentRowMajor) {
  const Output o = cli_test::optimize({"matrix_lsq", "sgd", {"lr=0.01"}, "1,2,3,4,5,6,7,8,9,10,11,12", "0", "-"});
  ASSERT_EQ(o.status, 0) << o.err;
  const cli_test::Csv csv = cli_test::read_csv(o.out);
  EXPECT_EQ(csv.header, "step,loss,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11");
  ASSERT_EQ(csv.rows.size(), 1u);
  const std::vector<double> params(csv.rows[0].begin() + 2, csv.rows[0].end());
  EXPECT_EQ(params, (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  const auto& f = tg::functions::get("matrix_lsq");
  EXPECT_EQ(csv.rows[0][1], f(tg::tensor(params, tg::Shape{3, 4})).item());
}

TEST(CliOptimize, TraceFileAndSummary) {
  const std::string path = (std::filesystem::temp_directory_path() / "tapegrad_cli_trace.csv").string();
  const Output o = cli_test::optimize({"quadratic", "sgd", {"lr=0.1"}, "", "3", path});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(read_file(path), cli_test::optimize({"quadratic", "sgd", {"lr=0.1"}, "", "3", "-"}).out);
  // f = 3.4078720000000002 at (1.464, -0.976); distance to (3, -2) = sqrt(1.536^2 + 1.024^2).
  EXPECT_EQ(o.out,
            "quadratic with sgd (lr=0.1): 3 steps from (0, 0)\n"
            "final loss 3.4078720000000002 at (1.464, -0.976); nearest known minimum (3, -2) at distance 1.84604\n"
            "trace: 4 rows written to " + path + "\n");
  std::filesystem::remove(path);

  const Output quiet = cli_test::optimize({"ravine", "adam", {}, "1,1", "0", ""});
  EXPECT_EQ(quiet.out,
            "ravine with adam (default options): 0 steps from (1, 1)\n"
            "final loss 11 at (1, 1); nearest known minimum (0, 0) at distance 1.41421\n");
}

TEST(CliOptimize, DivergenceKeepsTheFiniteRowsAndExitsWithOne) {
  // lr = 1.5 on the bowl: x - 3 and y + 2 are multiplied by 1 - 2*1.5 = -2 at every step, so
  // f = 13 * 4^k, finite up to k = 510 (1.46e308) and inf at k = 511.
  const Output o = cli_test::optimize({"quadratic", "sgd", {"lr=1.5"}, "", "1000", "-"});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "tapegrad optimize: diverged at step 511 (loss = inf); the trace holds steps 0 to 510\n");
  const cli_test::Csv csv = cli_test::read_csv(o.out);
  ASSERT_EQ(csv.rows.size(), 511u);
  EXPECT_EQ(csv.rows.back()[0], 510);
  EXPECT_DOUBLE_EQ(csv.rows.back()[1], 13 * std::pow(4.0, 510));

  const Output no_trace = cli_test::optimize({"quadratic", "sgd", {"lr=1.5"}, "", "1000", ""});
  EXPECT_EQ(no_trace.status, 1);
  EXPECT_EQ(no_trace.out, "");
  EXPECT_EQ(no_trace.err, "tapegrad optimize: diverged at step 511 (loss = inf); no trace was asked for\n");
}

TEST(CliOptimize, BadInputIsOneLineAndStatusTwo) {
  const std::vector<std::pair<OptimizeArgs, std::string>> cases = {
      {{"", "sgd", {}, "", "10", "-"}, "--function is required (tapegrad list functions)"},
      {{"quadratic", "", {}, "", "10", "-"}, "--optimizer is required (tapegrad list optimizers)"},
      {{"quadratic", "sgd", {}, "", "10", "-"}, "sgd: option lr is required (it has no default)"},
      {{"quadratic", "sgdd", {"lr=0.1"}, "", "10", "-"}, "unknown optimizer 'sgdd' (known: sgd, adam, adamw, "},
      {{"quadratic", "sgd", {"lr=abc"}, "", "10", "-"}, "sgd: option lr = 'abc' is not a number"},
      {{"quadratic", "sgd", {"lr=-0.1"}, "", "10", "-"}, "sgd: invalid lr = -0.1 (expected a finite value >= 0)"},
      {{"quadratic", "sgd", {"lr=0.1", "speed=3"}, "", "10", "-"},
       "sgd: unknown option 'speed' (options: lr, momentum, dampening, weight_decay, nesterov, maximize)"},
      {{"quadratic", "adam", {"betas=0.9"}, "", "10", "-"}, "adam: option betas = '0.9' is not two numbers, as (a,b)"},
      {{"quadratic", "sgd", {"lr"}, "", "10", "-"}, "--set: 'lr' is not of the form key=value"},
      {{"quadratic", "sgd", {"=0.1"}, "", "10", "-"}, "--set: '=0.1' is not of the form key=value"},
      {{"quadratic", "sgd", {"lr=0.1"}, "1,2,3", "10", "-"}, "--start: quadratic takes 2 numbers (shape (2,)), got 3"},
      {{"rosenbrock10", "sgd", {"lr=0.1"}, "1,2", "10", "-"}, "--start: rosenbrock10 takes 10 numbers (shape (10,)), got 2"},
      {{"matrix_lsq", "sgd", {"lr=0.1"}, "1,2", "10", "-"},
       "--start: matrix_lsq takes 12 numbers (shape (3, 4), row-major), got 2"},
      {{"quadratic", "sgd", {"lr=0.1"}, "1,x", "10", "-"}, "--start: 'x' in '1,x' is not a number"},
      {{"quadratic", "sgd", {"lr=0.1"}, "1,,2", "10", "-"}, "--start: '' in '1,,2' is not a number"},
      {{"quadratic", "sgd", {"lr=0.1"}, "1,inf", "10", "-"}, "--start: 'inf' in '1,inf' is not finite"},
      {{"quadratic", "sgd", {"lr=0.1"}, "", "-3", "-"}, "--steps: '-3' is not a whole number >= 0"},
      {{"quadratic", "sgd", {"lr=0.1"}, "", "2.5", "-"}, "--steps: '2.5' is not a whole number >= 0"},
      {{"quadratic", "sgd", {"lr=0.1"}, "", "ten", "-"}, "--steps: 'ten' is not a whole number >= 0"},
      {{"quadratic", "sgd", {"lr=0.1"}, "", "", "-"}, "--steps: '' is not a whole number >= 0"},
      {{"quadratic", "sgd", {"lr=0.1"}, "", "99999999999999999999", "-"},
       "--steps: '99999999999999999999' is not a whole number >= 0"},
      // Malformed numbers: trailing characters, not finite, empty items.
      {{"quadratic", "sgd", {"lr=0.1"}, "1.5x,2", "10", "-"}, "--start: '1.5x' in '1.5x,2' is not a number"},
      {{"quadratic", "sgd", {"lr=0.1"}, "nan,2", "10", "-"}, "--start: 'nan' in 'nan,2' is not finite"},
      {{"quadratic", "sgd", {"lr=0.1"}, "1,2,", "10", "-"}, "--start: '' in '1,2,' is not a number"},
      {{"quadratic", "sgd", {"lr=0.1"}, "0x1,2", "10", "-"}, "--start: '0x1' in '0x1,2' is not a number"},
      // A start where f is not finite: (x+y+1)^2 overflows to inf, times 0 ... gives nan.
      {{"goldstein_price", "adam", {}, "1e200,1e200", "10", "-"},
       "--start: goldstein_price(1e+200, 1e+200) = nan; choose a point where it is finite"},
      // Option values: not finite (nan would read as "not given"), of the wrong type, out of range.
      {{"quadratic", "adam", {"lr=nan"}, "", "10", "-"}, "--set: lr = 'nan' is not finite"},
      {{"quadratic", "aggmo", {"lr=0.1", "betas=(0,inf)"}, "", "10", "-"}, "--set: betas = '(0,inf)' is not finite"},
      {{"quadratic", "sgd", {"lr=1.5x"}, "", "10", "-"}, "sgd: option lr = '1.5x' is not a number"},
      {{"quadratic", "adam", {"amsgrad=maybe"}, "", "10", "-"}, "adam: option amsgrad = 'maybe' is not true or false"},
      {{"quadratic", "lbfgs", {"max_iter=2.5"}, "", "10", "-"}, "lbfgs: option max_iter = '2.5' is not an integer"},
      {{"quadratic", "lbfgs", {"line_search_fn=wolfe"}, "", "10", "-"},
       "lbfgs: invalid line_search_fn = 'wolfe' (expected '' or 'strong_wolfe')"},
      {{"quadratic", "adam", {"betas=1.5,0.9"}, "", "10", "-"}, "adam: invalid betas[0] = 1.5 (expected 0 <= value < 1)"},
      {{"quadratic", "demon_sgdm", {"lr=0.1"}, "", "10", "-"}, "demon_sgdm: option T is required"},
  };
  for (const auto& [args, message] : cases) {
    const Output o = cli_test::optimize(args);
    EXPECT_EQ(o.status, 2) << message;
    EXPECT_EQ(o.out, "") << message;
    EXPECT_EQ(o.err.rfind("tapegrad optimize: " + message, 0), 0u) << o.err;
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << o.err;
  }
  const Output unknown = cli_test::optimize({"quad", "sgd", {"lr=0.1"}, "", "10", "-"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err.rfind("tapegrad optimize: unknown function 'quad' (known: quadratic, ravine, rosenbrock, ", 0), 0u)
      << unknown.err;
  EXPECT_EQ(unknown.err.find('\n'), unknown.err.size() - 1);
}

TEST(CliOptimize, EveryOptimizerRunsOnEveryShape) {
  // All 35 optimizers on a 2-vector, the 10-vector and the 3x4 matrix (shampoo and adafactor
  // precondition matrices by rows and columns), each with only the options it requires.
  const std::vector<tg::optim::OptimizerInfo> infos = tg::optim::optimizers();
  ASSERT_EQ(infos.size(), 36u);
  for (const std::string function : {"quadratic", "rosenbrock10", "matrix_lsq"}) {
    const tg::functions::TestFunction& f = tg::functions::get(function);
    for (const tg::optim::OptimizerInfo& info : infos) {
      std::vector<std::string> set;
      for (const std::string& key : tg::cli::required_options(info.name)) {
        set.push_back(key == "lr" ? "lr=" + tg::optim::format_value(f.sgd_lr) : key + "=100");
      }
      const Output o = cli_test::optimize({function, info.name, set, "", "5", "-"});
      ASSERT_EQ(o.status, 0) << function << " " << info.name << ": " << o.err;
      const cli_test::Csv csv = cli_test::read_csv(o.out);
      ASSERT_EQ(csv.rows.size(), 6u) << function << " " << info.name;
      EXPECT_EQ(csv.rows[5].size(), static_cast<std::size_t>(2 + f.dim())) << function << " " << info.name;
      EXPECT_LT(csv.rows[5][1], csv.rows[0][1]) << function << " " << info.name << ": 5 steps should go down";
    }
  }
}

TEST(CliOptimize, LbfgsWithItsClosureReachesTheMinimum) {
  // Each lbfgs step runs up to max_iter = 20 inner iterations through the closure; from the
  // classic start (-1.2, 1) strong-Wolfe L-BFGS is within 1e-4 of (1, 1) after 20 steps, and
  // on the quadratic matrix function it is at its minimum f* = 1.80674 after 10.
  const Output r = cli_test::optimize({"rosenbrock", "lbfgs", {"line_search_fn=strong_wolfe"}, "-1.2,1", "20", "-"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<double> last = cli_test::read_csv(r.out).rows.back();
  EXPECT_NEAR(last[2], 1, 1e-4);
  EXPECT_NEAR(last[3], 1, 1e-4);
  EXPECT_LT(last[1], 1e-8);
  const Output m = cli_test::optimize({"matrix_lsq", "lbfgs", {}, "", "10", "-"});
  ASSERT_EQ(m.status, 0) << m.err;
  EXPECT_NEAR(cli_test::read_csv(m.out).rows.back()[1], tg::functions::get("matrix_lsq").points.front().value, 1e-10);
}

TEST(CliOptimize, UnwritableTraceIsStatusThree) {
  const Output o = cli_test::optimize({"quadratic", "sgd", {"lr=0.1"}, "", "3", "/nonexistent-dir/trace.csv"});
  EXPECT_EQ(o.status, 3);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "tapegrad optimize: cannot write the trace '/nonexistent-dir/trace.csv': No such file or directory\n");
}

}  // namespace
