// Bad inputs: each raises a typed error whose message names the loss and the offending shapes
// or values, and records nothing on the tape.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <tapegrad/tapegrad.hpp>

namespace {

namespace F = tg::nn::functional;
using R = tg::nn::functional::Reduction;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Runs f, expects an exception of type E whose message contains every fragment.
template <class E>
void expect_error(const std::function<void()>& f, std::initializer_list<const char*> fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception thrown";
  } catch (const E& e) {
    const std::string message = e.what();
    for (const char* fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos) << "\"" << message << "\" lacks \"" << fragment << "\"";
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

using Loss = tg::Tensor (*)(const tg::Tensor&, const tg::Tensor&, R);

struct Named {
  const char* name;
  Loss loss;
};

const Named kElementwise[] = {
    {"mse_loss", [](const tg::Tensor& x, const tg::Tensor& y, R r) { return F::mse_loss(x, y, r); }},
    {"l1_loss", [](const tg::Tensor& x, const tg::Tensor& y, R r) { return F::l1_loss(x, y, r); }},
    {"huber_loss", [](const tg::Tensor& x, const tg::Tensor& y, R r) { return F::huber_loss(x, y, r); }},
    {"binary_cross_entropy",
     [](const tg::Tensor& x, const tg::Tensor& y, R r) { return F::binary_cross_entropy(x, y, r); }},
    {"binary_cross_entropy_with_logits",
     [](const tg::Tensor& x, const tg::Tensor& y, R r) { return F::binary_cross_entropy_with_logits(x, y, r); }},
};

TEST(LossErrors, ShapeMismatchNamesTheLossAndBothShapes) {
  for (const Named& l : kElementwise) {
    SCOPED_TRACE(l.name);
    const tg::Tensor x = tg::full({3, 2}, 0.5, true);
    expect_error<tg::ShapeError>([&] { l.loss(x, tg::full({3}, 0.5), R::mean); },
                                 {l.name, "input of shape (3, 2)", "target of shape (3,)"});
    // No broadcasting, not even of a 0-d target or a size-1 axis.
    expect_error<tg::ShapeError>([&] { l.loss(x, tg::tensor(0.5), R::sum); }, {l.name, "(3, 2)", "()"});
    expect_error<tg::ShapeError>([&] { l.loss(x, tg::full({3, 1}, 0.5), R::none); }, {"(3, 2)", "(3, 1)"});
  }
}

TEST(LossErrors, UndefinedTensors) {
  for (const Named& l : kElementwise) {
    SCOPED_TRACE(l.name);
    expect_error<tg::ValueError>([&] { l.loss(tg::Tensor(), tg::zeros({2}), R::mean); },
                                 {l.name, "input is undefined"});
    expect_error<tg::ValueError>([&] { l.loss(tg::zeros({2}), tg::Tensor(), R::mean); },
                                 {l.name, "target is undefined"});
  }
  expect_error<tg::ValueError>([] { F::cross_entropy(tg::Tensor(), tg::zeros({2})); }, {"cross_entropy: input"});
  expect_error<tg::ValueError>([] { F::nll_loss(tg::zeros({2, 3}), tg::Tensor()); }, {"nll_loss: target"});
}

TEST(LossErrors, UnknownReduction) {
  const R bad = static_cast<R>(7);
  for (const Named& l : kElementwise) {
    expect_error<tg::ValueError>([&] { l.loss(tg::zeros({2}), tg::zeros({2}), bad); }, {l.name, "unknown reduction 7"});
  }
  expect_error<tg::ValueError>(
      [&] {
        F::cross_entropy(tg::zeros({2, 3}), tg::zeros({2}), bad);
      },
      {"cross_entropy", "unknown reduction 7"});
  expect_error<tg::ValueError>([&] { F::nll_loss(tg::zeros({2, 3}), tg::zeros({2}), bad); }, {"nll_loss", "reduction"});
  expect_error<tg::ValueError>([&] { tg::nn::MSELoss{bad}; }, {"MSELoss", "unknown reduction 7"});
  expect_error<tg::ValueError>([&] { tg::nn::CrossEntropyLoss{bad}; }, {"CrossEntropyLoss", "reduction"});
}

TEST(LossErrors, MeanOfAnEmptyInput) {
  expect_error<tg::ValueError>([] { F::mse_loss(tg::zeros({0}), tg::zeros({0})); }, {"mse_loss", "empty", "(0,)"});
  EXPECT_EQ(F::mse_loss(tg::zeros({0}), tg::zeros({0}), R::sum).item(), 0.0);
  EXPECT_EQ(F::l1_loss(tg::zeros({0, 3}), tg::zeros({0, 3}), R::none).shape(), tg::Shape({0, 3}));
}

TEST(LossErrors, HuberDeltaMustBePositive) {
  const tg::Tensor x = tg::zeros({2});
  for (const double delta : {0.0, -1.0, kNaN, std::numeric_limits<double>::infinity()}) {
    expect_error<tg::ValueError>([&] { F::huber_loss(x, x, R::mean, delta); }, {"huber_loss: delta"});
    expect_error<tg::ValueError>([&] { tg::nn::HuberLoss(R::mean, delta); }, {"HuberLoss: delta"});
  }
  expect_error<tg::ValueError>([&] { F::huber_loss(x, x, R::mean, -0.5); }, {"got -0.5"});
}

TEST(LossErrors, BCEProbabilitiesOutsideZeroOne) {
  const tg::Tensor y = tg::tensor({1.0, 0.0, 1.0});
  expect_error<tg::ValueError>(
      [&] {
        F::binary_cross_entropy(tg::tensor({0.5, 1.5, 0.2}), y);
      },
      {"binary_cross_entropy", "input value 1.5 at position 1", "outside [0, 1]", "with_logits"});
  expect_error<tg::ValueError>(
      [&] {
        F::binary_cross_entropy(tg::tensor({0.5, 0.5, -0.001}), y);
      },
      {"input value -0.001 at position 2"});
  expect_error<tg::ValueError>(
      [&] {
        F::binary_cross_entropy(tg::tensor({kNaN, 0.5, 0.5}), y);
      },
      {"input value nan at position 0"});
}

TEST(LossErrors, BCETargetsOutsideZeroOne) {
  const tg::Tensor p = tg::tensor({0.5, 0.5});
  expect_error<tg::ValueError>(
      [&] {
        F::binary_cross_entropy(p, tg::tensor({1.0, 2.0}));
      },
      {"binary_cross_entropy", "target value 2 at position 1", "outside [0, 1]"});
  expect_error<tg::ValueError>(
      [&] {
        F::binary_cross_entropy_with_logits(p, tg::tensor({-1.0, 0.0}));
      },
      {"binary_cross_entropy_with_logits", "target value -1 at position 0"});
  // Logits may be any number.
  EXPECT_NO_THROW(F::binary_cross_entropy_with_logits(tg::tensor({-5.0, 7.0}), tg::tensor({0.0, 1.0})));
}

TEST(LossErrors, ClassIndicesOutOfRange) {
  const tg::Tensor z = tg::zeros({3, 4});
  expect_error<tg::IndexError>(
      [&] {
        F::cross_entropy(z, tg::tensor({0.0, 4.0, 1.0}));
      },
      {"cross_entropy", "target value 4 at position 1", "[0, 4)"});
  expect_error<tg::IndexError>(
      [&] {
        F::cross_entropy(z, tg::tensor({0.0, 1.0, -1.0}));
      },
      {"target value -1 at position 2"});
  expect_error<tg::IndexError>(
      [&] {
        F::nll_loss(z, tg::tensor({9.0, 1.0, 1.0}));
      },
      {"nll_loss", "target value 9 at position 0", "[0, 4)"});
  expect_error<tg::IndexError>([&] { F::cross_entropy(tg::zeros({4}), tg::tensor(4.0)); }, {"target value 4"});
}

TEST(LossErrors, ClassIndicesThatAreNotIntegers) {
  const tg::Tensor z = tg::zeros({3, 4});
  expect_error<tg::ValueError>(
      [&] {
        F::cross_entropy(z, tg::tensor({0.0, 1.5, 1.0}));
      },
      {"cross_entropy", "target value 1.5 at position 1", "not an integer"});
  expect_error<tg::ValueError>(
      [&] {
        F::nll_loss(z, tg::tensor({0.0, 1.0, kNaN}));
      },
      {"nll_loss", "target value nan at position 2"});
}

TEST(LossErrors, ClassificationShapes) {
  expect_error<tg::ShapeError>(
      [] {
        F::cross_entropy(tg::zeros({3, 4}), tg::zeros({3, 1}));
      },
      {"cross_entropy", "target of shape (3, 1)", "input of shape (3, 4)", "need shape (3,)", "class probabilities"});
  expect_error<tg::ShapeError>([] { F::cross_entropy(tg::zeros({3, 4}), tg::zeros({4})); }, {"(4,)", "(3, 4)"});
  expect_error<tg::ShapeError>(
      [] {
        F::cross_entropy(tg::zeros({2, 3, 4}), tg::zeros({2, 3}));
      },
      {"need shape (2, 4)"});
  expect_error<tg::ShapeError>([] { F::cross_entropy(tg::tensor(1.0), tg::tensor(0.0)); },
                               {"cross_entropy", "no class axis"});
  expect_error<tg::ShapeError>(
      [] {
        F::nll_loss(tg::zeros({3, 4}), tg::zeros({3, 4}));
      },
      {"nll_loss", "target of shape (3, 4)", "need shape (3,)"});
}

TEST(LossErrors, L2PenaltyArguments) {
  const tg::Tensor w = tg::ones({2}, true);
  expect_error<tg::ValueError>([&] { F::l2_penalty({w}, -1e-3); }, {"l2_penalty", "lambda", "-0.001"});
  expect_error<tg::ValueError>([&] { F::l2_penalty({w}, kNaN); }, {"l2_penalty", "nan"});
  expect_error<tg::ValueError>(
      [&] {
        F::l2_penalty({w, tg::Tensor()}, 0.1);
      },
      {"l2_penalty: parameter 1 is undefined"});
}

TEST(LossErrors, ABadCallRecordsNothing) {
  const tg::Tensor x = tg::tensor({0.5, 2.0}, true);
  const std::size_t before = tg::Tape::current().size();
  EXPECT_THROW(F::binary_cross_entropy(x, tg::tensor({0.0, 1.0})), tg::ValueError);
  EXPECT_THROW(F::cross_entropy(tg::zeros({2, 3}, true), tg::tensor({0.0, 3.0})), tg::IndexError);
  EXPECT_EQ(tg::Tape::current().size(), before);
}

}  // namespace
