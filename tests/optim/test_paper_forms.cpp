// The momentum family and the adaptive paper forms (heavy_ball, momentum_ema,
// nesterov_lookahead, qhm, aggmo, demon_sgdm, adagrad_eps_inside, rmsprop_eps_inside,
// adam_efficient, amsgrad_nobc2, nadam_simplified, adamax_textbook, adamw_after, qhadam,
// adabelief, lion, demon_adam): the worked examples of the reference of update rules, Demon
// Adam against its NumPy reference, the identities between neighbours, option validation,
// construction by name, state round trips and the look-ahead closure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <tapegrad/optim/adabelief.hpp>
#include <tapegrad/optim/adagrad_eps_inside.hpp>
#include <tapegrad/optim/adam_efficient.hpp>
#include <tapegrad/optim/adamax_textbook.hpp>
#include <tapegrad/optim/adamw_after.hpp>
#include <tapegrad/optim/amsgrad.hpp>
#include <tapegrad/optim/demon_adam.hpp>
#include <tapegrad/optim/lion.hpp>
#include <tapegrad/optim/momentum.hpp>
#include <tapegrad/optim/nadam_simplified.hpp>
#include <tapegrad/optim/nesterov_lookahead.hpp>
#include <tapegrad/optim/qhadam.hpp>
#include <tapegrad/optim/rmsprop_eps_inside.hpp>
#include <tapegrad/tapegrad.hpp>

#include "oracle.hpp"

namespace {

using tg::Tensor;
using tg::optim::OptionList;
using Rows = std::vector<std::vector<double>>;

const std::vector<std::string> kNames = {"heavy_ball",     "momentum_ema",  "nesterov_lookahead", "qhm",
                                         "aggmo",          "demon_sgdm",    "adagrad_eps_inside", "rmsprop_eps_inside",
                                         "adam_efficient", "amsgrad_nobc2", "nadam_simplified",   "adamax_textbook",
                                         "adamw_after",    "qhadam",        "adabelief",          "lion",
                                         "demon_adam"};

// Options that make every optimizer of kNames constructible (lr and T have no default for some).
OptionList minimal_options(const std::string& name) {
  if (name == "demon_sgdm" || name == "demon_adam") return {{"lr", "0.01"}, {"T", "100"}};
  return {{"lr", "0.01"}};
}

// Rows 0..steps of optimizer `name` on test function `function` from `start`, by name and
// through the closure.
Rows run(const std::string& name, const OptionList& options, const std::string& function,
         const std::vector<double>& start, int steps) {
  Tensor p = tg::tensor(start, tg::Shape{2}, true);
  auto opt = tg::optim::make_optimizer(name, {p}, options);
  Rows rows{p.to_vector()};
  for (int i = 0; i < steps; ++i) {
    opt->step([&] {
      opt->zero_grad();
      Tensor loss = oracle::evaluate(function, p);
      loss.backward();
      return loss;
    });
    rows.push_back(p.to_vector());
  }
  return rows;
}

// |a - b| <= tol·max(1, |b|) for every component of every row.
void expect_close(const Rows& a, const Rows& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t r = 0; r < a.size(); ++r)
    for (std::size_t c = 0; c < a[r].size(); ++c)
      EXPECT_LE(std::fabs(a[r][c] - b[r][c]), tol * std::max(1.0, std::fabs(b[r][c])))
          << "row " << r << " component " << c << ": " << a[r][c] << " vs " << b[r][c];
}

// ---- worked examples of optimizers.md (quadratic from (0,0), rows 1..3) ---------------------

struct Example {
  std::string name;
  OptionList options;
  double rows[3][2];
};

const std::vector<Example> kExamples = {
    {"momentum_ema",
     {{"lr", "0.1"}, {"beta", "0.9"}},
     {{0.059999999999999991, -0.039999999999999994},
      {0.17279999999999995, -0.11519999999999998},
      {0.33086399999999994, -0.22057599999999997}}},
    {"heavy_ball",
     {{"lr", "0.1"}, {"beta", "0.9"}},
     {{0.60000000000000009, -0.40000000000000002},
      {1.6200000000000001, -1.0800000000000001},
      {2.8140000000000001, -1.8760000000000003}}},
    {"nesterov_lookahead",
     {{"lr", "0.1"}, {"gamma", "0.9"}},
     {{0.60000000000000009, -0.40000000000000002},
      {1.5120000000000002, -1.008},
      {2.4662400000000004, -1.6441600000000001}}},
    {"qhm",
     {{"lr", "0.1"}, {"beta", "0.9"}, {"nu", "0.5"}},
     {{0.33000000000000002, -0.22000000000000003},
      {0.65070000000000006, -0.43380000000000002},
      {0.95745300000000011, -0.63830200000000004}}},
    {"aggmo",
     {{"lr", "0.1"}, {"betas", "(0,0.9,0.99)"}},
     {{0.59999999999999998, -0.40000000000000002}, {1.458, -0.97199999999999998}, {2.4268199999999998, -1.61788}}},
    {"demon_sgdm",
     {{"lr", "0.1"}, {"T", "50"}, {"beta_init", "0.9"}},
     {{0.60000000000000009, -0.40000000000000002},
      {1.6189002036659881, -1.079266802443992},
      {2.8083253247247133, -1.8722168831498087}}},
    {"adagrad_eps_inside",
     {{"lr", "0.5"}, {"eps", "0.01"}},
     {{0.49993057001980001, -0.49984382320406129},
      {0.82000178240964294, -0.79980383120271736},
      {1.063701073917283, -1.0161563580633683}}},
    {"rmsprop_eps_inside",
     {{"lr", "0.01"}, {"eps", "0.01"}, {"rho", "0.99"}},
     {{0.098639392383214328, -0.097014250014533149},
      {0.16784133680632835, -0.16501552993911933},
      {0.22400828190537111, -0.22003635533630073}}},
    {"adam_efficient",
     {{"lr", "0.05"}, {"betas", "(0.9,0.999)"}, {"eps", "0.01"}},
     {{0.047496703905151767, -0.04633675766016556},
      {0.095664481411182389, -0.093627651548707891},
      {0.14410537886721536, -0.14130595785968469}}},
    {"amsgrad_nobc2",
     {{"lr", "0.01"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}},
     {{0.316227749350172, -0.31622774101683981},
      {0.53889733899890357, -0.53807351335824749},
      {0.71970906514428945, -0.71727661609408544}}},
    {"nadam_simplified",
     {{"lr", "0.02"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}},
     {{0.037999999936666667, -0.037999999904999998},
      {0.066452698648379604, -0.066415099604585678},
      {0.091739053255025488, -0.09165306021976484}}},
    {"adamax_textbook",
     {{"lr", "0.05"}, {"betas", "(0.8,0.99)"}, {"eps", "0.1"}},
     {{0.049180327868852472, -0.048780487804878057},
      {0.098396844352766646, -0.097374077189047781},
      {0.14761512891925946, -0.14572993702282025}}},
    {"adamw_after",
     {{"lr", "0.05"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}, {"weight_decay", "0.1"}},
     {{0.049749999917083343, -0.049749999875625006},
      {0.099227827144359071, -0.099214643748811851},
      {0.14841890906755711, -0.14836999292588751}}},
    {"qhadam",
     {{"lr", "0.02"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}, {"nus", "(0.7,0.9)"}},
     {{0.019999999966666668, -0.01999999995},
      {0.039984071740615759, -0.039975980002084202},
      {0.059950403126645083, -0.059925067473720575}}},
    {"adabelief",
     {{"lr", "0.02"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-16"}},
     {{0.022222222222222181, -0.022222222222222133},
      {0.045577117414741943, -0.045574354359440086},
      {0.070073086473275634, -0.070061894441036859}}},
    {"lion",
     {{"lr", "0.003"}, {"betas", "(0.95,0.98)"}, {"weight_decay", "0.1"}},
     {{0.0030000000000000001, -0.0030000000000000001},
      {0.0059991000000000003, -0.0059991000000000003},
      {0.0089973002700000013, -0.0089973002700000013}}},
};

TEST(PaperForms, WorkedExamples) {
  for (const Example& e : kExamples) {
    SCOPED_TRACE(e.name);
    const Rows rows = run(e.name, e.options, "quadratic", {0.0, 0.0}, 3);
    EXPECT_EQ(rows[0], (std::vector<double>{0.0, 0.0}));
    for (int t = 1; t <= 3; ++t)
      for (int c = 0; c < 2; ++c) EXPECT_DOUBLE_EQ(rows[t][c], e.rows[t - 1][c]) << "row " << t << " component " << c;
  }
}

TEST(PaperForms, WorkedExamplesByHand) {
  // nesterov_lookahead step 2: v1 = (−0.6, 0.4), gradient at (1.14, −0.76) = (−3.72, 2.48).
  Rows r = run("nesterov_lookahead", {{"lr", "0.1"}, {"gamma", "0.9"}}, "quadratic", {0, 0}, 2);
  EXPECT_DOUBLE_EQ(r[2][0], 0.6 + (0.9 * 0.6 + 0.1 * 3.72));
  // demon_sgdm step 2: β_1 = 0.9·0.98/(0.1 + 0.882).
  r = run("demon_sgdm", {{"lr", "0.1"}, {"T", "50"}}, "quadratic", {0, 0}, 2);
  EXPECT_DOUBLE_EQ(r[2][0], 0.6 + (0.9 * 0.98 / (0.1 + 0.882) * 0.6 + 0.48));
  // adamax_textbook step 1: 0.05·6/(6 + 0.1).
  r = run("adamax_textbook", {{"lr", "0.05"}, {"betas", "(0.8,0.99)"}, {"eps", "0.1"}}, "quadratic", {0, 0}, 1);
  EXPECT_DOUBLE_EQ(r[1][0], 0.05 * 6.0 / 6.1);
  // adabelief step 1: m = −0.6, g − m = −5.4, so x1 = 0.02·6/5.4 (up to ε = 1e-16).
  r = run("adabelief", {{"lr", "0.02"}}, "quadratic", {0, 0}, 1);
  EXPECT_NEAR(r[1][0], 0.02 * 6.0 / 5.4, 1e-16);
  // amsgrad_nobc2 step 1: m̂ = g, v̂ = (1 − β2)·g², so x1 = lr·6/(√0.036 + ε) ≈ 31.6·lr.
  r = run("amsgrad_nobc2", {{"lr", "0.01"}}, "quadratic", {0, 0}, 1);
  EXPECT_NEAR(r[1][0], 0.01 * 6.0 / (std::sqrt(0.036) + 1e-8), 1e-15);
  // lion step 2: 0.003 − 0.003·(−1 + 0.1·0.003).
  r = run("lion", {{"lr", "0.003"}, {"betas", "(0.95,0.98)"}, {"weight_decay", "0.1"}}, "quadratic", {0, 0}, 2);
  EXPECT_DOUBLE_EQ(r[2][0], 0.0059991);
  // demon_adam step 1 is Adam's: lr·g/(|g| + ε).
  r = run("demon_adam", {{"lr", "0.05"}, {"T", "50"}}, "quadratic", {0, 0}, 1);
  EXPECT_DOUBLE_EQ(r[1][0], 0.05 * 6.0 / (6.0 + 1e-8));
}

// ---- demon_adam against tests/reference/demon_adam.txt --------------------------------------

struct ReferenceRun {
  std::string header, function;
  std::vector<double> start;
  OptionList options;
  Rows rows;
};

std::vector<ReferenceRun> read_demon_adam_reference() {
  const std::string path = std::string(TAPEGRAD_REFERENCE_DIR) + "/demon_adam.txt";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<ReferenceRun> runs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "run") {
      ReferenceRun run;
      run.header = line;
      words >> run.function;
      while (words >> word) {
        const auto eq = word.find('=');
        const std::string name = word.substr(0, eq), value = word.substr(eq + 1);
        if (name == "start") {
          const auto comma = value.find(',');
          run.start = {std::stod(value.substr(0, comma)), std::stod(value.substr(comma + 1))};
        } else {
          run.options.emplace_back(name, value);
        }
      }
      runs.push_back(run);
    } else {
      std::istringstream numbers(line);
      double x, y;
      numbers >> x >> y;
      runs.back().rows.push_back({x, y});
    }
  }
  return runs;
}

TEST(PaperForms, DemonAdamMatchesItsNumPyReference) {
  const std::vector<ReferenceRun> runs = read_demon_adam_reference();
  EXPECT_EQ(runs.size(), 24u);
  for (const ReferenceRun& ref : runs) {
    SCOPED_TRACE(ref.header);
    ASSERT_EQ(ref.rows.size(), 51u);
    const Rows rows = run("demon_adam", ref.options, ref.function, ref.start, 50);
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (std::size_t c = 0; c < 2; ++c) {
        const double a = rows[r][c], b = ref.rows[r][c];
        EXPECT_LE(std::fabs(a - b), 1e-12 + 1e-9 * std::fabs(b)) << "row " << r << " component " << c;
      }
  }
}

// ---- identities between neighbours ----------------------------------------------------------

TEST(PaperForms, HeavyBallIsSgdWithMomentumForAConstantLr) {
  for (const auto& [function, lr, start] : std::vector<std::tuple<std::string, std::string, std::vector<double>>>{
           {"quadratic", "0.1", {0, 0}}, {"ravine", "0.02", {4, 1}}, {"rosenbrock", "0.0002", {-1.2, 1}}}) {
    SCOPED_TRACE(function);
    for (const std::string beta : {"0.9", "0.5"}) {
      const Rows heavy_ball = run("heavy_ball", {{"lr", lr}, {"beta", beta}}, function, start, 50);
      const Rows sgd = run("sgd", {{"lr", lr}, {"momentum", beta}}, function, start, 50);
      expect_close(heavy_ball, sgd, 1e-12);
    }
  }
}

TEST(PaperForms, QhmWithNuOneIsMomentumEmaAndWithNuZeroPlainSgd) {
  for (const std::string function : {"quadratic", "ravine"}) {
    SCOPED_TRACE(function);
    EXPECT_EQ(run("qhm", {{"lr", "0.02"}, {"beta", "0.9"}, {"nu", "1"}}, function, {4, 1}, 50),
              run("momentum_ema", {{"lr", "0.02"}, {"beta", "0.9"}}, function, {4, 1}, 50));
    EXPECT_EQ(run("qhm", {{"lr", "0.02"}, {"beta", "0.9"}, {"nu", "0"}}, function, {4, 1}, 50),
              run("sgd", {{"lr", "0.02"}}, function, {4, 1}, 50));
  }
}

TEST(PaperForms, QhadamWithNusOneIsAdam) {
  for (const std::string function : {"quadratic", "ravine", "rosenbrock", "saddle"}) {
    SCOPED_TRACE(function);
    const OptionList adam = {{"lr", "0.02"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}};
    OptionList qhadam = adam;
    qhadam.emplace_back("nus", "(1,1)");
    expect_close(run("qhadam", qhadam, function, {-1.5, 2}, 50), run("adam", adam, function, {-1.5, 2}, 50), 1e-12);
  }
}

TEST(PaperForms, DemonMomentumIsZeroFromStepTOn) {
  // T = 1: β_0 multiplies a zero velocity, and β is 0 afterwards, so this is plain SGD.
  EXPECT_EQ(run("demon_sgdm", {{"lr", "0.02"}, {"T", "1"}}, "ravine", {4, 1}, 20),
            run("sgd", {{"lr", "0.02"}}, "ravine", {4, 1}, 20));
  EXPECT_EQ(tg::optim::demon_beta(0.9, 0, 50), 0.9);
  EXPECT_EQ(tg::optim::demon_beta(0.9, 50, 50), 0.0);
  EXPECT_EQ(tg::optim::demon_beta(0.9, 60, 50), 0.0);
  EXPECT_DOUBLE_EQ(tg::optim::demon_beta(0.9, 25, 50), 0.45 / 0.55);
}

// ---- nesterov_lookahead and its closure -----------------------------------------------------

TEST(PaperForms, NesterovLookaheadNeedsAClosure) {
  Tensor p = tg::tensor({1.0, 2.0}, true);
  tg::optim::NesterovLookahead opt({p}, {.lr = 0.1});
  oracle::evaluate("quadratic", p).backward();
  try {
    opt.step();
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("nesterov_lookahead: step() needs a closure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(p.to_vector(), (std::vector<double>{1.0, 2.0}));
  EXPECT_FALSE(opt.state(0, 0).velocity.defined());
  auto by_name = tg::optim::make_optimizer("nesterov_lookahead", {p}, {{"lr", "0.1"}});
  EXPECT_THROW(by_name->step(), tg::ValueError);
}

TEST(PaperForms, NesterovLookaheadEvaluatesAtTheLookaheadPointAndRestoresExactly) {
  Tensor p = tg::tensor({0.0, 0.0}, true);
  tg::optim::NesterovLookahead opt({p}, {.lr = 0.1, .gamma = 0.9});
  std::vector<std::vector<double>> seen;
  auto closure = [&] {
    seen.push_back(p.to_vector());
    opt.zero_grad();
    Tensor loss = oracle::evaluate("quadratic", p);
    loss.backward();
    return loss;
  };
  EXPECT_DOUBLE_EQ(opt.step(closure).item(), 13.0);  // v = 0: the look-ahead point is θ0
  const std::vector<double> theta1 = p.to_vector();
  const std::vector<double> v1 = opt.state(0, 0).velocity.to_vector();
  // With lr = 0 the second step is θ2 = θ1 − γ·v1 exactly, from the θ1 put back after the
  // closure. Adding γ·v1 back to the look-ahead point would not give θ1 here:
  // (0.6000000000000001 − 0.9·v) + 0.9·v = 0.6.
  EXPECT_NE((theta1[0] - 0.9 * v1[0]) + 0.9 * v1[0], theta1[0]);
  opt.param_groups()[0].options.lr = 0.0;
  const Tensor loss2 = opt.step(closure);
  ASSERT_EQ(seen.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(seen[1][i], theta1[i] - 0.9 * v1[i]);
    EXPECT_EQ(p.to_vector()[i], theta1[i] - 0.9 * v1[i]);
  }
  EXPECT_DOUBLE_EQ(loss2.item(), std::pow(seen[1][0] - 3.0, 2) + std::pow(seen[1][1] + 2.0, 2));
}

TEST(PaperForms, NesterovLookaheadTracksEffectiveStepSizes) {
  Tensor p = tg::tensor({0.0, 0.0}, true);
  auto opt = tg::optim::make_optimizer("nesterov_lookahead", {p}, {{"lr", "0.1"}, {"gamma", "0.9"}});
  opt->track_step_sizes();
  auto closure = [&] {
    opt->zero_grad();
    Tensor loss = oracle::evaluate("quadratic", p);
    loss.backward();
    return loss;
  };
  opt->step(closure);
  ASSERT_TRUE(opt->step_sizes()[0].defined());
  for (double s : opt->step_sizes()[0].to_vector()) EXPECT_NEAR(s, 0.1, 1e-15);  // v = 0: θ −= lr·g
  const std::vector<double> before = p.to_vector();
  opt->step(closure);
  // step size = (θ1 − θ2)/g with g the look-ahead gradient the parameter holds
  const std::vector<double> g = p.grad().to_vector(), after = p.to_vector();
  const std::vector<double> sizes = opt->step_sizes()[0].to_vector();
  for (int i = 0; i < 2; ++i) EXPECT_DOUBLE_EQ(sizes[i], (before[i] - after[i]) / g[i]);
}

// ---- options ------------------------------------------------------------------------------

struct Invalid {
  std::string name, option, value, shown;  // `shown`: how the message prints the value
};

TEST(PaperForms, InvalidOptionsNameOptimizerOptionAndValue) {
  const std::vector<Invalid> cases = {
      {"heavy_ball", "lr", "-0.1", "-0.1"},
      {"heavy_ball", "beta", "1", "1"},
      {"heavy_ball", "beta", "-0.5", "-0.5"},
      {"momentum_ema", "lr", "inf", "inf"},
      {"momentum_ema", "beta", "1.5", "1.5"},
      {"nesterov_lookahead", "lr", "-1", "-1"},
      {"nesterov_lookahead", "gamma", "1", "1"},
      {"qhm", "lr", "-1", "-1"},
      {"qhm", "beta", "1", "1"},
      {"qhm", "nu", "1.5", "1.5"},
      {"qhm", "nu", "-0.1", "-0.1"},
      {"aggmo", "lr", "-1", "-1"},
      {"aggmo", "betas", "(0,0.9,1)", "1"},
      {"aggmo", "betas", "(-0.5)", "-0.5"},
      {"demon_sgdm", "lr", "-1", "-1"},
      {"demon_sgdm", "beta_init", "1", "1"},
      {"demon_sgdm", "T", "-5", "-5"},
      {"adagrad_eps_inside", "lr", "-1", "-1"},
      {"adagrad_eps_inside", "eps", "0", "0"},
      {"rmsprop_eps_inside", "lr", "-1", "-1"},
      {"rmsprop_eps_inside", "rho", "1", "1"},
      {"rmsprop_eps_inside", "eps", "-1e-08", "-1e-08"},
      {"adam_efficient", "lr", "-1", "-1"},
      {"adam_efficient", "betas", "(1,0.999)", "1"},
      {"adam_efficient", "betas", "(0.9,1.5)", "1.5"},
      {"adam_efficient", "eps", "0", "0"},
      {"amsgrad_nobc2", "lr", "-1", "-1"},
      {"amsgrad_nobc2", "betas", "(-0.1,0.999)", "-0.1"},
      {"amsgrad_nobc2", "eps", "0", "0"},
      {"nadam_simplified", "lr", "-1", "-1"},
      {"nadam_simplified", "betas", "(0.9,1)", "1"},
      {"nadam_simplified", "eps", "-1", "-1"},
      {"adamax_textbook", "lr", "-1", "-1"},
      {"adamax_textbook", "betas", "(2,0.999)", "2"},
      {"adamax_textbook", "eps", "0", "0"},
      {"adamw_after", "lr", "-1", "-1"},
      {"adamw_after", "betas", "(0.9,-0.999)", "-0.999"},
      {"adamw_after", "eps", "0", "0"},
      {"adamw_after", "weight_decay", "-0.01", "-0.01"},
      {"qhadam", "lr", "-1", "-1"},
      {"qhadam", "betas", "(1,0.999)", "1"},
      {"qhadam", "nus", "(1.5,1)", "1.5"},
      {"qhadam", "nus", "(0.7,-1)", "-1"},
      {"qhadam", "eps", "0", "0"},
      {"adabelief", "lr", "-1", "-1"},
      {"adabelief", "betas", "(0.9,1)", "1"},
      {"adabelief", "eps", "0", "0"},
      {"lion", "lr", "-1", "-1"},
      {"lion", "betas", "(1,0.99)", "1"},
      {"lion", "betas", "(0.9,-0.99)", "-0.99"},
      {"lion", "weight_decay", "-0.1", "-0.1"},
      {"demon_adam", "lr", "-1", "-1"},
      {"demon_adam", "beta_init", "1", "1"},
      {"demon_adam", "beta2", "1", "1"},
      {"demon_adam", "eps", "0", "0"},
      {"demon_adam", "T", "-1", "-1"},
  };
  for (const Invalid& c : cases) {
    SCOPED_TRACE(c.name + " " + c.option + "=" + c.value);
    Tensor p = tg::zeros({2}, true);
    OptionList options = minimal_options(c.name);
    options.emplace_back(c.option, c.value);
    try {
      tg::optim::make_optimizer(c.name, {p}, options);
      ADD_FAILURE() << "no error";
    } catch (const tg::ValueError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(c.name + ":"), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.option), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.shown), std::string::npos) << msg;
    }
  }
}

TEST(PaperForms, RequiredOptionsMustBeGiven) {
  Tensor p = tg::zeros({2}, true);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"heavy_ball", "lr"}, {"momentum_ema", "lr"}, {"nesterov_lookahead", "lr"}, {"qhm", "lr"},
      {"aggmo", "lr"},      {"demon_sgdm", "lr"},   {"amsgrad_nobc2", "lr"},      {"qhadam", "lr"},
      {"demon_adam", "lr"}, {"demon_sgdm", "T"},    {"demon_adam", "T"}};
  for (const auto& [name, option] : cases) {
    SCOPED_TRACE(name + " " + option);
    OptionList options = minimal_options(name);
    std::erase_if(options, [&](const auto& o) { return o.first == option; });
    try {
      tg::optim::make_optimizer(name, {p}, options);
      ADD_FAILURE() << "no error";
    } catch (const tg::ValueError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(name + ": option " + option + " is required"), std::string::npos) << msg;
    }
  }
  EXPECT_THROW(tg::optim::HeavyBall({p}, {}), tg::ValueError);
  EXPECT_THROW(tg::optim::DemonAdam({p}, {.lr = 0.01}), tg::ValueError);
  EXPECT_NO_THROW(tg::optim::DemonAdam({p}, {.lr = 0.01, .T = 10}));
  EXPECT_NO_THROW(tg::optim::Lion({p}));
}

TEST(PaperForms, DefaultsByName) {
  const std::vector<std::pair<std::string, OptionList>> expected = {
      {"heavy_ball", {{"lr", "nan"}, {"beta", "0.9"}}},
      {"momentum_ema", {{"lr", "nan"}, {"beta", "0.9"}}},
      {"nesterov_lookahead", {{"lr", "nan"}, {"gamma", "0.9"}}},
      {"qhm", {{"lr", "nan"}, {"beta", "0.999"}, {"nu", "0.7"}}},
      {"aggmo", {{"lr", "nan"}, {"betas", "(0,0.9,0.99)"}}},
      {"demon_sgdm", {{"lr", "nan"}, {"beta_init", "0.9"}, {"T", "0"}}},
      {"adagrad_eps_inside", {{"lr", "0.01"}, {"eps", "1e-08"}}},
      {"rmsprop_eps_inside", {{"lr", "0.001"}, {"rho", "0.9"}, {"eps", "1e-08"}}},
      {"adam_efficient", {{"lr", "0.001"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}}},
      {"amsgrad_nobc2", {{"lr", "nan"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}}},
      {"nadam_simplified", {{"lr", "0.002"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}}},
      {"adamax_textbook", {{"lr", "0.002"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}}},
      {"adamw_after", {{"lr", "0.001"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}, {"weight_decay", "0.01"}}},
      {"qhadam", {{"lr", "nan"}, {"betas", "(0.995,0.999)"}, {"nus", "(0.7,1)"}, {"eps", "1e-08"}}},
      {"adabelief", {{"lr", "0.001"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-16"}}},
      {"lion", {{"lr", "1e-04"}, {"betas", "(0.9,0.99)"}, {"weight_decay", "0"}}},
      {"demon_adam", {{"lr", "nan"}, {"beta_init", "0.9"}, {"beta2", "0.999"}, {"eps", "1e-08"}, {"T", "0"}}},
  };
  ASSERT_EQ(expected.size(), kNames.size());
  const auto infos = tg::optim::optimizers();
  for (const auto& [name, defaults] : expected) {
    SCOPED_TRACE(name);
    int found = 0;
    for (const auto& info : infos) {
      if (info.name != name) continue;
      ++found;
      EXPECT_EQ(info.defaults, defaults);
      EXPECT_FALSE(info.summary.empty());
    }
    EXPECT_EQ(found, 1);
    Tensor p = tg::zeros({2}, true);
    auto opt = tg::optim::make_optimizer(name, {p}, minimal_options(name));
    EXPECT_EQ(std::string(opt->name()), name);
    std::vector<std::string> option_names;
    for (const auto& [option, value] : defaults) option_names.push_back(option);
    EXPECT_EQ(opt->option_names(), option_names);
  }
}

TEST(PaperForms, MakeOptimizerSetsOptionsAndRejectsUnknownOnes) {
  Tensor p = tg::zeros({2}, true);
  auto opt = tg::optim::make_optimizer("aggmo", {p}, {{"lr", "0.5"}, {"betas", "(0,0.5,0.75,0.875)"}});
  EXPECT_EQ(opt->lr(), 0.5);
  EXPECT_EQ(opt->option("betas"), "(0,0.5,0.75,0.875)");
  opt = tg::optim::make_optimizer("demon_adam", {p}, {{"lr", "0.5"}, {"T", "1000"}, {"beta2", "0.99"}});
  EXPECT_EQ(opt->option("T"), "1000");
  EXPECT_EQ(opt->option("beta2"), "0.99");
  EXPECT_THROW(tg::optim::make_optimizer("demon_adam", {p}, {{"lr", "0.5"}, {"T", "1.5"}}), tg::ValueError);
  EXPECT_EQ(tg::optim::make_optimizer("qhadam", {p}, {{"lr", "0.1"}})->momentum(), 0.995);  // betas[0]

  for (const auto& [name, option] :
       std::vector<std::pair<std::string, std::string>>{{"heavy_ball", "momentum"},
                                                        {"momentum_ema", "gamma"},
                                                        {"nesterov_lookahead", "beta"},
                                                        {"qhm", "nus"},
                                                        {"aggmo", "beta"},
                                                        {"demon_sgdm", "beta"},
                                                        {"adagrad_eps_inside", "lr_decay"},
                                                        {"rmsprop_eps_inside", "alpha"},
                                                        {"adam_efficient", "weight_decay"},
                                                        {"amsgrad_nobc2", "amsgrad"},
                                                        {"nadam_simplified", "momentum_decay"},
                                                        {"adamax_textbook", "maximize"},
                                                        {"adamw_after", "amsgrad"},
                                                        {"qhadam", "nu"},
                                                        {"adabelief", "weight_decay"},
                                                        {"lion", "eps"},
                                                        {"demon_adam", "betas"}}) {
    SCOPED_TRACE(name + " " + option);
    OptionList options = minimal_options(name);
    options.emplace_back(option, "0.9");
    try {
      tg::optim::make_optimizer(name, {p}, options);
      ADD_FAILURE() << "no error";
    } catch (const tg::ValueError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(name + ": unknown option '" + option + "'"), std::string::npos) << msg;
    }
  }
}

TEST(PaperForms, AggMoRejectsAChangeInTheNumberOfBetasDuringARun) {
  Tensor p = tg::tensor({4.0, 1.0}, true);
  tg::optim::AggMo opt({p}, {.lr = 0.01});
  auto closure = [&] {
    opt.zero_grad();
    Tensor loss = oracle::evaluate("ravine", p);
    loss.backward();
    return loss;
  };
  opt.step(closure);
  EXPECT_EQ(opt.state(0, 0).velocities.size(), 3u);
  opt.set_option("betas", "(0.5,0.9)");
  EXPECT_THROW(opt.step(closure), tg::ValueError);
}

// ---- parameters without a gradient ----------------------------------------------------------

TEST(PaperForms, ParametersWithoutAGradientAreSkipped) {
  for (const std::string& name : kNames) {
    SCOPED_TRACE(name);
    Tensor used = tg::tensor({4.0, 1.0}, true), unused = tg::tensor({0.5, -0.5}, true);
    auto opt = tg::optim::make_optimizer(name, {used, unused}, minimal_options(name));
    for (int i = 0; i < 3; ++i) {
      opt->step([&] {
        opt->zero_grad();
        Tensor loss = oracle::evaluate("ravine", used);
        loss.backward();
        return loss;
      });
    }
    EXPECT_NE(used.to_vector(), (std::vector<double>{4.0, 1.0}));
    EXPECT_EQ(unused.to_vector(), (std::vector<double>{0.5, -0.5}));
  }
}

// ---- state round trip ---------------------------------------------------------------------

using Value = std::variant<Tensor, std::vector<Tensor>, int64_t, double>;

struct Field {
  std::string name;
  Value value;
};

// Records every state field; tensors as independent copies.
class Recorder : public tg::optim::StateVisitor {
 public:
  std::vector<Field> fields;
  void field(const char* name, Tensor& v) override { fields.push_back({name, copy(v)}); }
  void field(const char* name, std::vector<Tensor>& v) override {
    std::vector<Tensor> copies;
    for (const Tensor& t : v) copies.push_back(copy(t));
    fields.push_back({name, copies});
  }
  void field(const char* name, int64_t& v) override { fields.push_back({name, v}); }
  void field(const char* name, double& v) override { fields.push_back({name, v}); }
  static Tensor copy(const Tensor& t) { return t.defined() ? t.detach() : Tensor(); }
};

// Writes the recorded fields back, in the order visit lists them.
class Restorer : public tg::optim::StateVisitor {
 public:
  explicit Restorer(const std::vector<Field>& fields) : fields_(fields) {}
  void field(const char* name, Tensor& v) override { v = Recorder::copy(std::get<Tensor>(next(name))); }
  void field(const char* name, std::vector<Tensor>& v) override {
    v.clear();
    for (const Tensor& t : std::get<std::vector<Tensor>>(next(name))) v.push_back(Recorder::copy(t));
  }
  void field(const char* name, int64_t& v) override { v = std::get<int64_t>(next(name)); }
  void field(const char* name, double& v) override { v = std::get<double>(next(name)); }

 private:
  const Value& next(const char* name) {
    const Field& f = fields_.at(i_++);
    EXPECT_EQ(f.name, name);
    return f.value;
  }
  const std::vector<Field>& fields_;
  std::size_t i_ = 0;
};

template <class Opt>
void two_parameter_step(Opt& opt, const Tensor& a, const Tensor& b) {
  opt.step([&] {
    opt.zero_grad();
    Tensor loss = oracle::evaluate("rosenbrock", a) + oracle::evaluate("ravine", b);
    loss.backward();
    return loss;
  });
}

// 3 steps, state copied field by field through visit into a fresh optimizer, then 2 more
// steps in both: bit-identical parameters.
template <class Opt, class Options>
void check_round_trip(const Options& options) {
  Tensor a = tg::tensor({-1.2, 1.0}, true), b = tg::tensor({1.5, -0.7}, true);
  Opt original({a, b}, options);
  for (int i = 0; i < 3; ++i) two_parameter_step(original, a, b);

  Tensor a2 = a.detach().set_requires_grad(), b2 = b.detach().set_requires_grad();
  Opt resumed({a2, b2}, options);
  for (std::size_t i = 0; i < 2; ++i) {
    Recorder recorded;
    original.state(0, i).visit(recorded);
    EXPECT_FALSE(recorded.fields.empty());
    Restorer restorer(recorded.fields);
    resumed.state(0, i).visit(restorer);
  }
  for (int i = 0; i < 2; ++i) {
    two_parameter_step(original, a, b);
    two_parameter_step(resumed, a2, b2);
  }
  EXPECT_EQ(a.to_vector(), a2.to_vector());
  EXPECT_EQ(b.to_vector(), b2.to_vector());
  EXPECT_NE(a.to_vector(), (std::vector<double>{-1.2, 1.0}));
}

TEST(PaperForms, StateRoundTripContinuesBitIdentically) {
  using namespace tg::optim;
  check_round_trip<HeavyBall>(HeavyBallOptions{.lr = 1e-4, .beta = 0.9});
  check_round_trip<MomentumEMA>(MomentumEMAOptions{.lr = 1e-3, .beta = 0.9});
  check_round_trip<NesterovLookahead>(NesterovLookaheadOptions{.lr = 1e-4, .gamma = 0.9});
  check_round_trip<QHM>(QHMOptions{.lr = 1e-3, .beta = 0.9, .nu = 0.7});
  check_round_trip<AggMo>(AggMoOptions{.lr = 1e-4});
  check_round_trip<DemonSGDM>(DemonSGDMOptions{.lr = 1e-4, .beta_init = 0.9, .T = 10});
  check_round_trip<AdagradEpsInside>(AdagradEpsInsideOptions{.lr = 0.1, .eps = 0.01});
  check_round_trip<RMSpropEpsInside>(RMSpropEpsInsideOptions{.lr = 0.01, .rho = 0.9, .eps = 1e-4});
  check_round_trip<AdamEfficient>(AdamEfficientOptions{.lr = 0.01, .betas = {0.8, 0.99}, .eps = 1e-3});
  check_round_trip<AMSGrad>(AMSGradOptions{.lr = 0.01});
  check_round_trip<NAdamSimplified>(NAdamSimplifiedOptions{.lr = 0.01});
  check_round_trip<AdamaxTextbook>(AdamaxTextbookOptions{.lr = 0.01, .betas = {0.8, 0.99}});
  check_round_trip<AdamWAfter>(AdamWAfterOptions{.lr = 0.01, .weight_decay = 0.1});
  check_round_trip<QHAdam>(QHAdamOptions{.lr = 0.01, .betas = {0.9, 0.999}, .nus = {0.7, 0.9}});
  check_round_trip<AdaBelief>(AdaBeliefOptions{.lr = 0.01, .eps = 1e-8});
  check_round_trip<Lion>(LionOptions{.lr = 0.01, .weight_decay = 0.1});
  check_round_trip<DemonAdam>(DemonAdamOptions{.lr = 0.01, .T = 4});
}

TEST(PaperForms, StateListsEverythingTheRulesKeep) {
  using namespace tg::optim;
  auto names = [](auto state) {
    Recorder recorded;
    state.visit(recorded);
    std::string all;
    for (const Field& f : recorded.fields) all += (all.empty() ? "" : " ") + f.name;
    return all;
  };
  EXPECT_EQ(names(VelocityState{}), "velocity");
  EXPECT_EQ(names(QHMState{}), "momentum_buffer");
  EXPECT_EQ(names(AggMoState{}), "velocities");
  EXPECT_EQ(names(DemonSGDMState{}), "step velocity");
  EXPECT_EQ(names(AdagradEpsInsideState{}), "sum");
  EXPECT_EQ(names(RMSpropEpsInsideState{}), "square_avg");
  EXPECT_EQ(names(AdamEfficientState{}), "step exp_avg exp_avg_sq");
  EXPECT_EQ(names(AMSGradState{}), "step exp_avg exp_avg_sq max_exp_avg_sq");
  EXPECT_EQ(names(NAdamSimplifiedState{}), "step exp_avg exp_avg_sq");
  EXPECT_EQ(names(AdamaxTextbookState{}), "step exp_avg exp_inf");
  EXPECT_EQ(names(AdamWAfterState{}), "step exp_avg exp_avg_sq");
  EXPECT_EQ(names(QHAdamState{}), "step exp_avg exp_avg_sq");
  EXPECT_EQ(names(AdaBeliefState{}), "step exp_avg exp_avg_var");
  EXPECT_EQ(names(LionState{}), "exp_avg");
  EXPECT_EQ(names(DemonAdamState{}), "step exp_avg exp_avg_sq");
}

}  // namespace
