// Synthetic datasets: make_linear reproduces the NumPy data of the lessons (seed 003),
// make_moons reproduces scikit-learn's, make_xor and make_spirals have the stated geometry;
// all are reproducible from their seed and refuse bad arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"

namespace {

using tg::data::Dataset;

// /work/shared/reference/test_functions.md, "Seed 003": np.random.seed(42);
// X = np.random.uniform(-5, 5, 100); y = 1.5 * X + 2 + np.random.normal(0, 1.5, 100):
// mean x = -0.298193, least squares w = 1.431034, b = 1.977814.
TEST(MakeLinear, ReproducesTheNumPyLesson) {
  tg::manual_seed(42);
  const Dataset d = tg::data::make_linear(100);
  ASSERT_EQ(d.X.shape(), tg::Shape({100, 1}));
  ASSERT_EQ(d.y.shape(), tg::Shape({100}));
  const std::vector<double> x = d.X.to_vector(), y = d.y.to_vector();
  EXPECT_EQ(x[0], -1.254598811526375);  // X[0], y[0], X[99], y[99] as NumPy prints them (repr)
  EXPECT_EQ(y[0], 0.2486723850676942);
  EXPECT_EQ(x[99], -3.9210857300669555);
  EXPECT_EQ(y[99], -2.640853721546397);
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < 100; ++i) {
    sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
  }
  const double mx = sx / 100, my = sy / 100;
  const double w = (sxy / 100 - mx * my) / (sxx / 100 - mx * mx), b = my - w * mx;
  EXPECT_NEAR(mx, -0.298193, 5e-7);
  EXPECT_NEAR(w, 1.431034, 5e-7);
  EXPECT_NEAR(b, 1.977814, 5e-7);
}

TEST(MakeLinear, OptionsAndErrors) {
  tg::manual_seed(1);
  const Dataset d = tg::data::make_linear(50, {.weight = -2, .bias = 0.5, .noise = 0, .low = 0, .high = 1});
  for (int i = 0; i < 50; ++i) {
    const double x = d.X.at({i, 0});
    EXPECT_TRUE(x >= 0 && x < 1);
    EXPECT_EQ(d.y.at({i}), -2 * x + 0.5);
  }
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_linear(0); }), "make_linear: n must be at least 1, got 0");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_linear(5, {.noise = -1}); }),
            "make_linear: noise must be a finite number >= 0, got -1");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_linear(5, {.low = 2, .high = 1}); }),
            "make_linear: low (2) must not exceed high (1)");
}

// sklearn.datasets.make_moons(8, noise=0.1, random_state=0)
TEST(MakeMoons, AsScikitLearn) {
  const Dataset d = tg::data::make_moons(8, 0.1, 0);
  const std::vector<double> X = {1.415727594617071,    -0.16903295899744925, -0.37338814701422185,
                                 0.8154377498083876,   0.7545200778471055,   0.974106595089983,
                                 2.0484312154120663,   0.5579140478706728,   -1.0181582572731196,
                                 0.14102046311312152,  0.9625528309019794,   0.027519831557632025,
                                 0.40392453882662105,  -0.3283327062849102,  0.003343892850862858,
                                 0.568056724435512};
  const std::vector<double> got = d.X.to_vector();
  ASSERT_EQ(got.size(), X.size());
  for (std::size_t i = 0; i < X.size(); ++i) EXPECT_NEAR(got[i], X[i], 1e-15) << i;
  EXPECT_EQ(d.y.to_vector(), (std::vector<double>{1, 0, 0, 1, 0, 0, 1, 1}));
}

// sklearn.datasets.make_moons(7, random_state=5): no noise, 3 outer and 4 inner points.
TEST(MakeMoons, WithoutNoiseThePointsLieOnTheHalfCircles) {
  const Dataset d = tg::data::make_moons(7, 0.0, 5);
  const std::vector<double> X = {2.0, 0.4999999999999999, -1.0, 1.2246467991473532e-16,
                                 0.4999999999999999, -0.3660254037844385, 6.123233995736766e-17, 1.0,
                                 1.0, 0.0, 1.4999999999999998, -0.3660254037844387, 0.0, 0.5};
  const std::vector<double> got = d.X.to_vector();
  for (std::size_t i = 0; i < X.size(); ++i) EXPECT_NEAR(got[i], X[i], 1e-15) << i;
  EXPECT_EQ(d.y.to_vector(), (std::vector<double>{1, 0, 1, 0, 0, 1, 1}));
  for (int i = 0; i < 7; ++i) {
    const double cx = d.y.at({i}) == 0 ? 0.0 : 1.0, cy = d.y.at({i}) == 0 ? 0.0 : 0.5;
    EXPECT_NEAR(std::hypot(d.X.at({i, 0}) - cx, d.X.at({i, 1}) - cy), 1.0, 1e-15);
  }
}

TEST(MakeXor, TruthTableAndClusters) {
  const Dataset table = tg::data::make_xor(4, 0.0, 0);
  EXPECT_EQ(table.X.to_vector(), (std::vector<double>{-1, -1, -1, 1, 1, -1, 1, 1}));
  EXPECT_EQ(table.y.to_vector(), (std::vector<double>{0, 1, 1, 0}));

  const Dataset d = tg::data::make_xor(400, 0.1, 3);
  EXPECT_EQ(d.y.sum().item(), 200.0);
  for (int i = 0; i < 400; ++i) {
    const double a = d.X.at({i, 0}), b = d.X.at({i, 1});
    EXPECT_LT(std::abs(std::abs(a) - 1), 0.6);
    EXPECT_LT(std::abs(std::abs(b) - 1), 0.6);
    EXPECT_EQ(d.y.at({i}), (a > 0) != (b > 0) ? 1.0 : 0.0) << "at noise 0.1 every point stays in its quadrant";
  }
}

TEST(Synthetic, SeedsReproduceAndTheGlobalGeneratorIsUntouched) {
  tg::manual_seed(5);
  const std::vector<double> expected = tg::rand({2}).to_vector();
  tg::manual_seed(5);
  EXPECT_TRUE(tg::equal(tg::data::make_xor(20, 0.3, 9).X, tg::data::make_xor(20, 0.3, 9).X));
  EXPECT_FALSE(tg::equal(tg::data::make_xor(20, 0.3, 9).X, tg::data::make_xor(20, 0.3, 10).X));
  EXPECT_TRUE(tg::equal(tg::data::make_moons(20, 0.3, 9).X, tg::data::make_moons(20, 0.3, 9).X));
  EXPECT_FALSE(tg::equal(tg::data::make_moons(20, 0.3, 9).X, tg::data::make_moons(20, 0.3, 10).X));
  EXPECT_TRUE(tg::equal(tg::data::make_spirals(20, 2, 0.3, 9).X, tg::data::make_spirals(20, 2, 0.3, 9).X));
  EXPECT_FALSE(tg::equal(tg::data::make_spirals(20, 2, 0.3, 9).X, tg::data::make_spirals(20, 2, 0.3, 10).X));
  EXPECT_EQ(tg::rand({2}).to_vector(), expected);
}

TEST(MakeSpirals, ArmsWithoutNoise) {
  const int classes = 3;
  const Dataset d = tg::data::make_spirals(7, classes, 0.0, 0);
  EXPECT_EQ(d.y.to_vector(), (std::vector<double>{0, 0, 0, 1, 1, 2, 2}));
  // Class 0 (3 points): radii 0, 0.5, 1 at angles 0, 2, 4.
  EXPECT_EQ(d.X.at({0, 0}), 0.0);
  EXPECT_EQ(d.X.at({0, 1}), 0.0);
  EXPECT_NEAR(d.X.at({1, 0}), 0.5 * std::cos(2.0), 1e-15);
  EXPECT_NEAR(d.X.at({1, 1}), 0.5 * std::sin(2.0), 1e-15);
  EXPECT_NEAR(d.X.at({2, 0}), std::cos(4.0), 1e-15);
  // Class 2 (2 points): radius 1 at angle 4π/3 + 4.
  const double t = 4 * std::numbers::pi / 3 + 4;
  EXPECT_NEAR(d.X.at({6, 0}), std::cos(t), 1e-15);
  EXPECT_NEAR(d.X.at({6, 1}), std::sin(t), 1e-15);

  const Dataset two = tg::data::make_spirals(200, 2, 0.2, 1);
  EXPECT_EQ(two.X.shape(), tg::Shape({200, 2}));
  EXPECT_EQ(two.y.sum().item(), 100.0);
  EXPECT_LE(two.X.norm(1).max().item(), 1.0 + 1e-15) << "every point within the unit disc";
}

TEST(Synthetic, RefusedArguments) {
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_xor(0); }), "make_xor: n must be at least 1, got 0");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_xor(4, -0.5); }),
            "make_xor: noise must be a finite number >= 0, got -0.5");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_moons(-3); }), "make_moons: n must be at least 1, got -3");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_moons(10, NAN); }),
            "make_moons: noise must be a finite number >= 0, got nan");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_spirals(10, 1); }),
            "make_spirals: classes must be at least 2, got 1");
  EXPECT_EQ(error_message<tg::ValueError>([] { tg::data::make_spirals(2, 3); }),
            "make_spirals: n must be at least 3, got 2");
}

}  // namespace
