// analyze_terrain(): the reference's table of terrains by Hessian eigenvalues, classified;
// the canal (Rosenbrock's soft direction turning along its floor); every kind and its reason;
// the thresholds; bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

namespace fn = tg::functions;
using Vec = std::vector<double>;

tg::Terrain terrain(const std::string& name, const Vec& x, const tg::TerrainThresholds& t = {}) {
  const fn::TestFunction& f = fn::get(name);
  return tg::analyze_terrain(f.value, tg::tensor(x, f.shape), t);
}

// The reference's "Terrains by Hessian eigenvalues", row by row, with the kind it names.
TEST(Terrain, TheReferenceTableIsClassifiedAsItSays) {
  struct Row {
    std::string name;
    Vec x;
    std::string kind;
    double condition;  // |λ|max / |λ|min, exact
  };
  const std::vector<Row> rows = {
      {"quadratic", {3, -2}, "valley", 1.0},                       // a round bowl
      {"booth", {1, 3}, "valley", 9.0},                            // tilted valley, cond 9 < 10
      {"ravine", {0, 0}, "ravine", 10.0},                          // x^2 + 10 y^2, cond 10
      {"rosenbrock", {1, 1}, "ravine", 1001.6006392325124 / 0.39936076748763305},  // cond 2508
      {"easom", {0, 0}, "plateau", 2.0320640907387988e-7 / 8.0258639732227190e-9},
      {"saddle", {0, 0}, "saddle", 1.0},
      {"himmelblau", {3.385154183607, 0.073851879838}, "saddle", 97.547878102601345 / 14.135178485450373},
      {"himmelblau", {-0.270844590667, -0.923038556480}, "maximum", 45.605229292791313 / 16.066019667289604},
  };
  for (const Row& r : rows) {
    const tg::Terrain t = terrain(r.name, r.x);
    SCOPED_TRACE(r.name + ": " + t.reason);
    EXPECT_EQ(t.kind, r.kind);
    EXPECT_TRUE(t.stationary);
    EXPECT_NEAR(t.condition_number, r.condition, 1e-6 * r.condition);
  }
  EXPECT_NEAR(terrain("rosenbrock", {1, 1}).condition_number, 2508.0, 0.5);  // "cond 2508"
  // Easom's plateau, with the reference's numbers: f = -2.675e-9, gradient 1.7e-8 per component.
  const tg::Terrain e = terrain("easom", {0, 0});
  EXPECT_NEAR(e.value, -2.675e-9, 0.0005e-9);
  for (double g : e.gradient.to_vector()) EXPECT_NEAR(std::abs(g), 1.7e-8, 0.05e-8);
}

// Every listed point of every 2-D function: minima are valleys or ravines at their bottom,
// saddles saddles, maxima maxima.
TEST(Terrain, EveryListedStationaryPointHasItsKind) {
  for (const fn::TestFunction& f : fn::all()) {
    if (f.name == "ackley") continue;  // a cone tip: no Hessian (see AckleysTip below)
    for (const fn::Point& p : f.points) {
      const tg::Terrain t = tg::analyze_terrain(f.value, tg::tensor(p.x, f.shape));
      SCOPED_TRACE(f.name + " " + p.kind + ": " + t.reason);
      EXPECT_TRUE(t.stationary);
      if (p.kind == "saddle") {
        EXPECT_EQ(t.kind, "saddle");
      } else if (p.kind == "local maximum") {
        EXPECT_EQ(t.kind, "maximum");
      } else {
        EXPECT_TRUE(t.kind == "valley" || t.kind == "ravine");
        EXPECT_NE(t.reason.find("a minimum at the bottom of a"), std::string::npos);
      }
    }
  }
}

// Seed 004's canal: a ravine whose soft direction turns along its floor y = x^2. The soft
// eigenvector follows the floor's tangent (angles from the reference).
TEST(Terrain, RosenbrocksSoftDirectionFollowsTheCurvedFloor) {
  struct Case {
    Vec x;
    double soft_degrees, tangent_degrees;
  };
  const std::vector<Case> cases = {{{-1, 1}, -63.48, -63.43}, {{0, 0}, 0.0, 0.0}, {{0.5, 0.25}, 45.14, 45.0}};
  for (const Case& c : cases) {
    const tg::Terrain t = terrain("rosenbrock", c.x);
    EXPECT_EQ(t.kind, "ravine");
    // Column 0 of the eigenvectors belongs to the smallest eigenvalue; its angle, in (-90, 90].
    const Vec q = t.eigenvectors.to_vector();
    double angle = std::atan2(q[2], q[0]) * 180.0 / std::numbers::pi;
    if (angle <= -90.0) angle += 180.0;
    if (angle > 90.0) angle -= 180.0;
    EXPECT_NEAR(angle, c.soft_degrees, 0.005) << c.x[0];
    const double tangent = std::atan(2.0 * c.x[0]) * 180.0 / std::numbers::pi;  // slope of y = x^2
    EXPECT_NEAR(tangent, c.tangent_degrees, 0.005);
    EXPECT_LT(std::abs(angle - tangent), 0.2);
  }
}

TEST(Terrain, SlopesValleysAndFlatMinimaAwayFromTheTable) {
  // On the side of the bowl: not stationary, curving up in every direction.
  tg::Terrain t = terrain("quadratic", {0, 0});
  EXPECT_EQ(t.kind, "valley");
  EXPECT_FALSE(t.stationary);
  EXPECT_NEAR(t.gradient_norm, std::sqrt(52.0), 1e-12);  // |(-6, 4)|
  EXPECT_NE(t.reason.find("on the side of a valley"), std::string::npos) << t.reason;
  // The saddle's surface away from (0, 0): tilted, and curving down along y.
  t = terrain("saddle", {1, 1});
  EXPECT_EQ(t.kind, "slope");
  EXPECT_NE(t.reason.find("with a negative one"), std::string::npos) << t.reason;
  // A plane: tilted and flat.
  t = tg::analyze_terrain([](const tg::Tensor& p) { return p.sum(); }, tg::tensor({1.0, 2.0}));
  EXPECT_EQ(t.kind, "slope");
  EXPECT_NEAR(t.gradient_norm, std::sqrt(2.0), 1e-15);
  EXPECT_NE(t.reason.find("with a flat one"), std::string::npos) << t.reason;
  // x^2 + y^4 at 0: a minimum the Hessian (2, 0) cannot confirm along y.
  const auto quartic = [](const tg::Tensor& p) { return p[0].square() + p[1].pow(4); };
  t = tg::analyze_terrain(quartic, tg::zeros({2}));
  EXPECT_EQ(t.kind, "minimum");
  EXPECT_NEAR(t.eigenvalues[0], 0.0, 1e-9);
  EXPECT_NEAR(t.eigenvalues[1], 2.0, 1e-9);
  EXPECT_TRUE(std::isinf(t.condition_number) || t.condition_number > 1e8);
  EXPECT_NE(t.reason.find("flat along 1 direction(s)"), std::string::npos) << t.reason;
  // -(x^2 + y^4): the same, upside down.
  t = tg::analyze_terrain([&](const tg::Tensor& p) { return -quartic(p); }, tg::zeros({2}));
  EXPECT_EQ(t.kind, "maximum");
  EXPECT_NE(t.reason.find("the Hessian cannot confirm it"), std::string::npos) << t.reason;
  // A 1-D function and a 10-D one.
  t = terrain("double_well", {0.12705084418252621});
  EXPECT_EQ(t.kind, "maximum");
  EXPECT_NEAR(t.eigenvalues[0], 12 * 0.12705084418252621 * 0.12705084418252621 - 4, 1e-8);
  t = tg::analyze_terrain(fn::get("rosenbrock10").value, tg::ones({10}));
  EXPECT_EQ(t.kind, "ravine");
  EXPECT_NE(t.reason.find("(10 of them, from 0.4988 to 1763)"), std::string::npos) << t.reason;
}

TEST(Terrain, ThresholdsDecide) {
  // booth at (1, 3): condition number 9, a valley at the default threshold 10, a ravine at 5.
  EXPECT_EQ(terrain("booth", {1, 3}).kind, "valley");
  EXPECT_EQ(terrain("booth", {1, 3}, {.ravine_condition = 5.0}).kind, "ravine");
  // Easom at (0, 0) is a plateau only because its curvatures (-2.03e-7, 8.0e-9) are below
  // curvature_tol; a finer one sees a saddle, or a maximum when 8.0e-9 still counts as flat.
  EXPECT_EQ(terrain("easom", {0, 0}, {.curvature_tol = 1e-9}).kind, "saddle");
  EXPECT_EQ(terrain("easom", {0, 0}, {.curvature_tol = 1e-8}).kind, "maximum");
  // Easom at (1, 1): gradient 3.5e-3 per component, a plateau with a loose gradient_tol only.
  const tg::Terrain loose = terrain("easom", {1, 1}, {.gradient_tol = 1e-2, .curvature_tol = 1e-1});
  EXPECT_EQ(loose.kind, "plateau") << loose.reason;
  EXPECT_NE(terrain("easom", {1, 1}).kind, "plateau");
  // The stationarity test is ||grad|| <= gradient_tol.
  const tg::Terrain q = terrain("quadratic", {3.0 + 1e-7, -2.0});
  EXPECT_TRUE(q.stationary);  // ||grad|| = 2e-7
  EXPECT_FALSE(terrain("quadratic", {3.0 + 1e-7, -2.0}, {.gradient_tol = 1e-7}).stationary);
}

// Ackley's tip is a cone: no Hessian exists there. The differences of the gradient see the
// cone's jump, and their numbers grow like 1/eps; the exact (double-backward) Hessian takes
// the derivative of ‖x‖ at 0 as 0, as its operation does, and so sees only the smooth part,
// -exp(mean cos 2πx): 2π²e per axis. Neither is a Hessian: comparing the two reveals the kink.
TEST(Terrain, AckleysTipHasNoHessian) {
  const auto& f = fn::get("ackley");
  const auto fd = tg::HessianMethod::finite_difference;
  const tg::Terrain a = tg::analyze_terrain(f.value, tg::zeros({2}), {.hessian = fd, .eps = 1e-5});
  const tg::Terrain b = tg::analyze_terrain(f.value, tg::zeros({2}), {.hessian = fd, .eps = 1e-4});
  EXPECT_NEAR(a.eigenvalues[1] / b.eigenvalues[1], 10.0, 0.05);
  EXPECT_NEAR(a.eigenvalues[1], 2.0 * std::sqrt(2.0) / 1e-5, 1e3);  // slope 2 sqrt(2) over a step of eps
  const tg::Terrain exact = tg::analyze_terrain(f.value, tg::zeros({2}));
  const double smooth_part = 2.0 * std::numbers::pi * std::numbers::pi * std::numbers::e;
  EXPECT_NEAR(exact.eigenvalues[0], smooth_part, 1e-12 * smooth_part);
  EXPECT_NEAR(exact.eigenvalues[1], smooth_part, 1e-12 * smooth_part);
}

TEST(Terrain, BadInput) {
  const auto& f = fn::get("quadratic");
  std::string m = message_of<tg::ValueError>([&] { tg::analyze_terrain(f.value, tg::zeros({2}), {.gradient_tol = -1}); });
  EXPECT_NE(m.find("analyze_terrain: gradient_tol must be >= 0, got -1"), std::string::npos) << m;
  m = message_of<tg::ValueError>([&] { tg::analyze_terrain(f.value, tg::zeros({2}), {.curvature_tol = NAN}); });
  EXPECT_NE(m.find("curvature_tol must be >= 0, got nan"), std::string::npos) << m;
  m = message_of<tg::ValueError>([&] { tg::analyze_terrain(f.value, tg::zeros({2}), {.ravine_condition = 0.5}); });
  EXPECT_NE(m.find("ravine_condition must be >= 1, got 0.5"), std::string::npos) << m;
  m = message_of<tg::ValueError>([&] { tg::analyze_terrain(f.value, tg::zeros({2}), {.eps = 0}); });
  EXPECT_NE(m.find("eps must be > 0 and finite, got 0"), std::string::npos) << m;
  m = message_of<tg::ValueError>([&] { tg::analyze_terrain(f.value, tg::Tensor()); });
  EXPECT_NE(m.find("analyze_terrain: x is undefined"), std::string::npos) << m;
  m = message_of<tg::ValueError>([&] { tg::analyze_terrain(f.value, tg::zeros({0})); });
  EXPECT_NE(m.find("x has no elements (shape (0,))"), std::string::npos) << m;
  m = message_of<tg::ShapeError>([] { tg::analyze_terrain([](const tg::Tensor& p) { return p * 2.0; }, tg::zeros({2})); });
  EXPECT_NE(m.find("f must return a single value, got a tensor of shape (2,)"), std::string::npos) << m;
  // Not finite: log of a negative number, and sqrt's infinite slope at 0.
  m = message_of<tg::ValueError>([] { tg::analyze_terrain([](const tg::Tensor& p) { return p.log().sum(); }, tg::tensor({-1.0, 1.0})); });
  EXPECT_NE(m.find("analyze_terrain: f is not finite at (-1, 1)"), std::string::npos) << m;
  m = message_of<tg::ValueError>([] { tg::analyze_terrain([](const tg::Tensor& p) { return p.sqrt().sum(); }, tg::zeros({2})); });
  EXPECT_NE(m.find("the gradient is not finite at (0, 0)"), std::string::npos) << m;
  // The function's own shape check.
  m = message_of<tg::ShapeError>([&] { tg::analyze_terrain(f.value, tg::zeros({3})); });
  EXPECT_NE(m.find("quadratic: expected a parameter of shape (2,), got (3,)"), std::string::npos) << m;
}

}  // namespace
