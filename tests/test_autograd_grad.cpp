// tg::autograd::grad, backward(create_graph) and tg::autograd::functional as PyTorch's
// torch.autograd.grad, Tensor.backward(create_graph=True) and torch.autograd.functional:
// what they return (against analytic derivatives), what they leave alone (grad(), the tape),
// the errors they raise, and a Hessian of an MLP's loss against PyTorch 1.13
// (tests/reference/hessian_reference.inc). The derivatives of the single operations are
// checked in test_second_order_ops.cpp; these are the semantics of the entry points.
//
// Every test checks at its end that the tape is empty again: once the results are dropped no
// node may be left behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

using tg::Tensor;
using tg::autograd::AutogradContext;
using tg::autograd::variable_list;
namespace ag = tg::autograd;
namespace fn = tg::autograd::functional;
constexpr auto kDefault = std::nullopt;  // retain_graph: its default

void expect_contains(const std::string& text, std::initializer_list<const char*> parts) {
  for (const char* p : parts) EXPECT_NE(text.find(p), std::string::npos) << "'" << p << "' not in: " << text;
}

Tensor vec(const std::vector<double>& values, bool requires_grad = true) {
  return tg::tensor(values, tg::Shape{static_cast<int64_t>(values.size())}, requires_grad);
}

// t has `shape` and the values `expected` (row-major), each within tol·max(1, |expected|).
void expect_values(const Tensor& t, const tg::Shape& shape, const std::vector<double>& expected, double tol = 1e-13) {
  ASSERT_TRUE(t.defined());
  ASSERT_EQ(t.shape(), shape) << t.shape().str() << " vs " << shape.str();
  ASSERT_EQ(static_cast<std::size_t>(t.numel()), expected.size());
  const std::vector<double> v = t.to_vector();
  for (std::size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol * std::max(1.0, std::abs(expected[i]))) << "element " << i;
}

std::size_t tape_size() { return tg::Tape::current().size(); }

// Each test ends with an empty tape: the results it held are gone, and nothing else may keep a
// node alive.
class AutogradGrad : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(tape_size(), 0u) << tg::Tape::current().str(); }
  void TearDown() override {
    EXPECT_EQ(tape_size(), 0u) << "nodes left on the tape:\n" << tg::Tape::current().str();
    EXPECT_TRUE(tg::is_grad_enabled());
  }
};
using AutogradGradErrors = AutogradGrad;
using Functional = AutogradGrad;
using FunctionalErrors = AutogradGrad;
using HessianReference = AutogradGrad;

// ================================================================================================
// 1. autograd::grad and backward(create_graph): semantics
// ================================================================================================

// y = Σ w·x³:  dy/dx = 3x²·w, dy/dw = x³. grad() returns them and leaves every grad() as it was.
TEST_F(AutogradGrad, ReturnsGradientsWithoutTouchingGrad) {
  const Tensor x = vec({0.5, -1.2, 2.0});
  const Tensor w = vec({1.5, -0.5, 0.25});
  const variable_list g = ag::grad({(x.pow(3.0) * w).sum()}, {x, w});
  ASSERT_EQ(g.size(), 2u);
  expect_values(g[0], {3}, {3 * 0.25 * 1.5, 3 * 1.44 * -0.5, 3 * 4.0 * 0.25});
  expect_values(g[1], {3}, {0.125, -1.728, 8.0});
  EXPECT_FALSE(g[0].requires_grad()) << "without create_graph the gradient is a plain tensor";
  EXPECT_TRUE(g[0].is_leaf());
  EXPECT_FALSE(x.grad().defined());
  EXPECT_FALSE(w.grad().defined());

  // A grad() already accumulated by backward() is not added to either.
  (x * w).sum().backward();
  expect_values(x.grad(), {3}, {1.5, -0.5, 0.25});
  const Tensor again = ag::grad({(x.pow(3.0) * w).sum()}, {x})[0];
  expect_values(again, {3}, {1.125, -2.16, 3.0});
  expect_values(x.grad(), {3}, {1.5, -0.5, 0.25});
  ASSERT_TRUE(w.grad().defined()) << "w.grad() from backward() is still there";
  expect_values(w.grad(), {3}, {0.5, -1.2, 2.0});
}

// Σ_r <grad_outputs[r], outputs[r]>: y1 = sin(x) (3,) weighted by v, y2 = Πx (one element)
// weighted by 1 (undefined entry) or by 3.
TEST_F(AutogradGrad, SeveralOutputsWithGradOutputs) {
  const std::vector<double> x0 = {0.3, -0.8, 1.1};
  const Tensor x = vec(x0);
  const Tensor y1 = x.sin(), y2 = x.prod();
  const Tensor v = tg::tensor({1.0, -2.0, 0.5});
  const double others[3] = {x0[1] * x0[2], x0[0] * x0[2], x0[0] * x0[1]};  // dΠx/dx_i

  const Tensor g = ag::grad({y1, y2}, {x}, {v, Tensor()}, /*retain_graph=*/true)[0];
  std::vector<double> expected(3);
  for (int i = 0; i < 3; ++i) expected[i] = v.data()[i] * std::cos(x0[i]) + others[i];
  expect_values(g, {3}, expected);

  const Tensor g3 = ag::grad({y1, y2}, {x}, {v, tg::tensor(3.0)})[0];
  for (int i = 0; i < 3; ++i) expected[i] = v.data()[i] * std::cos(x0[i]) + 3.0 * others[i];
  expect_values(g3, {3}, expected);

  // Without grad_outputs every output must have one element, each weighted by 1.
  const Tensor g1 = ag::grad({x.sum(), (x * x).sum()}, {x})[0];
  expect_values(g1, {3}, {1 + 2 * x0[0], 1 + 2 * x0[1], 1 + 2 * x0[2]});
}

// f = Σ a²·b + c·Σa:  df/da = 2ab + c, df/db = a², df/dc = Σa; in the order asked.
TEST_F(AutogradGrad, SeveralInputsInTheOrderAsked) {
  const Tensor a = vec({0.7, -1.3}), b = vec({2.0, 0.5}), c = tg::tensor(1.5, true);
  const Tensor f = (a * a * b).sum() + c * a.sum();
  const variable_list g = ag::grad({f}, {c, a, b});
  ASSERT_EQ(g.size(), 3u);
  expect_values(g[0], {}, {0.7 - 1.3});
  expect_values(g[1], {2}, {2 * 0.7 * 2.0 + 1.5, 2 * -1.3 * 0.5 + 1.5});
  expect_values(g[2], {2}, {0.49, 1.69});
}

// PyTorch returns the gradient at every place an input is listed:
// torch.autograd.grad(y, [x, x]) == (g, g).
TEST_F(AutogradGrad, SameInputListedTwice) {
  const Tensor a = vec({0.7, -1.3}), b = vec({2.0, 0.5});
  const Tensor f = (a * a * b).sum();
  variable_list g;
  ASSERT_NO_THROW(g = ag::grad({f}, {a, b, a}));
  ASSERT_EQ(g.size(), 3u);
  expect_values(g[0], {2}, {2.8, -1.3});
  expect_values(g[1], {2}, {0.49, 1.69});
  expect_values(g[2], {2}, {2.8, -1.3});
}

// h = sin(x), y = Σ (h² + h·x): the gradient of a non-leaf input is the gradient flowing into
// it, dy/dh = 2h + x; x's, alongside, is the total derivative (2h + x)·cos(x) + h.
TEST_F(AutogradGrad, NonLeafInput) {
  const std::vector<double> x0 = {0.4, -0.9, 1.6};
  const Tensor x = vec(x0);
  const Tensor h = x.sin();
  const Tensor y = (h * h + h * x).sum();
  std::vector<double> dh(3), dx(3);
  for (int i = 0; i < 3; ++i) {
    dh[i] = 2 * std::sin(x0[i]) + x0[i];
    dx[i] = dh[i] * std::cos(x0[i]) + std::sin(x0[i]);
  }
  expect_values(ag::grad({y}, {h}, {}, /*retain_graph=*/true)[0], {3}, dh);
  const variable_list both = ag::grad({y}, {h, x}, {}, /*retain_graph=*/true);
  expect_values(both[0], {3}, dh);
  expect_values(both[1], {3}, dx);
  EXPECT_FALSE(h.grad().defined());
  // An output that is itself the input: its gradient is the grad_output.
  expect_values(ag::grad({h}, {h}, {tg::tensor({2.0, -1.0, 0.5})})[0], {3}, {2.0, -1.0, 0.5});
}

// retain_graph defaults to create_graph: without it the graph is released and a second call
// fails (as PyTorch: "Trying to backward through the graph a second time"), with it the graph
// is kept for the next call.
TEST_F(AutogradGrad, RetainGraphDefaultsToCreateGraph) {
  const Tensor x = vec({0.5, 2.0});
  const std::vector<double> e = {std::exp(0.5), std::exp(2.0)};

  const Tensor y = x.exp().sum();
  expect_values(ag::grad({y}, {x})[0], {2}, e);
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({y}, {x}); }),
                  {"already released", "(shape ())", "retain_graph = true"});

  const Tensor y2 = x.exp().sum();
  const Tensor g1 = ag::grad({y2}, {x}, {}, kDefault, /*create_graph=*/true)[0];
  EXPECT_TRUE(g1.requires_grad());
  const Tensor g2 = ag::grad({y2}, {x})[0];  // the graph was kept; this call releases it
  expect_values(g1, {2}, e);
  expect_values(g2, {2}, e);
  EXPECT_THROW((void)ag::grad({y2}, {x}), tg::AutogradError);

  // retain_graph = true without create_graph: twice, then released by the third call.
  const Tensor y3 = x.exp().sum();
  for (int k = 0; k < 2; ++k) expect_values(ag::grad({y3}, {x}, {}, /*retain_graph=*/true)[0], {2}, e);
  expect_values(ag::grad({y3}, {x}, {}, /*retain_graph=*/false)[0], {2}, e);
  EXPECT_THROW((void)ag::grad({y3}, {x}), tg::AutogradError);

  // A shared intermediate is released with the first graph, so a second output that goes
  // through it fails too (PyTorch: exp saved its result, which the first call freed).
  const Tensor z = x.exp();
  const Tensor a = z.sin().sum(), b = z.cos().sum();
  (void)ag::grad({a}, {x});
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({b}, {x}); }),
                  {"an input of 'cos'", "(shape (2,))", "already released", "retain_graph = true"});
  // The gradient with respect to z itself does not go through z's released graph (PyTorch
  // gives it too): d/dz Σ z² = 2z; with respect to x it does, and fails.
  const Tensor c = (z * z).sum();
  expect_values(ag::grad({c}, {z}, {}, /*retain_graph=*/true)[0], {2}, {2 * e[0], 2 * e[1]});
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({c}, {x}); }), {"already released"});
}

// An input the outputs do not use: undefined with allow_unused.
TEST_F(AutogradGrad, AllowUnusedReturnsUndefined) {
  const Tensor a = vec({1.0, -3.0}), u = vec({4.0});
  const variable_list g = ag::grad({(a * 2.0).sum()}, {a, u}, {}, kDefault, false, /*allow_unused=*/true);
  ASSERT_EQ(g.size(), 2u);
  expect_values(g[0], {2}, {2.0, 2.0});
  EXPECT_FALSE(g[1].defined());
  const variable_list only = ag::grad({(a * 2.0).sum()}, {u}, {}, kDefault, false, true);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_FALSE(only[0].defined());
  EXPECT_FALSE(u.grad().defined());
}

// y = sin(x), g = vᵀJ = v·cos(x) with v requiring grad: under create_graph g depends on v, and
// its gradient with respect to v, seeded with t, is J·t = t·cos(x) (the double-backward trick
// behind jvp); with respect to x it is -v·sin(x)·w.
TEST_F(AutogradGrad, GradOutputsThatRequireGrad) {
  const std::vector<double> x0 = {0.2, -0.7, 1.3}, v0 = {1.5, -1.0, 0.5}, t0 = {1.0, -2.0, 0.5},
                            w0 = {0.3, 0.6, -0.9};
  const Tensor x = vec(x0), v = vec(v0);
  const Tensor y = x.sin();
  const Tensor plain = ag::grad({y}, {x}, {v}, /*retain_graph=*/true)[0];
  EXPECT_FALSE(plain.requires_grad()) << "as PyTorch: no graph without create_graph";

  const Tensor g = ag::grad({y}, {x}, {v}, kDefault, /*create_graph=*/true)[0];
  EXPECT_TRUE(g.requires_grad());
  std::vector<double> expected(3), jt(3), dx(3);
  for (int i = 0; i < 3; ++i) {
    expected[i] = v0[i] * std::cos(x0[i]);
    jt[i] = t0[i] * std::cos(x0[i]);
    dx[i] = -v0[i] * std::sin(x0[i]) * w0[i];
  }
  expect_values(g, {3}, expected);
  expect_values(plain, {3}, expected);
  expect_values(ag::grad({g}, {v}, {vec(t0, false)}, /*retain_graph=*/true)[0], {3}, jt);
  expect_values(ag::grad({(g * vec(w0, false)).sum()}, {x})[0], {3}, dx);
}

// f = Σ x³ + sin(x): backward(create_graph) puts f' = 3x² + cos(x) in grad() as a tensor with a
// graph, whose derivative is f'' = 6x - sin(x); a second call accumulates (2f', 2f''); then
// zero_grad() clears it and the tape empties.
TEST_F(AutogradGrad, BackwardCreateGraphAccumulatesIntoGrad) {
  const std::vector<double> x0 = {0.5, -1.2, 2.0};
  std::vector<double> d1(3), d2(3);
  for (int i = 0; i < 3; ++i) {
    d1[i] = 3 * x0[i] * x0[i] + std::cos(x0[i]);
    d2[i] = 6 * x0[i] - std::sin(x0[i]);
  }
  auto times = [](std::vector<double> v, double s) {
    for (double& e : v) e *= s;
    return v;
  };
  const Tensor x = vec(x0);
  auto f = [](const Tensor& t) { return (t.pow(3.0) + t.sin()).sum(); };
  {
    f(x).backward({}, kDefault, /*create_graph=*/true);
    const Tensor gx = x.grad();
    ASSERT_TRUE(gx.defined());
    EXPECT_TRUE(gx.requires_grad());
    EXPECT_FALSE(gx.is_leaf());
    expect_values(gx, {3}, d1);
    // retain_graph: the graph of this grad() is part of the accumulated one differentiated below.
    expect_values(ag::grad({gx.sum()}, {x}, {}, /*retain_graph=*/true)[0], {3}, d2);
    SCOPED_TRACE("grad() is untouched by autograd::grad");
    expect_values(x.grad(), {3}, d1);

    f(x).backward({}, kDefault, true);
    expect_values(x.grad(), {3}, times(d1, 2.0));
    EXPECT_TRUE(x.grad().requires_grad());
    expect_values(ag::grad({x.grad().sum()}, {x}, {}, /*retain_graph=*/true)[0], {3}, times(d2, 2.0));
  }
  EXPECT_GT(tape_size(), 0u) << "x.grad() keeps its graph (as in PyTorch, a cycle with x)";
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
  EXPECT_EQ(tape_size(), 0u) << tg::Tape::current().str();

  // zero_grad(set_to_none = false) replaces the gradient by plain zeros (PyTorch detaches it).
  f(x).backward({}, kDefault, true);
  x.zero_grad(/*set_to_none=*/false);
  expect_values(x.grad(), {3}, {0.0, 0.0, 0.0});
  EXPECT_FALSE(x.grad().requires_grad());
  EXPECT_EQ(tape_size(), 0u) << tg::Tape::current().str();
  // Then a plain backward() adds numbers to it, and a create_graph one a graph again.
  f(x).backward();
  expect_values(x.grad(), {3}, d1);
  EXPECT_FALSE(x.grad().requires_grad());
  f(x).backward({}, kDefault, true);
  expect_values(x.grad(), {3}, times(d1, 2.0));
  expect_values(ag::grad({x.grad().sum()}, {x})[0], {3}, d2);  // the plain part is a constant
  x.zero_grad();

  // Differentiating grad() without retain_graph releases its graph; accumulated into, it can
  // then not be differentiated again (PyTorch: "Trying to backward through the graph a second
  // time").
  f(x).backward({}, kDefault, true);
  (void)ag::grad({x.grad().sum()}, {x});
  f(x).backward({}, kDefault, true);
  expect_values(x.grad(), {3}, times(d1, 2.0));
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({x.grad().sum()}, {x}); }),
                  {"an input of 'add'", "already released", "retain_graph = true"});
  x.zero_grad();
}

// A non-leaf's hook sees the gradient with its graph under create_graph, and what it returns
// (here 2g) is what flows on, recorded: y = Σ sin(x²), hooked h = x² doubled, so
// dy/dx = 2·cos(x²)·2x. Differentiating that again goes back through h, so the hook runs a
// second time and doubles that flow too: d/dx Σ dy/dx = 4cos(x²) - 16x²·sin(x²), not the
// 4cos(x²) - 8x²·sin(x²) of the hook-free derivative (PyTorch 1.13 gives the same, with two
// calls of the hook).
TEST_F(AutogradGrad, HooksSeeGradientsUnderCreateGraph) {
  const std::vector<double> x0 = {0.3, -1.1};
  std::vector<double> hook_g(2), first(2), second(2), leaf_g(2);
  for (int i = 0; i < 2; ++i) {
    const double s = x0[i] * x0[i];
    hook_g[i] = std::cos(s);
    first[i] = 4 * x0[i] * std::cos(s);
    second[i] = 4 * std::cos(s) - 16 * s * std::sin(s);
    leaf_g[i] = 2 * x0[i] * std::cos(s);
  }
  {
    const Tensor x = vec(x0);
    Tensor h = x * x;
    std::vector<Tensor> seen;
    h.register_hook([&](const Tensor& g) {
      seen.push_back(g);
      return g * 2.0;
    });
    const Tensor g = ag::grad({h.sin().sum()}, {x}, {}, kDefault, /*create_graph=*/true)[0];
    ASSERT_EQ(seen.size(), 1u);
    expect_values(seen[0], {2}, hook_g);
    EXPECT_TRUE(seen[0].requires_grad()) << "the hook sees the gradient with its graph";
    expect_values(g, {2}, first);
    expect_values(ag::grad({g.sum()}, {x})[0], {2}, second);
    ASSERT_EQ(seen.size(), 2u);
    expect_values(seen[1], {2}, {-2 * std::sin(x0[0] * x0[0]) * 2 * x0[0], -2 * std::sin(x0[1] * x0[1]) * 2 * x0[1]});
  }
  {
    // A leaf's hook, in backward(create_graph): once, with the summed gradient, with its graph.
    const Tensor x = vec(x0);
    std::vector<Tensor> seen;
    x.register_hook([&](const Tensor& g) { seen.push_back(g); });
    ((x * x).sin().sum() + (x * 0.0).sum()).backward({}, kDefault, true);
    ASSERT_EQ(seen.size(), 1u);
    expect_values(seen[0], {2}, leaf_g);
    EXPECT_TRUE(seen[0].requires_grad());
    expect_values(x.grad(), {2}, leaf_g);
    x.zero_grad();
  }
  {
    // A hook on an input of autograd::grad runs and its result is what is returned (PyTorch
    // >= 2.0, which documents that such a hook "will always be executed"; 1.13 skipped it).
    const Tensor x = vec(x0);
    int calls = 0;
    x.register_hook([&](const Tensor& g) {
      ++calls;
      return g * 10.0;
    });
    const Tensor g = ag::grad({(x * x).sin().sum()}, {x}, {}, kDefault, true)[0];
    EXPECT_EQ(calls, 1);
    expect_values(g, {2}, {10 * leaf_g[0], 10 * leaf_g[1]});
    EXPECT_TRUE(g.requires_grad());
    EXPECT_FALSE(x.grad().defined());
  }
  {
    // A leaf that is not among the inputs is not reached (PyTorch does not run its
    // AccumulateGrad, so its hook is not called), with or without create_graph.
    const Tensor a = vec({1.0}), b = vec({3.0});
    int calls = 0;
    b.register_hook([&](const Tensor&) { ++calls; });
    expect_values(ag::grad({(a * b).sum()}, {a})[0], {1}, {3.0});
    expect_values(ag::grad({(a * b).sum()}, {a}, {}, kDefault, true)[0], {1}, {3.0});
    EXPECT_EQ(calls, 0) << "the hook of b, which grad() was not asked for, was called";
    EXPECT_FALSE(b.grad().defined());
  }
}

// z = x², y = Σ z²: with retain_grad, backward(create_graph) leaves dy/dz = 2z in z.grad(), with
// a graph (d/dx Σ 2x² = 4x), and dy/dx = 4x³ in x.grad().
TEST_F(AutogradGrad, RetainGradWithCreateGraph) {
  const Tensor x = vec({1.0, 2.0});
  {
    Tensor z = x * x;
    z.retain_grad();
    z.square().sum().backward({}, kDefault, /*create_graph=*/true);
    expect_values(z.grad(), {2}, {2.0, 8.0});
    EXPECT_TRUE(z.grad().requires_grad());
    expect_values(x.grad(), {2}, {4.0, 32.0});
    expect_values(ag::grad({z.grad().sum()}, {x})[0], {2}, {4.0, 8.0});
    z.zero_grad();
    x.zero_grad();
  }
  {
    // autograd::grad fills no grad(), not even a retained one (tapegrad's documented rule;
    // PyTorch 1.13 would fill z.grad here).
    Tensor z = x * x;
    z.retain_grad();
    expect_values(ag::grad({z.square().sum()}, {x}, {}, kDefault, true)[0], {2}, {4.0, 32.0});
    EXPECT_FALSE(z.grad().defined());
  }
}

// Nodes recorded by create_graph live exactly as long as the results that need them.
TEST_F(AutogradGrad, TapeEmptiesWhenResultsAreDropped) {
  {
    const Tensor x = vec({0.5, -1.5, 2.5});
    const Tensor g = ag::grad({(x.pow(4.0) * x.sin()).sum()}, {x}, {}, kDefault, true)[0];
    const Tensor h = ag::grad({g.sum()}, {x}, {}, kDefault, true)[0];
    const Tensor t = ag::grad({h.sum()}, {x})[0];
    EXPECT_GT(tape_size(), 0u);
    EXPECT_TRUE(t.is_leaf());
  }
  EXPECT_EQ(tape_size(), 0u) << tg::Tape::current().str();
  EXPECT_EQ(tg::Tape::current().stats().stored_nodes, 0u);

  const Tensor x = vec({0.5, -1.5});
  auto f = [](const Tensor& t) { return (t.pow(3.0) * t.exp()).sum(); };
  {
    const Tensor H = fn::hessian(f, x, /*create_graph=*/true);
    EXPECT_TRUE(H.requires_grad());
    EXPECT_GT(tape_size(), 0u);
  }
  EXPECT_EQ(tape_size(), 0u) << tg::Tape::current().str();
  // Without create_graph the results are plain: nothing is left even while they are held.
  const Tensor H = fn::hessian(f, x);
  const auto [value, hv] = fn::hvp(f, x, tg::tensor({1.0, 2.0}));
  const Tensor J = fn::jacobian([](const Tensor& t) { return t.sin() * t; }, x);
  EXPECT_FALSE(H.requires_grad() || value.requires_grad() || hv.requires_grad() || J.requires_grad());
  EXPECT_EQ(tape_size(), 0u) << tg::Tape::current().str();
}

// Under NoGradGuard, grad(create_graph = true) still records the backward pass, as PyTorch
// (torch.autograd.grad(..., create_graph=True) inside torch.no_grad() returns tensors that
// require grad: the engine runs the sweep in create_graph's grad mode), and the guard's mode is
// restored afterwards. backward(create_graph) and the functional API likewise.
TEST_F(AutogradGrad, NoGradGuardAroundCreateGraph) {
  const Tensor x = vec({0.5, -2.0});
  const Tensor y = x.pow(3.0).sum();
  Tensor g, plain;
  {
    tg::NoGradGuard no_grad;
    g = ag::grad({y}, {x}, {}, kDefault, /*create_graph=*/true)[0];
    EXPECT_FALSE(tg::is_grad_enabled());
    plain = ag::grad({y}, {x})[0];
    EXPECT_FALSE(tg::is_grad_enabled());
  }
  EXPECT_TRUE(g.requires_grad());
  EXPECT_FALSE(plain.requires_grad());
  expect_values(g, {2}, {0.75, 12.0});
  expect_values(plain, {2}, {0.75, 12.0});
  expect_values(ag::grad({g.sum()}, {x})[0], {2}, {3.0, -12.0});

  const Tensor y2 = x.pow(3.0).sum();
  {
    tg::NoGradGuard no_grad;
    y2.backward({}, kDefault, true);
  }
  EXPECT_TRUE(x.grad().requires_grad());
  expect_values(ag::grad({x.grad().sum()}, {x})[0], {2}, {3.0, -12.0});
  x.zero_grad();

  Tensor H, Hg;
  {
    tg::NoGradGuard no_grad;
    H = fn::hessian([](const Tensor& t) { return t.pow(3.0).sum(); }, x);
    Hg = fn::hessian([](const Tensor& t) { return t.pow(3.0).sum(); }, x, /*create_graph=*/true);
    EXPECT_FALSE(tg::is_grad_enabled());
  }
  expect_values(H, {2, 2}, {3.0, 0.0, 0.0, -12.0});
  EXPECT_FALSE(H.requires_grad());
  EXPECT_TRUE(Hg.requires_grad()) << "PyTorch 1.13: hessian(create_graph=True) under no_grad requires grad";
  expect_values(ag::grad({Hg.sum()}, {x})[0], {2}, {6.0, 6.0});
}

// ================================================================================================
// 2. errors
// ================================================================================================

// y = Σ x·x·x, backward(create_graph = true, retain_graph = false): grad() is right and has a
// graph, but the forward graph is gone, so going through y again fails; so does
// differentiating grad() (its graph reads x·x, made by the released graph: PyTorch fails the
// same way), while the first derivative stays.
TEST_F(AutogradGradErrors, BackwardTwiceThroughAReleasedCreateGraph) {
  const Tensor x = vec({0.5, -1.5});
  const Tensor y = (x * x * x).sum();
  y.backward({}, /*retain_graph=*/false, /*create_graph=*/true);
  expect_values(x.grad(), {2}, {0.75, 6.75});
  EXPECT_TRUE(x.grad().requires_grad());
  expect_contains(message_of<tg::AutogradError>([&] { y.backward(); }),
                  {"backward()", "already released", "retain_graph = true"});
  expect_contains(message_of<tg::AutogradError>([&] { y.backward({}, kDefault, true); }),
                  {"backward()", "already released", "retain_graph = true"});
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({x.grad().sum()}, {x}); }),
                  {"an input of 'mul'", "already released"});
  expect_values(x.grad(), {2}, {0.75, 6.75});
  x.zero_grad();
}

TEST_F(AutogradGradErrors, InputNotUsedWithoutAllowUnused) {
  const Tensor a = vec({1.0, 2.0}), u = vec({0.0, 1.0});
  const Tensor y = (a * 3.0).sum();
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({y}, {a, u}); }),
                  {"autograd::grad", "inputs[1]", "(shape (2,))", "not used", "allow_unused = true"});
}

TEST_F(AutogradGradErrors, NonScalarOutputWithoutGradOutputs) {
  const Tensor x = vec({1.0, 2.0, 3.0});
  const Tensor y = x * 2.0;
  for (const variable_list& grad_outputs : {variable_list{}, variable_list{Tensor()}}) {
    expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({y}, {x}, grad_outputs); }),
                    {"autograd::grad", "outputs[0]", "(3,)", "one-element", "grad_outputs"});
  }
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({x.sum(), y}, {x}); }), {"outputs[1]", "(3,)"});
  expect_contains(message_of<tg::AutogradError>([&] { y.backward({}, kDefault, /*create_graph=*/true); }),
                  {"backward()", "(3,)", "gradient"});
}

TEST_F(AutogradGradErrors, GradOutputsOfTheWrongShapeOrCount) {
  const Tensor x = vec({1.0, 2.0, 3.0});
  const Tensor y = x * 2.0;
  expect_contains(message_of<tg::ShapeError>([&] { (void)ag::grad({y}, {x}, {tg::ones({2})}); }),
                  {"autograd::grad", "grad_outputs[0] has shape (2,)", "outputs[0] has shape (3,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)ag::grad({x.sum(), y}, {x}, {Tensor(), tg::ones({3, 1})}); }),
                  {"grad_outputs[1] has shape (3, 1)", "outputs[1] has shape (3,)"});
  expect_contains(message_of<tg::ValueError>([&] { (void)ag::grad({y}, {x}, {tg::ones({3}), tg::ones({3})}); }),
                  {"autograd::grad", "2 grad_outputs for 1 outputs"});
  expect_contains(message_of<tg::ShapeError>([&] { y.backward(tg::ones({3, 1}), kDefault, true); }),
                  {"backward()", "(3, 1)", "(3,)"});
  // Nothing was released by the refused calls.
  expect_values(ag::grad({y}, {x}, {tg::ones({3})})[0], {3}, {2.0, 2.0, 2.0});
}

TEST_F(AutogradGradErrors, InputOrOutputThatDoesNotRequireGrad) {
  const Tensor x = vec({1.0, 2.0}), c = vec({3.0, 4.0}, false);
  const Tensor y = (x * c).sum();
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({y}, {x, c}, {}, true); }),
                  {"autograd::grad", "inputs[1]", "(shape (2,))", "does not require grad"});
  const Tensor constant = (c * c).sum();
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({constant}, {x}); }),
                  {"autograd::grad", "outputs[0]", "(shape ())", "does not require grad"});
  Tensor under_guard;
  {
    tg::NoGradGuard no_grad;
    under_guard = (x * x).sum();
  }
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({y, under_guard}, {x}); }),
                  {"outputs[1]", "does not require grad", "NoGradGuard"});
  expect_contains(message_of<tg::AutogradError>([&] { constant.backward({}, kDefault, true); }),
                  {"backward()", "does not require grad"});
}

TEST_F(AutogradGradErrors, UndefinedOrMissingTensors) {
  const Tensor x = vec({1.0, 2.0});
  const Tensor y = (x * x).sum();
  expect_contains(message_of<tg::ValueError>([&] { (void)ag::grad({Tensor()}, {x}); }),
                  {"autograd::grad", "outputs[0] is undefined"});
  expect_contains(message_of<tg::ValueError>([&] { (void)ag::grad({y}, {x, Tensor()}); }),
                  {"autograd::grad", "inputs[1] is undefined"});
  expect_contains(message_of<tg::ValueError>([&] { (void)ag::grad({}, {x}); }), {"autograd::grad", "no outputs"});
  expect_contains(message_of<tg::ValueError>([&] { (void)ag::grad({y}, {}); }), {"autograd::grad", "no inputs"});
  expect_values(ag::grad({y}, {x})[0], {2}, {2.0, 4.0});  // the refused calls released nothing
}

// The first derivative of RawSquare is right; its backward() computes it from raw numbers, so
// a second derivative through it is refused, naming the function, whichever way it is asked.
struct RawSquare : tg::autograd::Function<RawSquare> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    const Tensor x = ctx->get_saved_variables()[0];
    std::vector<double> d(x.data(), x.data() + x.numel());
    for (std::size_t i = 0; i < d.size(); ++i) d[i] *= 2.0 * g[0].data()[i];
    return {tg::tensor(d, x.shape())};
  }
};

// 3x with a raw backward that saves nothing: its derivative is constant, so it needs a graph
// only when the gradient it is given has one.
struct RawTriple : tg::autograd::Function<RawTriple> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 3.0; }
  static variable_list backward(AutogradContext*, variable_list g) {
    std::vector<double> d(g[0].data(), g[0].data() + g[0].numel());
    for (double& e : d) e *= 3.0;
    return {tg::tensor(d, g[0].shape())};
  }
};

TEST_F(AutogradGradErrors, CustomFunctionWhoseBackwardIsNotDifferentiable) {
  const Tensor x = vec({0.5, -2.0});
  expect_values(ag::grad({RawSquare::apply(x).sum()}, {x})[0], {2}, {1.0, -4.0});
  const Tensor g = ag::grad({RawSquare::apply(x).sum()}, {x}, {}, kDefault, /*create_graph=*/true)[0];
  expect_values(g, {2}, {1.0, -4.0});
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({g.sum()}, {x}); }),
                  {"RawSquare.backward is not differentiable", "input 0", "raw values"});

  RawSquare::apply(x).sum().backward({}, kDefault, true);
  expect_values(x.grad(), {2}, {1.0, -4.0});
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({x.grad().sum()}, {x}); }), {"RawSquare"});
  x.zero_grad();

  auto f = [](const Tensor& t) { return RawSquare::apply(t.sin()).sum(); };
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::hessian(f, x); }), {"RawSquare", "not differentiable"});
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::hvp(f, x, tg::ones({2})); }), {"RawSquare"});
  expect_contains(message_of<tg::AutogradError>([&] { (void)tg::hessian(f, x); }), {"RawSquare"});
  // First-order functional results do not need the second derivative.
  expect_values(fn::vjp(f, x).second, {2}, {2 * std::sin(0.5) * std::cos(0.5), 2 * std::sin(-2.0) * std::cos(-2.0)});

  // RawTriple: seeded with a constant its derivative needs no graph, so the Hessian of Σ 3x is
  // zeros, not an error; given a gradient that requires grad (the double-backward trick, or
  // the gradient of (3x)²), the raw result loses that dependence and is refused.
  expect_values(fn::hessian([](const Tensor& t) { return RawTriple::apply(t).sum(); }, x), {2, 2}, {0, 0, 0, 0});
  const Tensor v = vec({1.0, 1.0});
  const Tensor gv = ag::grad({RawTriple::apply(x)}, {x}, {v}, kDefault, true)[0];
  expect_values(gv, {2}, {3.0, 3.0});
  expect_contains(message_of<tg::AutogradError>([&] { (void)ag::grad({gv}, {v}, {tg::ones({2})}); }),
                  {"RawTriple.backward is not differentiable"});
  expect_contains(message_of<tg::AutogradError>(
                      [&] { (void)fn::hessian([](const Tensor& t) { return RawTriple::apply(t).square().sum(); }, x); }),
                  {"RawTriple"});
}

TEST_F(FunctionalErrors, HessianOfANonScalarFunction) {
  const Tensor x = vec({1.0, 2.0, 3.0}, false);
  auto f = [](const Tensor& t) { return t * t; };
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::hessian(f, x); }),
                  {"hessian", "one-element", "(3,)"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::hvp(f, x, tg::ones({3})); }), {"hvp", "(3,)"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::vhp(f, x, tg::ones({3})); }), {"vhp", "(3,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::hessian(f, x); }), {"hessian", "(3,)"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::vjp(f, x); }), {"vjp", "v is needed", "(3,)"});
}

TEST_F(FunctionalErrors, VectorsOfTheWrongShapeOrCount) {
  const Tensor x = vec({1.0, 2.0, 3.0}, false);
  auto f = [](const Tensor& t) { return t.pow(3.0).sum(); };
  auto g = [](const Tensor& t) { return t.sin(); };
  expect_contains(message_of<tg::ShapeError>([&] { (void)fn::hvp(f, x, tg::ones({2})); }),
                  {"hvp", "v[0] has shape (2,)", "should have shape (3,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)fn::vhp(f, x, tg::ones({3, 1})); }),
                  {"vhp", "v[0] has shape (3, 1)", "(3,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)fn::vjp(g, x, tg::ones({4})); }),
                  {"vjp", "v has shape (4,)", "(3,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)fn::jvp(g, x, tg::ones({1})); }),
                  {"jvp", "v[0] has shape (1,)", "(3,)"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::jvp(g, x); }), {"jvp", "v is needed", "(3,)"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::hvp(f, x, Tensor()); }), {"hvp", "v[0] is undefined"});
  auto two = [](const variable_list& t) { return (t[0] * t[1]).sum(); };
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::hvp(two, {x, x}, {tg::ones({3})}); }),
                  {"hvp", "1 vectors v for 2 inputs"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::hessian(f, Tensor()); }), {"hessian", "input 0 is undefined"});
  expect_contains(message_of<tg::ValueError>([&] { (void)fn::jacobian([](const Tensor&) { return Tensor(); }, x); }),
                  {"jacobian", "undefined"});
}

// With strict, an output that does not depend on an input is an error naming the input; without
// it, the derivative with respect to that input is zeros (PyTorch's rule).
TEST_F(FunctionalErrors, StrictModeWithAnUnusedInput) {
  const Tensor a = vec({1.0, 2.0}, false), b = vec({3.0, 4.0, 5.0}, false);
  auto f = [](const variable_list& t) { return (t[0] * t[0]).sum(); };
  auto fv = [](const variable_list& t) { return t[0] * 2.0; };
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::hessian(f, {a, b}, false, /*strict=*/true); }),
                  {"hessian", "input 1", "(shape (3,))", "strict"});
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::jacobian(fv, {a, b}, false, true); }),
                  {"jacobian", "input 1", "strict"});
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::vjp(fv, {a, b}, tg::ones({2}), false, true); }),
                  {"vjp", "input 1"});
  expect_contains(message_of<tg::AutogradError>(
                      [&] { (void)fn::hvp(f, {a, b}, {tg::ones({2}), tg::ones({3})}, false, true); }),
                  {"hvp", "input 1"});
  expect_contains(message_of<tg::AutogradError>(
                      [&] { (void)fn::jvp(fv, {a, b}, {tg::ones({2}), tg::ones({3})}, false, true); }),
                  {"jvp", "input 1"});

  // Not strict: zeros where there is no dependence.
  const variable_list J = fn::jacobian(fv, {a, b});
  expect_values(J[0], {2, 2}, {2, 0, 0, 2});
  expect_values(J[1], {2, 3}, std::vector<double>(6, 0.0));
  const std::vector<variable_list> H = fn::hessian(f, {a, b});
  expect_values(H[0][0], {2, 2}, {2, 0, 0, 2});
  expect_values(H[0][1], {2, 3}, std::vector<double>(6, 0.0));
  expect_values(H[1][0], {3, 2}, std::vector<double>(6, 0.0));
  expect_values(H[1][1], {3, 3}, std::vector<double>(9, 0.0));
  // Strict, with every input used: the same values as without.
  const Tensor Hs = fn::hessian([](const Tensor& t) { return t.pow(3.0).sum(); }, a, false, true);
  expect_values(Hs, {2, 2}, {6, 0, 0, 12});
}

// PyTorch: "The jacobian of the user-provided function is independent of input 0. This is not
// allowed in strict mode when create_graph=True." (the Jacobian of 2x is constant, so it could
// not be differentiated further).
TEST_F(FunctionalErrors, StrictWithCreateGraphRefusesAConstantJacobian) {
  const Tensor x = vec({1.0, 2.0});
  auto f = [](const Tensor& t) { return t * 2.0; };
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::jacobian(f, x, /*create_graph=*/true, /*strict=*/true); }),
                  {"jacobian", "input 0", "strict", "create_graph"});
  expect_values(fn::jacobian(f, x, true, false), {2, 2}, {2, 0, 0, 2});
  expect_values(fn::jacobian(f, x, false, true), {2, 2}, {2, 0, 0, 2});
  // The Hessian of a linear function under strict: its gradient is constant (PyTorch: "found
  // that the jacobian of the user-provided function with respect to input 0 is independent of
  // the input. This is not allowed in strict mode").
  auto linear = [](const Tensor& t) { return (t * 2.0).sum(); };
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::hessian(linear, x, false, true); }),
                  {"hessian", "input 0", "constant", "strict"});
  expect_contains(message_of<tg::AutogradError>([&] { (void)fn::hvp(linear, x, tg::ones({2}), false, true); }),
                  {"hvp", "input 0", "constant"});
  expect_values(fn::hessian(linear, x), {2, 2}, {0, 0, 0, 0});
}

// ================================================================================================
// 3. functional API: values against analytic derivatives
// ================================================================================================

// f: R³ → R², f(x) = (x0·x1 + sin x2, x0²·x2);  J = [[x1, x0, cos x2], [2x0x2, 0, x0²]].
TEST_F(Functional, VjpJvpJacobianOfAVectorFunction) {
  const double x0 = 0.8, x1 = -0.6, x2 = 1.3;
  const Tensor x = vec({x0, x1, x2}, false);
  auto f = [](const Tensor& t) { return tg::stack({t[0] * t[1] + t[2].sin(), t[0].square() * t[2]}, 0); };
  const double J[2][3] = {{x1, x0, std::cos(x2)}, {2 * x0 * x2, 0.0, x0 * x0}};

  const Tensor jac = fn::jacobian(f, x);
  expect_values(jac, {2, 3}, {J[0][0], J[0][1], J[0][2], J[1][0], J[1][1], J[1][2]});
  EXPECT_FALSE(jac.requires_grad());

  const double v[2] = {1.5, -2.0};
  const auto [y, vj] = fn::vjp(f, x, tg::tensor({v[0], v[1]}));
  expect_values(y, {2}, {x0 * x1 + std::sin(x2), x0 * x0 * x2});
  expect_values(vj, {3}, {v[0] * J[0][0] + v[1] * J[1][0], v[0] * J[0][1] + v[1] * J[1][1], v[0] * J[0][2] + v[1] * J[1][2]});

  const double t[3] = {0.5, 1.0, -1.0};
  const auto [y2, jv] = fn::jvp(f, x, tg::tensor({t[0], t[1], t[2]}));
  expect_values(y2, {2}, {x0 * x1 + std::sin(x2), x0 * x0 * x2});
  expect_values(jv, {2}, {J[0][0] * t[0] + J[0][1] * t[1] + J[0][2] * t[2], J[1][0] * t[0] + J[1][1] * t[1] + J[1][2] * t[2]});

  // One-element input or output: v may be omitted (it is 1).
  const Tensor s = tg::tensor(0.4);
  expect_values(fn::jvp([](const Tensor& u) { return tg::stack({u.sin(), u * u}, 0); }, s).second, {2},
                {std::cos(0.4), 0.8});
  expect_values(fn::vjp([](const Tensor& u) { return u.pow(3.0).sum(); }, x).second, {3},
                {3 * x0 * x0, 3 * x1 * x1, 3 * x2 * x2});
  // A one-element output: the Jacobian has x's shape (() + (3,)).
  expect_values(fn::jacobian([](const Tensor& u) { return u.pow(3.0).sum(); }, x), {3},
                {3 * x0 * x0, 3 * x1 * x1, 3 * x2 * x2});
  EXPECT_FALSE(x.requires_grad()) << "the input is not modified";
}

// f(a, B) = B·a + a²:  ∂f_i/∂a_k = B_ik + 2a_i δ_ik (2, 2);  ∂f_i/∂B_jk = δ_ij a_k (2, 2, 2).
TEST_F(Functional, JacobianOfSeveralInputs) {
  const double a0 = 0.5, a1 = -1.5;
  const Tensor a = vec({a0, a1}, false);
  const Tensor B = tg::tensor({{1.0, 2.0}, {-0.5, 3.0}});
  auto f = [](const variable_list& t) { return tg::matmul(t[1], t[0]) + t[0] * t[0]; };
  const variable_list J = fn::jacobian(f, {a, B});
  ASSERT_EQ(J.size(), 2u);
  expect_values(J[0], {2, 2}, {1.0 + 2 * a0, 2.0, -0.5, 3.0 + 2 * a1});
  expect_values(J[1], {2, 2, 2}, {a0, a1, 0, 0, 0, 0, a0, a1});
  const auto [y, vj] = fn::vjp(f, {a, B}, tg::tensor({2.0, -1.0}));
  expect_values(y, {2}, {a0 + 2 * a1 + a0 * a0, -0.5 * a0 + 3 * a1 + a1 * a1});
  expect_values(vj[0], {2}, {2 * (1 + 2 * a0) + 0.5, 2 * 2.0 - (3.0 + 2 * a1)});
  expect_values(vj[1], {2, 2}, {2 * a0, 2 * a1, -a0, -a1});
  const auto [y2, jv] = fn::jvp(f, {a, B}, {tg::tensor({1.0, 0.0}), tg::tensor({{0.0, 1.0}, {1.0, 0.0}})});
  // J_a·(1, 0) + J_B:(0 1; 1 0) = (B_00 + 2a0 + a1, B_10 + a0)
  expect_values(jv, {2}, {1.0 + 2 * a0 + a1, -0.5 + a0});
}

// f = x0²·x1 + sin(x1)·x2³:
//   H = [[2x1, 2x0, 0], [2x0, -sin(x1)·x2³, 3cos(x1)·x2²], [0, 3cos(x1)·x2², 6sin(x1)·x2]].
double cubic_mix_value(const std::vector<double>& x) { return x[0] * x[0] * x[1] + std::sin(x[1]) * std::pow(x[2], 3); }
Tensor cubic_mix(const Tensor& t) { return t[0].square() * t[1] + t[1].sin() * t[2].pow(3.0); }
std::vector<double> cubic_mix_hessian(const std::vector<double>& x) {
  const double h01 = 2 * x[0], h12 = 3 * std::cos(x[1]) * x[2] * x[2];
  return {2 * x[1], h01, 0.0, h01, -std::sin(x[1]) * std::pow(x[2], 3), h12, 0.0, h12, 6 * std::sin(x[1]) * x[2]};
}

TEST_F(Functional, HessianOfOneInput) {
  const std::vector<double> x0 = {0.9, -0.4, 1.2};
  const Tensor H = fn::hessian(cubic_mix, vec(x0, false));
  expect_values(H, {3, 3}, cubic_mix_hessian(x0));
  EXPECT_FALSE(H.requires_grad());
  expect_values(tg::hessian(cubic_mix, vec(x0, false)), {3, 3}, cubic_mix_hessian(x0));

  // A 2-D input: the Hessian has shape x.shape + x.shape. f = Σ X³ + X00·X11.
  const Tensor X = tg::tensor({{0.5, -1.0}, {1.5, 2.0}});
  const Tensor H4 = fn::hessian([](const Tensor& t) { return t.pow(3.0).sum() + t[0][0] * t[1][1]; }, X);
  ASSERT_EQ(H4.shape(), (tg::Shape{2, 2, 2, 2}));
  std::vector<double> expected(16, 0.0);
  const double xs[4] = {0.5, -1.0, 1.5, 2.0};
  for (int k = 0; k < 4; ++k) expected[static_cast<std::size_t>(k * 4 + k)] = 6 * xs[k];
  expected[0 * 4 + 3] = expected[3 * 4 + 0] = 1.0;
  expect_values(H4, {2, 2, 2, 2}, expected);
}

// f(a, b) = b·Σa² + b³ + a0·a1, a (2,), b ():
//   H_aa = [[2b, 1], [1, 2b]] (2, 2), H_ab = 2a (2,), H_ba = 2a (2,), H_bb = 6b ().
TEST_F(Functional, HessianOfSeveralInputsInBlocks) {
  const double a0 = 0.6, a1 = -1.1, b0 = 1.4;
  const Tensor a = vec({a0, a1}, false), b = tg::tensor(b0);
  auto f = [](const variable_list& t) { return t[1] * (t[0] * t[0]).sum() + t[1].pow(3.0) + t[0][0] * t[0][1]; };
  const std::vector<variable_list> H = fn::hessian(f, {a, b});
  ASSERT_EQ(H.size(), 2u);
  ASSERT_EQ(H[0].size(), 2u);
  ASSERT_EQ(H[1].size(), 2u);
  expect_values(H[0][0], {2, 2}, {2 * b0, 1.0, 1.0, 2 * b0});
  expect_values(H[0][1], {2}, {2 * a0, 2 * a1});
  expect_values(H[1][0], {2}, {2 * a0, 2 * a1});
  expect_values(H[1][1], {}, {6 * b0});

  // hvp and vhp per input: (H·v)_a = H_aa·v_a + H_ab·v_b, (H·v)_b = H_ba·v_a + H_bb·v_b.
  const double va0 = 0.3, va1 = -0.7, vb = 2.0;
  const variable_list v = {tg::tensor({va0, va1}), tg::tensor(vb)};
  const std::vector<double> hv_a = {2 * b0 * va0 + va1 + 2 * a0 * vb, va0 + 2 * b0 * va1 + 2 * a1 * vb};
  const double hv_b = 2 * a0 * va0 + 2 * a1 * va1 + 6 * b0 * vb;
  const auto [value, hv] = fn::hvp(f, {a, b}, v);
  expect_values(value, {}, {b0 * (a0 * a0 + a1 * a1) + b0 * b0 * b0 + a0 * a1});
  expect_values(hv[0], {2}, hv_a);
  expect_values(hv[1], {}, {hv_b});
  const auto [value2, vh] = fn::vhp(f, {a, b}, v);
  expect_values(vh[0], {2}, hv_a);
  expect_values(vh[1], {}, {hv_b});
}

// hvp = H·v and vhp = vᵀ·H against the full Hessian, for a Hessian that is not diagonal.
TEST_F(Functional, HvpAndVhpEqualProductsWithTheHessian) {
  const std::vector<double> x0 = {0.9, -0.4, 1.2}, v0 = {1.0, -2.0, 0.5};
  const Tensor x = vec(x0, false), v = vec(v0, false);
  const Tensor H = fn::hessian(cubic_mix, x);
  const std::vector<double> h = H.to_vector(), analytic = cubic_mix_hessian(x0);
  std::vector<double> hv(3, 0.0), vh(3, 0.0), hv_analytic(3, 0.0);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      hv[i] += h[i * 3 + j] * v0[j];
      vh[j] += v0[i] * h[i * 3 + j];
      hv_analytic[i] += analytic[i * 3 + j] * v0[j];
    }
  }
  const auto [value, Hv] = fn::hvp(cubic_mix, x, v);
  const auto [value2, vH] = fn::vhp(cubic_mix, x, v);
  expect_values(value, {}, {cubic_mix_value(x0)});
  expect_values(value2, {}, {cubic_mix_value(x0)});
  expect_values(Hv, {3}, hv);
  expect_values(vH, {3}, vh);
  expect_values(Hv, {3}, hv_analytic);
  EXPECT_FALSE(Hv.requires_grad() || vH.requires_grad() || value.requires_grad());
  // A one-element input: v may be omitted (it is 1); f = u⁴ → f'' = 12u².
  expect_values(fn::hvp([](const variable_list& u) { return u[0].pow(4.0); }, {tg::tensor(0.5)}, {}).second[0], {},
                {3.0});
}

// create_graph = true: the results keep a graph back to inputs that require grad.
// f = Σ x⁴: ∇f = 4x³, H = diag(12x²), H·v = 12x²·v, d/dx Σ H·v = 24x·v, d/dx tr H = 24x.
TEST_F(Functional, CreateGraphResultsAreDifferentiable) {
  const std::vector<double> x0 = {0.5, -1.0, 1.5}, v0 = {2.0, 0.5, -1.0};
  const Tensor x = vec(x0), v = vec(v0, false);
  auto f = [](const Tensor& t) { return t.pow(4.0).sum(); };
  std::vector<double> dhv(3), dtr(3), d1(3);
  for (int i = 0; i < 3; ++i) {
    dhv[i] = 24 * x0[i] * v0[i];
    dtr[i] = 24 * x0[i];
    d1[i] = 4 * std::pow(x0[i], 3);
  }
  {
    const auto [value, hv] = fn::hvp(f, x, v, /*create_graph=*/true);
    ASSERT_TRUE(hv.requires_grad());
    ASSERT_TRUE(value.requires_grad());
    expect_values(hv, {3}, {12 * 0.25 * 2.0, 12 * 1.0 * 0.5, 12 * 2.25 * -1.0});
    expect_values(ag::grad({hv.sum()}, {x})[0], {3}, dhv);
    expect_values(ag::grad({value}, {x})[0], {3}, d1);
    const auto [value2, vh] = fn::vhp(f, x, v, true);
    ASSERT_TRUE(vh.requires_grad());
    expect_values(ag::grad({vh.sum()}, {x})[0], {3}, dhv);
  }
  {
    const Tensor H = fn::hessian(f, x, true);
    ASSERT_TRUE(H.requires_grad());
    expect_values(ag::grad({(H * tg::eye(3)).sum()}, {x})[0], {3}, dtr);
  }
  {
    // J of x·sin(x) is diag(sin x + x cos x); d/dx Σ J = 2cos x - x sin x.
    const Tensor J = fn::jacobian([](const Tensor& t) { return t * t.sin(); }, x, true);
    ASSERT_TRUE(J.requires_grad());
    std::vector<double> expected(3);
    for (int i = 0; i < 3; ++i) expected[i] = 2 * std::cos(x0[i]) - x0[i] * std::sin(x0[i]);
    expect_values(ag::grad({J.sum()}, {x})[0], {3}, expected);
    // vjp of exp: v·exp(x), d/dx Σ = v·exp(x); jvp of sin: v·cos(x), d/dx Σ = -v·sin(x).
    const Tensor vj = fn::vjp([](const Tensor& t) { return t.exp(); }, x, v, true).second;
    const Tensor jv = fn::jvp([](const Tensor& t) { return t.sin(); }, x, v, true).second;
    ASSERT_TRUE(vj.requires_grad() && jv.requires_grad());
    std::vector<double> e1(3), e2(3);
    for (int i = 0; i < 3; ++i) {
      e1[i] = v0[i] * std::exp(x0[i]);
      e2[i] = -v0[i] * std::sin(x0[i]);
    }
    expect_values(ag::grad({vj.sum()}, {x})[0], {3}, e1);
    expect_values(ag::grad({jv.sum()}, {x})[0], {3}, e2);
  }
  // Without create_graph the same calls return plain tensors, even for an input that requires
  // grad, and touch no grad().
  EXPECT_FALSE(fn::hvp(f, x, v).second.requires_grad());
  EXPECT_FALSE(fn::hessian(f, x).requires_grad());
  EXPECT_FALSE(x.grad().defined());
}

// ================================================================================================
// 4. against PyTorch 1.13: the Hessian of an MLP's loss with respect to its parameters
// ================================================================================================

#include "reference/hessian_reference.inc"

// The loss of make_hessian_reference.py: theta = [W1 (3x2), b1 (3), W2 (1x3), b2 (1)],
// loss = mse(W2·tanh(W1·x + b1) + b2, y) over the four samples.
Tensor mlp_loss(const Tensor& theta) {
  const Tensor samples = tg::tensor(kSamples, {4, 2}), targets = tg::tensor(kTargets, {4, 1});
  const Tensor w1 = theta.narrow(0, 0, 6).reshape({3, 2});
  const Tensor b1 = theta.narrow(0, 6, 3);
  const Tensor w2 = theta.narrow(0, 9, 3).reshape({1, 3});
  const Tensor b2 = theta.narrow(0, 12, 1);
  const Tensor hidden = tg::tanh(tg::linear(samples, w1, b1));
  return tg::nn::functional::mse_loss(tg::linear(hidden, w2, b2), targets);
}

// The largest |a - b| over the elements, relative to the largest |b|; fails above tol.
double compare(const char* what, const std::vector<double>& a, const std::vector<double>& b, double tol) {
  EXPECT_EQ(a.size(), b.size()) << what;
  double scale = 0.0, worst = 0.0;
  for (double e : b) scale = std::max(scale, std::abs(e));
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  const double relative = worst / scale;
  EXPECT_LE(relative, tol) << what << ": max |difference| " << worst << " (largest entry " << scale << ")";
  std::printf("[ vs PyTorch ] %-28s max |diff| %.3g, relative to the largest entry %.3g\n", what, worst, relative);
  return relative;
}

TEST_F(HessianReference, MlpLossMatchesPyTorch) {
  constexpr double kTol = 1e-12;
  const Tensor theta = vec(kTheta, false);
  ASSERT_EQ(kHessian.size(), 13u * 13u);

  compare("loss", {mlp_loss(theta).item()}, {kLoss}, kTol);
  const Tensor leaf = vec(kTheta);
  compare("gradient (autograd::grad)", ag::grad({mlp_loss(leaf)}, {leaf})[0].to_vector(), kGradient, kTol);

  const Tensor H = fn::hessian(mlp_loss, theta);
  ASSERT_EQ(H.shape(), (tg::Shape{13, 13}));
  compare("functional::hessian", H.to_vector(), kHessian, kTol);
  const auto [value, hv] = fn::hvp(mlp_loss, theta, vec(kV, false));
  compare("functional::hvp value", {value.item()}, {kLoss}, kTol);
  compare("functional::hvp", hv.to_vector(), kHvp, kTol);
  compare("functional::vhp", fn::vhp(mlp_loss, theta, vec(kV, false)).second.to_vector(), kHvp, kTol);
  compare("tg::hessian", tg::hessian(mlp_loss, theta).to_vector(), kHessian, kTol);

  // The reference Hessian is symmetric, and PyTorch's hvp is its product with v.
  std::vector<double> hv_from_h(13, 0.0);
  for (std::size_t i = 0; i < 13; ++i)
    for (std::size_t j = 0; j < 13; ++j) hv_from_h[i] += kHessian[i * 13 + j] * kV[j];
  compare("reference: H·v vs its hvp", hv_from_h, kHvp, 1e-14);
  // The finite-difference form, for scale: far from 1e-12, within its documented accuracy.
  compare("tg::hessian, central diff.", tg::hessian(mlp_loss, theta, tg::HessianMethod::finite_difference).to_vector(),
          kHessian, 1e-6);
}

}  // namespace
