// The gradient and the Hessian of a scalar function at a point.
//
// gradient() records f on the tape once and runs backward(): exact up to rounding.
//
// hessian() is exact by default: the gradient is recorded with create_graph and differentiated
// once more on the tape (tg::autograd::functional::hessian), so H is exact up to rounding
// (measured: within 1e-13 of the analytic Hessian, relative to its largest entry, on every
// test function; tests/functions/test_hessian.cpp).
//
// HessianMethod::finite_difference keeps the numerical form, for comparison: column j is
//     H[:, j] = (∇f(x + h_j e_j) - ∇f(x - h_j e_j)) / (2 h_j),   h_j = eps · max(1, |x_j|),
// and the result is symmetrised, H = (H + Hᵀ) / 2. This costs 2n backward passes for n
// parameters and needs nothing from f but tapegrad operations (no second-order tape).
// Accuracy: the central difference has a truncation error h²/6 · ∂³(∇f) (zero when f is a
// quadratic) and a rounding error about u · |∇f| / h (u = 2.2e-16, |∇f| the size of the
// gradient's terms); with eps = 1e-5 the two balance at about 1e-10 · |f'''| + 1e-11 · |∇f|,
// i.e. roughly 1e-6 relative or better. Measured on the test functions (tests/functions/
// test_hessian.cpp): against the analytic Hessian at 50 random points per function, at most
// 5.8e-9 relative to the largest entry (rastrigin); at the reference's points, eigenvalues
// within 4.4e-9 of the largest |eigenvalue| (docs/functions.md has the table).
#pragma once

#include <functional>

#include "tapegrad/tensor.hpp"

namespace tg {

using ScalarFunction = std::function<tg::Tensor(const tg::Tensor&)>;

/// The gradient of f at x through the tape (x's shape; x itself is not modified and needs no
/// requires_grad). Zeros if f does not depend on x. Throws tg::ShapeError if f(x) has more
/// than one element, tg::ValueError if x is undefined.
tg::Tensor gradient(const ScalarFunction& f, const tg::Tensor& x);

enum class HessianMethod {
  exact,              // double backward on the tape
  finite_difference,  // central differences of tape gradients
};

/// The Hessian, n×n for n = x.numel(), symmetrised ((H + Hᵀ)/2). Exact by default; with
/// HessianMethod::finite_difference, by central differences of tape gradients, the step along
/// coordinate j being eps·max(1, |x_j|) (tg::ValueError unless eps > 0 and finite).
tg::Tensor hessian(const ScalarFunction& f, const tg::Tensor& x, HessianMethod method = HessianMethod::exact,
                   double eps = 1e-5);

}  // namespace tg
