// Second derivatives of every differentiable operation: gradgradcheck (the first derivatives,
// computed with create_graph, against central differences, and their derivatives with respect
// to the output's gradient), on small inputs inside each operation's domain and away from its
// kinks and ties (ties are made by duplicating an input, so that a perturbation moves every
// tied copy together). Then a few composites: an exact Hessian, a third derivative, custom
// functions whose backward() is written with tapegrad operations, and third derivatives
// through the rules that only appear in gradients (scatter_add, function_output).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

using tg::Tensor;
using tg::autograd::AutogradContext;
using tg::autograd::variable_list;
namespace F = tg::nn::functional;
using F::Reduction;

// A case's function as a plain pointer: one std::function type for the whole file (see
// test_op_reference.cpp on what one per case costs to compile).
using Op = Tensor (*)(const std::vector<Tensor>&);
#define FN(...) +[](const std::vector<Tensor>& x) -> Tensor { return __VA_ARGS__; }

int g_cases = 0;  // gradgradcheck runs, reported at the end

class CountCases : public ::testing::Environment {
 public:
  void TearDown() override { std::printf("[ second order ] %d gradgradcheck cases\n", g_cases); }
};
[[maybe_unused]] const auto* const kCountCases = ::testing::AddGlobalTestEnvironment(new CountCases);

void check(const std::string& name, const tg::Function& f, const std::vector<Tensor>& inputs,
           const tg::GradcheckOptions& options = {}) {
  ++g_cases;
  try {
    const tg::GradcheckReport report = tg::gradgradcheck(f, inputs, options);
    EXPECT_TRUE(report.passed) << name << "\n" << report.str();
  } catch (const std::exception& e) {
    ADD_FAILURE() << name << ": gradgradcheck threw: " << e.what();
  }
}

// Distinct, well-spread values in [lo, hi): lo + (hi - lo)·frac(phase + k·0.618...), the
// golden-ratio sequence, so that no two are close (no near-ties for max, sort, maximum, ...).
Tensor spread(const tg::Shape& shape, double lo, double hi, bool requires_grad = true, double phase = 0.1) {
  std::vector<double> v(static_cast<std::size_t>(shape.numel()));
  for (std::size_t k = 0; k < v.size(); ++k) {
    const double u = std::fmod(phase + 0.6180339887498949 * static_cast<double>(k), 1.0);
    v[k] = lo + (hi - lo) * u;
  }
  return tg::tensor(v, shape, requires_grad);
}

Tensor leaf(const std::vector<double>& values, const tg::Shape& shape) { return tg::tensor(values, shape, true); }
Tensor constant(const std::vector<double>& values, const tg::Shape& shape) { return tg::tensor(values, shape); }
Tensor vec(const std::vector<double>& values, bool requires_grad = true) {
  return tg::tensor(values, tg::Shape{static_cast<int64_t>(values.size())}, requires_grad);
}
Tensor no_grad(const Tensor& t) { return t.detach(); }

// ---- elementwise, one tensor ------------------------------------------------------------------

const std::vector<double> kBothSides = {-1.5, -0.3, 0.4, 2.0};  // both sides of a kink at 0
const std::vector<double> kSmooth = {-2.0, -0.4, 0.7, 1.8};
const std::vector<double> kPositive = {0.3, 0.9, 1.7, 2.6};

struct UnaryCase {
  const char* name;
  Tensor (*op)(const Tensor&);
  std::vector<double> at;
};

const std::vector<UnaryCase>& unary_cases() {
  static const std::vector<UnaryCase> cases = {
      {"neg", tg::neg, kSmooth},
      {"square", tg::square, kSmooth},
      {"sqrt", tg::sqrt, kPositive},
      {"rsqrt", tg::rsqrt, kPositive},
      {"reciprocal", tg::reciprocal, {-1.7, -0.6, 0.5, 1.9}},
      {"exp", tg::exp, {-1.2, 0.3, 1.1, 1.6}},
      {"expm1", tg::expm1, {-1.2, 0.01, 0.9, 1.6}},
      {"log", tg::log, kPositive},
      {"log1p", tg::log1p, {-0.6, 0.2, 1.5, 2.4}},
      {"log2", tg::log2, kPositive},
      {"log10", tg::log10, kPositive},
      {"abs", tg::abs, kBothSides},
      {"sign", tg::sign, kBothSides},
      {"sin", tg::sin, {-2.0, -0.4, 0.7, 2.5}},
      {"cos", tg::cos, {-2.0, -0.4, 0.7, 2.5}},
      {"tan", tg::tan, {-1.1, -0.3, 0.5, 1.2}},
      {"atan", tg::atan, kSmooth},
      {"sinh", tg::sinh, kSmooth},
      {"cosh", tg::cosh, kSmooth},
      {"asinh", tg::asinh, kSmooth},
      {"tanh", tg::tanh, kSmooth},
      {"erf", tg::erf, kSmooth},
      {"sigmoid", tg::sigmoid, kSmooth},
      {"logsigmoid", tg::logsigmoid, kSmooth},
      {"relu", tg::relu, kBothSides},
      {"silu", tg::silu, kSmooth},
      {"softsign", tg::softsign, kBothSides},
  };
  return cases;
}

TEST(SecondOrderElementwise, EveryListedUnaryFunctionHasACase) {
  std::set<std::string> listed, covered;
#define TAPEGRAD_LIST_NAME(NAME) listed.insert(#NAME);
  TAPEGRAD_UNARY_FUNCTIONS(TAPEGRAD_LIST_NAME)
#undef TAPEGRAD_LIST_NAME
  for (const UnaryCase& c : unary_cases()) covered.insert(c.name);
  EXPECT_EQ(listed, covered);
}

TEST(SecondOrderElementwise, Unary) {
  for (const UnaryCase& c : unary_cases()) {
    const auto op = c.op;
    const tg::Function f = [op](const std::vector<Tensor>& x) { return op(x[0]); };
    check(c.name, f, {vec(c.at)});
    // The same values as a 2-D tensor, and one 0-d value.
    check(std::string(c.name) + " (2, 2)", f, {leaf(c.at, {2, 2})});
    check(std::string(c.name) + " 0-d", f, {tg::tensor(c.at[2], true)});
  }
  // The members are the same operations.
  check("Tensor::exp", FN(x[0].exp() * x[0].sin()), {vec(kSmooth)});
  check("Tensor::tanh().square()", FN(x[0].tanh().square()), {vec(kSmooth)});
}

TEST(SecondOrderElementwise, WithParameters) {
  const std::vector<double> around_clamp = {-1.2, -0.3, 0.2, 0.6, 1.5};  // bounds -0.5 and 0.8
  const struct {
    const char* name;
    Op op;
    std::vector<double> at;
  } cases[] = {
      {"leaky_relu", FN(tg::leaky_relu(x[0])), kBothSides},
      {"leaky_relu 0.2", FN(tg::leaky_relu(x[0], 0.2)), kBothSides},
      {"elu", FN(tg::elu(x[0])), kBothSides},
      {"elu 0.5", FN(tg::elu(x[0], 0.5)), kBothSides},
      {"elu at large x (e^x overflows)", FN(tg::elu(x[0])), {-0.5, 3.0, 750.0}},
      {"softplus", FN(tg::softplus(x[0])), kSmooth},
      // beta 2, threshold 1: x itself above x = 0.5, both sides
      {"softplus beta 2 threshold 1", FN(tg::softplus(x[0], 2.0, 1.0)), {-1.0, 0.2, 0.8, 1.5}},
      {"clamp [-0.5, 0.8]", FN(tg::clamp(x[0], -0.5, 0.8)), around_clamp},
      {"clamp min only", FN(tg::clamp(x[0], -0.5, std::nullopt)), around_clamp},
      {"clamp max only", FN(tg::clamp(x[0], std::nullopt, 0.8)), around_clamp},
      {"Tensor::clamp", FN(x[0].clamp(-0.5, 0.8)), around_clamp},
      {"hardtanh", FN(tg::hardtanh(x[0])), {-1.6, -0.7, 0.3, 0.9, 1.4}},
      {"hardtanh [-0.5, 0.8]", FN(tg::hardtanh(x[0], -0.5, 0.8)), around_clamp},
      {"gelu", FN(tg::gelu(x[0])), kSmooth},
      {"gelu tanh", FN(tg::gelu(x[0], "tanh")), kSmooth},
      // Piecewise ones after a smooth one, so that their input's graph is not a leaf.
      {"relu(sin x)", FN(tg::relu(tg::sin(x[0]))), kBothSides},
      {"clamp(x²)", FN(tg::clamp(x[0].square(), 0.2, 1.0)), {-1.5, -0.7, 0.3, 0.8}},
  };
  for (const auto& c : cases) check(c.name, c.op, {vec(c.at)});
}

// ---- elementwise, two tensors (broadcasting) ----------------------------------------------------

struct BinaryCase {
  const char* name;
  Op op;
  double a_lo, a_hi, b_lo, b_hi;
};

const std::vector<BinaryCase>& binary_cases() {
  static const std::vector<BinaryCase> cases = {
      {"add", FN(tg::add(x[0], x[1])), -2.0, 2.0, -2.0, 2.0},
      {"sub", FN(tg::sub(x[0], x[1])), -2.0, 2.0, -2.0, 2.0},
      {"mul", FN(tg::mul(x[0], x[1])), -2.0, 2.0, -2.0, 2.0},
      {"div", FN(tg::div(x[0], x[1])), -2.0, 2.0, 0.5, 2.0},
      {"maximum", FN(tg::maximum(x[0], x[1])), -2.0, 2.0, -1.9, 1.9},
      {"minimum", FN(tg::minimum(x[0], x[1])), -2.0, 2.0, -1.9, 1.9},
      {"atan2", FN(tg::atan2(x[0], x[1])), -2.0, 2.0, 0.6, 2.0},
      {"pow", FN(tg::pow(x[0], x[1])), 0.5, 2.0, -1.5, 2.0},
  };
  return cases;
}

TEST(SecondOrderElementwise, EveryListedBinaryFunctionHasACase) {
  std::set<std::string> listed, covered;
#define TAPEGRAD_LIST_NAME(NAME) listed.insert(#NAME);
  TAPEGRAD_BINARY_FUNCTIONS(TAPEGRAD_LIST_NAME)
#undef TAPEGRAD_LIST_NAME
  listed.insert("pow");
  for (const BinaryCase& c : binary_cases()) covered.insert(c.name);
  EXPECT_EQ(listed, covered);
}

TEST(SecondOrderElementwise, BinaryWithBroadcasting) {
  const std::vector<std::pair<tg::Shape, tg::Shape>> shapes = {
      {{2, 3}, {3}}, {{3}, {2, 3}}, {{2, 1}, {1, 3}}, {{2, 3}, {2, 3}}, {{}, {2, 2}}, {{2, 1, 3}, {2, 1}}};
  for (const BinaryCase& c : binary_cases()) {
    for (const auto& [sa, sb] : shapes) {
      const Tensor a = spread(sa, c.a_lo, c.a_hi, true, 0.1);
      const Tensor b = spread(sb, c.b_lo, c.b_hi, true, 0.45);
      const std::string name = std::string(c.name) + " " + sa.str() + " with " + sb.str();
      check(name, c.op, {a, b});
      check(name + ", b without grad", c.op, {a, no_grad(b)});
      check(name + ", a without grad", c.op, {no_grad(a), b});
    }
  }
  // One tensor on both sides: both gradients go to it (its domain is where both ranges meet).
  for (const BinaryCase& c : binary_cases()) {
    const Tensor same = spread({2, 3}, std::max(c.a_lo, c.b_lo), std::min(c.a_hi, c.b_hi), true, 0.2);
    // Two leaves of the same values (not for maximum / minimum: perturbing one breaks the tie).
    if (std::string(c.name) != "maximum" && std::string(c.name) != "minimum") {
      check(std::string(c.name) + "(x, x), two leaves", c.op, {same, same});
    }
    const Op op = c.op;
    check(std::string(c.name) + "(x, x), one tensor",
          [op](const std::vector<Tensor>& x) { return op({x[0], x[0]}); }, {same});
  }
  // The operators are the same operations; and a tie of maximum / minimum (half to each)
  // made with the same tensor on both sides, so that perturbations keep it.
  const Tensor a = spread({2, 3}, -2.0, 2.0), b = spread({3}, 0.5, 2.0, true, 0.45);
  check("a + b, a - b, a * b, a / b", FN((x[0] + x[1]) * (x[0] - x[1]) + x[0] * x[1] / x[1].exp() + x[0] / x[1]),
        {a, b});
  check("maximum(x, x) tie", FN(tg::maximum(x[0], x[0]) * x[0]), {a});
  check("minimum(x, x) tie", FN(tg::minimum(x[0], x[0]) * x[0]), {a});
}

TEST(SecondOrderElementwise, ScalarForms) {
  const Tensor a = spread({2, 2}, -2.0, 2.0);
  const Tensor positive = spread({2, 2}, 0.4, 2.0, true, 0.3);
  const Tensor b = spread({2, 2}, -1.5, 2.0, true, 0.6);
  const struct {
    const char* name;
    Op op;
    Tensor at;
  } cases[] = {
      {"a + 2", FN(x[0] + 2.0), a},
      {"2 + a", FN(2.0 + x[0]), a},
      {"a - 2", FN(x[0] - 2.0), a},
      {"2 - a", FN(2.0 - x[0]), a},
      {"a * 2.5", FN(x[0] * 2.5), a},
      {"2.5 * a", FN(2.5 * x[0]), a},
      {"a / 2.5", FN(x[0] / 2.5), a},
      {"2.5 / a", FN(2.5 / x[0]), positive},
      {"-2.5 / a (negative a)", FN(-2.5 / x[0]), spread({2, 2}, -2.0, -0.4, true, 0.3)},
      {"-a", FN(-x[0]), a},
      {"pow(a, 3)", FN(tg::pow(x[0], 3.0)), a},
      {"pow(a, 2)", FN(tg::pow(x[0], 2.0)), a},
      {"pow(a, 1)", FN(tg::pow(x[0], 1.0)), a},
      {"pow(a, 0)", FN(tg::pow(x[0], 0.0)), a},
      {"pow(a, -1)", FN(tg::pow(x[0], -1.0)), positive},
      {"pow(a, -2)", FN(tg::pow(x[0], -2.0)), positive},
      {"pow(a, 0.5)", FN(tg::pow(x[0], 0.5)), positive},
      {"pow(a, -1.5)", FN(tg::pow(x[0], -1.5)), positive},
      {"a.pow(2.7)", FN(x[0].pow(2.7)), positive},
      {"pow(2, b)", FN(tg::pow(2.0, x[0])), b},
      {"pow(0.5, b)", FN(tg::pow(0.5, x[0])), b},
      {"pow(0, b) for b > 0", FN(tg::pow(0.0, x[0])), positive},
      {"(a + 1) * 3 - 2 / (a²+1)", FN((x[0] + 1.0) * 3.0 - 2.0 / (x[0].square() + 1.0)), a},
  };
  for (const auto& c : cases) check(c.name, c.op, {c.at});
  check("pow(a, b)", FN(tg::pow(x[0], x[1])), {positive, b});
  check("a.pow(b), b without grad", FN(x[0].pow(x[1])), {positive, no_grad(b)});
  check("a.pow(b), a without grad", FN(x[0].pow(x[1])), {no_grad(positive), b});
  // Zeros of the base, where the derivatives are defined by masking (0 where a = 0 and b >= 0,
  // 0 where b = 0). A zero base cannot be perturbed under a non-integer exponent (NaN on the
  // negative side), so there the base does not require grad.
  check("pow(a, b), a = 0 at b > 0 (a without grad)", FN(tg::pow(x[0], x[1])),
        {constant({0.0, 0.5, 0.0, 1.7}, {4}), vec({1.5, -0.7, 2.5, 0.8})});
  check("pow(a, b), b = 0 at a = 0 (b without grad)", FN(tg::pow(x[0], x[1])),
        {vec({0.0, 0.5, -1.2, 2.0}), constant({0.0, 1.5, 2.0, 3.0}, {4})});
}

// ---- reductions -----------------------------------------------------------------------------------

TEST(SecondOrderReductions, SumMeanVarStdNorm) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5, true, 0.35);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"sum", FN(x[0].sum() * x[0].sum())},  // nonlinear around it, so that the sum is differentiated twice
      {"sum axis 1", FN(x[0].sum(1))},
      {"sum axis 0 keepdims", FN(x[0].sum(0, true))},
      {"sum axis -1, squared", FN(x[0].sum(-1).square())},
      {"mean", FN(x[0].mean())},
      {"mean, squared", FN(x[0].mean().square())},
      {"mean axis 1", FN(x[0].mean(1).exp())},
      {"mean axis 0 keepdims", FN(x[0].mean(0, true))},
      {"var", FN(x[0].var())},
      {"var biased", FN(x[0].var(false))},
      {"var axis 1", FN(x[0].var(1))},
      {"var axis 0 biased keepdims", FN(x[0].var(0, false, true))},
      {"std", FN(x[0].std())},
      {"std biased", FN(x[0].std(false))},
      {"std axis 1", FN(x[0].std(1))},
      {"std axis 0 keepdims", FN(x[0].std(0, true, true))},
      {"std axis -1 biased", FN(x[0].std(-1, false))},
      {"norm", FN(x[0].norm())},
      {"norm axis 1", FN(x[0].norm(1))},
      {"norm axis 0 keepdims", FN(x[0].norm(0, true))},
  };
  for (const auto& c : cases) {
    check(std::string(c.name) + " (2, 3)", c.op, {m});
    check(std::string(c.name) + " (2, 3, 2)", c.op, {t});
  }
  check("sum of 0-d", FN(x[0].sum() * x[0]), {tg::tensor(0.7, true)});
  check("mean over a 1-D", FN(x[0].mean() * x[0]), {vec({0.3, -1.2, 2.0})});
}

TEST(SecondOrderReductions, SeveralAxes) {
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5, true, 0.35);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"sum {0, 2}", FN(x[0].sum(std::vector<int>{0, 2}).square())},
      {"sum {-1} keepdims", FN(x[0].sum(std::vector<int>{-1}, true))},
      {"sum {} (all)", FN(x[0].sum(std::vector<int>{}).sin())},
      {"mean {0, 2}", FN(x[0].mean(std::vector<int>{0, 2}).square())},
      {"mean {1, 2} keepdims", FN(x[0].mean(std::vector<int>{1, 2}, true).exp())},
      {"var {0, 2}", FN(x[0].var(std::vector<int>{0, 2}))},
      {"var {1, 2} biased keepdims", FN(x[0].var(std::vector<int>{1, 2}, false, true))},
      {"var {} (all)", FN(x[0].var(std::vector<int>{}))},
      {"std {0, 2}", FN(x[0].std(std::vector<int>{0, 2}))},
      {"std {0, 1} biased keepdims", FN(x[0].std(std::vector<int>{0, 1}, false, true))},
      {"std {} (all)", FN(x[0].std(std::vector<int>{}))},
      {"norm {0, 2}", FN(x[0].norm(std::vector<int>{0, 2}))},
      {"norm {-1} keepdims", FN(x[0].norm(std::vector<int>{-1}, true))},
      {"norm {} (all)", FN(x[0].norm(std::vector<int>{}))},
      {"amax {0, 2}", FN(x[0].amax({0, 2}) * x[0].sum())},
      {"amax {} (all)", FN(tg::amax(x[0]).square())},
      {"amax {1} keepdims", FN(x[0].amax({1}, true) * x[0])},
      {"amin {0, 2}", FN(x[0].amin({0, 2}) * x[0].sum())},
      {"amin {} (all)", FN(tg::amin(x[0]).square())},
      {"amin {-1} keepdims", FN(x[0].amin({-1}, true) * x[0])},
      // Ties, shared evenly: every copy of the stacked input moves with it.
      {"amax {0, 2} with ties", FN(tg::stack({x[0], x[0]}, 0).amax({0, 2}) * x[0].sum())},
      {"amax {} with ties", FN(tg::concat({x[0], x[0]}, 1).amax().square())},
      {"amin {0} keepdims with ties", FN(tg::stack({x[0], x[0]}, 0).amin({0}, true) * x[0])},
      {"amin {} with ties", FN(tg::concat({x[0], x[0]}, 2).amin().square())},
  };
  for (const auto& c : cases) check(c.name, c.op, {t});
}

// Groups whose norm or spread is 0 (not differentiable there, so they are constants here)
// next to ones that are not: the masked division of their rule must keep NaN out of the others.
TEST(SecondOrderReductions, ZeroNormOrSpreadInOtherGroups) {
  const Tensor row = spread({1, 3}, -1.5, 1.5);
  check("norm axis 1 with a zero row", FN(tg::concat({tg::zeros({1, 3}), x[0]}, 0).norm(1)), {row});
  check("norm {1} with a zero row", FN(tg::concat({tg::zeros({1, 3}), x[0]}, 0).norm(std::vector<int>{1})), {row});
  check("std axis 1 with a constant row", FN(tg::concat({tg::full({1, 3}, 0.4), x[0]}, 0).std(1)), {row});
  check("std {1} with a constant row",
        FN(tg::concat({tg::full({1, 3}, 0.4), x[0]}, 0).std(std::vector<int>{1}, true, true)), {row});
}

TEST(SecondOrderReductions, Prod) {
  const Tensor m = spread({2, 3}, 0.5, 1.8);
  check("prod", FN(x[0].prod()), {m});
  check("prod axis 1", FN(x[0].prod(1)), {m});
  check("prod axis 0 keepdims", FN(x[0].prod(0, true)), {m});
  check("prod of negatives", FN(x[0].prod()), {vec({-1.3, 0.7, -0.4, 1.6})});
  check("prod of 0-d", FN(x[0].prod() * x[0]), {tg::tensor(0.7, true)});
  check("prod of one element", FN(x[0].prod().square()), {vec({-1.3})});
  check("prod along an axis of size 1", FN(x[0].prod(0) * x[0]), {leaf({0.5, -1.0, 2.0}, {1, 3})});
  // With a zero the second derivatives are the products of the other elements (finite).
  const Tensor zero = vec({2.0, 0.0, 3.0, -1.5});
  check("prod with a zero", FN(x[0].prod()), {zero});
  check("prod with two zeros", FN(x[0].prod()), {vec({0.0, 2.0, 0.0, 1.5})});
  check("prod of (2, 3) with a zero", FN(x[0].prod()), {leaf({1.5, 0.0, -2.0, 0.7, 1.2, 0.9}, {2, 3})});
  check("prod axis 1 with a zero", FN(x[0].prod(1)), {leaf({1.5, 0.0, -2.0, 0.7, 1.2, 0.0}, {2, 3})});
  check("prod axis 0 keepdims with a zero", FN(x[0].prod(0, true)), {leaf({1.5, 0.0, -2.0, 0.7, 1.2, 0.0}, {2, 3})});
  // The Hessian with a zero, exactly: d²(abcd)/da db = cd etc.
  const Tensor z = vec({2.0, 0.0, 3.0, -1.5});
  const Tensor g = tg::autograd::grad({z.prod()}, {z}, {}, std::nullopt, true)[0];
  const Tensor h1 = tg::autograd::grad({g[1]}, {z})[0];  // row 1 of the Hessian: x2·x3·..., 0 at 1
  EXPECT_TRUE(tg::allclose(h1, tg::tensor({-4.5, 0.0, -3.0, 6.0}), 0.0, 1e-12)) << h1;
}

TEST(SecondOrderReductions, MaxMin) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"max", FN(x[0].max() * x[0])},
      {"max axis 1", FN(x[0].max(1).square())},
      {"max axis 0 keepdims", FN(x[0].max(0, true) * x[0])},
      {"min", FN(x[0].min() * x[0])},
      {"min axis 1", FN(x[0].min(1).square())},
      {"min axis 0 keepdims", FN(x[0].min(0, true) * x[0])},
      // Ties: the whole-tensor forms share the gradient, the axis forms give it to the first.
      {"max with ties", FN(tg::concat({x[0], x[0]}, 0).max() * x[0])},
      {"min with ties", FN(tg::concat({x[0], x[0]}, 1).min() * x[0])},
      {"max axis 0 with ties", FN(tg::stack({x[0], x[0]}, 0).max(0).square())},
      {"min axis 2 keepdims with ties", FN(tg::stack({x[0], x[0]}, 2).min(2, true) * x[0].unsqueeze(2))},
  };
  for (const auto& c : cases) check(c.name, c.op, {m});
}

TEST(SecondOrderReductions, CumsumCumprod) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const Tensor p = spread({2, 3}, 0.5, 1.8, true, 0.4);
  const struct {
    const char* name;
    Op op;
    Tensor at;
  } cases[] = {
      {"cumsum axis 0", FN(x[0].cumsum(0)), m},
      {"cumsum axis 1, squared", FN(x[0].cumsum(1).square()), m},
      {"cumsum axis -1 of 1-D", FN(tg::cumsum(x[0], -1) * x[0]), vec({0.3, -1.2, 2.0, 0.8})},
      {"cumprod axis 1", FN(x[0].cumprod(1)), p},
      {"cumprod axis 0", FN(x[0].cumprod(0)), m},
      {"cumprod of 1-D", FN(tg::cumprod(x[0], 0)), vec({1.3, -0.7, 0.9, 1.6})},
      {"cumprod with a zero", FN(tg::cumprod(x[0], 0)), vec({1.3, 0.0, 0.9, 1.6})},
      {"cumprod with two zeros", FN(tg::cumprod(x[0], 0)), vec({0.0, 1.4, 0.0, -0.8})},
      {"cumprod axis 1 with zeros", FN(x[0].cumprod(1)), leaf({1.5, 0.0, -2.0, 0.7, 1.2, 0.0}, {2, 3})},
      {"cumprod axis 0 with zeros", FN(x[0].cumprod(0)), leaf({1.5, 0.0, -2.0, 0.0, 1.2, 0.8, 0.6, -1.1, 0.0}, {3, 3})},
      {"cumprod axis 0 (size 1)", FN(x[0].cumprod(0).square()), leaf({0.5, -1.0, 2.0}, {1, 3})},
  };
  for (const auto& c : cases) check(c.name, c.op, {c.at});
}

TEST(SecondOrderReductions, SortTopk) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"sort", FN(tg::sort(x[0]).values * x[0])},
      {"sort axis 0 descending", FN(tg::sort(x[0], 0, true).values.square())},
      {"sort with ties", FN(tg::sort(tg::concat({x[0], x[0]}, 1)).values.square())},
      {"topk 2", FN(tg::topk(x[0], 2).values.square())},
      {"topk 1 smallest axis 0", FN(tg::topk(x[0], 1, 0, false).values * x[0])},
      {"topk 2 unsorted", FN(x[0].topk(2, -1, true, false).values.exp())},
  };
  for (const auto& c : cases) check(c.name, c.op, {m});
}

TEST(SecondOrderReductions, SoftmaxFamily) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5, true, 0.35);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"softmax axis 1", FN(x[0].softmax(1))},
      {"softmax axis 0", FN(tg::softmax(x[0], 0))},
      {"softmax axis -1", FN(tg::softmax(x[0], -1))},
      {"log_softmax axis 1", FN(x[0].log_softmax(1))},
      {"log_softmax axis 0", FN(tg::log_softmax(x[0], 0))},
      {"log_softmax axis -1", FN(tg::log_softmax(x[0], -1))},
      {"logsumexp axis 1", FN(x[0].logsumexp(1))},
      {"logsumexp axis 0 keepdims", FN(tg::logsumexp(x[0], 0, true))},
      {"logsumexp axis -1 keepdims", FN(tg::logsumexp(x[0], -1, true))},
      {"logsumexp axis 1, squared", FN(tg::logsumexp(x[0], 1).square())},
  };
  for (const auto& c : cases) {
    check(std::string(c.name) + " (2, 3)", c.op, {m});
    check(std::string(c.name) + " (2, 3, 2)", c.op, {t});
  }
  const Tensor v = vec({0.3, -1.2, 2.0, 0.8});
  check("softmax 1-D", FN(tg::softmax(x[0], 0)), {v});
  check("log_softmax 1-D", FN(tg::log_softmax(x[0], 0)), {v});
  check("logsumexp 1-D", FN(tg::logsumexp(x[0], 0)), {v});
  check("logsumexp 1-D keepdims", FN(tg::logsumexp(x[0], 0, true)), {v});
  // A -inf entry, as an attention mask makes: its probability is 0, and no NaN comes back.
  check("softmax with a -inf entry", FN(tg::softmax(x[0] + tg::tensor({0.0, -INFINITY, 0.0, 0.0}), 0)), {v});
  check("log_softmax with a -inf entry, picked",
        FN(tg::log_softmax(x[0] + tg::tensor({0.0, -INFINITY, 0.0, 0.0}), 0).index_select(0, {0, 2, 3})), {v});
  check("logsumexp with a -inf entry", FN(tg::logsumexp(x[0] + tg::tensor({0.0, -INFINITY, 0.0, 0.0}), 0)), {v});
  // Logits far apart: probabilities of 0 and 1 to double precision.
  check("softmax of logits far apart", FN(tg::softmax(x[0] * 300.0, 0)), {v});
  const Tensor scalar = tg::tensor(0.6, true);
  check("softmax 0-d", FN(tg::softmax(x[0], 0) * x[0]), {scalar});
  check("log_softmax 0-d", FN(tg::log_softmax(x[0], 0) * x[0]), {scalar});
  check("logsumexp 0-d", FN(tg::logsumexp(x[0], 0).square()), {scalar});
}

// Axes counted from the end, for every operation that takes one.
TEST(SecondOrderReductions, NegativeAxes) {
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5, true, 0.35);
  const Tensor p = spread({2, 3, 2}, 0.5, 1.8, true, 0.6);
  const struct {
    const char* name;
    Op op;
    Tensor at;
  } cases[] = {
      {"mean -2", FN(x[0].mean(-2).square()), t},
      {"var -2 keepdims", FN(x[0].var(-2, true, true)), t},
      {"norm -3", FN(x[0].norm(-3)), t},
      {"prod -2", FN(x[0].prod(-2)), p},
      {"max -2", FN(x[0].max(-2).square()), t},
      {"min -1 keepdims", FN(x[0].min(-1, true) * x[0]), t},
      {"cumsum -2", FN(x[0].cumsum(-2).square()), t},
      {"cumprod -2", FN(x[0].cumprod(-2)), p},
      {"softmax -2", FN(x[0].softmax(-2)), t},
      {"log_softmax -3", FN(x[0].log_softmax(-3)), t},
      {"logsumexp -2", FN(x[0].logsumexp(-2)), t},
      {"sort -2", FN(tg::sort(x[0], -2).values.square()), t},
      {"select -2", FN(x[0].select(-2, 1).square()), t},
      {"narrow -2", FN(x[0].narrow(-2, 1, 2).square()), t},
      {"index_select -1", FN(x[0].index_select(-1, {1, 1, 0}).square()), t},
      {"gather -1", FN(x[0].gather(-1, tg::tensor({{{1.0}, {0.0}, {1.0}}, {{0.0}, {0.0}, {1.0}}})).square()), t},
      {"concat -1", FN(tg::concat({x[0], x[0].sin()}, -1).square()), t},
      {"stack -1", FN(tg::stack({x[0], x[0].exp()}, -1).square()), t},
      {"flip {-1, -3}", FN(x[0].flip({-1, -3}) * x[0]), t},
      {"transpose -1, -3", FN(x[0].transpose(-1, -3).square()), t},
      {"permute {-1, 0, -2}", FN(x[0].permute({-1, 0, -2}).square()), t},
      {"flatten -2..-1", FN(x[0].flatten(-2, -1).square()), t},
  };
  for (const auto& c : cases) check(c.name, c.op, {c.at});
}

// ---- linear algebra -----------------------------------------------------------------------------

TEST(SecondOrderLinearAlgebra, Matmul) {
  const std::vector<std::pair<tg::Shape, tg::Shape>> shapes = {
      {{3}, {3}},                       // 1-D · 1-D: a dot product
      {{3}, {3, 2}},                    // 1-D · 2-D
      {{2, 3}, {3}},                    // 2-D · 1-D
      {{2, 3}, {3, 4}},                 // 2-D · 2-D
      {{2, 3, 4}, {4, 5}},              // batched · matrix
      {{3, 4}, {2, 4, 2}},              // matrix · batched
      {{1, 3, 4}, {2, 4, 5}},           // broadcast batch dimensions
      {{2, 1, 2, 3}, {3, 3, 2}},        // 4-D with 3-D, both broadcast
      {{3}, {2, 3, 2}},                 // 1-D · batched
      {{2, 2, 3}, {3}},                 // batched · 1-D
  };
  for (const auto& [sa, sb] : shapes) {
    const Tensor a = spread(sa, -1.5, 1.5, true, 0.1);
    const Tensor b = spread(sb, -1.5, 1.5, true, 0.45);
    const std::string name = "matmul " + sa.str() + " @ " + sb.str();
    check(name, FN(tg::matmul(x[0], x[1])), {a, b});
    check(name + ", b without grad", FN(x[0].matmul(x[1])), {a, no_grad(b)});
    check(name + ", a without grad", FN(tg::matmul(x[0], x[1])), {no_grad(a), b});
  }
  // x·x: both operands the same tensor.
  check("matmul x @ x", FN(tg::matmul(x[0], x[0])), {spread({3, 3}, -1.5, 1.5)});
  check("matmul sin(a) @ b², squared", FN(tg::matmul(x[0].sin(), x[1].square()).square()),
        {spread({2, 3}, -1.5, 1.5), spread({3, 2}, -1.5, 1.5, true, 0.45)});
}

TEST(SecondOrderLinearAlgebra, Linear) {
  const Tensor w = spread({4, 3}, -1.0, 1.0, true, 0.2);
  const Tensor bias = spread({4}, -1.0, 1.0, true, 0.7);
  const std::vector<tg::Shape> input_shapes = {{3}, {2, 3}, {2, 2, 3}};
  for (const tg::Shape& s : input_shapes) {
    const Tensor in = spread(s, -1.5, 1.5, true, 0.5);
    const std::string name = "linear " + s.str();
    check(name + " with bias", FN(tg::linear(x[0], x[1], x[2])), {in, w, bias});
    check(name + " without bias", FN(tg::linear(x[0], x[1])), {in, w});
    check(name + ", input without grad", FN(tg::linear(x[0], x[1], x[2])), {no_grad(in), w, bias});
    check(name + ", only the input", FN(tg::linear(x[0], x[1], x[2])), {in, no_grad(w), no_grad(bias)});
    check(name + ", squared", FN(tg::linear(x[0], x[1], x[2]).square()), {in, w, bias});
  }
}

// ---- shape, joining, indexing ---------------------------------------------------------------------

TEST(SecondOrderShape, ShapeOps) {
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5);
  const Tensor m = spread({2, 3}, -1.5, 1.5, true, 0.3);
  const struct {
    const char* name;
    Op op;
    Tensor at;
  } cases[] = {
      {"permute", FN(x[0].permute({2, 0, 1})), t},
      {"permute, squared", FN(tg::permute(x[0], {1, 2, 0}).square()), t},
      {"transpose", FN(tg::transpose(x[0], 0, 2)), t},
      {"t()", FN(x[0].t() * x[0].t()), m},
      {"reshape", FN(x[0].reshape({3, -1})), t},
      {"view, squared", FN(x[0].view({6, 2}).square()), t},
      {"flatten", FN(x[0].flatten()), t},
      {"flatten 1..2", FN(tg::flatten(x[0], 1, 2).exp()), t},
      {"squeeze", FN(x[0].squeeze()), leaf({0.3, -1.2, 2.0}, {1, 3, 1})},
      {"squeeze axis", FN(tg::squeeze(x[0], 0).square()), leaf({0.3, -1.2, 2.0}, {1, 3, 1})},
      {"unsqueeze", FN(x[0].unsqueeze(1)), m},
      {"unsqueeze -1, squared", FN(tg::unsqueeze(x[0], -1).square()), m},
      {"broadcast_to (3,) -> (2, 3)", FN(x[0].broadcast_to({2, 3})), vec({0.3, -1.2, 2.0})},
      {"broadcast_to (2, 1) -> (2, 2, 3)", FN(tg::broadcast_to(x[0], {2, 2, 3}).square()), leaf({0.3, -1.2}, {2, 1})},
      {"expand", FN(x[0].expand({2, 2}) * x[0].expand({2, 2})), leaf({0.3, -1.2}, {2, 1})},
      {"clone", FN(x[0].clone()), m},
      {"clone, squared", FN(x[0].clone().square()), m},
      {"flip", FN(x[0].flip({0, 2})), t},
      {"flip, squared", FN(tg::flip(x[0], {1}).square() * x[0]), t},
      {"repeat", FN(x[0].repeat({2, 1, 2})), m},
      {"repeat, squared", FN(tg::repeat(x[0], {1, 2}).square()), m},
      {"tril", FN(x[0].tril()), spread({3, 3}, -1.5, 1.5)},
      {"tril -1, squared", FN(tg::tril(x[0], -1).square()), spread({3, 3}, -1.5, 1.5)},
      {"triu", FN(x[0].triu()), spread({3, 3}, -1.5, 1.5)},
      {"triu 1, batched", FN(tg::triu(x[0], 1).square()), spread({2, 2, 3}, -1.5, 1.5)},
      {"tril 1, batched", FN(x[0].tril(1) * x[0]), spread({2, 3, 2}, -1.5, 1.5)},
  };
  for (const auto& c : cases) check(c.name, c.op, {c.at});
}

TEST(SecondOrderShape, ConcatStack) {
  const Tensor a = spread({2, 3}, -1.5, 1.5, true, 0.1);
  const Tensor b = spread({1, 3}, -1.5, 1.5, true, 0.45);
  const Tensor c = spread({2, 3}, -1.5, 1.5, true, 0.7);
  check("concat axis 0", FN(tg::concat({x[0], x[1]}, 0)), {a, b});
  check("concat axis 0, squared", FN(tg::concat({x[0], x[1], x[0]}, 0).square()), {a, b});
  check("concat axis 1", FN(tg::concat({x[0], x[1]}, 1) * 2.0), {a, c});
  check("concat, one without grad", FN(tg::concat({x[0], x[1]}, 0).square()), {a, no_grad(b)});
  check("stack axis 0", FN(tg::stack({x[0], x[1]}, 0)), {a, c});
  check("stack axis 2, squared", FN(tg::stack({x[0], x[1]}, 2).square()), {a, c});
  check("stack, one without grad", FN(tg::stack({x[0], x[1]}, 1).square()), {no_grad(a), c});
}

TEST(SecondOrderShape, SelectNarrowGatherWhereMaskedFill) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5, true, 0.35);
  const struct {
    const char* name;
    Op op;
    Tensor at;
  } cases[] = {
      {"select", FN(x[0].select(1, 2)), m},
      {"select -1, squared", FN(tg::select(x[0], 0, -1).square()), t},
      {"operator[]", FN(x[0][1].square() * x[0][0]), m},
      {"index_select with repeats", FN(x[0].index_select(1, {2, 0, 2})), m},
      {"index_select, squared", FN(tg::index_select(x[0], 0, {1, 1, 0}).square()), t},
      {"narrow", FN(x[0].narrow(1, 1, 2)), m},
      {"narrow, squared", FN(tg::narrow(x[0], 2, 1, 1).square()), t},
      {"slice", FN(x[0].slice(1, 1)), m},
      {"slice step 2", FN(x[0].slice(1, 0, std::nullopt, 2).square()), m},
      {"slice negative start", FN(tg::slice(x[0], 0, -1).square()), t},
      {"gather axis 1 with repeats",
       FN(x[0].gather(1, tg::tensor({{0.0, 2.0, 2.0, 1.0}, {1.0, 1.0, 0.0, 0.0}}))), m},
      {"gather axis 0, squared", FN(tg::gather(x[0], 0, tg::tensor({{1.0, 0.0, 1.0}})).square()), m},
      {"where", FN(tg::where(tg::tensor({1.0, 0.0, 1.0}), x[0], x[0].square())), m},
      {"masked_fill", FN(x[0].masked_fill(tg::tensor({0.0, 1.0, 0.0}), 0.5)), m},
      {"masked_fill (2, 1) mask, squared", FN(tg::masked_fill(x[0], tg::tensor({{1.0}, {0.0}}), -2.0).square()), m},
  };
  for (const auto& c : cases) check(c.name, c.op, {c.at});

  // where with broadcasting, both branches and the condition of different shapes.
  const Tensor a = spread({2, 3}, -1.5, 1.5, true, 0.1), b = spread({3}, -1.5, 1.5, true, 0.45);
  check("where (2, 1) ? (2, 3) : (3,)", FN(tg::where(tg::tensor({{1.0}, {0.0}}), x[0], x[1]) * x[1]), {a, b});
  check("where (2, 3) ? (3,) : (1,)",
        FN(tg::where(tg::tensor({{1.0, 0.0, 1.0}, {0.0, 0.0, 1.0}}), x[0], x[1]).square()),
        {spread({3}, -1.5, 1.5), spread({1}, -1.5, 1.5, true, 0.6)});
  check("where (3,) ? (3,) : (2, 3)", FN(tg::where(tg::tensor({0.0, 1.0, 1.0}), x[1], x[0]).square()), {a, b});
  check("where, b without grad", FN(tg::where(tg::tensor({1.0, 0.0, 1.0}), x[0], x[1]).square()), {a, no_grad(b)});
  check("where, a without grad", FN(tg::where(tg::tensor({1.0, 0.0, 1.0}), x[0], x[1]).square()), {no_grad(a), b});
  check("masked_fill (3,) on (2, 1)", FN(tg::masked_fill(x[0], tg::tensor({1.0, 0.0, 0.0}), 3.0) * x[0]),
        {leaf({0.3, -1.2}, {2, 1})});
}

TEST(SecondOrderShape, TensorIndex) {
  using tg::indexing::Ellipsis;
  using tg::indexing::None;
  using tg::indexing::Slice;
  const Tensor t = spread({2, 3, 2}, -1.5, 1.5);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"x[0]", FN(x[0].index({0}))},
      {"x[:, 1:]", FN(x[0].index({Slice(), Slice(1, None)}).square())},
      {"x[..., -1]", FN(x[0].index({Ellipsis, -1}))},
      {"x[None, 1, ::2]", FN(x[0].index({None, 1, Slice(None, None, 2)}).square())},
      {"x[1, :, 0]", FN(x[0].index({1, Slice(), 0}) * x[0].index({0, Slice(), 1}))},
      {"x[[1, 0, 1]]", FN(x[0].index({tg::tensor({1.0, 0.0, 1.0})}).square())},
      {"x[:, [2, 2, 0]]", FN(x[0].index({Slice(), tg::tensor({2.0, 2.0, 0.0})}))},
      {"x[[0, 1], [2, 0]] (two index tensors)",
       FN(x[0].index({tg::tensor({0.0, 1.0}), tg::tensor({2.0, 0.0})}).square())},
      {"x[:, mask]", FN(x[0].index({Slice(), tg::tensor({1.0, 0.0, 1.0}) > 0.5}).square())},
      {"x[mask] on the whole tensor",
       FN(x[0].index({spread({2, 3, 2}, -1.0, 1.0, false, 0.8) > 0.0}).exp())},
  };
  for (const auto& c : cases) check(c.name, c.op, {t});
}

// ---- losses (nn::functional) ----------------------------------------------------------------------

const Reduction kReductions[] = {Reduction::none, Reduction::mean, Reduction::sum};

std::string with(const char* loss, Reduction r, const char* extra = "") {
  return std::string(loss) + " " + F::to_string(r) + extra;
}

TEST(SecondOrderLosses, Regression) {
  const Tensor input = leaf({0.2, -1.5, 1.1, 2.4}, {2, 2});
  const Tensor target = leaf({0.5, 0.3, -0.9, 2.6}, {2, 2});  // differences -0.3, -1.8, 2.0, -0.2
  for (const Reduction r : kReductions) {
    // FN cannot capture the reduction: one case per reduction, chosen by index.
    static const Op mse[] = {FN(F::mse_loss(x[0], x[1], Reduction::none)), FN(F::mse_loss(x[0], x[1])),
                             FN(F::mse_loss(x[0], x[1], Reduction::sum))};
    static const Op l1[] = {FN(F::l1_loss(x[0], x[1], Reduction::none)), FN(F::l1_loss(x[0], x[1])),
                            FN(F::l1_loss(x[0], x[1], Reduction::sum))};
    static const Op huber[] = {FN(F::huber_loss(x[0], x[1], Reduction::none)), FN(F::huber_loss(x[0], x[1])),
                               FN(F::huber_loss(x[0], x[1], Reduction::sum))};
    static const Op huber_half[] = {FN(F::huber_loss(x[0], x[1], Reduction::none, 0.5)),
                                    FN(F::huber_loss(x[0], x[1], Reduction::mean, 0.5)),
                                    FN(F::huber_loss(x[0], x[1], Reduction::sum, 0.5))};
    const auto k = static_cast<std::size_t>(r);
    check(with("mse_loss", r), mse[k], {input, target});
    check(with("mse_loss", r, ", target without grad"), mse[k], {input, no_grad(target)});
    check(with("l1_loss", r), l1[k], {input, target});
    check(with("l1_loss", r, ", target without grad"), l1[k], {input, no_grad(target)});
    // |d| < 1 for two elements, > 1 for the other two: both pieces.
    check(with("huber_loss", r), huber[k], {input, target});
    check(with("huber_loss", r, ", target without grad"), huber[k], {input, no_grad(target)});
    check(with("huber_loss", r, ", delta 0.5"), huber_half[k], {input, target});
  }
}

TEST(SecondOrderLosses, BinaryCrossEntropy) {
  const Tensor p = leaf({0.2, 0.65, 0.9, 0.4}, {2, 2});
  const Tensor soft = leaf({0.3, 0.8, 0.6, 0.1}, {2, 2});  // inside (0, 1): it may be perturbed
  const Tensor hard = constant({0.0, 1.0, 1.0, 0.0}, {2, 2});
  const Tensor logits = leaf({-1.7, 0.4, 2.2, -0.3}, {2, 2});
  static const Op bce[] = {FN(F::binary_cross_entropy(x[0], x[1], Reduction::none)),
                           FN(F::binary_cross_entropy(x[0], x[1])),
                           FN(F::binary_cross_entropy(x[0], x[1], Reduction::sum))};
  static const Op logit[] = {FN(F::binary_cross_entropy_with_logits(x[0], x[1], Reduction::none)),
                             FN(F::binary_cross_entropy_with_logits(x[0], x[1])),
                             FN(F::binary_cross_entropy_with_logits(x[0], x[1], Reduction::sum))};
  for (const Reduction r : kReductions) {
    const auto k = static_cast<std::size_t>(r);
    check(with("binary_cross_entropy", r, ", soft target with grad"), bce[k], {p, soft});
    check(with("binary_cross_entropy", r, ", hard target"), bce[k], {p, hard});
    check(with("binary_cross_entropy", r, ", only the target"), bce[k], {no_grad(p), soft});
    check(with("binary_cross_entropy_with_logits", r, ", soft target with grad"), logit[k], {logits, soft});
    check(with("binary_cross_entropy_with_logits", r, ", hard target"), logit[k], {logits, hard});
  }
}

TEST(SecondOrderLosses, CrossEntropyAndNll) {
  const Tensor logits = spread({2, 3}, -1.5, 1.5);
  const Tensor classes = tg::tensor({2.0, 0.0});
  const Tensor probabilities = leaf({0.2, 0.5, 0.3, 0.6, 0.1, 0.3}, {2, 3});
  const Tensor logits_nd = spread({2, 3, 2}, -1.5, 1.5, true, 0.35);
  const Tensor classes_nd = tg::tensor({{1.0, 2.0}, {0.0, 1.0}});
  static const Op ce[] = {FN(F::cross_entropy(x[0], x[1], Reduction::none)), FN(F::cross_entropy(x[0], x[1])),
                          FN(F::cross_entropy(x[0], x[1], Reduction::sum))};
  static const Op nll[] = {FN(F::nll_loss(x[0], x[1], Reduction::none)), FN(F::nll_loss(x[0], x[1])),
                           FN(F::nll_loss(x[0], x[1], Reduction::sum))};
  static const Op nll_of_log_softmax[] = {FN(F::nll_loss(tg::log_softmax(x[0], 1), x[1], Reduction::none)),
                                          FN(F::nll_loss(tg::log_softmax(x[0], 1), x[1])),
                                          FN(F::nll_loss(tg::log_softmax(x[0], 1), x[1], Reduction::sum))};
  for (const Reduction r : kReductions) {
    const auto k = static_cast<std::size_t>(r);
    check(with("cross_entropy", r, ", class indices"), ce[k], {logits, classes});
    check(with("cross_entropy", r, ", class probabilities"), ce[k], {logits, probabilities});
    check(with("cross_entropy", r, ", class probabilities without grad"), ce[k], {logits, no_grad(probabilities)});
    check(with("cross_entropy", r, ", (N, C, d) with indices"), ce[k], {logits_nd, classes_nd});
    check(with("cross_entropy", r, ", unbatched"), ce[k], {vec({0.3, -1.2, 2.0}), tg::tensor(1.0)});
    check(with("cross_entropy", r, ", logits of ±1000"), ce[k], {leaf({1000.0, -1000.0, 999.0, -5.0, 1000.5, 998.0}, {2, 3}), classes});
    check(with("nll_loss", r), nll[k], {logits, classes});
    check(with("nll_loss", r, " of log_softmax"), nll_of_log_softmax[k], {logits, classes});
    check(with("nll_loss", r, ", (N, C, d)"), nll[k], {logits_nd, classes_nd});
  }
  check("l2_penalty", FN(F::l2_penalty({x[0], x[1]}, 0.1)), {logits, spread({3}, -1.0, 1.0, true, 0.5)});
  check("l2_penalty, squared", FN(F::l2_penalty({x[0]}, 0.3).square()), {logits});
}

// ---- composites ---------------------------------------------------------------------------------

// f(x, y) = x²y + sin(x)·y³:  fxx = 2y - sin(x)y³, fxy = 2x + 3cos(x)y², fyy = 6 sin(x) y.
TEST(SecondOrderComposite, ExactHessianOfTwoVariables) {
  const double x0 = 0.7, y0 = -1.3;
  const Tensor p = tg::tensor({x0, y0}, true);
  auto f = [](const Tensor& q) { return q[0].square() * q[1] + q[0].sin() * q[1].pow(3.0); };
  const Tensor g = tg::autograd::grad({f(p)}, {p}, {}, std::nullopt, /*create_graph=*/true)[0];
  EXPECT_TRUE(g.requires_grad());
  EXPECT_NEAR(g.at({0}), 2 * x0 * y0 + std::cos(x0) * std::pow(y0, 3), 1e-14);
  EXPECT_NEAR(g.at({1}), x0 * x0 + 3 * std::sin(x0) * y0 * y0, 1e-14);
  const Tensor row0 = tg::autograd::grad({g[0]}, {p}, {}, /*retain_graph=*/true)[0];
  const Tensor row1 = tg::autograd::grad({g[1]}, {p})[0];
  const double fxx = 2 * y0 - std::sin(x0) * std::pow(y0, 3);
  const double fxy = 2 * x0 + 3 * std::cos(x0) * y0 * y0;
  const double fyy = 6 * std::sin(x0) * y0;
  EXPECT_NEAR(row0.at({0}), fxx, 1e-13);
  EXPECT_NEAR(row0.at({1}), fxy, 1e-13);
  EXPECT_NEAR(row1.at({0}), fxy, 1e-13);
  EXPECT_NEAR(row1.at({1}), fyy, 1e-13);
  EXPECT_FALSE(p.grad().defined()) << "autograd::grad leaves grad() alone";

  // The same through backward(create_graph): grad() has a graph, and H·v is one more grad().
  const Tensor q = tg::tensor({x0, y0}, true);
  f(q).backward({}, std::nullopt, /*create_graph=*/true);
  ASSERT_TRUE(q.grad().defined());
  EXPECT_TRUE(q.grad().requires_grad());
  const Tensor hv = tg::autograd::grad({(q.grad() * tg::tensor({2.0, -1.0})).sum()}, {q}, {}, /*retain_graph=*/true)[0];
  EXPECT_NEAR(hv.at({0}), 2 * fxx - fxy, 1e-13);
  EXPECT_NEAR(hv.at({1}), 2 * fxy - fyy, 1e-13);

  // A second backward(create_graph) accumulates: grad() = 2∇f, still differentiable (2H).
  f(q).backward({}, std::nullopt, /*create_graph=*/true);
  const Tensor h2 = tg::autograd::grad({q.grad()[1]}, {q})[0];
  EXPECT_NEAR(h2.at({0}), 2 * fxy, 1e-13);
  EXPECT_NEAR(h2.at({1}), 2 * fyy, 1e-13);

  check("x²y + sin(x)·y³", FN(x[0].square() * x[1] + x[0].sin() * x[1].pow(3.0)),
        {tg::tensor(x0, true), tg::tensor(y0, true)});
}

TEST(SecondOrderComposite, ThirdDerivativeOfXToTheFourth) {
  const std::vector<double> xs = {0.5, -1.2, 2.0};
  const struct {
    const char* name;
    Op op;
  } forms[] = {
      {"pow(x, 4)", FN(tg::pow(x[0], 4.0))},
      {"x·x·x·x", FN(x[0] * x[0] * x[0] * x[0])},
      {"square(square(x))", FN(x[0].square().square())},
  };
  for (const auto& form : forms) {
    SCOPED_TRACE(form.name);
    const Tensor x = vec(xs);
    const Tensor y = form.op({x}).sum();
    const Tensor g1 = tg::autograd::grad({y}, {x}, {}, std::nullopt, true)[0];
    const Tensor g2 = tg::autograd::grad({g1.sum()}, {x}, {}, std::nullopt, true)[0];
    const Tensor g3 = tg::autograd::grad({g2.sum()}, {x})[0];
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double v = xs[i];
      const auto at = static_cast<int64_t>(i);
      EXPECT_NEAR(g1.at({at}), 4 * v * v * v, 1e-12);
      EXPECT_NEAR(g2.at({at}), 12 * v * v, 1e-12);
      EXPECT_NEAR(g3.at({at}), 24 * v, 1e-12);
    }
    check(form.name, form.op, {vec(xs)});
  }
}

// Third derivatives through gradgradcheck: the function checked is itself a gradient (of
// Σ h(x), recorded whenever recording is on), so the rules of the operations that only appear
// in gradients (scatter_add, from the derivatives of select, narrow, index_select and gather)
// are differentiated twice more.
struct GradModeRestore {
  bool previous;
  ~GradModeRestore() { tg::set_grad_enabled(previous); }
};

Tensor gradient_of(Op h, const Tensor& x) {
  const GradModeRestore restore{tg::is_grad_enabled()};
  const bool record = restore.previous;
  tg::set_grad_enabled(true);  // h must be recorded to be differentiated at all
  const Tensor y = h({x});
  return tg::autograd::grad({y}, {x}, {}, record, /*create_graph=*/record)[0];
}

TEST(SecondOrderComposite, ThirdDerivativesThroughScatterAdd) {
  const Tensor m = spread({2, 3}, -1.5, 1.5);
  const struct {
    const char* name;
    Op op;
  } cases[] = {
      {"d/dx Σ gather(x)³", FN(gradient_of(FN(tg::gather(x[0], 1, tg::tensor({{0.0, 2.0, 2.0}, {1.0, 1.0, 0.0}}))
                                                  .pow(3.0)
                                                  .sum()),
                                           x[0]))},
      {"d/dx Σ select(x)³", FN(gradient_of(FN(x[0].select(1, 1).pow(3.0).sum()), x[0]))},
      {"d/dx Σ narrow(x)·sin", FN(gradient_of(FN((x[0].narrow(1, 1, 2) * x[0].narrow(1, 0, 2).sin()).sum()), x[0]))},
      {"d/dx Σ index_select(x)³", FN(gradient_of(FN(x[0].index_select(1, {2, 0, 2}).pow(3.0).sum()), x[0]))},
      {"d/dx Σ sort(x)³", FN(gradient_of(FN(tg::sort(x[0]).values.pow(3.0).sum()), x[0]))},
      {"d/dx Σ softmax(x)·x", FN(gradient_of(FN((tg::softmax(x[0], 1) * x[0]).sum()), x[0]))},
  };
  for (const auto& c : cases) check(c.name, c.op, {m});
}

// Custom functions whose backward() is written with tapegrad operations: under create_graph
// it is recorded, so they have second derivatives.
struct Softsign : tg::autograd::Function<Softsign> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x / (1 + x.abs());
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    const Tensor x = ctx->get_saved_variables()[0];
    const Tensor d = 1 + x.abs();
    return {grad_output[0] / (d * d)};
  }
};

// Saves its output (exp's derivative is its value).
struct Exp : tg::autograd::Function<Exp> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    Tensor y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) { return {g[0] * ctx->get_saved_variables()[0]}; }
};

// Two outputs (recorded as function_output nodes), one of them saved.
struct SinCos : tg::autograd::Function<SinCos> {
  static variable_list forward(AutogradContext* ctx, const Tensor& x) {
    Tensor s = x.sin(), c = x.cos();
    ctx->save_for_backward({x, c});
    return {s, c};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    const variable_list saved = ctx->get_saved_variables();
    return {g[0] * saved[1] - g[1] * saved[0].sin()};
  }
};

// Three tensor inputs and a number, with broadcasting.
struct MulAddScaled : tg::autograd::Function<MulAddScaled> {
  static Tensor forward(AutogradContext* ctx, const Tensor& a, const Tensor& b, const Tensor& c, double s) {
    ctx->save_for_backward({a, b});
    ctx->saved_data["s"] = s;
    return (a * b + c) * s;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    const variable_list ab = ctx->get_saved_variables();
    const Tensor g = grad_output[0] * ctx->saved_data["s"].toDouble();
    return {ctx->needs_input_grad(0) ? g * ab[1] : Tensor(), ctx->needs_input_grad(1) ? g * ab[0] : Tensor(),
            ctx->needs_input_grad(2) ? g : Tensor(), Tensor()};
  }
};

// The right first derivative of softsign, but with d treated as a constant: its second
// derivative is wrong, and gradgradcheck must say so (while gradcheck passes).
struct DetachedSoftsign : tg::autograd::Function<DetachedSoftsign> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x / (1 + x.abs());
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    const Tensor d = (1 + ctx->get_saved_variables()[0].abs()).detach();
    return {grad_output[0] / (d * d)};
  }
};

// A backward() computed from raw numbers: its gradient cannot be differentiated again.
struct RawSquare : tg::autograd::Function<RawSquare> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    const Tensor x = ctx->get_saved_variables()[0];
    std::vector<double> d = x.to_vector();
    const std::vector<double> gv = g[0].to_vector();
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = 2.0 * d[i] * gv[i];
    return {tg::tensor(d, x.shape())};
  }
};

TEST(SecondOrderComposite, CustomFunctions) {
  const Tensor in = leaf({-1.5, 0.3, 2.0, 0.7, -0.2, 1.1}, {2, 3});
  check("Softsign", FN(Softsign::apply(x[0])), {in});
  check("Softsign, squared", FN(Softsign::apply(x[0].sin()).square()), {in});
  check("Exp (saves its output)", FN(Exp::apply(x[0]) * x[0]), {in});
  check("SinCos (two outputs)", FN(tg::stack(SinCos::apply(x[0]), 0)), {in});
  check("SinCos, one output used", FN(SinCos::apply(x[0])[1].square()), {in});
  check("SinCos, products", FN([](const variable_list& o) { return o[0] * o[1] + o[1]; }(SinCos::apply(x[0]))), {in});
  const Tensor b = spread({3}, -1.0, 1.0, true, 0.45), c = spread({2, 1}, -1.0, 1.0, true, 0.7);
  check("MulAddScaled", FN(MulAddScaled::apply(x[0], x[1], x[2], 1.5)), {in, b, c});
  check("MulAddScaled, squared", FN(MulAddScaled::apply(x[0], x[1], x[2], -0.5).square()), {in, b, c});
  check("MulAddScaled, b without grad", FN(MulAddScaled::apply(x[0], x[1], x[2], 1.5).square()), {in, no_grad(b), c});
  // Third derivatives of a custom function (and of function_output's rule).
  check("d/dx Σ Softsign(x)", FN(gradient_of(FN(Softsign::apply(x[0]).sum()), x[0])), {in});
  check("d/dx Σ sin·cos (SinCos)",
        FN(gradient_of(FN([](const variable_list& o) { return (o[0] * o[1]).sum(); }(SinCos::apply(x[0]))), x[0])),
        {in});

  // gradgradcheck catches a wrong second derivative that gradcheck cannot see.
  EXPECT_TRUE(tg::gradcheck(FN(DetachedSoftsign::apply(x[0])), {in}).passed);
  const tg::GradcheckReport wrong = tg::gradgradcheck(FN(DetachedSoftsign::apply(x[0])), {in});
  EXPECT_FALSE(wrong.passed) << wrong.str();
  EXPECT_FALSE(wrong.inputs[0].passed);
  EXPECT_TRUE(wrong.inputs[1].passed) << "the derivative with respect to the output's gradient is right";

  // The first derivative of RawSquare is right, its second is refused (not silently zero).
  EXPECT_TRUE(tg::gradcheck(FN(RawSquare::apply(x[0])), {in}).passed);
  EXPECT_THROW(tg::gradgradcheck(FN(RawSquare::apply(x[0])), {in}), tg::AutogradError);
}

}  // namespace
