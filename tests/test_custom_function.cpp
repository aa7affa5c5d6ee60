// Custom functions (tg::autograd::Function): values, gradients against known derivatives and
// finite differences, the libtorch contract, and every way a user's function can be wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

using tg::Tensor;
using tg::autograd::AutogradContext;
using tg::autograd::variable_list;

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

// The same forward with a wrong derivative: 1/d instead of 1/d².
struct WrongSoftsign : tg::autograd::Function<WrongSoftsign> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x / (1 + x.abs());
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    const Tensor x = ctx->get_saved_variables()[0];
    return {grad_output[0] / (1 + x.abs())};
  }
};

// A non-tensor argument, kept in saved_data.
struct ScaleBy : tg::autograd::Function<ScaleBy> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x, double factor) {
    ctx->saved_data["factor"] = factor;
    return x * factor;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    return {grad_output[0] * ctx->saved_data["factor"].toDouble(), Tensor()};
  }
};

// Two tensor inputs; records which gradients were asked for.
struct MulAdd : tg::autograd::Function<MulAdd> {
  static inline bool needs[3] = {false, false, false};
  static Tensor forward(AutogradContext* ctx, const Tensor& a, const Tensor& b, const Tensor& c) {
    ctx->save_for_backward({a, b});
    return a * b + c;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_output) {
    for (std::size_t i = 0; i < 3; ++i) needs[i] = ctx->needs_input_grad(i);
    const variable_list s = ctx->get_saved_variables();
    const Tensor g = grad_output[0];
    return {ctx->needs_input_grad(0) ? g * s[1] : Tensor(), ctx->needs_input_grad(1) ? g * s[0] : Tensor(),
            ctx->needs_input_grad(2) ? g : Tensor()};
  }
};

// Two outputs.
struct SinCos : tg::autograd::Function<SinCos> {
  static variable_list forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return {x.sin(), x.cos()};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    const Tensor x = ctx->get_saved_variables()[0];
    return {g[0] * x.cos() - g[1] * x.sin()};
  }
};

// Saves its output, as exp's derivative is its value.
struct Exp : tg::autograd::Function<Exp> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    Tensor y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    return {g[0] * ctx->get_saved_variables()[0]};
  }
};

// The largest element and its position: the position is not differentiable.
struct MaxWithIndex : tg::autograd::Function<MaxWithIndex> {
  static variable_list forward(AutogradContext* ctx, const Tensor& x) {
    const std::vector<double> v = x.to_vector();
    const auto at = std::max_element(v.begin(), v.end()) - v.begin();
    ctx->saved_data["at"] = static_cast<int64_t>(at);
    ctx->saved_data["n"] = static_cast<int64_t>(v.size());
    Tensor index(static_cast<double>(at));
    ctx->mark_non_differentiable({index});
    return {Tensor(v[static_cast<std::size_t>(at)]), index};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    std::vector<double> grad(static_cast<std::size_t>(ctx->saved_data["n"].toInt()), 0.0);
    grad[static_cast<std::size_t>(ctx->saved_data["at"].toInt())] = g[0].item();
    return {tg::tensor(grad, tg::Shape{static_cast<int64_t>(grad.size())})};
  }
};

struct Identity : tg::autograd::Function<Identity> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};

// A gradient of the output's shape for an input that was broadcast.
struct AddBroadcast : tg::autograd::Function<AddBroadcast> {
  static Tensor forward(AutogradContext*, const Tensor& a, const Tensor& b) { return a + b; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};

struct TooManyGradients : tg::autograd::Function<TooManyGradients> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};
struct NoGradients : tg::autograd::Function<NoGradients> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static variable_list backward(AutogradContext*, variable_list) { return {}; }
};
struct WrongShape : tg::autograd::Function<WrongShape> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static variable_list backward(AutogradContext*, variable_list) { return {tg::ones({3})}; }
};
struct GradientForNumber : tg::autograd::Function<GradientForNumber> {
  static Tensor forward(AutogradContext*, const Tensor& x, double) { return x * 2.0; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};
struct NanBackward : tg::autograd::Function<NanBackward> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * std::nan("")}; }
};
struct UndefinedOutput : tg::autograd::Function<UndefinedOutput> {
  static Tensor forward(AutogradContext*, const Tensor&) { return Tensor(); }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};

Tensor leaf(std::initializer_list<tg::NestedList> values) {
  Tensor t(values);
  t.set_requires_grad();
  return t;
}

TEST(CustomFunction, SoftsignValueAndGradientAreTheKnownOnes) {
  const Tensor x = leaf({-2.0, -0.5, 0.0, 0.5, 3.0});
  const Tensor y = Softsign::apply(x);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), "Softsign");
  y.sum().backward();
  const std::vector<double> xs = x.to_vector();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double d = 1.0 + std::fabs(xs[i]);
    EXPECT_DOUBLE_EQ(y.to_vector()[i], xs[i] / d);
    EXPECT_DOUBLE_EQ(x.grad().to_vector()[i], 1.0 / (d * d));
  }
  EXPECT_TRUE(tg::allclose(y, tg::softsign(x.detach()), 0.0, 1e-15));
}

TEST(CustomFunction, GradcheckPassesARightBackwardAndCatchesAWrongOne) {
  const Tensor x = leaf({{-1.5, 0.3, 2.0}, {0.7, -0.2, 1.1}});
  EXPECT_TRUE(tg::gradcheck([](const std::vector<Tensor>& v) { return Softsign::apply(v[0]); }, {x}));
  const tg::GradcheckReport bad =
      tg::gradcheck([](const std::vector<Tensor>& v) { return WrongSoftsign::apply(v[0]); }, {x});
  EXPECT_FALSE(bad.passed);
  EXPECT_FALSE(bad.inputs[0].passed);
}

TEST(CustomFunction, NonTensorArgumentsAndSavedData) {
  const Tensor x = leaf({1.0, 2.0});
  ScaleBy::apply(x, 2.5).sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{2.5, 2.5}));
}

TEST(CustomFunction, NeedsInputGradFollowsTheInputs) {
  const Tensor a = leaf({1.0, 2.0});
  const Tensor b({3.0, 4.0});
  const Tensor c = leaf({0.5, 0.5});
  MulAdd::apply(a, b, c).sum().backward();
  EXPECT_TRUE(MulAdd::needs[0]);
  EXPECT_FALSE(MulAdd::needs[1]);
  EXPECT_TRUE(MulAdd::needs[2]);
  EXPECT_EQ(a.grad().to_vector(), (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(c.grad().to_vector(), (std::vector<double>{1.0, 1.0}));
  EXPECT_FALSE(b.grad().defined());
}

TEST(CustomFunction, SeveralOutputsGetTheirGradientsTogether) {
  const Tensor x = leaf({0.3, -1.2, 2.0});
  const variable_list sc = SinCos::apply(x);
  ASSERT_EQ(sc.size(), 2u);
  EXPECT_EQ(sc[0].grad_fn(), "SinCos");
  (sc[0] * 2.0 + sc[1] * 3.0).sum().backward();
  const std::vector<double> xs = x.to_vector();
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(sc[0].to_vector()[i], std::sin(xs[i]));
    EXPECT_NEAR(x.grad().to_vector()[i], 2.0 * std::cos(xs[i]) - 3.0 * std::sin(xs[i]), 1e-15);
  }
  // Only one output used: the other one's gradient is zero.
  const Tensor z = leaf({0.3, -1.2});
  SinCos::apply(z)[1].sum().backward();
  EXPECT_NEAR(z.grad().to_vector()[0], -std::sin(0.3), 1e-15);
  EXPECT_TRUE(tg::gradcheck(
      [](const std::vector<Tensor>& v) {
        const variable_list o = SinCos::apply(v[0]);
        return o[0] * o[1] + o[1];
      },
      {x}));
}

TEST(CustomFunction, ASavedOutputIsTheOutput) {
  const Tensor x = leaf({0.5, -1.0});
  Exp::apply(x).sum().backward();
  EXPECT_DOUBLE_EQ(x.grad().to_vector()[0], std::exp(0.5));
  EXPECT_DOUBLE_EQ(x.grad().to_vector()[1], std::exp(-1.0));
  EXPECT_TRUE(tg::gradcheck([](const std::vector<Tensor>& v) { return Exp::apply(v[0]).square(); }, {x}));
}

TEST(CustomFunction, NonDifferentiableOutputsDoNotRequireGrad) {
  const Tensor x = leaf({0.5, 4.0, -1.0});
  const variable_list out = MaxWithIndex::apply(x);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  EXPECT_EQ(out[1].item(), 1.0);
  out[0].backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{0.0, 1.0, 0.0}));
}

TEST(CustomFunction, AnInputReturnedAsItIsIsCopied) {
  const Tensor x = leaf({1.0, 2.0});
  const Tensor y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_TRUE(x.is_leaf());
  EXPECT_FALSE(y.is_leaf());
  (y * y).sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{2.0, 4.0}));
}

TEST(CustomFunction, AGradientOfTheBroadcastShapeIsSummedBack) {
  const Tensor a = leaf({{1.0, 2.0}, {3.0, 4.0}});
  const Tensor b = leaf({10.0, 20.0});
  AddBroadcast::apply(a, b).sum().backward();
  EXPECT_EQ(b.grad().to_vector(), (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(a.grad().to_vector(), (std::vector<double>{1.0, 1.0, 1.0, 1.0}));
}

TEST(CustomFunction, IsANodeOfItsOwnNameOnTheTape) {
  Tensor x = leaf({1.0, 2.0});
  x.set_name("x");
  const Tensor y = Softsign::apply(x);
  const std::string text = tg::Tape::current().str();
  EXPECT_NE(text.find("Softsign (2,) <- x (2,)"), std::string::npos) << text;
  EXPECT_NE(tg::Tape::current().to_dot().find("Softsign"), std::string::npos);
  y.sum().backward();
  EXPECT_TRUE(tg::Tape::current().empty());
}

TEST(CustomFunction, AGraphThatOutlivesItsThreadsTapeKeepsItsValues) {
  // The thread's tape is destroyed with custom nodes still live; their saved tensors are
  // freed, and the output keeps its values (AddressSanitizer watches this in CI).
  Tensor z;
  std::thread worker([&z] {
    const Tensor x = leaf({1.0, -3.0});
    const Tensor y = Softsign::apply(x * 2.0);
    z = SinCos::apply(Softsign::apply(y))[1];
  });
  worker.join();
  EXPECT_FALSE(z.is_leaf());
  EXPECT_NEAR(z.to_vector()[0], std::cos((2.0 / 3.0) / (1.0 + 2.0 / 3.0)), 1e-15);
  EXPECT_THROW(z.sum().backward(), tg::AutogradError);
}

TEST(CustomFunction, NoGradGuardRecordsNothing) {
  const Tensor x = leaf({1.0, 2.0});
  tg::NoGradGuard no_grad;
  const Tensor y = Softsign::apply(x);
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(tg::Tape::current().empty());
}

TEST(CustomFunction, RetainGraphAllowsASecondSweep) {
  const Tensor x = leaf({1.0, -2.0});
  const Tensor loss = Softsign::apply(x).sum();
  loss.backward({}, true);
  loss.backward();
  EXPECT_DOUBLE_EQ(x.grad().to_vector()[0], 2.0 * 0.25);
  EXPECT_THROW(loss.backward(), tg::AutogradError);
}

TEST(CustomFunction, ASavedTensorChangedInPlaceIsRefused) {
  Tensor x = leaf({1.0, 2.0});
  const Tensor loss = Softsign::apply(x).sum();
  {
    tg::NoGradGuard no_grad;
    x.add_(1.0);
  }
  const std::string m = message_of<tg::AutogradError>([&] { loss.backward(); });
  EXPECT_NE(m.find("saved by Softsign.forward was modified in place"), std::string::npos) << m;
}

TEST(CustomFunction, ASavedOutputChangedInPlaceIsRefused) {
  const Tensor x = leaf({1.0, 2.0});
  Tensor y = Exp::apply(x);
  const Tensor loss = (y * 2.0).sum();
  {
    tg::NoGradGuard no_grad;
    y.mul_(3.0);
  }
  const std::string m = message_of<tg::AutogradError>([&] { loss.backward(); });
  EXPECT_NE(m.find("output of Exp"), std::string::npos) << m;
}

TEST(CustomFunction, WrongGradientsAreErrorsNamingTheFunction) {
  const Tensor x = leaf({1.0, 2.0});
  std::string m = message_of<tg::AutogradError>([&] { TooManyGradients::apply(x).sum().backward(); });
  EXPECT_NE(m.find("TooManyGradients.backward returned 2 gradients, but forward() took 1 input"),
            std::string::npos) << m;
  m = message_of<tg::AutogradError>([&] { NoGradients::apply(x).sum().backward(); });
  EXPECT_NE(m.find("NoGradients.backward returned 0 gradients"), std::string::npos) << m;
  m = message_of<tg::ShapeError>([&] { WrongShape::apply(x).sum().backward(); });
  EXPECT_NE(m.find("WrongShape.backward returned a gradient of shape (3,) for input 0 of shape (2,)"),
            std::string::npos) << m;
  m = message_of<tg::AutogradError>([&] { GradientForNumber::apply(x, 3.0).sum().backward(); });
  EXPECT_NE(m.find("GradientForNumber.backward returned a gradient for input 1, which is not a tensor"),
            std::string::npos) << m;
  m = message_of<tg::ValueError>([&] { UndefinedOutput::apply(x); });
  EXPECT_NE(m.find("UndefinedOutput.forward returned an undefined tensor as output 0"), std::string::npos) << m;
  // After a failed sweep the tape is usable again.
  Softsign::apply(x).sum().backward();
  EXPECT_TRUE(x.grad().defined());
}

TEST(CustomFunction, AnomalyModeNamesTheFunction) {
  const Tensor x = leaf({1.0, 2.0});
  tg::set_detect_anomaly(true);
  const std::string m = message_of<tg::AnomalyError>([&] { NanBackward::apply(x).sum().backward(); });
  tg::set_detect_anomaly(false);
  EXPECT_NE(m.find("'NanBackward'"), std::string::npos) << m;
}

TEST(CustomFunction, SavedDataOfTheWrongKindIsAClearError) {
  tg::autograd::IValue v(2.5);
  EXPECT_EQ(v.toDouble(), 2.5);
  EXPECT_EQ(tg::autograd::IValue(int64_t{3}).toDouble(), 3.0);
  const std::string m = message_of<tg::ValueError>([&] { v.toInt(); });
  EXPECT_EQ(m, "saved_data: the value holds a double, not a int");
  EXPECT_EQ(tg::autograd::IValue(std::vector<int64_t>{1, 2}).toIntVector().size(), 2u);
  EXPECT_EQ(tg::autograd::IValue("relu").toStringRef(), "relu");
}

TEST(CustomFunction, NeedsInputGradOutOfRangeIsAnIndexError) {
  struct Probe : tg::autograd::Function<Probe> {
    static Tensor forward(AutogradContext* ctx, const Tensor& x) {
      ctx->needs_input_grad(3);
      return x;
    }
    static variable_list backward(AutogradContext*, variable_list g) { return g; }
  };
  const Tensor x = leaf({1.0});
  const std::string m = message_of<tg::IndexError>([&] { Probe::apply(x); });
  EXPECT_NE(m.find("needs_input_grad(3), but forward() took 1 inputs"), std::string::npos) << m;
}

}  // namespace
