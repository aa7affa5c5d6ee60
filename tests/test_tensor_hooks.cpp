// Gradient hooks on tensors (Tensor::register_hook / remove_hook): what they see (checked
// against known derivatives and finite differences), replacing gradients, order, removal,
// retain_graph, and the errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

using tg::Tensor;

Tensor leaf(std::initializer_list<tg::NestedList> values) {
  Tensor t(values);
  t.set_requires_grad();
  return t;
}

TEST(TensorHooks, AnIntermediateHookSeesTheGradientFlowingIntoIt) {
  const Tensor x = leaf({3.0, -1.0});
  const Tensor y = x * x;  // dL/dy = 2 for L = sum(2y)
  std::vector<double> seen;
  y.register_hook([&](const Tensor& g) { seen = g.to_vector(); });
  (2.0 * y).sum().backward();
  EXPECT_EQ(seen, (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{12.0, -4.0}));
}

TEST(TensorHooks, WhatAHookSeesIsTheFiniteDifferenceDerivative) {
  // L = sum(sin(h)) with h = x·w: the hook on h sees cos(h), which finite differences confirm.
  const Tensor x = leaf({0.4, -1.3, 2.2});
  const Tensor w({1.5, 0.5, -0.7});
  const Tensor h = x * w;
  Tensor seen;
  h.register_hook([&](const Tensor& g) { seen = g; });
  h.sin().sum().backward();
  const Tensor numeric = tg::numerical_gradient([](const Tensor& v) { return v.sin().sum(); }, h.detach());
  EXPECT_TRUE(tg::allclose(seen, numeric, 1e-8, 1e-9));
}

TEST(TensorHooks, AHookCanReplaceTheGradient) {
  const Tensor x = leaf({1.0, 2.0});
  const Tensor y = x * 3.0;
  y.register_hook([](const Tensor& g) { return g * 10.0; });
  y.sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{30.0, 30.0}));
}

TEST(TensorHooks, ALeafHookSeesTheSummedGradientOnceAndCanReplaceIt) {
  const Tensor x = leaf({1.0, 2.0});
  int calls = 0;
  std::vector<double> seen;
  x.register_hook([&](const Tensor& g) {
    ++calls;
    seen = g.to_vector();
    return g * 0.5;
  });
  (x * 2.0 + x * 3.0).sum().backward();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen, (std::vector<double>{5.0, 5.0}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{2.5, 2.5}));
  // grad() accumulates the replaced gradient across sweeps.
  (x * 2.0).sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{3.5, 3.5}));
}

TEST(TensorHooks, HooksRunInRegistrationOrderEachSeeingThePreviousResult) {
  const Tensor x = leaf({1.0});
  const Tensor y = x * 1.0;
  std::vector<double> order;
  y.register_hook([&](const Tensor& g) {
    order.push_back(g.item());
    return g + 1.0;
  });
  y.register_hook([&](const Tensor& g) {
    order.push_back(g.item());
    return g * 3.0;
  });
  y.sum().backward();
  EXPECT_EQ(order, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(x.grad().item(), 6.0);
}

TEST(TensorHooks, RemovedHooksNoLongerRun) {
  const Tensor x = leaf({1.0});
  int calls = 0;
  const unsigned h = x.register_hook([&](const Tensor&) { ++calls; });
  (x * 2.0).sum().backward();
  x.remove_hook(h);
  (x * 2.0).sum().backward();
  EXPECT_EQ(calls, 1);
  const std::string m = message_of<tg::ValueError>([&] { x.remove_hook(h); });
  EXPECT_NE(m.find("no hook with handle 0"), std::string::npos) << m;
  EXPECT_THROW(x.remove_hook(7), tg::ValueError);
}

TEST(TensorHooks, HooksRunOnEverySweepOfARetainedGraph) {
  const Tensor x = leaf({1.0, 2.0});
  const Tensor y = x.square();
  int calls = 0;
  y.register_hook([&](const Tensor&) { ++calls; });
  const Tensor loss = y.sum();
  loss.backward({}, true);
  loss.backward();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{4.0, 8.0}));
}

TEST(TensorHooks, TheRootAndALeafRootHaveHooksToo) {
  const Tensor x = leaf({2.0});
  const Tensor loss = (x * x).sum();
  double seen = 0.0;
  loss.register_hook([&](const Tensor& g) {
    seen = g.item();
    return g * 2.0;
  });
  loss.backward();
  EXPECT_EQ(seen, 1.0);
  EXPECT_EQ(x.grad().item(), 8.0);

  const Tensor w = leaf({1.0, 1.0});
  w.register_hook([](const Tensor& g) { return g * -1.0; });
  w.backward(tg::Tensor({3.0, 4.0}));
  EXPECT_EQ(w.grad().to_vector(), (std::vector<double>{-3.0, -4.0}));
}

TEST(TensorHooks, ARetainedGradientIsTheHookedOne) {
  const Tensor x = leaf({1.0});
  Tensor y = x * 2.0;
  y.retain_grad();
  y.register_hook([](const Tensor& g) { return g * 5.0; });
  y.sum().backward();
  EXPECT_EQ(y.grad().item(), 5.0);
  EXPECT_EQ(x.grad().item(), 10.0);
}

TEST(TensorHooks, BadHooksAreClearErrors) {
  const Tensor c({1.0, 2.0});
  const std::string m = message_of<tg::AutogradError>([&] { c.register_hook([](const Tensor& g) { return g; }); });
  EXPECT_NE(m.find("does not require grad"), std::string::npos) << m;

  const Tensor x = leaf({1.0, 2.0});
  const Tensor y = x * 2.0;
  y.register_hook([](const Tensor&) { return tg::ones({3}); });
  const std::string s = message_of<tg::ShapeError>([&] { y.sum().backward(); });
  EXPECT_EQ(s, "backward(): hook 0 returned a gradient of shape (3,) for a tensor of shape (2,)");
  // The failed sweep left nothing behind: a new graph works.
  (x * 2.0).sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{2.0, 2.0}));
}

TEST(TensorHooks, AFailedSweepDoesNotAddALeafsPendingGradient) {
  const Tensor x = leaf({1.0});
  x.register_hook([](const Tensor& g) { return g; });
  const Tensor y = x * 2.0;  // swept last: x has gathered 3 from the other term by then
  y.register_hook([](const Tensor&) -> Tensor { throw tg::ValueError("stop"); });
  EXPECT_THROW((x * 3.0 + y).sum().backward(), tg::ValueError);
  EXPECT_FALSE(x.grad().defined());
}

}  // namespace
