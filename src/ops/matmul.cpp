// Matrix products through BLAS (cblas_dgemm), with NumPy's rules for 1-D operands and
// broadcast batch dimensions.
#include <cblas.h>

#include <algorithm>
#include <string>

#include "broadcast.hpp"
#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// A (…, n, k) @ B (…, k, m) = C (…, n, m); a 1-D A is (1, k), a 1-D B is (k, 1), and the
// added axis is dropped from C.
struct Geometry {
  int64_t n, k, m;
  BroadcastPlan batch;  // over the leading (batch) axes
  Shape out;
};

Geometry geometry(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty()) {
    throw ShapeError("matmul: both operands need at least one dimension, got " + a.str() +
                     " @ " + b.str());
  }
  const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  Geometry g;
  g.n = a_vec ? 1 : a[a.size() - 2];
  g.k = a.back();
  const int64_t kb = b_vec ? b[0] : b[b.size() - 2];
  g.m = b_vec ? 1 : b.back();
  if (g.k != kb) {
    throw ShapeError("matmul: inner dimensions do not match: " + a.str() + " @ " + b.str() +
                     " (" + std::to_string(g.k) + " vs " + std::to_string(kb) + ")");
  }
  const Shape a_batch(a.data(), std::max(0, a.size() - 2));
  const Shape b_batch(b.data(), std::max(0, b.size() - 2));
  g.batch = plan_broadcast("matmul", a_batch, b_batch);
  g.out = g.batch.out;
  if (!a_vec) g.out.push_back(g.n);
  if (!b_vec) g.out.push_back(g.m);
  return g;
}

}  // namespace

// dA = G·Bᵀ, dB = Aᵀ·G (per batch; broadcast batches accumulate)
void matmul_backward(BackwardContext& c) {
  const TensorImpl* a = c.input(0);
  const TensorImpl* b = c.input(1);
  const Geometry g = geometry(a->shape, b->shape);
  double* ga = c.grad_in(0);
  double* gb = c.grad_in(1);
  const double* G = c.grad_out();
  const int n = static_cast<int>(g.n), k = static_cast<int>(g.k), m = static_cast<int>(g.m);
  if (n == 0 || m == 0 || k == 0) return;
  for_each_broadcast(g.batch, [&](int64_t o, int64_t ia, int64_t ib, int64_t) {
    const double* Go = G + o * g.n * g.m;
    if (ga) {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, k, m, 1.0, Go, m,
                  b->data + ib * g.k * g.m, m, 1.0, ga + ia * g.n * g.k, k);
    }
    if (gb) {
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, m, n, 1.0,
                  a->data + ia * g.n * g.k, k, Go, m, 1.0, gb + ib * g.k * g.m, m);
    }
  });
}

// The same with matmul itself: 1-D operands lifted to matrices (and G with them), the batch
// axes summed back to each operand's own.
void matmul_backward_graph(GraphContext& c) {
  const Tensor& a = c.input(0);
  const Tensor& b = c.input(1);
  const bool a_vec = a.ndim() == 1, b_vec = b.ndim() == 1;
  const Tensor A = a_vec ? tg::unsqueeze(a, 0) : a;
  const Tensor B = b_vec ? tg::unsqueeze(b, -1) : b;
  Tensor G = c.grad_out();
  if (b_vec) G = tg::unsqueeze(G, -1);
  if (a_vec) G = tg::unsqueeze(G, -2);
  if (c.needs_grad(0)) {
    const Tensor ga = sum_to(tg::matmul(G, tg::transpose(B, -1, -2)), A.shape());
    c.add_grad(0, a_vec ? tg::reshape(ga, a.shape().to_vector()) : ga);
  }
  if (c.needs_grad(1)) {
    const Tensor gb = sum_to(tg::matmul(tg::transpose(A, -1, -2), G), B.shape());
    c.add_grad(1, b_vec ? tg::reshape(gb, b.shape().to_vector()) : gb);
  }
}

}  // namespace detail

using namespace detail;

Tensor matmul(const Tensor& x, const Tensor& y) {
  TensorImpl* a = checked_impl(x, "matmul");
  TensorImpl* b = checked_impl(y, "matmul");
  const Geometry g = geometry(a->shape, b->shape);
  TensorImpl* out = new_impl(g.out);
  const int n = static_cast<int>(g.n), k = static_cast<int>(g.k), m = static_cast<int>(g.m);
  if (k == 0) {
    std::fill(out->data, out->data + out->numel, 0.0);
  } else if (n > 0 && m > 0) {
    for_each_broadcast(g.batch, [&](int64_t o, int64_t ia, int64_t ib, int64_t) {
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1.0,
                  a->data + ia * g.n * g.k, k, b->data + ib * g.k * g.m, m, 0.0,
                  out->data + o * g.n * g.m, m);
    });
  }
  if (should_record(a, b)) Engine::record(OpCode::matmul, out, {a, b});
  return make_result(out);
}

}  // namespace tg
