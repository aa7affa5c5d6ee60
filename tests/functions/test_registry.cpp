// The list of test functions, their metadata, make() and the errors for bad input.
#include <gtest/gtest.h>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

namespace fn = tg::functions;

TEST(FunctionRegistry, AllFunctionsInTheDocumentedOrder) {
  const std::vector<std::string> expected = {
      "quadratic", "ravine",          "rosenbrock",      "beale",  "booth",           "himmelblau",     "rastrigin",
      "saddle",    "rosenbrock10",    "matrix_lsq",      "ackley", "drop_wave",       "styblinski_tang",
      "goldstein_price", "matyas",    "three_hump_camel", "mccormick", "six_hump_camel", "easom", "double_well",
      "ravine15",  "parabola"};
  EXPECT_EQ(fn::names(), expected);
  for (const std::string& name : expected) EXPECT_EQ(fn::get(name).name, name);
}

TEST(FunctionRegistry, MetadataIsComplete) {
  for (const fn::TestFunction& f : fn::all()) {
    SCOPED_TRACE(f.name);
    EXPECT_FALSE(f.formula.empty());
    EXPECT_FALSE(f.note.empty());
    EXPECT_GT(f.sgd_lr, 0.0);
    EXPECT_TRUE(static_cast<bool>(f.value));
    ASSERT_GE(f.starts.size(), 1u);
    for (const auto& [label, x] : f.starts) {
      EXPECT_FALSE(label.empty());
      EXPECT_EQ(static_cast<int64_t>(x.size()), f.dim());
      EXPECT_EQ(f.start(label).to_vector(), x);
    }
    EXPECT_EQ(f.start().shape(), f.shape);
    const auto& w = f.window;
    if (f.dim() == 2) {
      EXPECT_LT(w[0], w[1]);
      EXPECT_LT(w[2], w[3]);
      // The window shows every start and the global minima.
      for (const auto& [label, x] : f.starts) {
        EXPECT_TRUE(w[0] <= x[0] && x[0] <= w[1] && w[2] <= x[1] && x[1] <= w[3]) << label;
      }
      for (const fn::Point& p : f.points) {
        if (p.kind == "global minimum") {
          EXPECT_TRUE(w[0] <= p.x[0] && p.x[0] <= w[1] && w[2] <= p.x[1] && p.x[1] <= w[3]);
        }
      }
    } else {
      EXPECT_EQ(w, (std::array<double, 4>{0, 0, 0, 0}));
      EXPECT_FALSE(f.log_scale);
    }
    // Log colours only for functions that are never negative.
    if (f.log_scale) {
      EXPECT_GE(f.points[0].value, 0.0);
    }
  }
}

// sgd_lr is a learning rate plain gradient descent can use from every start: after 1000 steps
// the point is finite and f is lower than at the start.
TEST(FunctionRegistry, PlainGradientDescentAtSgdLrIsStableFromEveryStart) {
  for (const fn::TestFunction& f : fn::all()) {
    for (const auto& [label, start] : f.starts) {
      tg::Tensor x = f.start(label);
      for (int k = 0; k < 1000; ++k) x = x - f.sgd_lr * tg::gradient(f.value, x);
      const double first = f(f.start(label)).item(), last = f(x).item();
      EXPECT_TRUE(std::isfinite(last)) << f.name << " from " << label;
      EXPECT_LT(last, first) << f.name << " from " << label;
    }
  }
}

TEST(FunctionRegistry, OracleMetadata) {
  const std::vector<std::tuple<std::string, std::string, double, tg::Shape>> oracle = {
      {"quadratic", "(x-3)^2 + (y+2)^2", 0.1, tg::Shape{2}},
      {"ravine", "x^2 + 10*y^2", 0.02, tg::Shape{2}},
      {"rosenbrock", "(1-x)^2 + 100*(y-x^2)^2", 2e-4, tg::Shape{2}},
      {"beale", "(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2", 1e-3, tg::Shape{2}},
      {"booth", "(x+2*y-7)^2 + (2*x+y-5)^2", 0.02, tg::Shape{2}},
      {"himmelblau", "(x^2+y-11)^2 + (x+y^2-7)^2", 2e-3, tg::Shape{2}},
      {"rastrigin", "A*n + sum_i (x_i^2 - A*cos(2*pi*x_i)), A=10, n=2", 1e-3, tg::Shape{2}},
      {"saddle", "x^2 - y^2", 0.02, tg::Shape{2}},
      {"rosenbrock10", "sum_{i=0}^{8} 100*(x_{i+1}-x_i^2)^2 + (1-x_i)^2", 2e-4, tg::Shape{10}},
      {"matrix_lsq", "0.5*||X@W - Y||_F^2, W 3x4, X 5x3 and Y 5x4 constants", 0.05, tg::Shape{3, 4}},
      {"double_well", "x^4 - 2x^2 + 0.5x", 0.02, tg::Shape{1}}};
  for (const auto& [name, formula, lr, shape] : oracle) {
    const fn::TestFunction& f = fn::get(name);
    EXPECT_EQ(f.formula, formula);
    EXPECT_EQ(f.sgd_lr, lr) << name;
    EXPECT_EQ(f.shape, shape) << name;
  }
  // The oracle's keys write 2-D starts as "(x,y)"; the others by label.
  EXPECT_EQ(fn::get("saddle").starts[0].first, "(1,0.001)");
  EXPECT_EQ(fn::get("rosenbrock").starts[2].first, "(-1.2,1)");
  EXPECT_EQ(fn::get("rosenbrock10").starts[1].first, "classic");
  EXPECT_EQ(fn::get("rosenbrock10").starts[1].second, (std::vector<double>{-1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1}));
  EXPECT_TRUE(fn::get("rosenbrock").log_scale);
  EXPECT_TRUE(fn::get("beale").log_scale);
  EXPECT_TRUE(fn::get("goldstein_price").log_scale);
  EXPECT_EQ(fn::get("easom").window, (std::array<double, 4>{0, 6, 0, 6}));
}

// Seed 004's two quadratics: the ravine of Concept 5, where no one learning rate serves both
// directions (GD is stable in y only for lr < 2/30, and fastest in x at lr 0.5), and the
// parabola of its AdamW section.
TEST(FunctionRegistry, TheLessonsQuadratics) {
  const fn::TestFunction& r = fn::get("ravine15");
  EXPECT_EQ(r.formula, "x^2 + 15*y^2");
  EXPECT_EQ(r.shape, tg::Shape{2});
  EXPECT_EQ(r.sgd_lr, 0.02);
  EXPECT_EQ(r.starts[0].first, "(1,1)");
  EXPECT_EQ(r.start("(4,1)").to_vector(), (std::vector<double>{4, 1}));
  EXPECT_EQ(r(tg::tensor({1.0, 1.0})).item(), 16.0);
  EXPECT_NE(r.note.find("lr > 2/30"), std::string::npos) << r.note;
  const fn::TestFunction& p = fn::get("parabola");
  EXPECT_EQ(p.formula, "x^2");
  EXPECT_EQ(p.shape, tg::Shape{1});
  EXPECT_EQ(p.sgd_lr, 0.1);
  EXPECT_EQ(p.start().to_vector(), std::vector<double>{4});
  EXPECT_EQ(p(tg::tensor({-3.0})).item(), 9.0);
  EXPECT_EQ(p.window, (std::array<double, 4>{0, 0, 0, 0}));
  // One GD step per coordinate multiplies it by 1 - lr·λ: at 1/30, y lands on 0 at once while
  // x keeps 14/15 of itself; at 0.5, x lands on 0 and y is multiplied by -14.
  for (const auto& [lr, expected] : std::vector<std::pair<double, std::vector<double>>>{
           {1.0 / 30, {1 - 2.0 / 30, 0}}, {0.5, {0, -14}}}) {
    const tg::Tensor x = tg::tensor({1.0, 1.0});
    const std::vector<double> after = (x - lr * tg::gradient(r.value, x)).to_vector();
    EXPECT_NEAR(after[0], expected[0], 1e-15) << lr;
    EXPECT_NEAR(after[1], expected[1], 1e-15) << lr;
  }
}

TEST(FunctionRegistry, MakeBuildsNDimensionalForms) {
  EXPECT_EQ(fn::make("rosenbrock", 2).name, "rosenbrock");
  EXPECT_EQ(fn::make("rosenbrock", 10).name, "rosenbrock10");
  EXPECT_EQ(fn::make("rosenbrock", 10).points.size(), 2u);  // with the local minimum
  EXPECT_EQ(fn::make("rastrigin", 2).starts, fn::get("rastrigin").starts);
  EXPECT_EQ(fn::make("booth", 2).name, "booth");
  EXPECT_EQ(fn::make("matrix_lsq", 12).name, "matrix_lsq");

  const fn::TestFunction r5 = fn::make("rastrigin", 5);
  EXPECT_EQ(r5.name, "rastrigin5");
  EXPECT_EQ(r5.formula, "A*n + sum_i (x_i^2 - A*cos(2*pi*x_i)), A=10, n=5");
  EXPECT_EQ(r5.shape, tg::Shape{5});
  EXPECT_EQ(r5(tg::zeros({5})).item(), 0.0);
  EXPECT_EQ(r5.starts[0].first, "(0.3,-0.2) repeated");
  EXPECT_EQ(r5.starts[0].second, (std::vector<double>{0.3, -0.2, 0.3, -0.2, 0.3}));
  EXPECT_EQ(r5.sgd_lr, fn::get("rastrigin").sgd_lr);

  const fn::TestFunction st3 = fn::make("styblinski_tang", 3);
  EXPECT_EQ(st3.name, "styblinski_tang3");
  EXPECT_EQ(st3.points.size(), 5u);  // the global minimum, three one-flip minima, all flipped
  const fn::TestFunction r7 = fn::make("rosenbrock", 7);
  EXPECT_EQ(r7.formula, "sum_{i=0}^{5} 100*(x_{i+1}-x_i^2)^2 + (1-x_i)^2");
  EXPECT_EQ(r7(r7.start("zeros")).item(), 6.0);
  EXPECT_EQ(fn::make("ackley", 1).shape, tg::Shape{1});
}

TEST(FunctionRegistry, UnknownNamesListTheKnownOnes) {
  const std::string m = message_of<tg::ValueError>([] { fn::get("rosenbrok"); });
  EXPECT_NE(m.find("unknown function 'rosenbrok' (known: quadratic, ravine, rosenbrock, beale"), std::string::npos) << m;
  EXPECT_NE(m.find("easom, double_well, ravine15, parabola)"), std::string::npos) << m;
  EXPECT_NE(message_of<tg::ValueError>([] { fn::make("sphere", 3); }).find("unknown function 'sphere'"),
            std::string::npos);
  const std::string s = message_of<tg::ValueError>([] { fn::get("quadratic").start("(9,9)"); });
  EXPECT_NE(s.find("quadratic: no start point '(9,9)' (starts: (0,0), (-1.5,2), (4,1))"), std::string::npos) << s;
}

TEST(FunctionRegistry, MakeRejectsSizesItCannotBuild) {
  std::string m = message_of<tg::ValueError>([] { fn::make("rosenbrock", 1); });
  EXPECT_NE(m.find("rosenbrock needs n >= 2, got 1"), std::string::npos) << m;
  m = message_of<tg::ValueError>([] { fn::make("rastrigin", 0); });
  EXPECT_NE(m.find("rastrigin needs n >= 1, got 0"), std::string::npos) << m;
  m = message_of<tg::ValueError>([] { fn::make("styblinski_tang", -3); });
  EXPECT_NE(m.find("got -3"), std::string::npos) << m;
  m = message_of<tg::ValueError>([] { fn::make("booth", 3); });
  EXPECT_NE(m.find("booth has a fixed size 2, got n = 3 (n-D forms: rosenbrock, rastrigin, styblinski_tang, ackley)"),
            std::string::npos)
      << m;
}

TEST(FunctionRegistry, WrongParameterShapesNameBothShapes) {
  std::string m = message_of<tg::ShapeError>([] { fn::get("rosenbrock")(tg::zeros({3})); });
  EXPECT_NE(m.find("rosenbrock: expected a parameter of shape (2,), got (3,)"), std::string::npos) << m;
  m = message_of<tg::ShapeError>([] { fn::get("matrix_lsq")(tg::zeros({12})); });
  EXPECT_NE(m.find("matrix_lsq: expected a parameter of shape (3, 4), got (12,)"), std::string::npos) << m;
  m = message_of<tg::ShapeError>([] { fn::get("double_well")(tg::tensor(1.5)); });
  EXPECT_NE(m.find("double_well: expected a parameter of shape (1,), got ()"), std::string::npos) << m;
  m = message_of<tg::ShapeError>([] { fn::make("rastrigin", 5)(tg::zeros({2})); });
  EXPECT_NE(m.find("rastrigin5: expected a parameter of shape (5,), got (2,)"), std::string::npos) << m;
  m = message_of<tg::ShapeError>([] { fn::get("quadratic")(tg::zeros({2, 1})); });
  EXPECT_NE(m.find("got (2, 1)"), std::string::npos) << m;
  m = message_of<tg::ValueError>([] { fn::get("quadratic")(tg::Tensor()); });
  EXPECT_NE(m.find("quadratic: the parameter tensor is undefined"), std::string::npos) << m;
}

}  // namespace
