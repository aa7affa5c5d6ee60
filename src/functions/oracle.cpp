// The 2-D functions of the optimizer oracle (rastrigin and rosenbrock are in n_dimensional.cpp)
// and the matrix least-squares problem. Formulas, starts and learning rates are the oracle's
// (its reference trajectories are in tests/reference/oracle/); stationary points were refined by
// Newton's method in 40-digit arithmetic from the published ones.
#include "builders.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/ops.hpp"

namespace tg::functions::detail {

namespace {

const std::vector<std::pair<std::string, std::vector<double>>> kStandardStarts = {
    {"(0,0)", {0.0, 0.0}}, {"(-1.5,2)", {-1.5, 2.0}}, {"(4,1)", {4.0, 1.0}}};

}  // namespace

TestFunction quadratic() {
  TestFunction f;
  f.name = "quadratic";
  f.formula = "(x-3)^2 + (y+2)^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) { return (p[0] - 3.0).square() + (p[1] + 2.0).square(); });
  f.points = {{{3.0, -2.0}, 0.0, "global minimum"}};
  f.starts = kStandardStarts;
  f.window = {-2.0, 5.0, -4.0, 3.0};
  f.sgd_lr = 0.1;
  f.note = "a round bowl: Hessian 2I everywhere (the function of seed 001)";
  return f;
}

TestFunction ravine() {
  TestFunction f;
  f.name = "ravine";
  f.formula = "x^2 + 10*y^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) { return p[0].square() + 10.0 * p[1].square(); });
  f.points = {{{0.0, 0.0}, 0.0, "global minimum"}};
  f.starts = labelled({{1.0, 1.0}, {-1.5, 2.0}, {4.0, 1.0}});
  f.window = {-5.0, 5.0, -2.5, 2.5};
  f.sgd_lr = 0.02;
  f.note = "Hessian diag(2, 20), condition number 10: plain GD diverges in y for lr > 0.1 = 2/20";
  return f;
}

TestFunction beale() {
  TestFunction f;
  f.name = "beale";
  f.formula = "(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return (1.5 - x + x * y).square() + (2.25 - x + x * y.square()).square() + (2.625 - x + x * y.pow(3)).square();
  });
  f.points = {{{3.0, 0.5}, 0.0, "global minimum"},
              {{0.0, 1.0}, 14.203125, "saddle"},
              {{0.10053793732415836, -2.644513585023125}, 9.8645122847555602, "saddle"}};
  f.starts = labelled({{0.0, 0.0}, {1.0, 1.0}, {-1.0, 1.5}});
  f.window = {-4.5, 4.5, -4.5, 4.5};
  f.log_scale = true;
  f.sgd_lr = 1e-3;
  f.domain = {-4.5, 4.5, -4.5, 4.5};
  f.note = "on the line x = 0 the y-gradient is zero, so from (0, 0) every method first moves in x only";
  return f;
}

TestFunction booth() {
  TestFunction f;
  f.name = "booth";
  f.formula = "(x+2*y-7)^2 + (2*x+y-5)^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return (x + 2.0 * y - 7.0).square() + (2.0 * x + y - 5.0).square();
  });
  f.points = {{{1.0, 3.0}, 0.0, "global minimum"}};
  f.starts = kStandardStarts;
  f.window = {-3.0, 5.0, -3.0, 5.0};
  f.sgd_lr = 0.02;
  f.domain = {-10.0, 10.0, -10.0, 10.0};
  f.note = "a tilted valley: Hessian [[10, 8], [8, 10]], eigenvalues 2 and 18";
  return f;
}

TestFunction himmelblau() {
  TestFunction f;
  f.name = "himmelblau";
  f.formula = "(x^2+y-11)^2 + (x+y^2-7)^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return (x.square() + y - 11.0).square() + (x + y.square() - 7.0).square();
  });
  f.points = {{{3.0, 2.0}, 0.0, "global minimum"},
              {{-2.8051180869527449, 3.131312518250573}, 0.0, "global minimum"},
              {{-3.7793102533777469, -3.2831859912861694}, 0.0, "global minimum"},
              {{3.5844283403304917, -1.8481265269644036}, 0.0, "global minimum"},
              {{-0.27084459066734761, -0.92303855647998146}, 181.6165215225827, "local maximum"},
              {{3.3851541836070209, 0.073851879837749288}, 13.31192627040559, "saddle"},
              {{0.086677504555396352, 2.8842547011747761}, 67.71915008752614, "saddle"},
              {{-3.0730257507643896, -0.081353044287967512}, 104.01516291755811, "saddle"},
              {{-0.12796134673068007, -1.9537149802445764}, 178.33723920192746, "saddle"}};
  f.starts = kStandardStarts;
  f.window = {-5.0, 5.0, -5.0, 5.0};
  f.log_scale = true;  // values up to 890 on the window, the four basins all below 10
  f.sgd_lr = 2e-3;
  f.domain = {-5.0, 5.0, -5.0, 5.0};
  f.note = "four global minima: which one a method reaches depends on the start and the method";
  return f;
}

TestFunction saddle() {
  TestFunction f;
  f.name = "saddle";
  f.formula = "x^2 - y^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) { return p[0].square() - p[1].square(); });
  f.points = {{{0.0, 0.0}, 0.0, "saddle"}};
  f.starts = labelled({{1.0, 0.001}, {-1.5, 2.0}, {4.0, 1.0}});
  f.window = {-5.0, 5.0, -5.0, 5.0};  // wide enough for the start (4, 1); the saddle itself fills [-2, 2]^2
  f.sgd_lr = 0.02;
  f.note = "no minimum: unbounded below along y; the first point is the saddle, not a minimum";
  return f;
}

TestFunction matrix_lsq() {
  static const std::vector<double> kX = {1.0, 0.5, -0.3, 0.2, -1.0, 0.4, 0.7, 0.1, 1.2, -0.6, 0.9, 0.3, 0.4, -0.2, -0.8};
  static const std::vector<double> kY = {1.0, -1.0, 0.5, 0.0,  0.0, 2.0, -0.5, 1.0, 0.3, 0.3,
                                         1.0, -1.0, -1.0, 0.5, 0.0, 0.2, 0.5,  0.0, -0.7, 0.9};
  TestFunction f;
  f.name = "matrix_lsq";
  f.formula = "0.5*||X@W - Y||_F^2, W 3x4, X 5x3 and Y 5x4 constants";
  f.shape = Shape{3, 4};
  // The constants are made at each call: tensors are not shared between threads.
  f.value = checked(f.name, f.shape, [](const Tensor& w) {
    const Tensor x = tensor(kX, Shape{5, 3}), y = tensor(kY, Shape{5, 4});
    return 0.5 * (matmul(x, w) - y).square().sum();
  });
  f.points = {{{0.9859114398921417, -0.5009714102831828, 0.4305842188994132, -0.15782889412833428,
                -0.10593466351988842, -1.0167027737302348, 0.5202114003435324, -0.5400271201573856,
                -0.3133509804905194, 0.6901308137330503, 0.5612933445173844, -0.595479558968843},
               1.806743068979852,
               "global minimum"}};
  std::vector<double> alt(12);
  for (std::size_t i = 0; i < alt.size(); ++i) alt[i] = (i / 4 + i % 4) % 2 == 0 ? 0.5 : -0.5;
  f.starts = {{"zeros", std::vector<double>(12, 0.0)}, {"ones", std::vector<double>(12, 1.0)}, {"alt", alt}};
  f.window = {0.0, 0.0, 0.0, 0.0};
  f.sgd_lr = 0.05;
  f.note = "X = [[1, 0.5, -0.3], [0.2, -1, 0.4], [0.7, 0.1, 1.2], [-0.6, 0.9, 0.3], [0.4, -0.2, -0.8]], "
           "Y = [[1, -1, 0.5, 0], [0, 2, -0.5, 1], [0.3, 0.3, 1, -1], [-1, 0.5, 0, 0.2], [0.5, 0, -0.7, 0.9]]; "
           "Hessian X^T X on each column of W (kron(X^T X, I4) on the row-major flattening)";
  return f;
}

}  // namespace tg::functions::detail
