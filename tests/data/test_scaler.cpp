// StandardScaler: scikit-learn's numbers on iris's train rows, the divide-by-1 rule for constant
// features (digits' border pixels, and a column whose variance is only rounding noise), a hand
// example, the inverse, the refused inputs, and gradcheck of transform.
#include <gtest/gtest.h>

#include <cmath>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"

namespace {

using tg::data::StandardScaler;

TEST(StandardScaler, HandExample) {
  const tg::Tensor X = tg::tensor({{1, 10}, {3, 10}, {5, 10}});
  StandardScaler scaler;
  EXPECT_FALSE(scaler.fitted());
  const tg::Tensor Z = scaler.fit_transform(X);
  EXPECT_TRUE(scaler.fitted());
  EXPECT_EQ(scaler.mean().to_vector(), (std::vector<double>{3, 10}));
  EXPECT_EQ(scaler.var().to_vector(), (std::vector<double>{8.0 / 3, 0}));
  EXPECT_EQ(scaler.scale().to_vector(), (std::vector<double>{std::sqrt(8.0 / 3), 1}));
  const double z = 2 / std::sqrt(8.0 / 3);  // 1.2247...
  EXPECT_EQ(Z.to_vector(), (std::vector<double>{-z, 0, 0, 0, z, 0}));
  EXPECT_TRUE(tg::allclose(scaler.inverse_transform(Z), X, 0, 1e-14));
}

// Two values one ulp apart have a variance (1.2e-32) that rounding alone could produce: the
// column counts as constant (scale 1) instead of being divided by 1.1e-16. A difference of 1e-7
// is real (scikit-learn: var_ 2.5000000029193356e-15, scale_ 5.000000002919336e-08).
TEST(StandardScaler, RoundingNoiseIsNoVariance) {
  StandardScaler scaler;
  scaler.fit(tg::tensor({{1.0}, {std::nextafter(1.0, 2.0)}}));
  EXPECT_EQ(scaler.var().item(), 1.232595164407831e-32);
  EXPECT_EQ(scaler.scale().item(), 1.0);
  scaler.fit(tg::tensor({{1.0}, {1.0 + 1e-7}}));
  EXPECT_DOUBLE_EQ(scaler.var().item(), 2.5000000029193356e-15);
  EXPECT_DOUBLE_EQ(scaler.scale().item(), 5.000000002919336e-08);
}

// sklearn.preprocessing.StandardScaler().fit(iris[train_rows, :4]): mean_, scale_, and
// transform of rows 0 and 1.
TEST(StandardScaler, IrisTrainRowsAsScikitLearn) {
  const auto [train, test] = tg::data::load_dataset("iris");
  StandardScaler scaler;
  scaler.fit(train.X);
  const std::vector<double> mean = {5.857500000000003, 3.0491666666666677, 3.7591666666666677, 1.2075000000000002};
  const std::vector<double> scale = {0.8514362865182574, 0.44515836757520605, 1.7808001868698113, 0.7636712316173762};
  for (int j = 0; j < 4; ++j) {
    EXPECT_DOUBLE_EQ(scaler.mean().at({j}), mean[j]) << j;
    EXPECT_DOUBLE_EQ(scaler.scale().at({j}), scale[j]) << j;
  }
  const tg::Tensor all = tg::data::read_csv(tg::data::find_dataset("iris")).dataset.X;
  const std::vector<double> z = scaler.transform(all.narrow(0, 0, 2)).to_vector();
  const std::vector<double> expected = {-0.889673146416646, 1.0127481951850934, -1.3247789864698274,
                                        -1.319284998946759, -1.1245703467906762, -0.1104475850571569,
                                        -1.3247789864698274, -1.319284998946759};
  for (std::size_t i = 0; i < z.size(); ++i) EXPECT_NEAR(z[i], expected[i], 1e-15) << i;

  const tg::Tensor train_z = scaler.transform(train.X);  // mean 0, population std 1 on train
  EXPECT_TRUE(tg::allclose(train_z.mean(0), tg::zeros({4}), 0, 1e-14));
  EXPECT_TRUE(tg::allclose(train_z.var(0, /*unbiased=*/false), tg::ones({4}), 0, 1e-14));
  EXPECT_FALSE(tg::allclose(scaler.transform(test.X).mean(0), tg::zeros({4}), 0, 1e-3))
      << "the test rows are scaled with the train statistics, so their mean is not exactly 0";
}

// Pixels 0, 24, 32 and 39 of digits are constant on the train rows (scikit-learn's scale_ is 1
// exactly there); pixel 24 (pixel_3_0) is not 0 in some test row, and passes through unscaled.
TEST(StandardScaler, DigitsConstantPixelsAreOnlyShifted) {
  const auto [train, test] = tg::data::load_dataset("digits");
  StandardScaler scaler;
  scaler.fit(train.X);
  std::vector<int> unit;
  for (int j = 0; j < 64; ++j) {
    if (scaler.scale().at({j}) == 1.0) unit.push_back(j);
  }
  EXPECT_EQ(unit, (std::vector<int>{0, 24, 32, 39}));
  EXPECT_EQ(scaler.mean().at({24}), 0.0);
  const tg::Tensor z = scaler.transform(test.X);
  EXPECT_TRUE(tg::equal(z.narrow(1, 24, 1), test.X.narrow(1, 24, 1)));
  EXPECT_GT(test.X.narrow(1, 24, 1).max().item(), 0.0);
  EXPECT_TRUE(std::isfinite(z.abs().max().item()));
}

TEST(StandardScaler, RefusedInputs) {
  StandardScaler scaler;
  EXPECT_EQ(error_message<tg::ValueError>([&] { scaler.transform(tg::zeros({2, 3})); }),
            "StandardScaler.transform: call fit() first");
  EXPECT_EQ(error_message<tg::ShapeError>([&] { scaler.fit(tg::zeros({5})); }),
            "StandardScaler.fit: X must be 2-D (samples, features), got (5,)");
  EXPECT_EQ(error_message<tg::ValueError>([&] { scaler.fit(tg::zeros({0, 3})); }),
            "StandardScaler.fit: X (0, 3) has no rows");
  scaler.fit(tg::ones({2, 3}));
  EXPECT_EQ(error_message<tg::ShapeError>([&] { scaler.transform(tg::zeros({2, 4})); }),
            "StandardScaler.transform: X must be (samples, 3) as in fit(), got (2, 4)");
  EXPECT_EQ(error_message<tg::ShapeError>([&] { scaler.inverse_transform(tg::zeros({3})); }),
            "StandardScaler.inverse_transform: X must be (samples, 3) as in fit(), got (3,)");
}

TEST(StandardScaler, TransformGradcheck) {
  tg::manual_seed(0);
  StandardScaler scaler;
  scaler.fit(tg::randn({6, 3}) * 4.0 + 1.0);
  const tg::Tensor X = tg::randn({4, 3}, true);
  EXPECT_TRUE(tg::gradcheck([&](const std::vector<tg::Tensor>& in) { return scaler.transform(in[0]); }, {X}));
  EXPECT_TRUE(
      tg::gradcheck([&](const std::vector<tg::Tensor>& in) { return scaler.inverse_transform(in[0]); }, {X}));
}

}  // namespace
