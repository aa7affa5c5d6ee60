// YellowFin (yellowfin) against its authors' code: the 45 trajectories of
// reference/oracle_ext/yellowfin/ (44 strict, 1 relaxed), the tuner's values over the first
// steps (the `extra` of one of them), runs on other functions and options
// (reference/yellowfin.txt, written by yellowfin_reference.py), the restore after non-finite
// statistics, the tuned lr and momentum, options that may be none, invalid options, one
// parameter group, checkpoints.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include <tapegrad/optim/checkpoint.hpp>
#include <tapegrad/optim/yellowfin.hpp>

#include "optim/oracle.hpp"

namespace {

using tg::Tensor;
namespace optim = tg::optim;

void expect_close(double a, double b, const std::string& what) {
  EXPECT_NEAR(a, b, 1e-12 + 1e-9 * std::fabs(b)) << what;
}

// The loss of a test function, recorded, after clearing the gradients; `inf_at_step` adds
// inf·θ₀ to the loss of that step (0-based), which makes the first gradient entry inf.
optim::Closure closure_for(optim::Optimizer& opt, const std::string& function, const Tensor& p, int inf_at_step = -1) {
  auto step = std::make_shared<int>(0);
  return [&opt, function, p, inf_at_step, step] {
    opt.zero_grad();
    Tensor f = tg::functions::get(function)(p);
    if ((*step)++ == inf_at_step) f = f + std::numeric_limits<double>::infinity() * p.flatten()[0];
    f.backward();
    return f;
  };
}

// ---- the trajectories of the authors' code ---------------------------------------------------

TEST(YellowFin, ReproducesEveryTrajectoryOfTheAuthorsCode) {
  const std::vector<oracle::Entry>& entries = oracle::ext_entries("yellowfin");
  ASSERT_EQ(entries.size(), 45u);
  for (const oracle::Entry& e : entries) EXPECT_EQ(oracle::compare(e, oracle::run(e)), "");
}

// ---- the first steps' internals ------------------------------------------------------------

// rosenbrock/yellowfin/lr=0.01,beta=0.9,curv_win_width=5,mu=0.5/start=(-1.2,1) of
// oracle_ext/yellowfin: its `extra` over steps 0-4 (the lr and momentum handed to the
// momentum step, h_min, h_max, the variance C, the distance, ‖g‖² and the gradient the
// momentum step used). The exploding-gradient clip fires from step 1 on.
struct StepInternals {
  double lr, momentum, h_min, h_max, grad_var, dist_to_opt, grad_norm_squared;
  bool exploding;
  double grad0, grad1;
};
const StepInternals kRosenbrockSteps[] = {
    {0.01, 0.5, 54227.36000099995, 54227.36000099995, 1e-06, 0.004294284060874138, 54227.359999999986, false,
     -215.59999999999997, -87.99999999999999},
    {2.988493545366573e-07, 0.1321248040568463, 54227.360001000045, 100123.68287418725, 25621.12917078662,
     0.0035150751457538906, 173869.47179247526, true, -206.3596522068962, 107.90298488775134},
    {4.438990642527226e-07, 0.13439806072171856, 54227.360001000045, 122738.84322239013, 21532.677340858892,
     0.0031851143078456654, 173830.75977689933, true, -280.4082425420921, 146.61139294474725},
    {6.188703445891611e-07, 0.12412561286145068, 54227.360000999855, 135818.93072257235, 17159.870004525175,
     0.002999093421293759, 173749.30145041956, true, -310.4751297741495, 162.30846289052553},
    {8.172038832235781e-07, 0.11176070749959899, 54227.360000999855, 144262.45712326805, 13815.91336296458,
     0.0028785606055521913, 173621.35660543205, true, -326.6155946057174, 170.70789134684645},
};

TEST(YellowFin, FirstStepsInternalsMatchTheAuthorsCode) {
  Tensor p = tg::tensor({-1.2, 1.0}, {2}, true);
  optim::YellowFin opt({p}, {.lr = 0.01, .mu = 0.5, .beta = 0.9, .curv_win_width = 5});
  EXPECT_EQ(opt.tuned_lr(), 0.01);
  EXPECT_EQ(opt.tuned_momentum(), 0.5);
  const optim::Closure closure = closure_for(opt, "rosenbrock", p);
  for (int k = 0; k < 5; ++k) {
    SCOPED_TRACE("step " + std::to_string(k));
    opt.step(closure);
    const StepInternals& e = kRosenbrockSteps[k];
    const optim::YellowFinState& s = opt.yellowfin_state();
    expect_close(opt.tuned_lr(), e.lr, "lr");
    expect_close(opt.tuned_momentum(), e.momentum, "momentum");
    expect_close(s.h_min, e.h_min, "h_min");
    expect_close(s.h_max, e.h_max, "h_max");
    expect_close(s.grad_var, e.grad_var, "grad_var");
    expect_close(s.dist_to_opt, e.dist_to_opt, "dist_to_opt");
    expect_close(s.grad_norm_squared, e.grad_norm_squared, "grad_norm_squared");
    EXPECT_EQ(s.exploding != 0, e.exploding);
    expect_close(p.grad().at({0}), e.grad0, "gradient of the momentum step, 0");
    expect_close(p.grad().at({1}), e.grad1, "gradient of the momentum step, 1");
    EXPECT_EQ(s.step, k + 1);
  }
  EXPECT_EQ(opt.yellowfin_state().curv_win.shape(), tg::Shape({5}));
}

// ---- reference runs of the authors' code: "run <function> start=<x,...> <option>=<value> ..." --

struct AuthorsRun {
  std::string header, function, start;
  optim::OptionList options;
  int inf_grad_at = -1;
  std::vector<std::vector<double>> rows;
};

std::vector<AuthorsRun> authors_runs() {
  const std::string path = std::string(TAPEGRAD_REFERENCE_DIR) + "/yellowfin.txt";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<AuthorsRun> runs;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    if (line.rfind("run ", 0) != 0) {
      runs.back().rows.emplace_back();
      for (double v; words >> v;) runs.back().rows.back().push_back(v);
      continue;
    }
    AuthorsRun r;
    r.header = line;
    std::string word;
    words >> word >> r.function;
    while (words >> word) {
      const auto eq = word.find('=');
      const std::string name = word.substr(0, eq), value = word.substr(eq + 1);
      if (name == "start") {
        r.start = value;
      } else if (name == "inf_grad_at") {
        r.inf_grad_at = std::stoi(value);
      } else {
        r.options.emplace_back(name, value);
      }
    }
    runs.push_back(r);
  }
  return runs;
}

// A start by its label ("spread", "zeros") or as "x,y".
Tensor start_of(const AuthorsRun& r) {
  const tg::functions::TestFunction& f = tg::functions::get(r.function);
  for (const auto& [label, x] : f.starts)
    if (label == r.start) return tg::tensor(x, f.shape, true);
  std::vector<double> x;
  std::istringstream values(r.start);
  for (std::string v; std::getline(values, v, ',');) x.push_back(std::stod(v));
  return tg::tensor(x, f.shape, true);
}

TEST(YellowFin, ReproducesTheAuthorsCodeOnOtherFunctionsAndOptions) {
  const std::vector<AuthorsRun> runs = authors_runs();
  EXPECT_EQ(runs.size(), 8u);
  for (const AuthorsRun& r : runs) {
    SCOPED_TRACE(r.header);
    Tensor p = start_of(r);
    auto opt = optim::make_optimizer("yellowfin", {p}, r.options);
    const optim::Closure closure = closure_for(*opt, r.function, p, r.inf_grad_at);
    ASSERT_EQ(r.rows.size(), 51u);
    for (std::size_t step = 0; step < r.rows.size(); ++step) {
      if (step > 0) opt->step(closure);
      const std::vector<double> now = p.to_vector();
      ASSERT_EQ(now.size(), r.rows[step].size());
      for (std::size_t i = 0; i < now.size(); ++i)
        ASSERT_NEAR(now[i], r.rows[step][i], 1e-12 + 1e-9 * std::fabs(r.rows[step][i]))
            << "after step " << step << ", component " << i;
    }
  }
}

// An inf gradient at step 3 makes the variance NaN: the step returns every parameter to its
// value at step 0 plus 1e-8, and the tuner to its statistics of step 0 — but keeps the last
// tuned lr_t and μ_t, which the next step (t = 0 again) uses instead of the options lr and mu.
TEST(YellowFin, NonFiniteStatisticsReturnToTheCopyOfStepZero) {
  Tensor p = tg::tensor({4.0, 1.0}, {2}, true);
  optim::YellowFin opt({p}, {.lr = 0.01, .mu = 0.5, .beta = 0.9, .curv_win_width = 5});
  const optim::Closure closure = closure_for(opt, "quadratic", p, 3);
  for (int k = 0; k < 3; ++k) opt.step(closure);
  const double mu_before = opt.tuned_momentum();
  opt.step(closure);
  EXPECT_EQ(p.to_vector(), (std::vector<double>{4.0 + 1e-8, 1.0 + 1e-8}));
  EXPECT_EQ(opt.yellowfin_state().step, 0);
  EXPECT_EQ(opt.tuned_momentum(), mu_before);
  EXPECT_NE(mu_before, 0.5);
  EXPECT_TRUE(std::isnan(opt.yellowfin_state().grad_var));
  opt.step(closure);
  EXPECT_EQ(opt.yellowfin_state().step, 1);
}

TEST(YellowFin, NonFiniteStatisticsAfterLoadingACheckpointAreAnError) {
  const std::string path = (std::filesystem::temp_directory_path() / "yellowfin_no_copy.ckpt").string();
  Tensor p = tg::tensor({4.0, 1.0}, {2}, true);
  optim::YellowFin a({p});
  const optim::Closure closure_a = closure_for(a, "quadratic", p);
  for (int k = 0; k < 2; ++k) a.step(closure_a);
  optim::save_checkpoint(path, a, {p});
  Tensor q = tg::tensor({0.0, 0.0}, {2}, true);
  optim::YellowFin b({q});
  optim::load_checkpoint(path, b, {q});
  std::filesystem::remove(path);
  const optim::Closure inf_now = closure_for(b, "quadratic", q, 0);
  try {
    b.step(inf_now);
    ADD_FAILURE() << "no error";
  } catch (const tg::NumericalError& e) {
    EXPECT_NE(std::string(e.what()).find("yellowfin: the statistics going into the cubic are not finite at step 2"),
              std::string::npos)
        << e.what();
  }
}

// ---- checkpoints ----------------------------------------------------------------------------

TEST(YellowFin, CheckpointsContinueBitExactly) {
  const std::string path = (std::filesystem::temp_directory_path() / "yellowfin_round_trip.ckpt").string();
  Tensor p = tg::tensor({-1.2, 1.0}, {2}, true);
  optim::YellowFin a({p}, {.lr = 0.01, .mu = 0.5, .beta = 0.9, .curv_win_width = 5, .clip_thresh = 50.0});
  const optim::Closure closure_a = closure_for(a, "rosenbrock", p);
  for (int k = 0; k < 7; ++k) a.step(closure_a);
  optim::save_checkpoint(path, a, {p});
  Tensor q = tg::zeros({2}, true);
  optim::YellowFin b({q});
  optim::load_checkpoint(path, b, {q});
  std::filesystem::remove(path);
  EXPECT_EQ(b.option("clip_thresh"), "50");
  EXPECT_EQ(b.option("auto_clip_fac"), "none");
  const optim::Closure closure_b = closure_for(b, "rosenbrock", q);
  for (int k = 0; k < 5; ++k) {
    a.step(closure_a);
    b.step(closure_b);
  }
  EXPECT_EQ(p.to_vector(), q.to_vector());
  EXPECT_EQ(a.tuned_lr(), b.tuned_lr());
  EXPECT_EQ(a.tuned_momentum(), b.tuned_momentum());
}

// ---- options ----------------------------------------------------------------------------------

TEST(YellowFin, OptionsThatMayBeNone) {
  Tensor p = tg::zeros({2}, true);
  auto opt = optim::make_optimizer("yellowfin", {p});
  EXPECT_EQ(opt->option("clip_thresh"), "none");
  EXPECT_EQ(opt->option("auto_clip_fac"), "none");
  opt->set_option("clip_thresh", "0.5");
  EXPECT_EQ(opt->option("clip_thresh"), "0.5");
  opt->set_option("clip_thresh", "None");
  EXPECT_EQ(opt->option("clip_thresh"), "none");
  try {
    opt->set_option("auto_clip_fac", "nothing");
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_STREQ(e.what(), "yellowfin: option auto_clip_fac = 'nothing' is not a number or none");
  }
  EXPECT_EQ(opt->option("auto_clip_fac"), "none");
}

TEST(YellowFin, DefaultsAreTheAuthors) {
  const std::vector<optim::OptimizerInfo> all = optim::optimizers();
  const auto it = std::find_if(all.begin(), all.end(), [](const auto& i) { return i.name == "yellowfin"; });
  ASSERT_NE(it, all.end());
  const optim::OptionList expected = {
      {"lr", "1e-04"},           {"mu", "0"},
      {"beta", "0.999"},         {"curv_win_width", "20"},
      {"zero_debias", "true"},   {"clip_thresh", "none"},
      {"weight_decay", "0"},     {"h_min_log_smooth", "true"},
      {"h_max_log_smooth", "true"}, {"adapt_clip", "true"},
      {"stat_protect_fac", "100"}, {"catastrophic_move_thresh", "100"},
      {"auto_clip_fac", "none"}, {"sparsity_debias", "false"},
      {"force_non_inc_step", "false"}};
  EXPECT_EQ(it->defaults, expected);
}

void expect_invalid(const optim::OptionList& options, const std::string& message) {
  SCOPED_TRACE(message);
  Tensor p = tg::zeros({2}, true);
  try {
    optim::make_optimizer("yellowfin", {p}, options);
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_STREQ(e.what(), message.c_str());
  }
}

TEST(YellowFin, InvalidOptionsAreRejected) {
  expect_invalid({{"lr", "-0.1"}}, "yellowfin: invalid lr = -0.1 (expected a finite value >= 0)");
  expect_invalid({{"mu", "1"}}, "yellowfin: invalid mu = 1 (expected 0 <= value < 1)");
  expect_invalid({{"beta", "-0.5"}}, "yellowfin: invalid beta = -0.5 (expected 0 <= value < 1)");
  expect_invalid({{"beta", "1"}}, "yellowfin: invalid beta = 1 (expected 0 <= value < 1)");
  expect_invalid({{"curv_win_width", "0"}},
                 "yellowfin: invalid curv_win_width = 0 (expected an integer >= 1)");
  expect_invalid({{"clip_thresh", "0"}}, "yellowfin: invalid clip_thresh = 0 (expected a finite value > 0)");
  expect_invalid({{"auto_clip_fac", "-2"}}, "yellowfin: invalid auto_clip_fac = -2 (expected a finite value > 0)");
  expect_invalid({{"weight_decay", "-0.01"}}, "yellowfin: invalid weight_decay = -0.01 (expected a finite value >= 0)");
  expect_invalid({{"stat_protect_fac", "0"}}, "yellowfin: invalid stat_protect_fac = 0 (expected a finite value > 0)");
  expect_invalid({{"catastrophic_move_thresh", "-1"}},
                 "yellowfin: invalid catastrophic_move_thresh = -1 (expected a finite value > 0)");
  expect_invalid({{"zero_debias", "yes"}}, "yellowfin: option zero_debias = 'yes' is not true or false");
  expect_invalid({{"curv_win_width", "2.5"}}, "yellowfin: option curv_win_width = '2.5' is not an integer");
}

TEST(YellowFin, TakesOneParameterGroup) {
  Tensor a = tg::zeros({2}, true), b = tg::zeros({3}, true);
  try {
    optim::YellowFin opt({{{a}, {}}, {{b}, {}}});
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_STREQ(e.what(), "yellowfin: one parameter group only (got 2); its tuner measures all parameters at once");
  }
  optim::YellowFin opt({a});
  opt.add_param_group({{b}, {}});
  try {
    opt.step();
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_STREQ(e.what(), "yellowfin: one parameter group only (got 2)");
  }
}

TEST(YellowFin, TheWindowWidthCannotChangeAfterTheFirstStep) {
  Tensor p = tg::tensor({4.0, 1.0}, {2}, true);
  optim::YellowFin opt({p});
  const optim::Closure closure = closure_for(opt, "quadratic", p);
  opt.step(closure);
  opt.set_option("curv_win_width", "10");
  try {
    opt.step(closure);
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_STREQ(e.what(),
                 "yellowfin: curv_win_width = 10 but the curvature window holds 20 values; it cannot change after "
                 "the first step");
  }
}

// The statistics span all parameters: two tensors step exactly as their concatenation.
TEST(YellowFin, TwoParametersStepAsOneVector) {
  Tensor whole = tg::tensor({0.5, -0.3, 1.1, 0.8, -0.9}, {5}, true);
  Tensor head = tg::tensor({0.5, -0.3}, {2}, true), tail = tg::tensor({1.1, 0.8, -0.9}, {3}, true);
  optim::YellowFin one({whole}, {.lr = 0.01, .mu = 0.5, .beta = 0.9, .curv_win_width = 5});
  optim::YellowFin two({head, tail}, {.lr = 0.01, .mu = 0.5, .beta = 0.9, .curv_win_width = 5});
  auto f = [](const Tensor& x) { return (x * x * x * x).sum() + (x * x).sum(); };
  for (int k = 0; k < 20; ++k) {
    one.zero_grad();
    f(whole).backward();
    one.step();
    two.zero_grad();
    (f(head) + f(tail)).backward();
    two.step();
    for (int i = 0; i < 5; ++i) {
      const double split = i < 2 ? head.at({i}) : tail.at({i - 2});
      EXPECT_NEAR(split, whole.at({i}), 1e-12 + 1e-9 * std::fabs(whole.at({i}))) << "step " << k << ", " << i;
    }
  }
  EXPECT_NEAR(two.tuned_lr(), one.tuned_lr(), 1e-9 * one.tuned_lr());
}

}  // namespace
