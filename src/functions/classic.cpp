// The classic 2-D landscapes (Jamil & Yang 2013; Surjanovic & Bingham's Virtual Library of
// Simulation Experiments), the 1-D double well of seed 004's momentum example, and seed 004's
// two quadratics: the ravine x² + 15y² of its Concept 5 and the parabola θ² of its AdamW
// section. Their start points and learning rates are ours: from every start, 1000 plain
// gradient-descent steps at sgd_lr stay finite (and decrease f monotonically, except where
// noted).
#include <cmath>
#include <numbers>

#include "builders.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/ops.hpp"

namespace tg::functions::detail {

namespace {

using std::numbers::pi;

}  // namespace

TestFunction drop_wave() {
  TestFunction f;
  f.name = "drop_wave";
  f.formula = "-(1 + cos(12*r)) / (0.5*r^2 + 2), r = sqrt(x^2 + y^2)";
  f.shape = Shape{2};
  // f = -1 + 36.25 r^2 + ... is smooth at the origin, but r = ‖p‖ is not: there cos(12 r) is
  // taken as the series in s = r² it is, Σ (-144 s)^k / (2k)!, so that derivatives of every
  // order come out right (Hessian 72.5·I); elsewhere through norm(), whose derivative at 0
  // would be taken as 0.
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor s = p.square().sum();
    Tensor cos_12r;
    if (s.item() < 1e-4) {  // 144 s < 0.0144: seven terms reach the last bit
      cos_12r = tg::ones({});
      for (int k = 6; k >= 1; --k) cos_12r = 1.0 + cos_12r * (-144.0 * s) / (2.0 * k * (2.0 * k - 1.0));
    } else {
      cos_12r = (12.0 * p.norm()).cos();
    }
    return -(1.0 + cos_12r) / (0.5 * s + 2.0);
  });
  f.points = {{{0.0, 0.0}, -1.0, "global minimum"}};
  f.starts = labelled({{0.4, 0.2}, {-1.5, 1.0}, {2.5, -2.0}});
  f.window = {-5.12, 5.12, -5.12, 5.12};
  f.sgd_lr = 0.01;
  f.domain = {-5.12, 5.12, -5.12, 5.12};
  f.note = "the minimum is -1 at the origin (some libraries state another value); Hessian 72.5 I there; "
           "concentric rings of local minima";
  return f;
}

TestFunction goldstein_price() {
  TestFunction f;
  f.name = "goldstein_price";
  f.formula = "[1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)] * "
              "[30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    const Tensor a = 1.0 + (x + y + 1.0).square() *
                               (19.0 - 14.0 * x + 3.0 * x.square() - 14.0 * y + 6.0 * x * y + 3.0 * y.square());
    const Tensor b = 30.0 + (2.0 * x - 3.0 * y).square() *
                                (18.0 - 32.0 * x + 12.0 * x.square() + 48.0 * y - 36.0 * x * y + 27.0 * y.square());
    return a * b;
  });
  f.points = {{{0.0, -1.0}, 3.0, "global minimum"},
              {{-0.6, -0.4}, 30.0, "local minimum"},
              {{1.8, 0.2}, 84.0, "local minimum"},
              {{1.2, 0.8}, 840.0, "local minimum"}};
  f.starts = labelled({{0.5, -1.5}, {-1.0, -1.0}, {1.0, 1.0}});
  f.window = {-2.0, 2.0, -2.0, 2.0};
  f.log_scale = true;
  f.sgd_lr = 2e-5;
  f.domain = {-2.0, 2.0, -2.0, 2.0};
  f.note = "values up to about 1e6 on [-2, 2]^2 (use log colours); the three starts end in three different minima";
  return f;
}

TestFunction matyas() {
  TestFunction f;
  f.name = "matyas";
  f.formula = "0.26*(x^2 + y^2) - 0.48*x*y";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return 0.26 * (x.square() + y.square()) - 0.48 * x * y;
  });
  f.points = {{{0.0, 0.0}, 0.0, "global minimum"}};
  f.starts = labelled({{8.0, 4.0}, {-7.0, 9.0}, {5.0, -5.0}});
  f.window = {-10.0, 10.0, -10.0, 10.0};
  f.sgd_lr = 1.0;
  f.domain = {-10.0, 10.0, -10.0, 10.0};
  f.note = "a diagonal ravine: Hessian eigenvalues 0.04 along (1, 1) and 1 along (1, -1), condition number 25";
  return f;
}

TestFunction three_hump_camel() {
  TestFunction f;
  f.name = "three_hump_camel";
  f.formula = "2x^2 - 1.05x^4 + x^6/6 + xy + y^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return 2.0 * x.square() - 1.05 * x.pow(4) + x.pow(6) / 6.0 + x * y + y.square();
  });
  f.points = {{{0.0, 0.0}, 0.0, "global minimum"},
              {{1.7475523458302889, -0.87377617291514445}, 0.29863844223685982, "local minimum"},
              {{-1.7475523458302889, 0.87377617291514445}, 0.29863844223685982, "local minimum"}};
  f.starts = labelled({{1.0, 1.0}, {2.0, -1.5}, {-2.0, 2.0}});
  f.window = {-2.5, 2.5, -2.5, 2.5};
  f.sgd_lr = 0.05;
  f.domain = {-5.0, 5.0, -5.0, 5.0};
  f.note = "two local minima beside the global one: from (2, -1.5) and (-2, 2) gradient descent stops in them";
  return f;
}

TestFunction mccormick() {
  TestFunction f;
  f.name = "mccormick";
  f.formula = "sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return (x + y).sin() + (x - y).square() - 1.5 * x + 2.5 * y + 1.0;
  });
  // Minima lie on x - y = 1 with x + y = -2pi/3 + 2pi k.
  f.points = {{{0.5 - pi / 3.0, -0.5 - pi / 3.0}, -std::sqrt(3.0) / 2.0 - pi / 3.0, "global minimum"},
              {{0.5 + 2.0 * pi / 3.0, -0.5 + 2.0 * pi / 3.0}, 2.0 * pi / 3.0 - std::sqrt(3.0) / 2.0, "local minimum"}};
  f.starts = labelled({{-1.0, 2.0}, {2.0, -2.0}, {3.0, 3.0}});
  f.window = {-1.5, 4.0, -3.0, 4.0};
  f.sgd_lr = 0.2;
  f.domain = {-1.5, 4.0, -3.0, 4.0};
  f.note = "the global minimum is stated on the box x in [-1.5, 4], y in [-3, 4]: along x - y = 1 the function "
           "keeps decreasing towards -infinity outside it (local minima every 2pi in x + y)";
  return f;
}

TestFunction six_hump_camel() {
  TestFunction f;
  f.name = "six_hump_camel";
  f.formula = "(4 - 2.1x^2 + x^4/3) x^2 + xy + (-4 + 4y^2) y^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return (4.0 - 2.1 * x.square() + x.pow(4) / 3.0) * x.square() + x * y + (-4.0 + 4.0 * y.square()) * y.square();
  });
  f.points = {{{0.089842013100318062, -0.71265640302073963}, -1.0316284534898774, "global minimum"},
              {{-0.089842013100318062, 0.71265640302073963}, -1.0316284534898774, "global minimum"},
              {{1.7036067149699808, -0.79608356867262512}, -0.21546382438371764, "local minimum"},
              {{-1.7036067149699808, 0.79608356867262512}, -0.21546382438371764, "local minimum"},
              {{1.6071047529201972, 0.56865145488413137}, 2.1042503103112583, "local minimum"},
              {{-1.6071047529201972, -0.56865145488413137}, 2.1042503103112583, "local minimum"}};
  f.starts = labelled({{0.5, 0.5}, {-1.5, 0.5}, {1.5, 0.9}});
  f.window = {-2.0, 2.0, -1.0, 1.0};
  f.sgd_lr = 0.04;
  f.domain = {-3.0, 3.0, -2.0, 2.0};
  f.note = "two global minima and four local ones; (0, 0) is a stationary point (a saddle), not a start";
  return f;
}

TestFunction easom() {
  TestFunction f;
  f.name = "easom";
  f.formula = "-cos(x) cos(y) exp(-((x - pi)^2 + (y - pi)^2))";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0], y = p[1];
    return -x.cos() * y.cos() * (-((x - pi).square() + (y - pi).square())).exp();
  });
  f.points = {{{pi, pi}, -1.0, "global minimum"}};
  f.starts = labelled({{2.5, 2.0}, {1.0, 1.0}, {4.5, 4.0}});
  f.window = {0.0, 6.0, 0.0, 6.0};
  f.sgd_lr = 0.3;
  f.domain = {-100.0, 100.0, -100.0, 100.0};
  f.note = "flat (f ~ 0, gradient ~ 0) almost everywhere, the plateau example: from (1, 1) gradient descent "
           "barely moves; Hessian 3I at the minimum";
  return f;
}

TestFunction double_well() {
  TestFunction f;
  f.name = "double_well";
  f.formula = "x^4 - 2x^2 + 0.5x";
  f.shape = Shape{1};
  f.value = checked(f.name, f.shape, [](const Tensor& p) {
    const Tensor x = p[0];
    return x.pow(4) - 2.0 * x.square() + 0.5 * x;
  });
  f.points = {{{-1.0574537707383779}, -1.5147536412757056, "global minimum"},
              {{0.93040292655585169}, -0.51674850828524917, "local minimum"},
              {{0.12705084418252621}, 0.031502149560954774, "local maximum"}};
  f.starts = {{"1.5", {1.5}}};
  f.window = {0.0, 0.0, 0.0, 0.0};
  f.sgd_lr = 0.02;
  f.note = "a tilted double well (seed 004's momentum example): from 1.5 at lr 0.02 plain GD stops in the local "
           "minimum 0.9304, SGD with momentum 0.9 crosses the barrier at 0.1271 and reaches the global minimum";
  return f;
}

TestFunction ravine15() {
  TestFunction f;
  f.name = "ravine15";
  f.formula = "x^2 + 15*y^2";
  f.shape = Shape{2};
  f.value = checked(f.name, f.shape, [](const Tensor& p) { return p[0].square() + 15.0 * p[1].square(); });
  f.points = {{{0.0, 0.0}, 0.0, "global minimum"}};
  f.starts = labelled({{1.0, 1.0}, {4.0, 1.0}, {-1.5, 2.0}});
  f.window = {-5.0, 5.0, -2.5, 2.5};
  f.sgd_lr = 0.02;
  f.note = "seed 004's ravine (Concept 5): Hessian diag(2, 30), condition number 15; plain GD diverges in y for "
           "lr > 2/30 = 0.0667, while x converges fastest at lr 0.5: no one lr serves both";
  return f;
}

TestFunction parabola() {
  TestFunction f;
  f.name = "parabola";
  f.formula = "x^2";
  f.shape = Shape{1};
  f.value = checked(f.name, f.shape, [](const Tensor& p) { return p[0].square(); });
  f.points = {{{0.0}, 0.0, "global minimum"}};
  f.starts = {{"4", {4.0}}, {"-1", {-1.0}}};
  f.window = {0.0, 0.0, 0.0, 0.0};
  f.sgd_lr = 0.1;
  f.note = "seed 004's AdamW example f(theta) = theta^2: Hessian 2, plain GD converges for lr < 1 (in one step at "
           "lr 0.5); an L2 term only rescales its gradient to (2 + lambda) x, which Adam divides away";
  return f;
}

}  // namespace tg::functions::detail
