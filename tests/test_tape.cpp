// The tape: what it records, what backward() does with it, and what it gives back.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <tapegrad/tapegrad.hpp>

namespace {

tg::Tape& tape() { return tg::Tape::current(); }

tg::Tensor rosenbrock(const tg::Tensor& p) {
  const tg::Tensor x = p[0], y = p[1];
  return (1.0 - x).pow(2) + 100.0 * (y - x.pow(2)).pow(2);
}

TEST(Tape, RecordsOperationsInExecutionOrder) {
  const tg::Tensor w = tg::tensor({0.5, -1.0}, true).set_name("w");
  const tg::Tensor b = tg::tensor(0.1, true).set_name("b");
  const tg::Tensor x = tg::tensor({2.0, 3.0}).set_name("x");
  const tg::Tensor y = (w * x).sum() + b;
  const std::vector<tg::NodeInfo> nodes = tape().nodes();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].op, "mul");
  EXPECT_EQ(nodes[1].op, "sum");
  EXPECT_EQ(nodes[2].op, "add");
  EXPECT_EQ(nodes[0].inputs[0].kind, tg::InputInfo::Kind::leaf);
  EXPECT_EQ(nodes[0].inputs[0].name, "w");
  EXPECT_EQ(nodes[0].inputs[1].kind, tg::InputInfo::Kind::constant);
  EXPECT_EQ(nodes[1].inputs[0].kind, tg::InputInfo::Kind::node);
  EXPECT_EQ(nodes[1].inputs[0].node, nodes[0].index);
  EXPECT_EQ(nodes[2].shape, tg::Shape{});
  EXPECT_EQ(y.grad_fn(), "add");
  EXPECT_FALSE(y.is_leaf());
  EXPECT_TRUE(w.is_leaf());

  const std::string text = tape().str();
  EXPECT_NE(text.find("#0 mul (2,) <- w (2,), x (2,)"), std::string::npos) << text;
  EXPECT_NE(text.find("<- #1, b ()"), std::string::npos) << text;
}

TEST(Tape, NoGradGuardStopsRecording) {
  const tg::Tensor p = tg::tensor({1.0, 2.0}, true);
  {
    tg::NoGradGuard guard;
    EXPECT_FALSE(tg::is_grad_enabled());
    {
      tg::NoGradGuard nested;
    }
    EXPECT_FALSE(tg::is_grad_enabled());
    const tg::Tensor y = p * 3.0;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(y.is_leaf());
    EXPECT_EQ(tape().size(), 0u);
  }
  EXPECT_TRUE(tg::is_grad_enabled());
  const tg::Tensor z = p * 3.0;
  EXPECT_TRUE(z.requires_grad());
  EXPECT_EQ(tape().size(), 1u);
}

TEST(Tape, ConstantsAreNotRecorded) {
  const tg::Tensor a = tg::ones({3});
  const tg::Tensor y = (a * 2.0 + 1.0).sum();
  EXPECT_EQ(tape().size(), 0u);
  EXPECT_FALSE(y.requires_grad());
}

TEST(Tape, BackwardReleasesWhatItConsumed) {
  const tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  const tg::Tensor f = rosenbrock(p);
  EXPECT_EQ(tape().size(), 9u);
  f.backward();
  EXPECT_EQ(tape().size(), 0u);
  EXPECT_EQ(tape().stats().stored_nodes, 0u);
  // The tensors keep their values and remember which op made them.
  EXPECT_NEAR(f.item(), 24.2, 1e-12);
  EXPECT_EQ(f.grad_fn(), "add");
  EXPECT_NE(f.str().find("grad_fn=<add>"), std::string::npos);
  // A second sweep through the released graph is an error, as in PyTorch.
  EXPECT_THROW(f.backward(), tg::AutogradError);
  // The gradient: d/dx = -2(1-x) - 400x(y-x²), d/dy = 200(y-x²).
  EXPECT_DOUBLE_EQ(p.grad().at({0}), -2.0 * 2.2 - 400.0 * -1.2 * (1.0 - 1.44));
  EXPECT_DOUBLE_EQ(p.grad().at({1}), 200.0 * (1.0 - 1.44));
}

TEST(Tape, RetainGraphAllowsASecondSweep) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  const tg::Tensor y = (x * x).sum();
  y.backward({}, /*retain_graph=*/true);
  EXPECT_EQ(tape().size(), 2u);
  y.backward();
  EXPECT_EQ(tape().size(), 0u);
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{4.0, 8.0}));  // 2x, twice
}

TEST(Tape, SharedSubgraphReleasedByFirstBackward) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  const tg::Tensor h = x.exp();
  const tg::Tensor a = h.sum();
  const tg::Tensor b = (h * 2.0).sum();
  a.backward();
  EXPECT_THROW(b.backward(), tg::AutogradError);
}

TEST(Tape, IndependentGraphsBackPropagateSeparately) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  const tg::Tensor a = (x * 3.0).sum();
  const tg::Tensor b = (x * x).sum();
  b.backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{2.0, 4.0}));
  EXPECT_EQ(tape().size(), 2u);  // a's nodes are untouched
  a.backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{5.0, 7.0}));
  EXPECT_EQ(tape().size(), 0u);
}

TEST(Tape, GradientsAccumulateUntilZeroGrad) {
  const tg::Tensor w = tg::tensor({1.0, -2.0}, true);
  for (int i = 0; i < 3; ++i) (w * 5.0).sum().backward();
  EXPECT_EQ(w.grad().to_vector(), (std::vector<double>{15.0, 15.0}));
  w.zero_grad(/*set_to_none=*/false);
  EXPECT_EQ(w.grad().to_vector(), (std::vector<double>{0.0, 0.0}));
  w.zero_grad();
  EXPECT_FALSE(w.grad().defined());
}

TEST(Tape, BackwardWithGivenGradient) {
  const tg::Tensor x = tg::tensor({1.0, 2.0, 3.0}, true);
  const tg::Tensor y = x * x;
  y.backward(tg::tensor({1.0, 0.5, 0.0}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{2.0, 2.0, 0.0}));
}

TEST(Tape, BackwardOnALeafAccumulatesTheSeed) {
  const tg::Tensor x = tg::tensor(3.0, true);
  x.backward();
  x.backward();
  EXPECT_EQ(x.grad().item(), 2.0);
}

TEST(Tape, RetainGradKeepsAnIntermediateGradient) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  tg::Tensor h = x * 3.0;
  h.retain_grad();
  (h * h).sum().backward();
  EXPECT_EQ(h.grad().to_vector(), (std::vector<double>{6.0, 12.0}));  // 2h
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{18.0, 36.0}));
}

TEST(Tape, UnusedLeafGetsNoGradient) {
  const tg::Tensor a = tg::tensor({1.0}, true), b = tg::tensor({1.0}, true);
  (a * 2.0).sum().backward();
  EXPECT_TRUE(a.grad().defined());
  EXPECT_FALSE(b.grad().defined());
}

TEST(Tape, DroppedGraphsAreReclaimedWithoutBackward) {
  const tg::Tensor p = tg::tensor({0.5, 0.5}, true);
  {
    const tg::Tensor f = rosenbrock(p);  // forward only, then dropped
    EXPECT_EQ(tape().size(), 9u);
  }
  EXPECT_EQ(tape().size(), 0u);
  EXPECT_EQ(tape().stats().stored_nodes, 0u);
  try {
    const tg::Tensor f = rosenbrock(p);
    throw std::runtime_error("interrupted between forward and backward");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(tape().stats().stored_nodes, 0u);
}

TEST(Tape, HeldIntermediateKeepsItsNodesUntilDropped) {
  const tg::Tensor p = tg::tensor({0.5, 0.5}, true);
  tg::Tensor kept = p * 2.0;
  {
    const tg::Tensor f = (kept.exp() + 1.0).sum();
  }
  EXPECT_EQ(tape().size(), 1u);  // only the node that made `kept`
  kept = tg::Tensor();
  EXPECT_EQ(tape().stats().stored_nodes, 0u);
}

TEST(Tape, LongChainsNeedNoRecursion) {
  const tg::Tensor x = tg::tensor(1.0, true);
  tg::Tensor s = tg::tensor(0.0);
  for (int i = 0; i < 200000; ++i) s = s + x;
  s.backward();
  EXPECT_EQ(x.grad().item(), 200000.0);
  tg::Tensor t = tg::tensor(0.0);
  for (int i = 0; i < 200000; ++i) t = t + x;
  t = tg::Tensor();  // dropping a long unused chain is a loop too
  EXPECT_EQ(tape().stats().stored_nodes, 0u);
}

TEST(Tape, MemoryStaysFlatOverManySteps) {
  tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  auto step = [&] {
    p.zero_grad();
    rosenbrock(p).backward();
    tg::NoGradGuard no_grad;
    p.sub_(p.grad(), 2e-4);
  };
  for (int i = 0; i < 100; ++i) step();
  const tg::TapeStats before = tape().stats();
  for (int i = 0; i < 200000; ++i) step();
  const tg::TapeStats after = tape().stats();
  EXPECT_EQ(after.live_nodes, 0u);
  EXPECT_EQ(after.stored_nodes, 0u);
  EXPECT_EQ(after.node_capacity, before.node_capacity);
  EXPECT_EQ(after.grad_arena, before.grad_arena);
}

TEST(Tape, InPlaceChangeOfARecordedInputIsCaught) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  tg::Tensor c = tg::tensor({3.0, 4.0});
  const tg::Tensor y = (x * c).sum();  // d/dx needs c
  c.mul_(2.0);
  try {
    y.backward();
    FAIL() << "expected an error";
  } catch (const tg::AutogradError& e) {
    EXPECT_NE(std::string(e.what()).find("modified in place"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'mul'"), std::string::npos) << e.what();
  }
  // add does not need its inputs' values, so changing them is harmless.
  tg::Tensor d = tg::tensor({3.0, 4.0});
  const tg::Tensor z = (x + d).sum();
  d.add_(1.0);
  EXPECT_NO_THROW(z.backward());
}

TEST(Tape, InPlaceOnAParameterNeedsNoGradGuard) {
  tg::Tensor w = tg::tensor({1.0, 2.0}, true);
  EXPECT_THROW(w.sub_(tg::ones({2})), tg::AutogradError);
  EXPECT_THROW(w -= 1.0, tg::AutogradError);
  tg::NoGradGuard guard;
  w -= tg::ones({2});
  EXPECT_EQ(w.to_vector(), (std::vector<double>{0.0, 1.0}));
}

TEST(Tape, OneTapePerThread) {
  const tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
  const tg::Tensor f = rosenbrock(p);
  std::size_t other_size = 99;
  std::thread([&] {
    other_size = tg::Tape::current().size();
    // Back-propagating a graph recorded by another thread is refused.
    EXPECT_THROW(f.backward(), tg::AutogradError);
  }).join();
  EXPECT_EQ(other_size, 0u);
  EXPECT_EQ(tape().size(), 9u);
}

TEST(Tape, ThreadsTrainIndependently) {
  auto train = [] {
    tg::Tensor p = tg::tensor({-1.2, 1.0}, true);
    for (int i = 0; i < 2000; ++i) {
      p.zero_grad();
      rosenbrock(p).backward();
      tg::NoGradGuard no_grad;
      p.sub_(p.grad(), 2e-4);
    }
    return p.to_vector();
  };
  const std::vector<double> alone = train();
  std::vector<double> a, b;
  std::thread ta([&] { a = train(); }), tb([&] { b = train(); });
  ta.join();
  tb.join();
  EXPECT_EQ(a, alone);
  EXPECT_EQ(b, alone);
}

TEST(Tape, TensorsOutliveTheirThreadsTape) {
  tg::Tensor p, y;
  std::thread([&] {
    p = tg::tensor({1.0, 2.0}, true);
    y = (p * 3.0).sum();
  }).join();  // the thread's tape is gone
  EXPECT_EQ(y.item(), 9.0);
  EXPECT_EQ(y.grad_fn(), "sum");
  EXPECT_THROW(y.backward(), tg::AutogradError);
}

TEST(Tape, DotGraphRendersWithGraphviz) {
  const tg::Tensor w = tg::tensor({{0.5, -1.0}}, true).set_name("w");
  const tg::Tensor b = tg::tensor({0.1}, true).set_name("b");
  const tg::Tensor x = tg::tensor({{2.0}, {3.0}}).set_name("x");
  const tg::Tensor loss = (tg::matmul(w, x) + b).square().sum().set_name("loss");
  const std::string dot = tape().to_dot();
  EXPECT_NE(dot.find("digraph tape"), std::string::npos);
  EXPECT_NE(dot.find("label=\"w\\n(1, 2)\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("#0 matmul\\n(1, 1)"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\\\"loss\\\""), std::string::npos) << dot;
  const std::string path = ::testing::TempDir() + "tapegrad_tape.dot";
  std::ofstream(path) << dot;
  const std::string cmd = "dot -Tsvg " + path + " -o " + path + ".svg";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << "graphviz's dot could not render the graph";
  std::remove(path.c_str());
  std::remove((path + ".svg").c_str());
}

}  // namespace
