// Tensor construction, factories, element access, printing, xtensor views, in-place updates.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include <tapegrad/tapegrad.hpp>
#include <tapegrad/xtensor.hpp>
#include <xtensor-blas/xlinalg.hpp>

namespace {

TEST(Tensor, FromNestedLists) {
  const tg::Tensor s(3.5);
  EXPECT_EQ(s.ndim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_EQ(s.item(), 3.5);

  const tg::Tensor v{1.0, 2.0, 3.0};
  EXPECT_EQ(v.shape(), (tg::Shape{3}));
  const tg::Tensor m({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(m.shape(), (tg::Shape{2, 3}));
  EXPECT_EQ(m.at({1, 0}), 4.0);
  EXPECT_EQ(m.at({-1, -1}), 6.0);
  const tg::Tensor col = tg::tensor({{1.0}, {2.0}});
  EXPECT_EQ(col.shape(), (tg::Shape{2, 1}));
  const tg::Tensor cube = tg::tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
  EXPECT_EQ(cube.shape(), (tg::Shape{2, 2, 2}));
  EXPECT_EQ(cube.to_vector(), (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(tg::tensor({1.0}).shape(), (tg::Shape{1}));
  EXPECT_THROW(tg::tensor({{1.0, 2.0}, {3.0}}), tg::ShapeError);
  EXPECT_THROW(tg::tensor({{1.0, 2.0}, 3.0}), tg::ShapeError);
}

TEST(Tensor, Properties) {
  tg::Tensor t = tg::zeros({2, 3, 4});
  EXPECT_EQ(t.ndim(), 3);
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.size(1), 3);
  EXPECT_EQ(t.size(-1), 4);
  EXPECT_FALSE(t.requires_grad());
  t.set_requires_grad(true);
  EXPECT_TRUE(t.requires_grad());
  EXPECT_TRUE(t.is_leaf());
  EXPECT_EQ(t.grad_fn(), "");
}

TEST(Tensor, OnlyLeavesChangeRequiresGrad) {
  const tg::Tensor x = tg::ones({2}, true);
  tg::Tensor y = x * 2.0;
  EXPECT_THROW(y.set_requires_grad(false), tg::AutogradError);
  EXPECT_NO_THROW(y.set_requires_grad(true));
}

TEST(Tensor, HandlesShareTheTensor) {
  tg::Tensor a = tg::zeros({2});
  tg::Tensor b = a;
  b.fill_(7.0);
  EXPECT_EQ(a.to_vector(), (std::vector<double>{7.0, 7.0}));
  const tg::Tensor c = a.detach();
  a.fill_(1.0);
  EXPECT_EQ(c.to_vector(), (std::vector<double>{7.0, 7.0})) << "detach() copies";
}

TEST(Tensor, CloneIsRecordedDetachIsNot) {
  const tg::Tensor x = tg::tensor({1.0, 2.0}, true);
  const tg::Tensor c = x.clone();
  EXPECT_TRUE(c.requires_grad());
  EXPECT_EQ(c.grad_fn(), "clone");
  (c * 3.0).sum().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{3.0, 3.0}));
  const tg::Tensor d = x.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
}

TEST(Tensor, Factories) {
  EXPECT_EQ(tg::zeros({2}).to_vector(), (std::vector<double>{0, 0}));
  EXPECT_EQ(tg::ones({2}).to_vector(), (std::vector<double>{1, 1}));
  EXPECT_EQ(tg::full({2, 2}, 1.5).to_vector(), (std::vector<double>{1.5, 1.5, 1.5, 1.5}));
  EXPECT_TRUE(tg::ones({3}, true).requires_grad());
  EXPECT_EQ(tg::arange(4).to_vector(), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(tg::arange(1, 2, 0.25).to_vector(), (std::vector<double>{1, 1.25, 1.5, 1.75}));
  EXPECT_EQ(tg::arange(3, 0, -1).to_vector(), (std::vector<double>{3, 2, 1}));
  EXPECT_EQ(tg::linspace(0, 1, 5).to_vector(), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(tg::linspace(2, 3, 1).to_vector(), (std::vector<double>{2}));
  EXPECT_EQ(tg::linspace(2, 3, 0).numel(), 0);
  // torch.linspace(-5, 5, 7) in float64 (its middle element is -2.2e-16, ours exactly 0)
  const std::vector<double> torch_linspace{-5.0, -3.333333333333333, -1.6666666666666665, 0.0,
                                           1.6666666666666665, 3.333333333333333, 5.0};
  const std::vector<double> ours = tg::linspace(-5, 5, 7).to_vector();
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], torch_linspace[i], 1e-15);
  EXPECT_EQ(ours.front(), -5.0);
  EXPECT_EQ(ours.back(), 5.0);
  EXPECT_EQ(tg::eye(2).to_vector(), (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(tg::zeros_like(tg::ones({2, 3})).shape(), (tg::Shape{2, 3}));
  EXPECT_EQ(tg::full_like(tg::ones({2}), 4.0).to_vector(), (std::vector<double>{4, 4}));
}

TEST(Tensor, LargeTensorsLiveOnTheHeap) {
  tg::Tensor big = tg::arange(1000);
  EXPECT_EQ(big.at({999}), 999.0);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(big.data()) % 64, 0u) << "64-byte aligned";
}

TEST(Tensor, XtensorInterop) {
  const xt::xarray<double> a = {{1.0, 2.0}, {3.0, 4.0}};
  const tg::Tensor t(a);
  EXPECT_EQ(t.shape(), (tg::Shape{2, 2}));
  // value() is a view on the tensor's own values.
  const auto v = t.value();
  EXPECT_EQ(v.shape()[0], 2u);
  EXPECT_EQ(v(1, 0), 3.0);
  EXPECT_EQ(xt::sum(v)(), 10.0);
  EXPECT_EQ(v.data(), t.data());
  const xt::xarray<double> back = t.to_xarray();
  EXPECT_EQ(back, a);
  // tg::matmul agrees with xtensor-blas.
  tg::manual_seed(3);
  const tg::Tensor p = tg::randn({3, 5}), q = tg::randn({5, 2});
  const xt::xarray<double> expected = xt::linalg::dot(p.to_xarray(), q.to_xarray());
  EXPECT_TRUE(xt::allclose(tg::matmul(p, q).to_xarray(), expected, 1e-13, 1e-13));
}

TEST(Tensor, InPlaceUpdates) {
  tg::Tensor a = tg::tensor({1.0, 2.0, 3.0});
  a.add_(tg::tensor({1.0, 1.0, 1.0}));
  EXPECT_EQ(a.to_vector(), (std::vector<double>{2, 3, 4}));
  a.sub_(tg::tensor({2.0, 2.0, 2.0}), 0.5);
  EXPECT_EQ(a.to_vector(), (std::vector<double>{1, 2, 3}));
  a.mul_(tg::tensor(2.0));  // broadcast
  EXPECT_EQ(a.to_vector(), (std::vector<double>{2, 4, 6}));
  a.div_(tg::tensor({2.0, 4.0, 6.0}));
  EXPECT_EQ(a.to_vector(), (std::vector<double>{1, 1, 1}));
  a += 1.0;
  a *= 3.0;
  a -= 1.0;
  a /= 5.0;
  EXPECT_EQ(a.to_vector(), (std::vector<double>{1, 1, 1}));
  a.copy_(tg::tensor({7.0, 8.0, 9.0}));
  EXPECT_EQ(a.to_vector(), (std::vector<double>{7, 8, 9}));
  a.zero_();
  EXPECT_EQ(a.to_vector(), (std::vector<double>{0, 0, 0}));
  a += tg::ones({3});
  a -= tg::ones({3});
  a *= tg::full({3}, 2.0);
  a /= tg::full({3}, 2.0);
  EXPECT_EQ(a.to_vector(), (std::vector<double>{0, 0, 0}));
}

TEST(Tensor, PrintsLikePyTorch) {
  EXPECT_EQ(tg::tensor({1.5, 2.0}).str(), "tensor([1.5000, 2.0000])");
  EXPECT_EQ(tg::tensor({1.0, 2.0}).str(), "tensor([1., 2.])");
  EXPECT_EQ(tg::tensor({{1e-5, 1.0}}).str(), "tensor([[1.0000e-05, 1.0000e+00]])");
  EXPECT_EQ(tg::tensor({1e9, 1.0}).str(), "tensor([1.0000e+09, 1.0000e+00])");
  EXPECT_EQ(tg::tensor({{1.0, -2.5}, {3.25, 4.0}}).str(),
            "tensor([[ 1.0000, -2.5000],\n        [ 3.2500,  4.0000]])");
  EXPECT_EQ(tg::tensor(3.0, true).str(), "tensor(3., requires_grad=true)");
  const tg::Tensor x = tg::tensor(3.0, true);
  EXPECT_EQ((x * 2.0).str(), "tensor(6., grad_fn=<mul_scalar>)");
  EXPECT_EQ(tg::zeros({2, 0}).str(), "tensor([], size=(2, 0))");
  EXPECT_EQ(tg::Tensor().str(), "tensor(undefined)");
  EXPECT_EQ(tg::tensor({std::nan(""), INFINITY, 1.5}).str(), "tensor([   nan,    inf, 1.5000])");
  EXPECT_EQ(tg::arange(2000).str(),
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
            "        1.9990e+03])");
  EXPECT_EQ(tg::arange(1000, 1020).str(),
            "tensor([1000., 1001., 1002., 1003., 1004., 1005., 1006., 1007., 1008., 1009.,\n"
            "        1010., 1011., 1012., 1013., 1014., 1015., 1016., 1017., 1018., 1019.])");
  EXPECT_EQ(tg::arange(8).reshape({2, 2, 2}).str(),
            "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])");
  const tg::PrintOptions saved = tg::get_printoptions();
  tg::set_printoptions({.precision = 8});
  EXPECT_EQ(tg::tensor({1.0 / 3.0, 2.0}).str(), "tensor([0.33333333, 2.00000000])");
  tg::set_printoptions({.threshold = 5, .edgeitems = 1, .linewidth = 20});
  EXPECT_EQ(tg::arange(10, 16).str(), "tensor([10.,  ...,\n        15.])");
  tg::set_printoptions(saved);
  std::ostringstream os;
  os << tg::Shape{2, 3} << ' ' << tg::Shape{5} << ' ' << tg::Shape{};
  EXPECT_EQ(os.str(), "(2, 3) (5,) ()");
}

TEST(Tensor, MemberSpellings) {
  const tg::Tensor a = tg::tensor({{1.0, 4.0}, {9.0, 16.0}});
  EXPECT_EQ(a.sqrt().to_vector(), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(a.sum(0).to_vector(), (std::vector<double>{10, 20}));
  EXPECT_EQ(a.mean(1, true).shape(), (tg::Shape{2, 1}));
  EXPECT_EQ(a.max().item(), 16.0);
  EXPECT_EQ(a.min(1).to_vector(), (std::vector<double>{1, 9}));
  EXPECT_EQ(a.t().to_vector(), (std::vector<double>{1, 9, 4, 16}));
  EXPECT_EQ(a.matmul(tg::tensor({1.0, 1.0})).to_vector(), (std::vector<double>{5, 25}));
  EXPECT_EQ(a.reshape({4}).unsqueeze(0).squeeze().flatten().shape(), (tg::Shape{4}));
  EXPECT_EQ(a[1].to_vector(), (std::vector<double>{9, 16}));
  EXPECT_EQ(a.narrow(0, 1, 1).shape(), (tg::Shape{1, 2}));
  EXPECT_EQ(a.index_select(1, {1}).to_vector(), (std::vector<double>{4, 16}));
  EXPECT_EQ(a.var(false).item(), tg::var(a, false).item());
  EXPECT_NEAR(a.softmax(1).sum(1).to_vector()[0], 1.0, 1e-15);
  EXPECT_EQ(tg::equal(a.clamp(2.0, 10.0), tg::tensor({{2.0, 4.0}, {9.0, 10.0}})), true);
  EXPECT_TRUE(tg::allclose(a.log().exp(), a, 1e-14, 0.0));
  EXPECT_EQ(tg::gt(a, tg::tensor(5.0)).to_vector(), (std::vector<double>{0, 0, 1, 1}));
  EXPECT_EQ(tg::eq(a, a).to_vector(), (std::vector<double>{1, 1, 1, 1}));
  EXPECT_EQ(tg::le(a, tg::tensor({4.0, 4.0})).to_vector(), (std::vector<double>{1, 1, 0, 0}));
  EXPECT_EQ(a.gt(tg::tensor(5.0)).to_vector(), (std::vector<double>{0, 0, 1, 1}));
  EXPECT_EQ(a.ge(tg::tensor(4.0)).to_vector(), (std::vector<double>{0, 1, 1, 1}));
  EXPECT_EQ(a.lt(tg::tensor(4.0)).to_vector(), (std::vector<double>{1, 0, 0, 0}));
  EXPECT_EQ(a.eq(a.t()).to_vector(), (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(a.ne(a.t()).to_vector(), (std::vector<double>{0, 1, 1, 0}));
  EXPECT_TRUE(tg::equal(a.masked_fill(a.le(tg::tensor(4.0)), 0.0), tg::tensor({{0.0, 0.0}, {9.0, 16.0}})));
  const tg::Tensor x = tg::tensor({-1.5, 0.0, 2.0});
  EXPECT_TRUE(tg::equal(x.masked_fill(x.lt(tg::Tensor(0.0)), 0.0), tg::relu(x)));  // docs/ops.md
  EXPECT_EQ(a.flip({0}).to_vector(), (std::vector<double>{9, 16, 1, 4}));
  EXPECT_EQ(a.repeat({1, 2}).to_vector(), (std::vector<double>{1, 4, 1, 4, 9, 16, 9, 16}));
  EXPECT_EQ(a.tril().to_vector(), (std::vector<double>{1, 0, 9, 16}));
  EXPECT_EQ(a.triu(1).to_vector(), (std::vector<double>{0, 4, 0, 0}));
  EXPECT_EQ(a.prod(1).to_vector(), (std::vector<double>{4, 144}));
  EXPECT_EQ(a.cumsum(1).to_vector(), (std::vector<double>{1, 5, 9, 25}));
  EXPECT_EQ(a.cumprod(0).to_vector(), (std::vector<double>{1, 4, 9, 64}));
  EXPECT_EQ(tg::one_hot(tg::tensor({2.0, 0.0})).to_vector(), (std::vector<double>{0, 0, 1, 1, 0, 0}));
}

TEST(Tensor, ProdGradientAtZero) {
  // The product of the other elements, not prod / x (docs/ops.md).
  const tg::Tensor x = tg::tensor({2.0, 0.0, 3.0}, true);
  x.prod().backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{0, 6, 0}));
}

TEST(Tensor, ReductionsOverListsOfAxes) {
  const tg::Tensor a = tg::tensor({{{1.0, 2.0}, {3.0, 4.0}}, {{5.0, 6.0}, {7.0, 8.0}}});
  EXPECT_EQ(tg::sum(a, {0, 2}).to_vector(), (std::vector<double>{14, 22}));
  EXPECT_EQ(a.sum({-1, 0}, true).shape(), (tg::Shape{1, 2, 1}));
  EXPECT_EQ(a.amax({0, 1}).to_vector(), (std::vector<double>{7, 8}));
  EXPECT_EQ(a.amin().item(), 1.0);
  EXPECT_EQ(tg::amax(a, {}, true).shape(), (tg::Shape{1, 1, 1}));  // amax has no one-axis overload
  EXPECT_EQ(a.std({0, 1, 2}).item(), a.std().item());
  // An empty std::vector reduces every axis (as PyTorch); a bare {} is an int, axis 0, for
  // the reductions that also take one axis.
  EXPECT_EQ(tg::sum(a, std::vector<int>{}).item(), 36.0);
  EXPECT_TRUE(tg::equal(tg::sum(a, {}), tg::sum(a, 0)));
}

TEST(Tensor, SortAndTopkReturnValuesAndIndices) {
  const tg::Tensor x = tg::tensor({{3.0, 1.0, 2.0}, {0.0, 5.0, 4.0}}, true);
  auto [values, indices] = tg::topk(x, 2);
  EXPECT_EQ(values.to_vector(), (std::vector<double>{3, 2, 5, 4}));
  EXPECT_EQ(indices.to_vector(), (std::vector<double>{0, 2, 1, 2}));
  EXPECT_EQ(values.grad_fn(), "topk");
  // Positions are plain numbers: not differentiable, not recorded, even from x requiring grad.
  EXPECT_FALSE(indices.requires_grad());
  EXPECT_FALSE(x.argmax(1).requires_grad());
  EXPECT_FALSE(x.argsort().requires_grad());
  // ... and they index gather directly.
  EXPECT_TRUE(tg::equal(tg::gather(x, 1, indices), values));
  EXPECT_TRUE(tg::equal(tg::gather(x, 1, x.argmax(1, true)).squeeze(1), x.max(1)));
  const tg::ValuesAndIndices sorted = x.sort(1, true);
  EXPECT_EQ(sorted.values.grad_fn(), "sort");
  EXPECT_TRUE(tg::equal(sorted.indices, x.argsort(1, true)));
  EXPECT_EQ(x.argmin().item(), 3.0);  // the flat position
  // Tied values come in PyTorch's order, not in index order (docs/ops.md).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(tg::topk(tg::tensor({3.0, 1.0, 3.0, nan, 1.0}), 3).indices.to_vector(), (std::vector<double>{3, 2, 0}));
}

}  // namespace
