// Internal: the pieces every test-function file uses, and the families registry.cpp collects.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tapegrad/functions/test_functions.hpp"

namespace tg::functions::detail {

using Formula = std::function<Tensor(const Tensor&)>;

/// `f` behind a check that the parameter is defined and has shape `shape` (tg::ShapeError
/// naming the function, the expected and the given shape).
Formula checked(const std::string& name, const Shape& shape, Formula f);

/// "(0,0)", "(-1.5,2)": a 2-D start written as the optimizer oracle's keys write it.
std::string label(const std::vector<double>& x);

/// Each start with its label: {x} -> {(label(x), x)}.
std::vector<std::pair<std::string, std::vector<double>>> labelled(const std::vector<std::vector<double>>& xs);

/// `pattern` repeated to length n: (a, b) -> (a, b, a, b, a).
std::vector<double> tile(const std::vector<double>& pattern, int64_t n);

// The ten functions of the optimizer oracle but rastrigin and rosenbrock10 (built by the
// n-D families), in the order of all().
TestFunction quadratic();
TestFunction ravine();
TestFunction beale();
TestFunction booth();
TestFunction himmelblau();
TestFunction saddle();
TestFunction matrix_lsq();

// Families with an n-D form; n is the number of coordinates.
TestFunction rosenbrock(int64_t n);
TestFunction rastrigin(int64_t n);
TestFunction styblinski_tang(int64_t n);
TestFunction ackley(int64_t n);

// The classic 2-D landscapes, the 1-D double well, and seed 004's ravine x² + 15y² and parabola θ².
TestFunction drop_wave();
TestFunction goldstein_price();
TestFunction matyas();
TestFunction three_hump_camel();
TestFunction mccormick();
TestFunction six_hump_camel();
TestFunction easom();
TestFunction double_well();
TestFunction ravine15();
TestFunction parabola();

}  // namespace tg::functions::detail
