// Module hooks: forward pre-hooks, forward hooks and full backward hooks fire in order, see
// the right values (checked against known derivatives and finite differences), can replace
// them, are removed cleanly, survive retain_graph, and add nothing when none is registered.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

using tg::Tensor;
using tg::nn::Module;

tg::nn::Sequential small_model() {
  tg::manual_seed(3);
  return tg::nn::Sequential(tg::nn::Linear(3, 4), tg::nn::Tanh(), tg::nn::Linear(4, 2));
}

Tensor batch() { return Tensor({{0.5, -1.0, 2.0}, {1.5, 0.2, -0.3}}); }

TEST(ModuleHooks, FireInOrderAroundEachCall) {
  tg::nn::Sequential model = small_model();
  std::vector<std::string> log;
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    model[i].register_forward_pre_hook([&log, n](Module&, const Tensor&) { log.push_back("pre " + n); });
    model[i].register_forward_hook([&log, n](Module&, const Tensor&, const Tensor&) { log.push_back("post " + n); });
    model[i].register_full_backward_hook(
        [&log, n](Module&, const Tensor&, const Tensor&) { log.push_back("backward " + n); });
  }
  model(batch()).sum().backward();
  EXPECT_EQ(log, (std::vector<std::string>{"pre 0", "post 0", "pre 1", "post 1", "pre 2", "post 2",
                                           "backward 2", "backward 1", "backward 0"}));
}

TEST(ModuleHooks, ForwardHooksSeeInputAndOutputAndCanReplaceThem) {
  tg::nn::Sequential model = small_model();
  auto& first = dynamic_cast<tg::nn::Linear&>(model[0]);
  Tensor seen_in, seen_out;
  first.register_forward_hook([&](Module& m, const Tensor& in, const Tensor& out) {
    EXPECT_EQ(&m, &first);
    seen_in = in;
    seen_out = out;
  });
  const Tensor x = batch();
  model(x);
  EXPECT_TRUE(tg::equal(seen_in, x));
  EXPECT_TRUE(tg::allclose(seen_out, tg::linear(x, first.weight(), first.bias()), 0.0, 1e-15));

  tg::nn::Linear scale(3, 3, false);
  scale.register_forward_pre_hook([](Module&, const Tensor& in) { return in * 2.0; });
  scale.register_forward_hook([](Module&, const Tensor&, const Tensor& out) { return out + 1.0; });
  const Tensor expected = tg::linear(x * 2.0, scale.weight()) + 1.0;
  EXPECT_TRUE(tg::allclose(scale(x), expected, 0.0, 1e-15));
}

TEST(ModuleHooks, BackwardHookSeesTheGradientsOfInputAndOutput) {
  // loss = sum(tanh(first(x)) ... ); for the last Linear, grad_input = grad_output·W.
  tg::nn::Sequential model = small_model();
  auto& last = dynamic_cast<tg::nn::Linear&>(model[2]);
  Tensor grad_in, grad_out;
  last.register_full_backward_hook([&](Module&, const Tensor& gi, const Tensor& go) {
    grad_in = gi;
    grad_out = go;
  });
  const Tensor w({{1.0, -2.0}, {0.5, 3.0}});
  const Tensor out = model(batch());
  (out.square() * w).sum().backward();
  // dL/d(out) = 2·out·w, and the last layer's input gradient is that times W.
  const Tensor expected_out = 2.0 * out.detach() * w;
  EXPECT_TRUE(tg::allclose(grad_out, expected_out, 1e-14, 1e-14));
  EXPECT_TRUE(tg::allclose(grad_in, tg::matmul(expected_out, last.weight().detach()), 1e-14, 1e-14));

  // The same grad_input by finite differences of the loss in the last layer's input.
  const Tensor hidden = tg::tanh(model[0](batch())).detach();
  const Tensor numeric = tg::numerical_gradient(
      [&](const Tensor& h) { return (tg::linear(h, last.weight(), last.bias()).square() * w).sum(); }, hidden);
  EXPECT_TRUE(tg::allclose(grad_in, numeric, 1e-7, 1e-8));
}

TEST(ModuleHooks, TheFirstLayersGradInputIsUndefinedWhenTheDataNeedNone) {
  tg::nn::Sequential model = small_model();
  int calls = 0;
  model[0].register_full_backward_hook([&](Module&, const Tensor& gi, const Tensor& go) {
    ++calls;
    EXPECT_FALSE(gi.defined());
    EXPECT_EQ(go.shape(), tg::Shape({2, 4}));
  });
  model(batch()).sum().backward();
  EXPECT_EQ(calls, 1);
}

TEST(ModuleHooks, ABackwardHookCanReplaceGradInput) {
  tg::nn::Sequential model = small_model();
  model[2].register_full_backward_hook(
      [](Module&, const Tensor& gi, const Tensor&) { return tg::zeros_like(gi); });
  model(batch()).sum().backward();
  const auto& first = dynamic_cast<tg::nn::Linear&>(model[0]);
  EXPECT_TRUE(tg::equal(first.weight().grad(), tg::zeros_like(first.weight())));
  const auto& last = dynamic_cast<tg::nn::Linear&>(model[2]);
  EXPECT_FALSE(tg::equal(last.weight().grad(), tg::zeros_like(last.weight())));
}

TEST(ModuleHooks, ParameterGradientsAreUnchangedByObservingHooks) {
  tg::nn::Sequential plain = small_model();
  tg::nn::Sequential hooked = small_model();
  for (std::size_t i = 0; i < 3; ++i) {
    hooked[i].register_forward_hook([](Module&, const Tensor&, const Tensor&) {});
    hooked[i].register_full_backward_hook([](Module&, const Tensor&, const Tensor&) {});
  }
  plain(batch()).square().sum().backward();
  hooked(batch()).square().sum().backward();
  const auto p = plain.parameters(), h = hooked.parameters();
  for (std::size_t k = 0; k < p.size(); ++k) EXPECT_TRUE(tg::equal(p[k].grad(), h[k].grad())) << k;
}

TEST(ModuleHooks, RemovedHooksNoLongerFire) {
  tg::nn::Sequential model = small_model();
  int pre = 0, post = 0, back = 0;
  tg::nn::RemovableHandle a = model[1].register_forward_pre_hook([&](Module&, const Tensor&) { ++pre; });
  tg::nn::RemovableHandle b = model[1].register_forward_hook([&](Module&, const Tensor&, const Tensor&) { ++post; });
  tg::nn::RemovableHandle c =
      model[1].register_full_backward_hook([&](Module&, const Tensor&, const Tensor&) { ++back; });
  model(batch()).sum().backward();
  a.remove();
  b.remove();
  c.remove();
  c.remove();  // a second remove() does nothing
  const std::size_t nodes_before = tg::Tape::current().size();
  const Tensor out = model(batch());
  EXPECT_EQ(tg::Tape::current().size() - nodes_before, 3u);  // linear, tanh, linear: no identity nodes
  out.sum().backward();
  EXPECT_EQ(pre, 1);
  EXPECT_EQ(post, 1);
  EXPECT_EQ(back, 1);
}

TEST(ModuleHooks, BackwardHooksFireOnEverySweepOfARetainedGraph) {
  tg::nn::Sequential model = small_model();
  int calls = 0;
  model[2].register_full_backward_hook([&](Module&, const Tensor&, const Tensor&) { ++calls; });
  const Tensor loss = model(batch()).sum();
  loss.backward({}, true);
  loss.backward();
  EXPECT_EQ(calls, 2);
}

TEST(ModuleHooks, ActivationsAndOutputGradientsOfEveryLinearLayer) {
  // What K-FAC gathers: each Linear's input (forward hook) and output gradient (backward hook).
  tg::nn::Sequential model = small_model();
  std::vector<Tensor> activations(3), output_grads(3);
  for (std::size_t i : {0u, 2u}) {
    model[i].register_forward_hook([&, i](Module&, const Tensor& in, const Tensor&) { activations[i] = in; });
    model[i].register_full_backward_hook(
        [&, i](Module&, const Tensor&, const Tensor& go) { output_grads[i] = go; });
  }
  const Tensor x = batch();
  model(x).sum().backward();
  // dW = Gᵀ·A for every Linear: the hooks give exactly the weight gradient.
  for (std::size_t i : {0u, 2u}) {
    const auto& layer = dynamic_cast<tg::nn::Linear&>(model[i]);
    EXPECT_TRUE(tg::allclose(tg::matmul(output_grads[i].t(), activations[i]), layer.weight().grad(), 1e-14, 1e-14));
  }
}

TEST(ModuleHooks, NoHooksNoExtraNodes) {
  tg::nn::Sequential model = small_model();
  const std::size_t before = tg::Tape::current().size();
  const Tensor out = model(batch());
  EXPECT_EQ(tg::Tape::current().size() - before, 3u);
  model[2].register_full_backward_hook([](Module&, const Tensor&, const Tensor&) {});
  const Tensor out2 = model(batch());
  const std::string tape = tg::Tape::current().str();
  EXPECT_NE(tape.find("BackwardHookFunction"), std::string::npos) << tape;
}

}  // namespace
