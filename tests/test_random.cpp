// The generator reproduces NumPy's legacy np.random (values printed by NumPy 1.24).
#include <gtest/gtest.h>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

namespace {

void expect_near_all(const tg::Tensor& t, const std::vector<double>& expected) {
  const std::vector<double> v = t.to_vector();
  ASSERT_EQ(v.size(), expected.size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], expected[i], 5e-9) << i;
}

TEST(Random, MatchesNumPySeed42) {
  tg::manual_seed(42);  // np.random.seed(42); np.random.random_sample(3)
  expect_near_all(tg::rand({3}), {0.37454012, 0.95071431, 0.73199394});
  tg::manual_seed(42);  // np.random.normal(0, 1, 3)
  expect_near_all(tg::randn({3}), {0.49671415, -0.1382643, 0.64768854});
  tg::manual_seed(42);  // np.random.randint(0, 10, 5)
  EXPECT_EQ(tg::randint(0, 10, {5}).to_vector(), (std::vector<double>{6, 3, 7, 4, 6}));
  tg::manual_seed(42);  // np.random.permutation(6)
  EXPECT_EQ(tg::randperm(6).to_vector(), (std::vector<double>{0, 1, 5, 2, 4, 3}));
  tg::manual_seed(42);  // np.random.uniform(-5, 5, 2), then np.random.normal(0, 1.5, 2)
  expect_near_all(tg::uniform({2}, -5, 5), {-1.25459881, 4.50714306});
  expect_near_all(tg::normal({2}, 0, 1.5), {0.97153281, 2.28454478});
}

TEST(Random, TheLessonsDataSet) {
  // Seed 003's data: np.random.seed(42); X = uniform(-5, 5, 100); noise = normal(0, 1.5, 100).
  tg::manual_seed(42);
  const tg::Tensor x = tg::uniform({100}, -5.0, 5.0);
  const tg::Tensor noise = tg::normal({100}, 0.0, 1.5);
  EXPECT_NEAR(x.mean().item(), -0.298193, 1e-6);
  EXPECT_NEAR(x.square().mean().item(), 8.850414, 1e-6);
  (void)noise;
}

TEST(Random, SameSeedSameNumbers) {
  tg::manual_seed(7);
  const tg::Tensor a = tg::randn({50});
  tg::manual_seed(7);
  const tg::Tensor b = tg::randn({50});
  EXPECT_TRUE(tg::equal(a, b));
  const tg::Tensor c = tg::randn({50});
  EXPECT_FALSE(tg::equal(a, c));
}

TEST(Random, Distributions) {
  tg::manual_seed(1);
  const tg::Tensor u = tg::rand({20000});
  EXPECT_GE(u.min().item(), 0.0);
  EXPECT_LT(u.max().item(), 1.0);
  EXPECT_NEAR(u.mean().item(), 0.5, 0.01);
  const tg::Tensor n = tg::normal({20000}, 3.0, 2.0);
  EXPECT_NEAR(n.mean().item(), 3.0, 0.05);
  EXPECT_NEAR(std::sqrt(n.var().item()), 2.0, 0.05);
  const tg::Tensor k = tg::randint(-2, 3, {1000});
  EXPECT_EQ(k.min().item(), -2.0);
  EXPECT_EQ(k.max().item(), 2.0);
  const tg::Tensor p = tg::randperm(100);
  std::vector<double> sorted = p.to_vector();
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, tg::arange(100).to_vector());
}

TEST(Random, OwnGeneratorLeavesTheGlobalOneAlone) {
  tg::manual_seed(5);
  const double first = tg::rand({1}).item();
  tg::manual_seed(5);
  tg::Generator g(123);
  (void)g.uniform();
  EXPECT_EQ(tg::rand({1}).item(), first);
  EXPECT_THROW(g.randint(1, 1), tg::ValueError);
  EXPECT_THROW(tg::normal({2}, 0.0, -1.0), tg::ValueError);
  EXPECT_THROW(tg::uniform({2}, 1.0, 0.0), tg::ValueError);
  EXPECT_THROW(tg::randperm(-1), tg::ValueError);
}

}  // namespace
