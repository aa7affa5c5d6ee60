// tg::nn::Module: registration and dotted names, train/eval, zero_grad, printing, moves, and
// the containers (Sequential, MLP) with their bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

std::vector<std::string> names_of(const tg::nn::Module& m) {
  std::vector<std::string> out;
  for (const auto& [name, t] : m.named_parameters()) out.push_back(name);
  return out;
}

// A module written the way a user would: its own parameter and two submodules.
class Block : public tg::nn::Module {
 public:
  Block() {
    scale_ = register_parameter("scale", tg::ones({1}));
    first_ = register_module("first", std::make_shared<tg::nn::Linear>(2, 3));
    register_module("act", std::make_shared<tg::nn::Tanh>());
    second_ = register_module("second", std::make_shared<tg::nn::Linear>(3, 1, false));
  }
  tg::Tensor forward(const tg::Tensor& x) override { return (*second_)(tg::tanh((*first_)(x))) * scale_; }

  tg::Tensor scale_;
  std::shared_ptr<tg::nn::Linear> first_, second_;

 private:
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> m) {
    Module::register_module(name, m);
    return m;
  }
};

// Exposes the protected registration functions to test their checks.
class Open : public tg::nn::Module {
 public:
  tg::Tensor forward(const tg::Tensor& x) override { return x; }
  using Module::register_module;
  using Module::register_parameter;
};

class WithSettings : public tg::nn::Module {
 public:
  WithSettings() { register_module("body", std::make_shared<tg::nn::ReLU>()); }
  tg::Tensor forward(const tg::Tensor& x) override { return x; }
  std::string extra_repr() const override { return "width=3\ndepth=2"; }
};

TEST(Module, CannotBeCopiedButCanBeMoved) {
  static_assert(!std::is_copy_constructible_v<tg::nn::Linear>);
  static_assert(!std::is_copy_assignable_v<tg::nn::Linear>);
  static_assert(std::is_move_constructible_v<tg::nn::Linear>);
  static_assert(std::is_move_constructible_v<tg::nn::MLP>);
  static_assert(!std::is_copy_constructible_v<tg::nn::Sequential>);
  tg::nn::MLP a({2, 4, 1});
  const std::vector<tg::Tensor> before = a.parameters();
  tg::nn::MLP b = std::move(a);
  const std::vector<tg::Tensor> after = b.parameters();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t k = 0; k < after.size(); ++k) EXPECT_TRUE(after[k].is_same(before[k]));
  EXPECT_EQ(b(tg::zeros({3, 2})).shape(), tg::Shape({3, 1}));
}

TEST(Module, OwnParametersComeFirstThenEachChildInOrder) {
  Block block;
  EXPECT_EQ(names_of(block), (std::vector<std::string>{"scale", "first.weight", "first.bias", "second.weight"}));
  const std::vector<tg::Tensor> params = block.parameters();
  ASSERT_EQ(params.size(), 4u);
  EXPECT_TRUE(params[0].is_same(block.scale_));
  EXPECT_TRUE(params[1].is_same(block.first_->weight()));
  EXPECT_TRUE(params[2].is_same(block.first_->bias()));
  EXPECT_TRUE(params[3].is_same(block.second_->weight()));
  for (const tg::Tensor& p : params) EXPECT_TRUE(p.requires_grad());
  const auto children = block.named_children();
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].first, "first");
  EXPECT_EQ(children[1].first, "act");
  EXPECT_EQ(children[1].second->type_name(), "Tanh");
  EXPECT_EQ(children[2].second.get(), block.second_.get());
}

TEST(Module, MlpParametersAreNamedAfterTheirPlaceInLayers) {
  tg::nn::MLP mlp({2, 8, 8, 1}, tg::nn::Activation::tanh);
  EXPECT_EQ(names_of(mlp), (std::vector<std::string>{"layers.0.weight", "layers.0.bias", "layers.2.weight",
                                                     "layers.2.bias", "layers.4.weight", "layers.4.bias"}));
  EXPECT_EQ(mlp.parameters()[2].shape(), tg::Shape({8, 8}));
  EXPECT_EQ(mlp.layers().size(), 5u);
  EXPECT_EQ(mlp.named_children().size(), 1u);
  EXPECT_EQ(mlp.named_children()[0].first, "layers");
}

TEST(Module, MlpWithDropoutPutsADropoutAfterEachActivation) {
  tg::nn::MLP mlp({3, 5, 5, 2}, tg::nn::Activation::relu, 0.25);
  EXPECT_EQ(names_of(mlp), (std::vector<std::string>{"layers.0.weight", "layers.0.bias", "layers.3.weight",
                                                     "layers.3.bias", "layers.6.weight", "layers.6.bias"}));
  EXPECT_EQ(mlp.layers()[2].str(), "Dropout(p=0.25)");
  EXPECT_EQ(mlp.layers()[5].type_name(), "Dropout");
}

TEST(Module, NestedSequentialNamesJoinWithDots) {
  tg::nn::Sequential inner(tg::nn::Linear(2, 3), tg::nn::ReLU());
  tg::nn::Sequential model(std::move(inner), tg::nn::Sequential(tg::nn::Linear(3, 3), tg::nn::Tanh()),
                           tg::nn::Linear(3, 1));
  EXPECT_EQ(names_of(model), (std::vector<std::string>{"0.0.weight", "0.0.bias", "1.0.weight", "1.0.bias", "2.weight",
                                                       "2.bias"}));
  EXPECT_EQ(model.size(), 3u);
}

TEST(Module, EachTensorIsListedOnceEvenWhenShared) {
  auto shared = std::make_shared<tg::nn::Linear>(2, 2);
  tg::nn::Sequential model;
  model.push_back(shared).push_back(tg::nn::Tanh()).push_back(shared);
  EXPECT_EQ(names_of(model), (std::vector<std::string>{"0.weight", "0.bias"}));
  Open open;
  const tg::Tensor t = tg::zeros({2});
  open.register_parameter("a", t);
  open.register_parameter("b", t);
  EXPECT_EQ(names_of(open), (std::vector<std::string>{"a"}));
}

TEST(Module, RegisterParameterSetsRequiresGradAndReturnsTheSameTensor) {
  Open open;
  const tg::Tensor t = tg::zeros({3});
  EXPECT_FALSE(t.requires_grad());
  const tg::Tensor p = open.register_parameter("w", t);
  EXPECT_TRUE(t.requires_grad());
  EXPECT_TRUE(p.is_same(t));
}

TEST(Module, BadRegistrationsAreRefused) {
  Open open;
  open.register_parameter("w", tg::zeros({1}));
  open.register_module("child", std::make_shared<tg::nn::ReLU>());
  EXPECT_THROW(open.register_parameter("", tg::zeros({1})), tg::ValueError);
  EXPECT_THROW(open.register_parameter("a.b", tg::zeros({1})), tg::ValueError);
  EXPECT_THROW(open.register_parameter("a=b", tg::zeros({1})), tg::ValueError);
  EXPECT_THROW(open.register_parameter("a b", tg::zeros({1})), tg::ValueError);
  EXPECT_THROW(open.register_parameter("x", tg::Tensor()), tg::ValueError);
  EXPECT_THROW(open.register_module("m", std::shared_ptr<tg::nn::ReLU>()), tg::ValueError);
  EXPECT_THROW(open.register_module("w", std::make_shared<tg::nn::ReLU>()), tg::ValueError);
  try {
    open.register_parameter("child", tg::zeros({1}));
    FAIL() << "a duplicate name was accepted";
  } catch (const tg::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("already has a submodule named 'child'"), std::string::npos) << e.what();
  }
  try {
    const tg::Tensor a = tg::ones({2}, true);
    open.register_parameter("y", a * 2.0);
    FAIL() << "a non-leaf was accepted";
  } catch (const tg::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("must be a leaf"), std::string::npos) << e.what();
  }
  EXPECT_EQ(names_of(open), (std::vector<std::string>{"w"}));
}

TEST(Module, TrainAndEvalReachEverySubmodule) {
  tg::nn::Sequential model(tg::nn::Sequential(tg::nn::Linear(2, 2), tg::nn::Dropout(0.5)), tg::nn::Dropout(0.1));
  auto inner = model.named_children()[0].second;
  auto dropout = inner->named_children()[1].second;
  EXPECT_TRUE(model.is_training());
  EXPECT_TRUE(dropout->is_training());
  EXPECT_EQ(&model.eval(), &model);
  EXPECT_FALSE(model.is_training());
  EXPECT_FALSE(inner->is_training());
  EXPECT_FALSE(dropout->is_training());
  EXPECT_FALSE(model[1].is_training());
  model.train();
  EXPECT_TRUE(dropout->is_training());
  model.train(false);
  EXPECT_FALSE(dropout->is_training());
  inner->train();  // a subtree can be switched on its own
  EXPECT_TRUE(dropout->is_training());
  EXPECT_FALSE(model.is_training());
}

TEST(Module, ZeroGradClearsOrZeroesEveryGradient) {
  tg::nn::MLP mlp({2, 3, 1});
  mlp(tg::ones({4, 2})).sum().backward();
  for (const tg::Tensor& p : mlp.parameters()) EXPECT_TRUE(p.grad().defined());
  mlp.zero_grad(false);
  for (const tg::Tensor& p : mlp.parameters()) {
    ASSERT_TRUE(p.grad().defined());
    EXPECT_TRUE(tg::equal(p.grad(), tg::zeros_like(p)));
  }
  mlp.zero_grad();
  for (const tg::Tensor& p : mlp.parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(Module, PrintsLikePyTorch) {
  tg::nn::Sequential model(tg::nn::Linear(2, 64), tg::nn::Tanh(), tg::nn::Linear(64, 1));
  EXPECT_EQ(model.str(),
            "Sequential(\n"
            "  (0): Linear(in_features=2, out_features=64, bias=True)\n"
            "  (1): Tanh()\n"
            "  (2): Linear(in_features=64, out_features=1, bias=True)\n"
            ")");
  std::ostringstream os;
  os << model;
  EXPECT_EQ(os.str(), model.str());
  EXPECT_EQ(tg::nn::Sequential().str(), "Sequential()");
  EXPECT_EQ(tg::nn::ReLU().str(), "ReLU()");
  EXPECT_EQ(tg::nn::Sigmoid().str(), "Sigmoid()");
  EXPECT_EQ(tg::nn::LeakyReLU().str(), "LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(tg::nn::Softplus().str(), "Softplus(beta=1.0, threshold=20.0)");
  EXPECT_EQ(tg::nn::Dropout().str(), "Dropout(p=0.5)");
  EXPECT_EQ(tg::nn::Dropout(1e-5).str(), "Dropout(p=1e-05)");
}

TEST(Module, UserModulesPrintTheirClassNameAndSettings) {
  Block block;
  EXPECT_EQ(block.type_name(), "Block");
  EXPECT_EQ(block.str(),
            "Block(\n"
            "  (first): Linear(in_features=2, out_features=3, bias=True)\n"
            "  (act): Tanh()\n"
            "  (second): Linear(in_features=3, out_features=1, bias=False)\n"
            ")");
  EXPECT_EQ(WithSettings().str(), "WithSettings(\n  width=3\n  depth=2\n  (body): ReLU()\n)");
}

TEST(Module, PythonFloatFormatting) {
  using tg::nn::detail::python_float;
  EXPECT_EQ(python_float(1.0), "1.0");
  EXPECT_EQ(python_float(0.1), "0.1");
  EXPECT_EQ(python_float(100000.0), "100000.0");
  EXPECT_EQ(python_float(1e16), "1e+16");
  EXPECT_EQ(python_float(0.0001), "0.0001");
  EXPECT_EQ(python_float(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(python_float(1.0 / 3.0), "0.3333333333333333");
}

TEST(Sequential, AppliesItsModulesInOrder) {
  tg::nn::Sequential model;
  const tg::Tensor x = tg::tensor({{-1.0, 2.0}});
  EXPECT_TRUE(model(x).is_same(x)) << "an empty Sequential is the identity";
  model.push_back(tg::nn::ReLU()).push_back(tg::nn::Tanh());
  EXPECT_TRUE(tg::allclose(model(x), tg::tensor({{0.0, std::tanh(2.0)}})));
  EXPECT_EQ(model[1].type_name(), "Tanh");
  EXPECT_THROW(model[2], tg::IndexError);
}

TEST(Linear, RejectsInputsOfTheWrongWidth) {
  tg::nn::Linear layer(3, 2);
  try {
    layer(tg::zeros({4, 2}));
    FAIL() << "a (4, 2) input was accepted";
  } catch (const tg::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("(4, 2)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(layer(tg::Tensor(1.0)), tg::ShapeError);
  EXPECT_THROW(tg::nn::Linear(-1, 2), tg::ValueError);
}

TEST(Mlp, RejectsBadSizesAndDropout) {
  EXPECT_THROW(tg::nn::MLP({3}), tg::ValueError);
  EXPECT_THROW(tg::nn::MLP({}), tg::ValueError);
  EXPECT_THROW(tg::nn::MLP({3, 0, 1}), tg::ValueError);
  EXPECT_THROW(tg::nn::MLP({3, 4, 1}, tg::nn::Activation::relu, 1.0), tg::ValueError);
  EXPECT_THROW(tg::nn::MLP({3, 4, 1}, tg::nn::Activation::relu, -0.1), tg::ValueError);
  tg::nn::MLP single({3, 2});  // one Linear, no activation
  EXPECT_EQ(single.layers().size(), 1u);
}

TEST(Mlp, MakeActivationBuildsEachKind) {
  EXPECT_EQ(tg::nn::make_activation(tg::nn::Activation::relu)->str(), "ReLU()");
  EXPECT_EQ(tg::nn::make_activation(tg::nn::Activation::leaky_relu)->str(), "LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(tg::nn::make_activation(tg::nn::Activation::tanh)->str(), "Tanh()");
  EXPECT_EQ(tg::nn::make_activation(tg::nn::Activation::sigmoid)->str(), "Sigmoid()");
  EXPECT_EQ(tg::nn::make_activation(tg::nn::Activation::softplus)->str(), "Softplus(beta=1.0, threshold=20.0)");
}

}  // namespace
