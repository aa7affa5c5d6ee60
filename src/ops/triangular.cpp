// Triangles of the last two axes (matrices, or batches of them): tril keeps element (…, i, j)
// where j - i <= diagonal, triu where j - i >= diagonal, and both set the rest to 0. The
// gradient is kept and zeroed the same way. Node arguments: arg[0] = diagonal.
#include <string>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"

namespace tg {
namespace detail {
namespace {

// Calls f(index, kept) for every element of a tensor of `shape`.
template <class F>
void for_each_in_triangle(const Shape& shape, bool upper, int64_t diagonal, F&& f) {
  const int nd = shape.size();
  const int64_t rows = shape[nd - 2], cols = shape[nd - 1];
  const int64_t matrices = rows * cols == 0 ? 0 : shape.numel() / (rows * cols);
  for (int64_t m = 0, e = 0; m < matrices; ++m)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j, ++e) f(e, upper ? j - i >= diagonal : j - i <= diagonal);
}

Tensor triangle(OpCode code, const Tensor& a, int64_t diagonal) {
  const char* name = op_info(code).name;
  TensorImpl* x = checked_impl(a, name);
  if (x->shape.size() < 2) {
    throw ShapeError(std::string(name) + ": expects a matrix or a batch of matrices (at least 2 dimensions), got shape " +
                     x->shape.str());
  }
  TensorImpl* out = new_impl(x->shape);
  for_each_in_triangle(x->shape, code == OpCode::triu, diagonal,
                       [&](int64_t e, bool kept) { out->data[e] = kept ? x->data[e] : 0.0; });
  if (should_record(x)) Engine::record(code, out, {x}).arg[0] = diagonal;
  return make_result(out);
}

}  // namespace

// tril/triu: the gradient of the kept elements passes, the others get none
void triangle_backward(BackwardContext& c) {
  double* gx = c.grad_in(0);
  const double* g = c.grad_out();
  for_each_in_triangle(c.out()->shape, c.node().op == OpCode::triu, c.node().arg[0], [&](int64_t e, bool kept) {
    if (kept) gx[e] += g[e];
  });
}

void triangle_backward_graph(GraphContext& c) {
  const int64_t diagonal = c.node().arg[0];
  c.add_grad(0, c.node().op == OpCode::triu ? tg::triu(c.grad_out(), diagonal) : tg::tril(c.grad_out(), diagonal));
}

}  // namespace detail

using namespace detail;

Tensor tril(const Tensor& a, int64_t diagonal) { return triangle(OpCode::tril, a, diagonal); }
Tensor triu(const Tensor& a, int64_t diagonal) { return triangle(OpCode::triu, a, diagonal); }

}  // namespace tg
