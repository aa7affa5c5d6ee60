// Test functions for optimizers: the landscapes of the lessons (a bowl, a ravine, Rosenbrock's
// banana, a saddle, ...) and the classic benchmark surfaces, each written with tapegrad's
// operations so that backward() gives its gradient, with its known stationary points, start
// points, a plot window and a learning rate for plain gradient descent. See docs/functions.md.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tapegrad/shape.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::functions {

/// A stationary point (gradient 0) of a test function.
struct Point {
  std::vector<double> x;     // the point (flattened row-major for matrix parameters)
  double value;              // f there
  std::string kind;          // "global minimum", "local minimum", "saddle", "local maximum"
};

struct TestFunction {
  std::string name;                 // canonical: "quadratic", "ravine", "rosenbrock", "beale", "booth", "himmelblau",
                                    // "rastrigin", "saddle", "rosenbrock10", "matrix_lsq", "ackley", "drop_wave",
                                    // "styblinski_tang", "goldstein_price", "matyas", "three_hump_camel", "mccormick",
                                    // "six_hump_camel", "easom", "double_well" (the 1-D momentum example),
                                    // "ravine15" (x^2 + 15y^2) and "parabola" (1-D x^2), the quadratics of seed 004
  std::string formula;              // one line of text
  tg::Shape shape;                  // parameter shape: (2,), (1,), (10,), (3, 4); N-D functions have a fixed default n
  /// f(p) recorded on the tape, a 0-d tensor. Throws tg::ShapeError when p's shape is not `shape`.
  std::function<tg::Tensor(const tg::Tensor& p)> value;
  std::vector<Point> points;        // known stationary points; the global minimum (or minima) first
  std::vector<std::pair<std::string, std::vector<double>>> starts;  // labelled start points; the first is the default
  std::array<double, 4> window;     // plot window x0, x1, y0, y1 (2-D functions; {0,0,0,0} otherwise)
  bool log_scale = false;           // contours look better on a log scale
  double sgd_lr = 0;                // a learning rate for plain gradient methods
  std::string note;                 // e.g. "not differentiable at the minimum"
  /// The usual search domain x0, x1, y0, y1 (the box the global minimum is stated on: it
  /// matters for McCormick, unbounded below outside it). For n-D forms every coordinate lies
  /// in [domain[0], domain[1]]; {0,0,0,0} when the function has no customary domain.
  std::array<double, 4> domain{};

  tg::Tensor operator()(const tg::Tensor& p) const { return value(p); }
  int64_t dim() const { return shape.numel(); }
  /// The start point called `label` (tg::ValueError listing the labels if there is none).
  tg::Tensor start(const std::string& label) const;
  /// The default start (the first), as a tensor of shape `shape`.
  tg::Tensor start() const;
};

/// Every function, in the order of TestFunction::name's comment: the ten functions of the
/// optimizer oracle, the nine classic landscapes, the 1-D double well, seed 004's ravine15 and
/// parabola.
const std::vector<TestFunction>& all();

/// The function called `name`; tg::ValueError "unknown function 'x' (known: a, b, ...)" otherwise.
const TestFunction& get(const std::string& name);

/// Names of all(), in order.
std::vector<std::string> names();

/// N-D forms where the function has one: make("rosenbrock", 10), make("rastrigin", 5),
/// make("styblinski_tang", 3), make("ackley", 4). The result is called name + n
/// ("rastrigin5"), except that n equal to the registered size gives the registered function
/// (make("rosenbrock", 2) is get("rosenbrock"), make("rosenbrock", 10) is get("rosenbrock10")).
/// Its starts are the 2-D starts repeated over the coordinates; its points are the global
/// minimum and the minima known for every n. make(name, n) of a function without an N-D form
/// is get(name) when n is its size. tg::ValueError for an unknown name, a function without an
/// N-D form, or n below the smallest size (2 for Rosenbrock, 1 for the others).
TestFunction make(const std::string& name, int64_t n);

}  // namespace tg::functions
