// The remaining PyTorch 1.13 forms (adagrad, adadelta, adadelta_nolr, rmsprop, adamax, nadam,
// radam, rprop, asgd): the worked examples of the reference of update rules, option
// validation, construction by name, state round trips, maximize, and the ASGD average.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include <tapegrad/tapegrad.hpp>
#include <tapegrad/optim/adadelta.hpp>
#include <tapegrad/optim/adagrad.hpp>
#include <tapegrad/optim/adamax.hpp>
#include <tapegrad/optim/asgd.hpp>
#include <tapegrad/optim/nadam.hpp>
#include <tapegrad/optim/radam.hpp>
#include <tapegrad/optim/rmsprop.hpp>
#include <tapegrad/optim/rprop.hpp>

#include "oracle.hpp"

namespace {

using tg::Tensor;
using tg::optim::OptionList;
using Rows = std::vector<std::vector<double>>;
using Function = std::function<Tensor(const Tensor&)>;

const std::vector<std::string> kNames = {"adagrad", "adadelta", "adadelta_nolr", "rmsprop", "adamax",
                                         "nadam",   "radam",    "rprop",         "asgd"};

// Rows 0..steps of optimizer `name` on f from `start`, through make_optimizer and the closure.
Rows run(const std::string& name, const OptionList& options, const Function& f, std::vector<double> start,
         int steps) {
  Tensor p = tg::tensor(start, tg::Shape{static_cast<int64_t>(start.size())}, true);
  auto opt = tg::optim::make_optimizer(name, {p}, options);
  Rows rows{p.to_vector()};
  for (int i = 0; i < steps; ++i) {
    opt->step([&] {
      opt->zero_grad();
      Tensor loss = f(p);
      loss.backward();
      return loss;
    });
    rows.push_back(p.to_vector());
  }
  return rows;
}

Function named(const std::string& function) {
  return [function](const Tensor& p) { return oracle::evaluate(function, p); };
}

// ---- worked examples of optimizers.md (quadratic from (0,0), rows 1..3) ---------------------

struct Example {
  std::string name;
  OptionList options;
  double rows[3][2];
};

const std::vector<Example> kExamples = {
    {"adagrad",
     {{"lr", "0.1"}, {"lr_decay", "0.01"}},
     {{0.099999999998333353, -0.099999999997500005},
      {0.16881406899232868, -0.16819301602746889},
      {0.22386092215655312, -0.22242618548128468}}},
    {"adadelta",
     {{"lr", "0.5"}, {"eps", "1e-05"}, {"rho", "0.95"}},
     {{0.0070710481700922805, -0.0070710236181059649},
      {0.014223938759895033, -0.014219758846660567},
      {0.021426521993941409, -0.021412548105178671}}},
    {"adadelta_nolr",
     {{"eps", "1e-06"}, {"rho", "0.9"}},
     {{0.0031622772209632406, -0.0031622766719570745},
      {0.0064050838666059474, -0.0064042710700970024},
      {0.0097020055801728088, -0.009699247580283012}}},
    {"rmsprop",
     {{"lr", "0.01"}, {"centered", "true"}},
     {{0.10050377984241948, -0.1005037790006687},
      {0.17088369791571228, -0.17024784740154331},
      {0.22815592792440398, -0.22666458556891866}}},
    {"rmsprop",
     {{"lr", "0.01"}, {"alpha", "0.9"}, {"centered", "true"}, {"eps", "1e-06"}, {"momentum", "0.5"},
      {"weight_decay", "0.01"}},
     {{0.033333314814825106, -0.033333305555578709},
      {0.07535447707745499, -0.075285421204458844},
      {0.11858321113705036, -0.11833596976687664}}},
    {"adamax",
     {{"lr", "0.05"}, {"betas", "(0.8,0.99)"}, {"eps", "1e-06"}, {"weight_decay", "0.01"}},
     {{0.049999991666668055, -0.049999987500003125},
      {0.10003505635755983, -0.09980005940131087},
      {0.15006942595821898, -0.14934648162023739}}},
    {"nadam",
     {{"lr", "0.02"}},
     {{0.021129035531892708, -0.021129035514285174},
      {0.036753565359737464, -0.036728782759188075},
      {0.051325813995944429, -0.05126459576851234}}},
    {"nadam",
     {{"lr", "0.02"}, {"betas", "(0.8,0.99)"}, {"momentum_decay", "0.01"}, {"weight_decay", "0.01"}},
     {{0.021906761114282778, -0.021906761096027141},
      {0.039215584828525871, -0.039188520110165277},
      {0.055956491316031975, -0.055886508401189999}}},
    {"radam",
     {{"lr", "0.1"}},
     {{0.60000000000000009, -0.40000000000000002},
      {1.1368421052631581, -0.75789473684210529},
      {1.6130899203728881, -1.0753932802485919}}},
    {"rprop",
     {{"lr", "0.05"}, {"etas", "(0.3,1.5)"}, {"step_sizes", "(0.0001,1)"}},
     {{0.050000000000000003, -0.050000000000000003}, {0.125, -0.125}, {0.23750000000000002, -0.23750000000000002}}},
    {"asgd",
     {{"lr", "0.1"}, {"alpha", "0.5"}, {"lambd", "0.5"}, {"t0", "10"}, {"weight_decay", "0.01"}},
     {{0.60000000000000009, -0.40000000000000002},
      {1.0385694927830709, -0.69237966185538058},
      {1.3620975197476186, -0.90806501316507915}}},
};

TEST(TorchForms, WorkedExamples) {
  for (const Example& e : kExamples) {
    SCOPED_TRACE(e.name);
    const Rows rows = run(e.name, e.options, named("quadratic"), {0.0, 0.0}, 3);
    EXPECT_EQ(rows[0], (std::vector<double>{0.0, 0.0}));
    for (int t = 1; t <= 3; ++t) {
      for (int c = 0; c < 2; ++c) {
        const double expected = e.rows[t - 1][c];
        EXPECT_NEAR(rows[t][c], expected, 1e-15 * std::fabs(expected)) << "row " << t << " component " << c;
      }
    }
  }
}

TEST(TorchForms, WorkedExamplesByHand) {
  // adagrad step 1: clr = 0.1, S = 36, x1 = 0.1·6/(6 + 1e-10).
  Rows r = run("adagrad", {{"lr", "0.1"}, {"lr_decay", "0.01"}}, named("quadratic"), {0, 0}, 1);
  EXPECT_DOUBLE_EQ(r[1][0], 0.1 * 6.0 / (6.0 + 1e-10));
  // rmsprop centered step 1: v − ḡ² = 0.01·36 − 0.06² = 0.3564.
  r = run("rmsprop", {{"lr", "0.01"}, {"centered", "true"}}, named("quadratic"), {0, 0}, 1);
  EXPECT_DOUBLE_EQ(r[1][0], 0.01 * 6.0 / (std::sqrt(0.3564) + 1e-8));
  // radam step 2 (un-rectified): m = (−1.02, 0.68), m̂ = m/0.19.
  r = run("radam", {{"lr", "0.1"}}, named("quadratic"), {0, 0}, 2);
  EXPECT_DOUBLE_EQ(r[2][0], 0.6 + 0.1 * 1.02 / 0.19);
  // asgd step 2: η = 0.1/√1.05, g = −4.8 + 0.01·0.6.
  r = run("asgd", {{"lr", "0.1"}, {"alpha", "0.5"}, {"lambd", "0.5"}, {"t0", "10"}, {"weight_decay", "0.01"}},
          named("quadratic"), {0, 0}, 2);
  const double eta = 0.1 / std::sqrt(1.05);
  EXPECT_DOUBLE_EQ(r[2][0], 0.6 * (1.0 - 0.5 * eta) + 4.794 * eta);
  // nadam step 1: v̂ = g², m = 0.1·g, μ_product = μ1, μ_product_next = μ1·μ2 (the corrected
  // formula; 1.13's single-tensor bug would use μ1²·μ2), so
  // x1 = lr·(1 + 0.1·μ2/(1 − μ1·μ2)) · 6/(6 + 1e-8).
  const double mu1 = 0.9 * (1.0 - 0.5 * std::pow(0.96, 0.004));
  const double mu2 = 0.9 * (1.0 - 0.5 * std::pow(0.96, 0.008));
  r = run("nadam", {{"lr", "0.02"}}, named("quadratic"), {0, 0}, 1);
  EXPECT_NEAR(r[1][0], 0.02 * (1.0 + mu2 * 0.1 / (1.0 - mu1 * mu2)) * 6.0 / (6.0 + 1e-8), 1e-15);
}

// ---- options ------------------------------------------------------------------------------

struct Invalid {
  std::string name, option, value, shown;  // `shown`: how the message prints the value
};

TEST(TorchForms, InvalidOptionsNameOptimizerOptionAndValue) {
  const std::vector<Invalid> cases = {
      {"adagrad", "lr", "-1", "-1"},
      {"adagrad", "lr_decay", "-0.1", "-0.1"},
      {"adagrad", "weight_decay", "-0.01", "-0.01"},
      {"adagrad", "initial_accumulator_value", "-1", "-1"},
      {"adagrad", "eps", "0", "0"},
      {"adadelta", "lr", "-1", "-1"},
      {"adadelta", "rho", "1", "1"},
      {"adadelta", "rho", "-0.1", "-0.1"},
      {"adadelta", "eps", "0", "0"},
      {"adadelta", "weight_decay", "-2", "-2"},
      {"adadelta_nolr", "rho", "1.5", "1.5"},
      {"adadelta_nolr", "eps", "-1e-06", "-1e-06"},
      {"rmsprop", "lr", "-0.01", "-0.01"},
      {"rmsprop", "alpha", "1", "1"},
      {"rmsprop", "eps", "0", "0"},
      {"rmsprop", "weight_decay", "-1", "-1"},
      {"rmsprop", "momentum", "-0.5", "-0.5"},
      {"rmsprop", "momentum", "1", "1"},
      {"adamax", "lr", "-1", "-1"},
      {"adamax", "betas", "(1,0.999)", "1"},
      {"adamax", "betas", "(0.9,1.5)", "1.5"},
      {"adamax", "eps", "0", "0"},
      {"adamax", "weight_decay", "-1", "-1"},
      {"nadam", "lr", "-1", "-1"},
      {"nadam", "betas", "(-0.1,0.999)", "-0.1"},
      {"nadam", "eps", "-1", "-1"},
      {"nadam", "weight_decay", "-1", "-1"},
      {"nadam", "momentum_decay", "-0.004", "-0.004"},
      {"radam", "lr", "-1", "-1"},
      {"radam", "betas", "(0.9,1)", "1"},
      {"radam", "eps", "0", "0"},
      {"radam", "weight_decay", "-1", "-1"},
      {"rprop", "lr", "-1", "-1"},
      {"rprop", "etas", "(1.5,1.2)", "1.5"},
      {"rprop", "etas", "(0.5,0.9)", "0.9"},
      {"rprop", "step_sizes", "(1,0.1)", "0.1"},
      {"rprop", "step_sizes", "(-1,50)", "-1"},
      {"asgd", "lr", "-1", "-1"},
      {"asgd", "lambd", "-1", "-1"},
      {"asgd", "alpha", "-0.75", "-0.75"},
      {"asgd", "t0", "-1", "-1"},
      {"asgd", "weight_decay", "-1", "-1"},
  };
  for (const Invalid& c : cases) {
    SCOPED_TRACE(c.name + " " + c.option + "=" + c.value);
    Tensor p = tg::zeros({2}, true);
    try {
      tg::optim::make_optimizer(c.name, {p}, {{c.option, c.value}});
      ADD_FAILURE() << "no error";
    } catch (const tg::ValueError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(c.name + ":"), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.option), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.shown), std::string::npos) << msg;
    }
  }
}

TEST(TorchForms, TypedConstructorsAndSetOptionValidate) {
  Tensor p = tg::zeros({2}, true);
  EXPECT_THROW(tg::optim::Adagrad({p}, {.lr = -1.0}), tg::ValueError);
  EXPECT_THROW(tg::optim::RMSprop({p}, {.alpha = 1.5}), tg::ValueError);
  EXPECT_THROW(tg::optim::AdadeltaNoLr({p}, {.eps = 0.0}), tg::ValueError);
  EXPECT_THROW(tg::optim::Rprop({p}, {.etas = {0.5, 1.0}}), tg::ValueError);
  tg::optim::ASGD asgd({p});
  EXPECT_THROW(asgd.set_option("lambd", "-1"), tg::ValueError);
  EXPECT_EQ(asgd.option("lambd"), "1e-04");
}

TEST(TorchForms, DefaultsByName) {
  const std::vector<std::pair<std::string, OptionList>> expected = {
      {"adagrad",
       {{"lr", "0.01"},
        {"lr_decay", "0"},
        {"weight_decay", "0"},
        {"initial_accumulator_value", "0"},
        {"eps", "1e-10"},
        {"maximize", "false"}}},
      {"adadelta", {{"lr", "1"}, {"rho", "0.9"}, {"eps", "1e-06"}, {"weight_decay", "0"}, {"maximize", "false"}}},
      {"adadelta_nolr", {{"rho", "0.95"}, {"eps", "1e-06"}}},
      {"rmsprop",
       {{"lr", "0.01"},
        {"alpha", "0.99"},
        {"eps", "1e-08"},
        {"weight_decay", "0"},
        {"momentum", "0"},
        {"centered", "false"},
        {"maximize", "false"}}},
      {"adamax",
       {{"lr", "0.002"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}, {"weight_decay", "0"}, {"maximize", "false"}}},
      {"nadam",
       {{"lr", "0.002"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}, {"weight_decay", "0"}, {"momentum_decay", "0.004"}}},
      {"radam", {{"lr", "0.001"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-08"}, {"weight_decay", "0"}}},
      {"rprop", {{"lr", "0.01"}, {"etas", "(0.5,1.2)"}, {"step_sizes", "(1e-06,50)"}, {"maximize", "false"}}},
      {"asgd",
       {{"lr", "0.01"},
        {"lambd", "1e-04"},
        {"alpha", "0.75"},
        {"t0", "1e+06"},
        {"weight_decay", "0"},
        {"maximize", "false"}}},
  };
  const auto infos = tg::optim::optimizers();
  for (const auto& [name, defaults] : expected) {
    SCOPED_TRACE(name);
    bool found = false;
    for (const auto& info : infos) {
      if (info.name != name) continue;
      found = true;
      EXPECT_EQ(info.defaults, defaults);
      EXPECT_FALSE(info.summary.empty());
    }
    EXPECT_TRUE(found);
    Tensor p = tg::zeros({2}, true);
    auto opt = tg::optim::make_optimizer(name, {p});
    EXPECT_EQ(std::string(opt->name()), name);
    for (const auto& [option, value] : defaults) EXPECT_EQ(opt->option(option), value);
  }
}

TEST(TorchForms, MakeOptimizerSetsOptionsAndRejectsUnknownOnes) {
  Tensor p = tg::zeros({2}, true);
  auto opt = tg::optim::make_optimizer("rmsprop", {p}, {{"lr", "0.5"}, {"centered", "true"}, {"momentum", "0.9"}});
  EXPECT_EQ(opt->lr(), 0.5);
  EXPECT_EQ(opt->option("centered"), "true");
  EXPECT_TRUE(opt->has_momentum());
  EXPECT_EQ(opt->momentum(), 0.9);
  EXPECT_FALSE(tg::optim::make_optimizer("adagrad", {p})->has_momentum());
  EXPECT_EQ(tg::optim::make_optimizer("radam", {p})->momentum(), 0.9);  // betas[0]

  for (const auto& [name, option] : std::vector<std::pair<std::string, std::string>>{
           {"rmsprop", "beta"}, {"nadam", "maximize"}, {"radam", "maximize"}, {"adadelta_nolr", "lr"},
           {"rprop", "weight_decay"}}) {
    SCOPED_TRACE(name + " " + option);
    try {
      tg::optim::make_optimizer(name, {p}, {{option, "0.9"}});
      ADD_FAILURE() << "no error";
    } catch (const tg::ValueError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(name + ": unknown option '" + option + "'"), std::string::npos) << msg;
    }
  }
}

// ---- state round trip ---------------------------------------------------------------------

using Value = std::variant<Tensor, std::vector<Tensor>, int64_t, double>;

struct Field {
  std::string name;
  Value value;
};

// Records every state field (tensors as independent copies).
class Recorder : public tg::optim::StateVisitor {
 public:
  std::vector<Field> fields;
  void field(const char* name, Tensor& v) override { fields.push_back({name, copy(v)}); }
  void field(const char* name, std::vector<Tensor>& v) override {
    std::vector<Tensor> c;
    for (const Tensor& t : v) c.push_back(copy(t));
    fields.push_back({name, c});
  }
  void field(const char* name, int64_t& v) override { fields.push_back({name, v}); }
  void field(const char* name, double& v) override { fields.push_back({name, v}); }
  static Tensor copy(const Tensor& t) { return t.defined() ? t.detach() : Tensor(); }
};

// Writes recorded fields back, in the same order.
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

Tensor two_parameter_loss(const Tensor& a, const Tensor& b) {
  return oracle::evaluate("rosenbrock", a) + oracle::evaluate("ravine", b);
}

template <class Opt>
void step(Opt& opt, const Tensor& a, const Tensor& b) {
  opt.step([&] {
    opt.zero_grad();
    Tensor loss = two_parameter_loss(a, b);
    loss.backward();
    return loss;
  });
}

template <class Opt, class Options>
void check_round_trip(const Options& options) {
  Tensor a = tg::tensor({-1.2, 1.0}, true), b = tg::tensor({1.5, -0.7}, true);
  Opt original({a, b}, options);
  for (int i = 0; i < 3; ++i) step(original, a, b);

  Tensor a2 = a.detach().set_requires_grad(), b2 = b.detach().set_requires_grad();
  Opt resumed({a2, b2}, options);
  for (std::size_t i = 0; i < 2; ++i) {
    Recorder rec;
    original.state(0, i).visit(rec);
    EXPECT_FALSE(rec.fields.empty());
    Restorer res(rec.fields);
    resumed.state(0, i).visit(res);
  }
  for (int i = 0; i < 2; ++i) {
    step(original, a, b);
    step(resumed, a2, b2);
  }
  EXPECT_EQ(a.to_vector(), a2.to_vector());
  EXPECT_EQ(b.to_vector(), b2.to_vector());
  // and the original did not share state storage with the resumed one
  EXPECT_NE(a.to_vector(), std::vector<double>({-1.2, 1.0}));
}

TEST(TorchForms, StateRoundTripContinuesBitIdentically) {
  using namespace tg::optim;
  check_round_trip<Adagrad>(AdagradOptions{.lr = 0.1, .lr_decay = 0.01, .weight_decay = 0.01,
                                           .initial_accumulator_value = 0.1});
  check_round_trip<Adadelta>(AdadeltaOptions{.lr = 0.5, .rho = 0.95, .weight_decay = 0.01});
  check_round_trip<AdadeltaNoLr>(AdadeltaNoLrOptions{.rho = 0.9});
  check_round_trip<RMSprop>(RMSpropOptions{.lr = 0.01, .weight_decay = 0.01, .momentum = 0.5, .centered = true});
  check_round_trip<RMSprop>(RMSpropOptions{});
  check_round_trip<Adamax>(AdamaxOptions{.lr = 0.05, .betas = {0.8, 0.99}, .weight_decay = 0.01});
  check_round_trip<NAdam>(NAdamOptions{.lr = 0.02, .weight_decay = 0.01, .momentum_decay = 0.01});
  check_round_trip<RAdam>(RAdamOptions{.lr = 0.01, .betas = {0.8, 0.99}, .weight_decay = 0.01});
  check_round_trip<Rprop>(RpropOptions{.lr = 0.3, .etas = {0.3, 1.5}});
  check_round_trip<ASGD>(ASGDOptions{.lr = 0.01, .lambd = 0.5, .alpha = 0.5, .t0 = 1, .weight_decay = 0.01});
}

TEST(TorchForms, StateListsWhatPyTorchKeeps) {
  using namespace tg::optim;
  auto names = [](auto state) {
    Recorder rec;
    state.visit(rec);
    std::string all;
    for (const Field& f : rec.fields) all += (all.empty() ? "" : " ") + f.name;
    return all;
  };
  EXPECT_EQ(names(AdagradState{}), "step sum");
  EXPECT_EQ(names(AdadeltaState{}), "step square_avg acc_delta");
  EXPECT_EQ(names(RMSpropState{}), "step square_avg grad_avg momentum_buffer");
  EXPECT_EQ(names(AdamaxState{}), "step exp_avg exp_inf");
  EXPECT_EQ(names(NAdamState{}), "step mu_product exp_avg exp_avg_sq");
  EXPECT_EQ(names(RAdamState{}), "step exp_avg exp_avg_sq");
  EXPECT_EQ(names(RpropState{}), "step prev step_size");
  EXPECT_EQ(names(ASGDState{}), "step eta mu ax");
}

// ---- parameters without a gradient --------------------------------------------------------

TEST(TorchForms, ParametersWithoutGradientAreSkipped) {
  for (const std::string& name : kNames) {
    SCOPED_TRACE(name);
    Tensor a = tg::tensor({-1.2, 1.0}, true), unused = tg::tensor({0.5, -0.5}, true);
    auto opt = tg::optim::make_optimizer(name, {a, unused});
    for (int i = 0; i < 3; ++i) {
      opt->step([&] {
        opt->zero_grad();
        Tensor loss = oracle::evaluate("rosenbrock", a);
        loss.backward();
        return loss;
      });
    }
    EXPECT_FALSE(unused.grad().defined());
    EXPECT_EQ(unused.to_vector(), (std::vector<double>{0.5, -0.5}));
    EXPECT_NE(a.to_vector(), (std::vector<double>{-1.2, 1.0}));
  }
  Tensor a = tg::tensor({1.0, 2.0}, true), unused = tg::tensor({3.0}, true);
  tg::optim::ASGD asgd({a, unused}, {.t0 = 0});
  for (int i = 0; i < 4; ++i) {
    asgd.zero_grad();
    oracle::evaluate("quadratic", a).backward();
    asgd.step();
  }
  EXPECT_EQ(asgd.state(0, 0).step, 4);
  EXPECT_EQ(asgd.state(0, 1).step, 0);
  EXPECT_FALSE(asgd.state(0, 1).ax.defined());
  EXPECT_EQ(asgd.averaged(0, 1).to_vector(), std::vector<double>{3.0});
}

// ---- neighbours ---------------------------------------------------------------------------

TEST(TorchForms, AdadeltaWithLrOneIsAdadeltaNoLr) {
  for (const std::string function : {"quadratic", "ravine", "rosenbrock", "saddle"}) {
    for (const std::string rho : {"0.9", "0.95"}) {
      SCOPED_TRACE(function + " rho=" + rho);
      const Rows with_lr = run("adadelta", {{"lr", "1"}, {"rho", rho}, {"eps", "1e-06"}}, named(function),
                               {-1.2, 1.0}, 50);
      const Rows paper = run("adadelta_nolr", {{"rho", rho}, {"eps", "1e-06"}}, named(function), {-1.2, 1.0}, 50);
      EXPECT_EQ(with_lr, paper);
      EXPECT_NE(with_lr.back(), with_lr.front());
    }
  }
}

// maximize = true on −f takes exactly the steps of f, on every reference trajectory.
TEST(TorchForms, MaximizeOnNegatedFunctionReproducesTheReference) {
  int checked = 0;
  for (const oracle::Entry& e : oracle::entries()) {
    if (e.optimizer != "adagrad" && e.optimizer != "rmsprop" && e.optimizer != "adadelta" &&
        e.optimizer != "adamax" && e.optimizer != "rprop" && e.optimizer != "asgd") {
      continue;
    }
    SCOPED_TRACE(e.key);
    OptionList options = e.options;
    options.emplace_back("maximize", "true");
    const Rows maximized =
        run(e.optimizer, options, [&](const Tensor& p) { return -oracle::evaluate(e.function, p); }, e.start, 50);
    EXPECT_EQ(oracle::compare(e, maximized), "");
    EXPECT_EQ(maximized, run(e.optimizer, e.options, named(e.function), e.start, 50));
    ++checked;
  }
  EXPECT_EQ(checked, 36 + 48 + 36 + 36 + 24 + 24);
}

// ---- ASGD's Polyak average ----------------------------------------------------------------

TEST(TorchForms, AsgdAverageFollowsTheParameterThenAveragesIt) {
  // λ = 0 and α = 0 keep η = lr, so θ is plain gradient descent on the quadratic:
  // x_t = 3 − 3·0.8^t. With t0 = 10, μ = 1/max(1, t − 10) after step t, so ax = θ through
  // step 12 and from step 13 on ax is the mean of x_12, ..., x_t.
  Tensor p = tg::tensor({0.0, 0.0}, true);
  tg::optim::ASGD opt({p}, {.lr = 0.1, .lambd = 0.0, .alpha = 0.0, .t0 = 10});
  EXPECT_EQ(opt.averaged(0, 0).to_vector(), p.to_vector());
  std::vector<double> xs;
  for (int t = 1; t <= 20; ++t) {
    opt.zero_grad();
    oracle::evaluate("quadratic", p).backward();
    opt.step();
    const double x = p.to_vector()[0];
    xs.push_back(x);
    EXPECT_NEAR(x, 3.0 - 3.0 * std::pow(0.8, t), 1e-14);
    const Tensor ax = opt.averaged(0, 0);
    if (t <= 12) {
      EXPECT_EQ(ax.to_vector(), p.to_vector()) << "step " << t;
    } else {
      double mean = 0.0;
      for (int k = 12; k <= t; ++k) mean += xs[k - 1];
      mean /= t - 11;
      EXPECT_NEAR(ax.to_vector()[0], mean, 1e-14) << "step " << t;
      EXPECT_NE(ax.to_vector()[0], x) << "step " << t;
    }
    // By hand: x_12 = 3 − 3·0.8^12 = 2.793841569792, x_13 = 3 − 3·0.8^13 = 2.8350732558336,
    // ax_13 = (x_12 + x_13)/2.
    if (t == 13) {
      EXPECT_NEAR(ax.to_vector()[0], 2.8144574128128, 1e-13);
    }
  }
  // averaged() is a copy: changing it does not touch the state.
  Tensor copy = opt.averaged(0, 0);
  copy.fill_(0.0);
  EXPECT_NE(opt.averaged(0, 0).to_vector()[0], 0.0);
}

TEST(TorchForms, AsgdAverageEqualsParameterWithDefaultT0) {
  Tensor p = tg::tensor({0.5, -1.0}, true);
  tg::optim::ASGD opt({p}, {.lr = 1e-3});
  for (int t = 1; t <= 50; ++t) {
    opt.zero_grad();
    oracle::evaluate("rosenbrock", p).backward();
    opt.step();
    EXPECT_EQ(opt.averaged(0, 0).to_vector(), p.to_vector());
  }
}

}  // namespace
