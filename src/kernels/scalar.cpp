// The kernels as plain loops: the reference the vector versions are tested against, and the
// ones used on CPUs without a vector version. Adam's is in src/optim/adam_rule.hpp.
#include <algorithm>
#include <cmath>

#include "kernels.hpp"
#include "optim/adam_rule.hpp"

namespace tg::detail::kernels {

namespace {

void tanh_scalar(const double* x, double* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

void tanh_backward_scalar(const double* g, const double* y, double* gx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) gx[i] += g[i] * (1.0 - y[i] * y[i]);
}

}  // namespace

const KernelTable kScalar = {"scalar", tanh_scalar, tanh_backward_scalar, optim::detail::adam_reference};

}  // namespace tg::detail::kernels
