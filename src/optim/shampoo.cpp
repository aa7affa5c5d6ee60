#include "tapegrad/optim/shampoo.hpp"

#include <cmath>
#include <vector>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xtensor.hpp>

#include "rule.hpp"

namespace tg::optim {

namespace {

// H^p of a symmetric positive definite n × n matrix, through H = Q diag(λ) Qᵀ.
std::vector<double> matrix_power(const double* h, int64_t n, double p) {
  const auto size = static_cast<std::size_t>(n);
  xt::xtensor<double, 2> a({size, size});
  std::copy(h, h + n * n, a.begin());
  const auto [w, q] = xt::linalg::eigh(a);
  std::vector<double> out(size * size, 0.0);
  for (std::size_t k = 0; k < size; ++k) {
    const double wk = std::pow(w(k), p);
    for (std::size_t i = 0; i < size; ++i)
      for (std::size_t j = 0; j < size; ++j) out[i * size + j] += q(i, k) * wk * q(j, k);
  }
  return out;
}

// A tensor of shape (outer, n, inner) seen along its middle dimension.
struct Unfolding {
  int64_t outer, n, inner;
  int64_t at(int64_t o, int64_t a, int64_t i) const { return (o * n + a) * inner + i; }
};

Unfolding unfold(const std::vector<int64_t>& dims, std::size_t axis) {
  Unfolding u{1, dims[axis], 1};
  for (std::size_t d = 0; d < axis; ++d) u.outer *= dims[d];
  for (std::size_t d = axis + 1; d < dims.size(); ++d) u.inner *= dims[d];
  return u;
}

}  // namespace

void Shampoo::update(Tensor& param, const Tensor& grad, ShampooState& s, const ShampooOptions& o) {
  const int64_t n = param.numel();
  std::vector<int64_t> dims = param.shape().to_vector();
  if (dims.empty()) dims.push_back(1);  // a scalar is a vector of one element
  const std::size_t order = dims.size();
  if (s.preconditioners.empty()) {
    for (int64_t d : dims) {
      std::vector<double> eye(static_cast<std::size_t>(d * d), 0.0);
      for (int64_t i = 0; i < d; ++i) eye[i * d + i] = o.eps;
      s.preconditioners.push_back(tg::tensor(eye, {d, d}));
    }
  }
  s.step += 1;

  double* p = detail::write(param);
  const double* g0 = detail::read(grad);
  std::vector<double> g(g0, g0 + n);
  if (o.weight_decay != 0.0)
    for (int64_t i = 0; i < n; ++i) g[i] = g[i] + o.weight_decay * p[i];

  // u ← g ×₁ H₁^(−1/2k) ... ×ₖ Hₖ^(−1/2k), each Hᵢ first accumulating g₍ᵢ₎ g₍ᵢ₎ᵀ
  std::vector<double> u = g;
  for (std::size_t axis = 0; axis < order; ++axis) {
    const Unfolding f = unfold(dims, axis);
    double* h = detail::write(s.preconditioners[axis]);
    for (int64_t a = 0; a < f.n; ++a) {
      for (int64_t b = 0; b < f.n; ++b) {
        double sum = 0.0;
        for (int64_t out = 0; out < f.outer; ++out)
          for (int64_t in = 0; in < f.inner; ++in) sum += g[f.at(out, a, in)] * g[f.at(out, b, in)];
        h[a * f.n + b] += sum;
      }
    }
    const std::vector<double> root = matrix_power(h, f.n, -1.0 / (2.0 * static_cast<double>(order)));
    std::vector<double> next(u.size(), 0.0);
    for (int64_t out = 0; out < f.outer; ++out)
      for (int64_t a = 0; a < f.n; ++a)
        for (int64_t in = 0; in < f.inner; ++in) {
          double sum = 0.0;
          for (int64_t b = 0; b < f.n; ++b) sum += root[a * f.n + b] * u[f.at(out, b, in)];
          next[f.at(out, a, in)] = sum;
        }
    u = std::move(next);
  }

  if (o.momentum != 0.0) {
    detail::init_zeros(s.momentum_buffer, param);
    double* buf = detail::write(s.momentum_buffer);
    for (int64_t i = 0; i < n; ++i) u[i] = buf[i] = o.momentum * buf[i] + u[i];
  }
  for (int64_t i = 0; i < n; ++i) p[i] = p[i] - o.lr * u[i];
}

template class BasicOptimizer<ShampooOptions, ShampooState, Shampoo>;

}  // namespace tg::optim
