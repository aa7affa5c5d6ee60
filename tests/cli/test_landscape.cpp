// `tapegrad landscape`: value, gradient, Hessian eigenvalues and the terrain at a point, on
// points whose numbers are worked out by hand below; and bad input.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

#include "cli_test.hpp"

namespace {

using cli_test::Output;

// The line "  label<padding>value" of the landscape output (labels are padded to 22).
std::string line(const std::string& label, const std::string& value) {
  return "  " + label + std::string(22 - label.size(), ' ') + value + "\n";
}

TEST(CliLandscape, RosenbrockAtTheClassicStart) {
  // f = (1-x)^2 + 100 (y-x^2)^2 at (-1.2, 1): 2.2^2 + 100 * 0.44^2 = 4.84 + 19.36 = 24.2.
  // df/dx = -2(1-x) - 400x(y-x^2) = -4.4 - 211.2 = -215.6, df/dy = 200(y-x^2) = -88.
  // H = [[2 - 400(y - 3x^2), -400x], [-400x, 200]] = [[1330, 480], [480, 200]]: trace 1530,
  // determinant 35600, eigenvalues 765 -+ sqrt(765^2 - 35600) = 23.633 and 1506.37, ratio 63.74.
  const Output o = cli_test::landscape({"rosenbrock", "-1.2,1"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out.rfind("rosenbrock at (-1.2, 1): (1-x)^2 + 100*(y-x^2)^2\n", 0), 0u) << o.out;
  for (const std::string& l : {line("value", "24.2"), line("gradient", "(-215.6, -88)"),
                               line("gradient norm", "232.868"), line("Hessian eigenvalues", "(23.633, 1506.37)"),
                               line("condition number", "63.7399"), line("terrain", "ravine"),
                               line("nearest known point", "global minimum (1, 1), f = 0, at distance 2.2")}) {
    EXPECT_NE(o.out.find(l), std::string::npos) << l << o.out;
  }
  EXPECT_NE(o.out.find("\n  reason                "), std::string::npos) << o.out;
}

TEST(CliLandscape, SaddleBowlAndDefaultPoint) {
  // x^2 - y^2 at the origin: no slope, curvature +2 along x and -2 along y.
  const Output saddle = cli_test::landscape({"saddle", "0,0"});
  ASSERT_EQ(saddle.status, 0) << saddle.err;
  EXPECT_NE(saddle.out.find(line("Hessian eigenvalues", "(-2, 2)")), std::string::npos) << saddle.out;
  EXPECT_NE(saddle.out.find(line("terrain", "saddle")), std::string::npos) << saddle.out;
  EXPECT_NE(saddle.out.find(line("nearest known point", "saddle (0, 0), f = 0, at distance 0")), std::string::npos);

  // Without --at: the default start, (0, 0) for the bowl (x-3)^2 + (y+2)^2: f = 13,
  // gradient (2(0-3), 2(0+2)) = (-6, 4), Hessian 2I.
  const Output bowl = cli_test::landscape({"quadratic", ""});
  ASSERT_EQ(bowl.status, 0) << bowl.err;
  EXPECT_EQ(bowl.out.rfind("quadratic at (0, 0): ", 0), 0u) << bowl.out;
  EXPECT_NE(bowl.out.find(line("value", "13") + line("gradient", "(-6, 4)")), std::string::npos) << bowl.out;
  EXPECT_NE(bowl.out.find(line("Hessian eigenvalues", "(2, 2)")), std::string::npos) << bowl.out;
}

TEST(CliLandscape, MatrixFunctionTakesTwelveComponents) {
  // 0.5 ||X W - Y||^2 at W = 0 is 0.5 ||Y||^2 = 0.5 * 12.52 = 6.26; its Hessian is
  // kron(X^T X, I4), so the 12 eigenvalues are those of X^T X, four times each, and they add
  // up to 4 trace(X^T X) = 4 * (sum of the squares of X's entries) = 4 * 6.58.
  const Output o = cli_test::landscape({"matrix_lsq", "0,0,0,0,0,0,0,0,0,0,0,0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find(line("value", "6.26")), std::string::npos) << o.out;
  const tg::functions::TestFunction& f = tg::functions::get("matrix_lsq");
  const tg::Terrain t = tg::analyze_terrain(f.value, tg::zeros(f.shape));
  ASSERT_EQ(t.eigenvalues.size(), 12u);
  double sum = 0;
  for (double e : t.eigenvalues) sum += e;
  EXPECT_NEAR(sum, 4 * 6.58, 1e-9);
  for (std::size_t i = 0; i < 12; i += 4) {
    EXPECT_NEAR(t.eigenvalues[i], t.eigenvalues[i + 3], 1e-9) << i;
  }
  EXPECT_NE(o.out.find(line("Hessian eigenvalues", tg::cli::format_point(t.eigenvalues))), std::string::npos);
}

TEST(CliLandscape, BadInputIsOneLineAndStatusTwo) {
  const std::vector<std::pair<tg::cli::LandscapeArgs, std::string>> cases = {
      {{"", "0,0"}, "--function is required (tapegrad list functions)"},
      {{"rosenbrock", "1"}, "--at: rosenbrock takes 2 numbers (shape (2,)), got 1"},
      {{"rosenbrock", "1,2x"}, "--at: '2x' in '1,2x' is not a number"},
      {{"rosenbrock", "nan,1"}, "--at: 'nan' in 'nan,1' is not finite"},
      {{"goldstein_price", "1e200,1e200"},
       "--at: goldstein_price(1e+200, 1e+200) = nan; choose a point where it is finite"},
      {{"banana", "0,0"}, "unknown function 'banana' (known: quadratic, ravine, rosenbrock, "},
  };
  for (const auto& [args, message] : cases) {
    const Output o = cli_test::landscape(args);
    EXPECT_EQ(o.status, 2) << message;
    EXPECT_EQ(o.out, "") << message;
    EXPECT_EQ(o.err.rfind("tapegrad landscape: " + message, 0), 0u) << o.err;
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << o.err;
  }
}

}  // namespace
