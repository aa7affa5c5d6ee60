// Bad input gets a tapegrad error whose message names the op and the shapes or values.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

void expect_contains(const std::string& text, std::initializer_list<const char*> parts) {
  for (const char* p : parts) EXPECT_NE(text.find(p), std::string::npos) << "'" << p << "' not in: " << text;
}

TEST(Errors, ShapesThatCannotBroadcast) {
  const tg::Tensor a = tg::ones({3, 4}), b = tg::ones({3});
  expect_contains(message_of<tg::ShapeError>([&] { (void)(a + b); }), {"add", "(3, 4)", "(3,)", "broadcast"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::maximum(a, b); }), {"maximum"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::where(tg::ones({2}), a, a); }), {"where", "(2,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::broadcast_to(a, {4, 3}); }),
                  {"broadcast_to", "(3, 4)", "(4, 3)"});
}

TEST(Errors, InPlaceCannotChangeShape) {
  tg::Tensor a = tg::ones({3});
  expect_contains(message_of<tg::ShapeError>([&] { a.add_(tg::ones({2, 3})); }), {"add_", "(2, 3)", "(3,)"});
}

TEST(Errors, MatmulInnerSizeMismatch) {
  const tg::Tensor a = tg::ones({2, 3}), b = tg::ones({4, 5});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::matmul(a, b); }),
                  {"matmul", "(2, 3)", "(4, 5)", "3 vs 4"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::matmul(tg::ones({3}), tg::ones({4})); }),
                  {"matmul", "(3,)", "(4,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::matmul(tg::tensor(2.0), a); }),
                  {"matmul", "at least one dimension"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::matmul(tg::ones({2, 2, 3}), tg::ones({3, 3, 1})); }),
                  {"matmul", "broadcast"});
}

TEST(Errors, LinearShapes) {
  const tg::Tensor x = tg::ones({5, 3}), w = tg::ones({4, 3});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::linear(tg::ones({5, 2}), w); }),
                  {"linear", "(5, 2)", "(4, 3)", "must be 3"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::linear(x, w, tg::ones({3})); }), {"linear", "bias (3,)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::linear(x, tg::ones({3})); }), {"linear", "2-D"});
}

TEST(Errors, BackwardOnNonScalarWithoutGradient) {
  const tg::Tensor x = tg::ones({3}, true);
  const tg::Tensor y = x * 2.0;
  expect_contains(message_of<tg::AutogradError>([&] { y.backward(); }), {"backward", "(3,)", "gradient"});
  expect_contains(message_of<tg::ShapeError>([&] { y.backward(tg::ones({2})); }), {"backward", "(2,)", "(3,)"});
}

TEST(Errors, BackwardOnTensorThatDoesNotRequireGrad) {
  const tg::Tensor x = tg::ones({3});
  const tg::Tensor y = (x * 2.0).sum();
  expect_contains(message_of<tg::AutogradError>([&] { y.backward(); }), {"backward", "does not require grad"});
  const tg::Tensor p = tg::ones({3}, true);
  tg::Tensor z;
  {
    tg::NoGradGuard guard;
    z = (p * 2.0).sum();
  }
  expect_contains(message_of<tg::AutogradError>([&] { z.backward(); }), {"NoGradGuard"});
}

TEST(Errors, ItemOnManyElements) {
  expect_contains(message_of<tg::ValueError>([] { (void)tg::ones({2, 3}).item(); }), {"item", "6 elements", "(2, 3)"});
  EXPECT_EQ(tg::ones({1, 1}).item(), 1.0);
}

TEST(Errors, ReshapeToDifferentSize) {
  const tg::Tensor a = tg::ones({2, 3});
  expect_contains(message_of<tg::ShapeError>([&] { (void)a.reshape({4, 2}); }),
                  {"reshape", "(2, 3)", "6 elements", "(4, 2)", "8 elements"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)a.reshape({4, -1}); }), {"reshape", "(4, -1)"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)a.reshape({-1, -1}); }), {"reshape", "only one"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)a.squeeze(0); }), {"squeeze", "size 2"});
}

TEST(Errors, AxisOutOfRange) {
  const tg::Tensor a = tg::ones({2, 3});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.sum(2); }), {"sum", "axis 2", "-2..1"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.mean(-3); }), {"mean", "axis -3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::softmax(a, 5); }), {"softmax", "axis 5"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.transpose(0, 2); }), {"transpose"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.permute({0, 0}); }), {"permute", "(0, 0)"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.unsqueeze(4); }), {"unsqueeze", "axis 4"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::concat({a, a}, 2); }), {"concat", "axis 2"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.size(3); }), {"size", "axis 3"});
}

TEST(Errors, IndexOutOfRange) {
  const tg::Tensor a = tg::ones({2, 3});
  expect_contains(message_of<tg::IndexError>([&] { (void)a[2]; }), {"select", "index 2", "size 2"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.index_select(1, {0, 3}); }), {"index_select", "index 3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.narrow(1, 2, 2); }), {"narrow", "size 3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.gather(1, tg::tensor({{0.0}, {3.0}})); }),
                  {"gather", "index value 3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.gather(1, tg::tensor({{0.5}, {1.0}})); }),
                  {"gather", "not an integer"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.at({0, 5}); }), {"at", "index 5"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.at({0}); }), {"at", "1 indices", "(2, 3)"});
}

TEST(Errors, JoinShapesMustMatch) {
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::concat({tg::ones({2, 3}), tg::ones({2, 4})}, 0); }),
                  {"concat", "(2, 4)", "(2, 3)"});
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::stack({tg::ones({2}), tg::ones({3})}); }),
                  {"stack", "(3,)"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::concat({}); }), {"concat", "non-empty"});
}

TEST(Errors, RaggedNestedLists) {
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::tensor({{1.0, 2.0}, {3.0}}); }), {"ragged"});
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::tensor({{{{{{{{{1.0}}}}}}}}}); }),
                  {"deeper than 8"});
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::tensor({1.0, 2.0, 3.0}, tg::Shape{2, 2}); }),
                  {"3 values", "(2, 2)"});
}

TEST(Errors, BadArguments) {
  expect_contains(message_of<tg::ValueError>([] { (void)tg::arange(0.0, 1.0, 0.0); }), {"arange"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::arange(1.0, 0.0, 1.0); }), {"arange"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::linspace(0.0, 1.0, -1); }), {"linspace"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::randint(3, 3, {2}); }), {"randint", "[3, 3)"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::max(tg::zeros({0})); }), {"max", "empty"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::clamp(tg::ones({2}), std::nullopt, std::nullopt); }),
                  {"clamp"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::softplus(tg::ones({2}), 0.0); }), {"softplus", "beta"});
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::zeros({1, 1, 1, 1, 1, 1, 1, 1, 1}); }),
                  {"9 dimensions", "at most 8"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::Tensor().shape(); }), {"undefined"});
  expect_contains(message_of<tg::ValueError>([] { (void)(tg::ones({2}) + tg::Tensor()); }), {"add", "undefined"});
}

TEST(Errors, MaxAndMinOfNothing) {
  // As PyTorch: an empty tensor has no largest element, and neither has an axis of size 0; an
  // axis of a tensor that is empty elsewhere reduces to an empty result.
  expect_contains(message_of<tg::ValueError>([] { (void)tg::min(tg::zeros({2, 0})); }), {"min", "empty", "(2, 0)"});
  expect_contains(message_of<tg::IndexError>([] { (void)tg::max(tg::zeros({2, 0}), 1); }),
                  {"max", "axis 1", "size 0", "(2, 0)"});
  expect_contains(message_of<tg::IndexError>([] { (void)tg::zeros({0, 3}).min(-2); }), {"min", "axis -2", "size 0"});
  EXPECT_EQ(tg::max(tg::zeros({0, 3}), 1).shape(), tg::Shape({0}));
}

TEST(Errors, PositionsAndOrder) {
  const tg::Tensor a = tg::ones({2, 3});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::topk(a, 4); }),
                  {"topk", "k = 4", "axis -1", "size 3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::topk(a, -1, 0); }), {"topk", "k = -1", "size 2"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::sort(a, 2); }), {"sort", "axis 2"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::argsort(a, -3); }), {"argsort", "axis -3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::argmax(a, 2); }), {"argmax", "axis 2"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::argmin(tg::zeros({0})); }), {"argmin", "empty"});
  expect_contains(message_of<tg::IndexError>([] { (void)tg::argmax(tg::zeros({3, 0}), 1); }),
                  {"argmax", "axis 1", "size 0"});
}

TEST(Errors, ListsOfAxes) {
  const tg::Tensor a = tg::ones({2, 3, 4});
  expect_contains(message_of<tg::ValueError>([&] { (void)tg::sum(a, {0, -3}); }),
                  {"sum", "axis 0", "more than once", "(0, -3)"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::std(a, {0, 3}); }), {"std", "axis 3"});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::amax(a, {-4}); }), {"amax", "axis -4"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::amax(tg::zeros({2, 0})); }), {"amax", "empty", "(2, 0)"});
  expect_contains(message_of<tg::IndexError>([] { (void)tg::amin(tg::zeros({2, 0}), {1}); }),
                  {"amin", "axis 1", "size 0"});
  EXPECT_EQ(tg::amax(tg::zeros({0, 3}), {1}).shape(), tg::Shape({0}));
}

TEST(Errors, FlipRepeatTriangles) {
  const tg::Tensor a = tg::ones({2, 3});
  expect_contains(message_of<tg::ValueError>([&] { (void)tg::flip(a, {1, -1}); }),
                  {"flip", "axis 1", "more than once", "(1, -1)"});
  expect_contains(message_of<tg::IndexError>([&] { (void)a.flip({2}); }), {"flip", "axis 2"});
  expect_contains(message_of<tg::ValueError>([&] { (void)tg::repeat(a, {2}); }),
                  {"repeat", "1 repeat count(s) (2,)", "(2, 3)", "2 dimensions"});
  expect_contains(message_of<tg::ValueError>([&] { (void)a.repeat({2, -1}); }), {"repeat", "negative", "(2, -1)"});
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::tril(tg::ones({3})); }), {"tril", "2 dimensions", "(3,)"});
  expect_contains(message_of<tg::ShapeError>([] { (void)tg::triu(tg::tensor(1.0)); }), {"triu", "()"});
  expect_contains(message_of<tg::ShapeError>([&] { (void)tg::masked_fill(a, tg::ones({2}), 0.0); }),
                  {"masked_fill", "(2, 3)", "(2,)"});
}

TEST(Errors, OneHotLabels) {
  const tg::Tensor labels = tg::tensor({0.0, 2.0, 1.0});
  expect_contains(message_of<tg::IndexError>([&] { (void)tg::one_hot(labels, 2); }),
                  {"one_hot", "label 2", "position 1", "num_classes = 2"});
  expect_contains(message_of<tg::IndexError>([] { (void)tg::one_hot(tg::tensor({1.0, -1.0})); }),
                  {"one_hot", "label -1", "position 1", "class index"});
  expect_contains(message_of<tg::IndexError>([] { (void)tg::one_hot(tg::tensor({0.5})); }), {"one_hot", "label 0.5"});
  expect_contains(message_of<tg::ValueError>([] { (void)tg::one_hot(tg::zeros({0})); }),
                  {"one_hot", "empty", "num_classes"});
  expect_contains(message_of<tg::ValueError>([&] { (void)tg::one_hot(labels, -2); }), {"one_hot", "-2"});
}

TEST(Errors, AnomalyDetectionNamesTheOp) {
  tg::set_detect_anomaly(true);
  const tg::Tensor x = tg::tensor({0.0, 1.0}, true);
  const tg::Tensor y = tg::sqrt(x).sum();  // d√x at 0 is inf
  const std::string msg = message_of<tg::AnomalyError>([&] { y.backward(); });
  tg::set_detect_anomaly(false);
  EXPECT_EQ(msg,
            "backward(): the derivative of 'sqrt' (node #0, output shape (2,)) produced Inf in the "
            "gradient of its input 0 (shape (2,), element 0)");
  EXPECT_EQ(tg::Tape::current().size(), 0u) << "a failed backward() still releases nothing it should keep";
}

TEST(Errors, AnomalyDetectionOffLetsNaNThrough) {
  const tg::Tensor x = tg::tensor({0.0, 1.0}, true);
  tg::log(x * 0.0).sum().backward();  // d log(0·x) = 0 · (1/0) = NaN
  EXPECT_TRUE(std::isnan(x.grad().at({0})));
}

TEST(Errors, AnomalyDetectionNamesNaN) {
  tg::set_detect_anomaly(true);
  const tg::Tensor x = tg::tensor({-1.0, 4.0}, true);
  const tg::Tensor y = tg::sqrt(x).sum();  // √-1 is NaN, and so is its derivative
  const std::string msg = message_of<tg::AnomalyError>([&] { y.backward(); });
  tg::set_detect_anomaly(false);
  expect_contains(msg, {"sqrt", "NaN"});
}

// The common mistake of a hand-written update, w = w - lr * w.grad(): w becomes a computed
// tensor, whose grad() backward() does not fill. grad() says so once per tensor, with the fix,
// and the operation that then meets the undefined tensor says what it may be.
TEST(Habits, GradOfANonLeafWarnsOnceAndNamesTheFix) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, /*requires_grad=*/true);
  tg::Tensor w = x * 2.0;
  (w * w).sum().backward();
  testing::internal::CaptureStderr();
  const tg::Tensor g = w.grad();
  const tg::Tensor again = w.grad();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(g.defined());
  EXPECT_FALSE(again.defined());
  expect_contains(err, {"tapegrad: warning: grad() of a tensor that is not a leaf (made by 'mul_scalar', shape (2,)) "
                        "is undefined", "retain_grad()", "tg::NoGradGuard no_grad; w.sub_(w.grad(), lr);"});
  EXPECT_EQ(err.find("warning"), err.rfind("warning")) << "warned twice:\n" << err;

  // A leaf without a gradient yet, and a non-leaf that retains its gradient, are not warned about.
  testing::internal::CaptureStderr();
  const tg::Tensor leaf = tg::tensor({1.0}, /*requires_grad=*/true);
  EXPECT_FALSE(leaf.grad().defined());
  tg::Tensor kept = leaf * 3.0;
  kept.retain_grad();
  kept.sum().backward();
  EXPECT_EQ(kept.grad().item(), 1.0);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");

  // The next step of the mistaken update fails with a message that points at the cause.
  const std::string m = message_of<tg::ValueError>([&] {
    testing::internal::CaptureStderr();
    tg::Tensor v = x * 2.0;
    (v * v).sum().backward();
    const tg::Tensor step = v.grad();
    (void)testing::internal::GetCapturedStderr();
    v = v - 0.1 * step;
  });
  expect_contains(m, {"mul_scalar: an input tensor is undefined", "the grad() of a tensor that backward() did not fill",
                      "retain_grad()"});
}

}  // namespace
