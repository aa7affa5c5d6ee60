// LAMB, LARS, Adafactor, Shampoo and L-BFGS: the worked examples of the reference of update
// rules, Adafactor's factored form and Shampoo against independent NumPy implementations,
// L-BFGS against PyTorch 1.13 (tests/reference/*.py wrote the data), option validation,
// construction by name and state round trips. The oracle's lamb, lars and adafactor entries
// run in test_oracle.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <tapegrad/optim/adafactor.hpp>
#include <tapegrad/optim/lamb.hpp>
#include <tapegrad/optim/lars.hpp>
#include <tapegrad/optim/lbfgs.hpp>
#include <tapegrad/optim/shampoo.hpp>

#include "optim/oracle.hpp"

namespace {

using tg::Tensor;
namespace optim = tg::optim;

// ---- test functions ------------------------------------------------------------------------

const std::vector<double> kLsqX = {1.0, 0.5, -0.3, 0.2, -1.0, 0.4, 0.7, 0.1, 1.2, -0.6, 0.9, 0.3, 0.4, -0.2, -0.8};
const std::vector<double> kLsqY = {1.0, -1.0, 0.5,  0.0, 0.0, 2.0, -0.5, 1.0, 0.3, 0.3,
                                   1.0, -1.0, -1.0, 0.5, 0.0, 0.2, 0.5,  0.0, -0.7, 0.9};

// f(W) = 0.5·‖X W − Y‖²_F, W 3×4 (matrix_lsq of the test functions).
Tensor matrix_lsq(const Tensor& w) {
  const Tensor x = tg::tensor(kLsqX, {5, 3}), y = tg::tensor(kLsqY, {5, 4});
  return 0.5 * (x.matmul(w) - y).pow(2).sum();
}

// f(T) = 0.5·‖T − A‖², T 2×2×3 (shampoo_reference.py).
Tensor tensor_quadratic(const Tensor& t) {
  std::vector<double> a(12);
  const double c[3] = {1.0, -0.5, 0.25};
  for (int i = 0; i < 12; ++i) a[i] = (i + 1) * c[i % 3] - 2.0;
  return 0.5 * (t - tg::tensor(a, {2, 2, 3})).pow(2).sum();
}

Tensor evaluate(const std::string& function, const Tensor& p) {
  if (function == "matrix_lsq") return matrix_lsq(p);
  if (function == "tensor_quadratic") return tensor_quadratic(p);
  return oracle::evaluate(function, p);
}

// The start point of `function` named `label`: "x,y", or zeros / ones / alt.
Tensor start_point(const std::string& function, const std::string& label) {
  if (function == "tensor_quadratic") return tg::zeros({2, 2, 3}, true);
  if (function == "matrix_lsq") {
    std::vector<double> w(12, label == "ones" ? 1.0 : 0.0);
    if (label == "alt")
      for (int i = 0; i < 12; ++i) w[i] = 0.5 * (((i / 4 + i % 4) % 2) ? -1.0 : 1.0);
    return tg::tensor(w, {3, 4}, true);
  }
  const auto comma = label.find(',');
  return tg::tensor({std::stod(label.substr(0, comma)), std::stod(label.substr(comma + 1))}, {2}, true);
}

optim::Closure closure_for(optim::Optimizer& opt, const std::string& function, const Tensor& p, int* calls = nullptr) {
  return [&opt, function, p, calls] {
    if (calls) ++*calls;
    opt.zero_grad();
    Tensor f = evaluate(function, p);
    f.backward();
    return f;
  };
}

// ---- reference data: "run <function> start=<label> <option>=<value> ..." and rows ---------

struct ReferenceRun {
  std::string header, function, start;
  optim::OptionList options;
  std::vector<std::vector<double>> rows;
};

std::vector<ReferenceRun> load_runs(const std::string& file) {
  const std::string path = std::string(TAPEGRAD_REFERENCE_DIR) + "/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<ReferenceRun> runs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    if (line.rfind("run ", 0) == 0) {
      ReferenceRun r;
      r.header = line;
      std::string word;
      words >> word >> r.function >> word;
      r.start = word.substr(std::string("start=").size());
      while (words >> word) {
        const auto eq = word.find('=');
        r.options.emplace_back(word.substr(0, eq), word.substr(eq + 1));
      }
      runs.push_back(r);
    } else {
      std::vector<double> row;
      for (std::string v; words >> v;) row.push_back(std::stod(v));
      runs.back().rows.push_back(row);
    }
  }
  return runs;
}

// "" if a matches b within |a − b| <= 1e-12 + 1e-9·|b|, else where it does not.
std::string mismatch(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return "size " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(std::fabs(a[i] - b[i]) <= 1e-12 + 1e-9 * std::fabs(b[i]))) {
      std::ostringstream os;
      os.precision(17);
      os << "component " << i << " is " << a[i] << ", reference " << b[i];
      return os.str();
    }
  }
  return "";
}

// Runs every run of `file` for as many steps as it has rows and compares each row.
void check_trajectories(const std::string& optimizer, const std::string& file, std::size_t expected_runs) {
  const std::vector<ReferenceRun> runs = load_runs(file);
  EXPECT_EQ(runs.size(), expected_runs);
  for (const ReferenceRun& r : runs) {
    SCOPED_TRACE(r.header);
    Tensor p = start_point(r.function, r.start);
    auto opt = optim::make_optimizer(optimizer, {p}, r.options);
    for (std::size_t step = 0; step < r.rows.size(); ++step) {
      if (step > 0) opt->step(closure_for(*opt, r.function, p));
      const std::string m = mismatch(p.to_vector(), r.rows[step]);
      ASSERT_EQ(m, "") << "after step " << step;
    }
  }
}

// ---- worked examples (rows 1..3 of optimizers.md) ------------------------------------------

void expect_rows(optim::Optimizer& opt, const std::string& function, Tensor& p,
                 const std::vector<std::array<double, 2>>& rows) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    opt.step(closure_for(opt, function, p));
    EXPECT_DOUBLE_EQ(p.at({0}), rows[i][0]) << "row " << i + 1;
    EXPECT_DOUBLE_EQ(p.at({1}), rows[i][1]) << "row " << i + 1;
  }
}

TEST(SecondOrderWorkedExample, Lamb) {
  Tensor p = tg::tensor({0.0, 0.0}, {2}, true);
  optim::Lamb opt({p}, {.lr = 0.01, .betas = {0.9, 0.999}, .eps = 1e-6, .weight_decay = 0.01});
  expect_rows(opt, "quadratic", p,
              {{{0.0099999983333336102, -0.0099999975000006243}},
               {{0.010100000585701555, -0.010099995205914347}},
               {{0.010201003565590934, -0.010200992183851966}}});
}

TEST(SecondOrderWorkedExample, Lars) {
  Tensor p = tg::tensor({0.0, 0.0}, {2}, true);
  optim::Lars opt({p}, {.lr = 0.1, .momentum = 0.9, .trust_coef = 0.01, .weight_decay = 0.0005});
  expect_rows(opt, "quadratic", p,
              {{{0.60000000000000009, -0.40000000000000002}},
               {{1.1405999250046874, -0.76039995000312488}},
               {{1.6282801076520843, -1.0855200717680562}}});
}

TEST(SecondOrderWorkedExample, AdafactorRelativeStep) {
  Tensor p = tg::tensor({0.0, 0.0}, {2}, true);
  optim::Adafactor opt({p});
  expect_rows(opt, "quadratic", p,
              {{{1.0000000000000001e-05, -1.0000000000000001e-05}},
               {{1.9999985811598507e-05, -1.99999787173672e-05}},
               {{2.9999958022870224e-05, -2.9999937034187969e-05}}});
}

TEST(SecondOrderWorkedExample, AdafactorFixedLrWithBeta1) {
  Tensor p = tg::tensor({0.0, 0.0}, {2}, true);
  optim::Adafactor opt({p}, {.lr = 0.05, .beta1 = 0.9, .relative_step = false});
  expect_rows(opt, "quadratic", p,
              {{{0.0049999999999999992, -0.0049999999999999992}},
               {{0.014496447811342024, -0.014494667887192274}},
               {{0.028031882192267238, -0.028022789055358793}}});
}

// Step 1 from (0, 0): H = εI + g gᵀ has g as an eigenvector, so θ₁ = −lr·g/√(ε + ‖g‖²) (up to
// the rounding of the eigenvectors, which the other eigenvalue ε^(−1/2) = 100 amplifies).
TEST(SecondOrderWorkedExample, ShampooFirstStepOnAVector) {
  Tensor p = tg::tensor({0.0, 0.0}, {2}, true);
  optim::Shampoo opt({p}, {.lr = 0.5});
  opt.step(closure_for(opt, "quadratic", p));
  const double scale = 0.5 / std::sqrt(1e-4 + 52.0);
  EXPECT_NEAR(p.at({0}), 6.0 * scale, 1e-13);
  EXPECT_NEAR(p.at({1}), -4.0 * scale, 1e-13);
  const Tensor& h = opt.state(0, 0).preconditioners.at(0);
  EXPECT_EQ(h.to_vector(), (std::vector<double>{1e-4 + 36.0, -24.0, -24.0, 1e-4 + 16.0}));
}

// ---- reference trajectories ----------------------------------------------------------------

TEST(SecondOrderReference, AdafactorFactoredOnMatrixLsq) {
  check_trajectories("adafactor", "adafactor_matrix.txt", 6);
}

TEST(SecondOrderReference, AdafactorKeepsRowAndColumnAccumulatorsForAMatrix) {
  Tensor w = start_point("matrix_lsq", "ones");
  optim::Adafactor opt({w});
  opt.step(closure_for(opt, "matrix_lsq", w));
  const optim::AdafactorState& s = opt.state(0, 0);
  EXPECT_EQ(s.exp_avg_sq_row.shape(), tg::Shape({3}));
  EXPECT_EQ(s.exp_avg_sq_col.shape(), tg::Shape({4}));
  EXPECT_FALSE(s.exp_avg_sq.defined());
  EXPECT_FALSE(s.exp_avg.defined());
}

TEST(SecondOrderReference, ShampooAgainstNumPy) {
  check_trajectories("shampoo", "shampoo.txt", 19);
}

TEST(SecondOrderReference, LbfgsAgainstPyTorch) {
  const std::vector<ReferenceRun> runs = load_runs("lbfgs.txt");
  EXPECT_EQ(runs.size(), 15u);
  for (const ReferenceRun& r : runs) {
    SCOPED_TRACE(r.header);
    Tensor p = start_point(r.function, r.start);
    optim::LBFGSOptions o;
    optim::apply_options("lbfgs", r.options, o);
    optim::LBFGS opt({p}, o);
    int calls = 0;
    const optim::Closure closure = closure_for(opt, r.function, p, &calls);
    for (std::size_t step = 0; step < r.rows.size(); ++step) {
      if (step > 0) opt.step(closure);
      const std::vector<double> row = r.rows[step];
      EXPECT_EQ(calls, static_cast<int>(row[0])) << "closure calls after step " << step;
      EXPECT_EQ(opt.lbfgs_state().func_evals, calls);
      const std::string m = mismatch(p.to_vector(), {row.begin() + 1, row.end()});
      ASSERT_EQ(m, "") << "after step " << step;
    }
  }
}

TEST(SecondOrderReference, LbfgsReturnsTheFirstLoss) {
  Tensor p = start_point("rosenbrock", "-1.2,1");
  optim::LBFGS opt({p});
  const Tensor loss = opt.step(closure_for(opt, "rosenbrock", p));
  EXPECT_NEAR(loss.item(), 24.2, 1e-12);  // f(-1.2, 1)
}

TEST(SecondOrderReference, LbfgsNeedsAClosure) {
  Tensor p = start_point("rosenbrock", "-1.2,1");
  optim::LBFGS opt({p});
  try {
    opt.step();
    FAIL() << "step() without a closure must throw";
  } catch (const tg::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("lbfgs"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("closure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(p.to_vector(), (std::vector<double>{-1.2, 1.0}));
}

TEST(SecondOrderReference, LbfgsTakesOneParameterGroup) {
  Tensor a = tg::zeros({2}, true), b = tg::zeros({2}, true);
  EXPECT_THROW(optim::LBFGS({{{a}, {}}, {{b}, {}}}), tg::ValueError);
  EXPECT_THROW(optim::LBFGS(std::vector<Tensor>{}), tg::ValueError);
}

// ---- options ---------------------------------------------------------------------------------

void expect_invalid(const std::string& name, const optim::OptionList& options, const std::string& option,
                    const std::string& value) {
  SCOPED_TRACE(name + " " + option + " = " + value);
  Tensor p = tg::zeros({2}, true);
  try {
    optim::make_optimizer(name, {p}, options);
    ADD_FAILURE() << "no error";
  } catch (const tg::ValueError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(name + ":"), std::string::npos) << m;
    EXPECT_NE(m.find(option), std::string::npos) << m;
    EXPECT_NE(m.find(value), std::string::npos) << m;
  }
}

TEST(SecondOrderOptions, InvalidValuesAreRejected) {
  expect_invalid("lamb", {}, "lr", "required");
  expect_invalid("lamb", {{"lr", "-0.1"}}, "lr", "-0.1");
  expect_invalid("lamb", {{"lr", "0.1"}, {"betas", "(1,0.999)"}}, "betas[0]", "1");
  expect_invalid("lamb", {{"lr", "0.1"}, {"betas", "(0.9,-0.5)"}}, "betas[1]", "-0.5");
  expect_invalid("lamb", {{"lr", "0.1"}, {"eps", "0"}}, "eps", "0");
  expect_invalid("lamb", {{"lr", "0.1"}, {"weight_decay", "-0.01"}}, "weight_decay", "-0.01");

  expect_invalid("lars", {}, "lr", "required");
  expect_invalid("lars", {{"lr", "-1"}}, "lr", "-1");
  expect_invalid("lars", {{"lr", "0.1"}, {"momentum", "1"}}, "momentum", "1");
  expect_invalid("lars", {{"lr", "0.1"}, {"trust_coef", "0"}}, "trust_coef", "0");
  expect_invalid("lars", {{"lr", "0.1"}, {"weight_decay", "-0.5"}}, "weight_decay", "-0.5");

  expect_invalid("adafactor", {{"lr", "0.1"}}, "lr", "0.1");  // lr needs relative_step = false
  expect_invalid("adafactor", {{"relative_step", "false"}}, "lr", "required");
  expect_invalid("adafactor", {{"lr", "-0.1"}, {"relative_step", "false"}}, "lr", "-0.1");
  expect_invalid("adafactor", {{"beta1", "1"}}, "beta1", "1");
  expect_invalid("adafactor", {{"clip_threshold", "0"}}, "clip_threshold", "0");
  expect_invalid("adafactor", {{"decay_rate", "0.5"}}, "decay_rate", "0.5");
  expect_invalid("adafactor", {{"decay_rate", "-1.5"}}, "decay_rate", "-1.5");
  expect_invalid("adafactor", {{"eps1", "0"}}, "eps1", "0");
  expect_invalid("adafactor", {{"eps2", "-0.001"}}, "eps2", "-0.001");

  expect_invalid("shampoo", {}, "lr", "required");
  expect_invalid("shampoo", {{"lr", "-1"}}, "lr", "-1");
  expect_invalid("shampoo", {{"lr", "0.1"}, {"eps", "0"}}, "eps", "0");
  expect_invalid("shampoo", {{"lr", "0.1"}, {"momentum", "1.5"}}, "momentum", "1.5");
  expect_invalid("shampoo", {{"lr", "0.1"}, {"weight_decay", "-1"}}, "weight_decay", "-1");

  expect_invalid("lbfgs", {{"lr", "-1"}}, "lr", "-1");
  expect_invalid("lbfgs", {{"max_iter", "0"}}, "max_iter", "0");
  expect_invalid("lbfgs", {{"max_eval", "-1"}}, "max_eval", "-1");
  expect_invalid("lbfgs", {{"history_size", "0"}}, "history_size", "0");
  expect_invalid("lbfgs", {{"tolerance_grad", "-1e-07"}}, "tolerance_grad", "-1e-07");
  expect_invalid("lbfgs", {{"tolerance_change", "-1"}}, "tolerance_change", "-1");
  expect_invalid("lbfgs", {{"line_search_fn", "wolfe"}}, "line_search_fn", "wolfe");
}

TEST(SecondOrderOptions, UnknownOptionNamesAreRejected) {
  for (const char* name : {"lamb", "lars", "adafactor", "shampoo", "lbfgs"}) {
    SCOPED_TRACE(name);
    Tensor p = tg::zeros({2}, true);
    try {
      optim::make_optimizer(name, {p}, {{"lr", "0.1"}, {"gamma", "0.5"}});
      ADD_FAILURE() << "no error";
    } catch (const tg::ValueError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("gamma"), std::string::npos) << e.what();
    }
  }
}

TEST(SecondOrderOptions, ByNameWithTheirDefaults) {
  const std::map<std::string, optim::OptionList> expected = {
      {"lamb", {{"lr", "nan"}, {"betas", "(0.9,0.999)"}, {"eps", "1e-06"}, {"weight_decay", "0.01"}}},
      {"lars", {{"lr", "nan"}, {"momentum", "0.9"}, {"trust_coef", "0.001"}, {"weight_decay", "5e-04"}}},
      {"adafactor",
       {{"lr", "nan"}, {"beta1", "0"}, {"clip_threshold", "1"}, {"decay_rate", "-0.8"}, {"eps1", "1e-30"},
        {"eps2", "0.001"}, {"relative_step", "true"}}},
      {"shampoo", {{"lr", "nan"}, {"eps", "1e-04"}, {"momentum", "0"}, {"weight_decay", "0"}}},
      {"lbfgs",
       {{"lr", "1"}, {"max_iter", "20"}, {"max_eval", "0"}, {"tolerance_grad", "1e-07"},
        {"tolerance_change", "1e-09"}, {"history_size", "100"}, {"line_search_fn", ""}}},
  };
  std::size_t found = 0;
  for (const optim::OptimizerInfo& info : optim::optimizers()) {
    const auto it = expected.find(info.name);
    if (it == expected.end()) continue;
    ++found;
    EXPECT_EQ(info.defaults, it->second) << info.name;
    EXPECT_FALSE(info.summary.empty());
  }
  EXPECT_EQ(found, expected.size());

  Tensor w = tg::zeros({3, 4}, true);
  auto opt = optim::make_optimizer("shampoo", {w}, {{"lr", "0.05"}, {"momentum", "0.9"}});
  EXPECT_STREQ(opt->name(), "shampoo");
  EXPECT_EQ(opt->option("momentum"), "0.9");
  EXPECT_EQ(opt->lr(), 0.05);
  auto lbfgs = optim::make_optimizer("lbfgs", {w}, {{"line_search_fn", "strong_wolfe"}, {"history_size", "5"}});
  EXPECT_EQ(lbfgs->option("line_search_fn"), "strong_wolfe");
  EXPECT_EQ(lbfgs->option("history_size"), "5");
}

// ---- state round trips -----------------------------------------------------------------------

Tensor copy_of(const Tensor& t) { return t.defined() ? t.detach().clone() : Tensor(); }

// Copies every field a State lists (record), and writes the copies back (restore).
class Snapshot : public optim::StateVisitor {
 public:
  bool restoring = false;
  std::vector<std::string> names;
  void field(const char* n, Tensor& v) override {
    if (restoring) {
      v = copy_of(tensors_.at(n));
    } else {
      tensors_[n] = copy_of(v);
      names.emplace_back(n);
    }
  }
  void field(const char* n, std::vector<Tensor>& v) override {
    if (restoring) {
      v.clear();
      for (const Tensor& t : lists_.at(n)) v.push_back(copy_of(t));
    } else {
      std::vector<Tensor>& copy = lists_[n];
      for (const Tensor& t : v) copy.push_back(copy_of(t));
      names.emplace_back(n);
    }
  }
  void field(const char* n, int64_t& v) override {
    if (restoring) {
      v = ints_.at(n);
    } else {
      ints_[n] = v;
      names.emplace_back(n);
    }
  }
  void field(const char* n, double& v) override {
    if (restoring) {
      v = doubles_.at(n);
    } else {
      doubles_[n] = v;
      names.emplace_back(n);
    }
  }

 private:
  std::map<std::string, Tensor> tensors_;
  std::map<std::string, std::vector<Tensor>> lists_;
  std::map<std::string, int64_t> ints_;
  std::map<std::string, double> doubles_;
};

// 3 steps, a snapshot of the state by visit, then 2 more steps in the original and in a fresh
// optimizer restored from the snapshot: the parameters must agree bit for bit.
template <class Opt, class Options>
void expect_round_trip(const std::string& function, const std::string& start, const Options& options,
                       const std::vector<std::string>& expected_fields) {
  SCOPED_TRACE(function + " from " + start);
  Tensor p = start_point(function, start);
  Opt a({p}, options);
  for (int i = 0; i < 3; ++i) a.step(closure_for(a, function, p));
  Snapshot snapshot;
  a.state(0, 0).visit(snapshot);
  EXPECT_EQ(snapshot.names, expected_fields);

  Tensor q = tg::tensor(p.to_vector(), p.shape(), true);
  Opt b({q}, options);
  snapshot.restoring = true;
  b.state(0, 0).visit(snapshot);
  for (int i = 0; i < 2; ++i) {
    a.step(closure_for(a, function, p));
    b.step(closure_for(b, function, q));
  }
  EXPECT_EQ(p.to_vector(), q.to_vector());
  EXPECT_NE(p.to_vector(), start_point(function, start).to_vector());
}

TEST(SecondOrderState, RoundTripsBitExactly) {
  expect_round_trip<optim::Lamb>("rosenbrock", "-1.5,2", optim::LambOptions{.lr = 0.05},
                                 {"step", "exp_avg", "exp_avg_sq"});
  expect_round_trip<optim::Lars>("quadratic", "4,1", optim::LarsOptions{.lr = 0.1, .trust_coef = 0.01},
                                 {"velocity"});
  const std::vector<std::string> adafactor_fields = {"step", "exp_avg_sq_row", "exp_avg_sq_col", "exp_avg_sq",
                                                     "exp_avg"};
  expect_round_trip<optim::Adafactor>("quadratic", "-1.5,2", optim::AdafactorOptions{}, adafactor_fields);
  expect_round_trip<optim::Adafactor>(
      "matrix_lsq", "alt", optim::AdafactorOptions{.lr = 0.05, .beta1 = 0.9, .relative_step = false},
      adafactor_fields);
  const std::vector<std::string> shampoo_fields = {"step", "preconditioners", "momentum_buffer"};
  expect_round_trip<optim::Shampoo>("rosenbrock", "-1.2,1", optim::ShampooOptions{.lr = 0.02, .eps = 1.0},
                                    shampoo_fields);
  expect_round_trip<optim::Shampoo>("matrix_lsq", "ones", optim::ShampooOptions{.lr = 0.1, .momentum = 0.9},
                                    shampoo_fields);
  expect_round_trip<optim::Shampoo>("tensor_quadratic", "zeros", optim::ShampooOptions{.lr = 0.2},
                                    shampoo_fields);
  const std::vector<std::string> lbfgs_fields = {"func_evals", "n_iter", "d", "t", "old_dirs",
                                                 "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss"};
  expect_round_trip<optim::LBFGS>("rosenbrock", "-1.2,1",
                                  optim::LBFGSOptions{.max_iter = 4, .history_size = 3, .line_search_fn = "strong_wolfe"},
                                  lbfgs_fields);
  expect_round_trip<optim::LBFGS>("rosenbrock", "-1.2,1", optim::LBFGSOptions{.lr = 0.1, .max_iter = 3},
                                  lbfgs_fields);
}

// ---- parameters without a gradient -----------------------------------------------------------

TEST(SecondOrderState, ParametersWithoutAGradientAreSkipped) {
  for (const char* name : {"lamb", "lars", "adafactor", "shampoo"}) {
    SCOPED_TRACE(name);
    Tensor used = tg::tensor({1.0, 2.0}, {2}, true), unused = tg::tensor({3.0, 4.0}, {2}, true);
    optim::OptionList options;
    if (std::string(name) != "adafactor") options = {{"lr", "0.1"}};
    auto opt = optim::make_optimizer(name, {used, unused}, options);
    opt->track_step_sizes();
    opt->step([&] {
      opt->zero_grad();
      Tensor f = oracle::evaluate("quadratic", used);
      f.backward();
      return f;
    });
    EXPECT_NE(used.to_vector(), (std::vector<double>{1.0, 2.0}));
    EXPECT_EQ(unused.to_vector(), (std::vector<double>{3.0, 4.0}));
    EXPECT_FALSE(unused.grad().defined());
    EXPECT_TRUE(opt->step_sizes().at(0).defined());
    EXPECT_FALSE(opt->step_sizes().at(1).defined());
  }
  // L-BFGS works on all parameters at once: a missing gradient counts as zeros (as in PyTorch),
  // so the parameter does not move and the others move as they would alone.
  Tensor used = start_point("rosenbrock", "-1.2,1"), unused = tg::tensor({3.0, 4.0}, {2}, true);
  Tensor alone = start_point("rosenbrock", "-1.2,1");
  optim::LBFGS lbfgs({used, unused}, {.line_search_fn = "strong_wolfe"});
  optim::LBFGS reference({alone}, {.line_search_fn = "strong_wolfe"});
  lbfgs.track_step_sizes();
  lbfgs.step(closure_for(lbfgs, "rosenbrock", used));
  reference.step(closure_for(reference, "rosenbrock", alone));
  EXPECT_EQ(used.to_vector(), alone.to_vector());
  EXPECT_EQ(unused.to_vector(), (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(lbfgs.lbfgs_state().d.numel(), 4);
  // the effective step sizes are measured against the gradient at the start of the step
  const Tensor sizes = lbfgs.step_sizes().at(0);
  ASSERT_TRUE(sizes.defined());
  const double g0[2] = {-215.6, -88.0};  // ∇f(−1.2, 1)
  EXPECT_NEAR(sizes.at({0}), (-1.2 - used.at({0})) / g0[0], 1e-12);
  EXPECT_NEAR(sizes.at({1}), (1.0 - used.at({1})) / g0[1], 1e-12);
  EXPECT_FALSE(lbfgs.step_sizes().at(1).defined());
}

}  // namespace
