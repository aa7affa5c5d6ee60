// tg::Tensor's own members: construction from lists, element access, autograd entry
// points, in-place updates, and the member spellings of the operations.
#include "tapegrad/tensor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/engine.hpp"
#include "ops/axes.hpp"
#include "ops/broadcast.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/ops.hpp"
#include "core/writable.hpp"
#include "core/tensor_access.hpp"

namespace tg {

using detail::TensorImpl;
using detail::writable;

TensorImpl* detail::writable(const Tensor& t, const char* op) {
  TensorImpl* self = checked_impl(t, op);
  if (t_grad_enabled && self->requires_grad) {
    throw AutogradError(std::string(op) + ": in-place change of a tensor that requires grad " +
                        "(shape " + self->shape.str() +
                        ") while operations are recorded; do it under tg::NoGradGuard, as "
                        "optimizer updates do");
  }
  ++self->version;
  return self;
}

namespace {

// Flattens nested lists, checking that they are not ragged.
struct ListReader {
  std::vector<double> values;
  int64_t dims[kMaxDims] = {};
  std::size_t ndims = 0;
  int depth_of_numbers = -1;

  void read(const NestedList& node, std::size_t depth) {
    if (node.is_number()) {
      if (depth_of_numbers < 0) depth_of_numbers = static_cast<int>(depth);
      if (static_cast<int>(depth) != depth_of_numbers) ragged();
      values.push_back(node.value());
      return;
    }
    const auto n = static_cast<int64_t>(node.items().size());
    if (depth == ndims) {
      if (depth_of_numbers >= 0 && static_cast<int>(depth) >= depth_of_numbers) ragged();
      if (ndims == kMaxDims) {
        throw ShapeError("tensor: nested lists deeper than " + std::to_string(kMaxDims) + " levels");
      }
      dims[ndims++] = n;
    } else if (dims[depth] != n) {
      ragged();
    }
    for (const NestedList& item : node.items()) read(item, depth + 1);
  }
  [[noreturn]] static void ragged() {
    throw ShapeError("tensor: ragged nested list: the lists at one depth must have equal "
                     "lengths and numbers only at the innermost depth");
  }
};

TensorImpl* from_lists(std::initializer_list<NestedList> items) {
  ListReader r;
  r.read(NestedList(items), 0);
  if (r.depth_of_numbers >= 0 && r.depth_of_numbers != static_cast<int>(r.ndims)) {
    ListReader::ragged();
  }
  const Shape shape(r.dims, static_cast<int>(r.ndims));
  if (static_cast<int64_t>(r.values.size()) != shape.numel()) ListReader::ragged();
  TensorImpl* t = detail::new_impl(shape);
  std::copy(r.values.begin(), r.values.end(), t->data);
  return t;
}

template <class F>
Tensor& update_with(Tensor& self, const Tensor& other, const char* op, F f) {
  TensorImpl* s = writable(self, op);
  const TensorImpl* o = detail::checked_impl(other, op);
  if (o->shape == s->shape) {
    for (int64_t i = 0; i < s->numel; ++i) s->data[i] = f(s->data[i], o->data[i]);
    return self;
  }
  const detail::BroadcastPlan p = detail::plan_broadcast_to(op, o->shape, s->shape);
  detail::for_each_broadcast(p, [&](int64_t d, int64_t, int64_t i, int64_t) {
    s->data[d] = f(s->data[d], o->data[i]);
  });
  return self;
}

}  // namespace

Tensor::Tensor(double value) : impl_(detail::new_impl(Shape{})) { impl_->data[0] = value; }
Tensor::Tensor(std::initializer_list<NestedList> values) : impl_(from_lists(values)) {}

Tensor::Tensor(const std::vector<double>& values, const Shape& shape) {
  if (static_cast<int64_t>(values.size()) != shape.numel()) {
    throw ShapeError("tensor: " + std::to_string(values.size()) + " values do not fill shape " +
                     shape.str() + " (" + std::to_string(shape.numel()) + " elements)");
  }
  impl_ = detail::new_impl(shape);
  std::copy(values.begin(), values.end(), impl_->data);
}

void Tensor::throw_undefined() { throw ValueError("the tensor is undefined (default-constructed)"); }

int64_t Tensor::size(int axis) const {
  const TensorImpl* t = checked();
  if (t->shape.empty()) throw IndexError("size: a 0-d tensor has no axes");
  return t->shape[detail::normalize_axis("size", axis, t->shape.size())];
}

Tensor& Tensor::set_requires_grad(bool requires_grad) {
  TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (t->grad_fn >= 0 && t->requires_grad != requires_grad) {
    throw AutogradError("set_requires_grad: only leaves can change requires_grad; this tensor "
                        "was produced by '" + grad_fn() + "' (use detach() for a leaf copy)");
  }
  t->requires_grad = requires_grad;
  return *this;
}

std::string Tensor::grad_fn() const {
  const TensorImpl* t = checked();
  return t->grad_fn < 0 ? "" : detail::grad_fn_name(t->grad_fn);
}

Tensor& Tensor::set_name(const std::string& name) {
  TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (!t->name) t->name = new std::string;
  *t->name = name;
  return *this;
}

std::string Tensor::name() const {
  const TensorImpl* t = checked();
  return t->name ? *t->name : std::string();
}

double Tensor::item() const {
  const TensorImpl* t = checked();
  if (t->numel != 1) {
    throw ValueError("item(): the tensor has " + std::to_string(t->numel) + " elements (shape " +
                     t->shape.str() + "); only one-element tensors convert to a number");
  }
  return t->data[0];
}

double Tensor::at(std::initializer_list<int64_t> index) const {
  const TensorImpl* t = checked();
  if (static_cast<int>(index.size()) != t->shape.size()) {
    throw IndexError("at(): " + std::to_string(index.size()) + " indices for a tensor of shape " +
                     t->shape.str());
  }
  int64_t flat = 0;
  int d = 0;
  for (int64_t i : index) {
    const int64_t n = t->shape[d];
    if (i < -n || i >= n) {
      throw IndexError("at(): index " + std::to_string(i) + " is out of range for axis " +
                       std::to_string(d) + " of size " + std::to_string(n));
    }
    flat = flat * n + (i < 0 ? i + n : i);
    ++d;
  }
  return t->data[flat];
}

std::vector<double> Tensor::to_vector() const {
  const TensorImpl* t = checked();
  return {t->data, t->data + t->numel};
}

namespace {
// As PyTorch's UserWarning, once per tensor: the usual cause is a parameter replaced by a
// computed tensor (w = w - lr * w.grad()), whose grad() is then undefined one step later.
void warn_grad_of_non_leaf(TensorImpl* t) {
  t->warned_grad = true;
  std::fprintf(stderr,
               "tapegrad: warning: grad() of a tensor that is not a leaf (made by '%s', shape %s) is undefined: "
               "backward() fills grad() only for leaves and for tensors marked with retain_grad(). Call "
               "retain_grad() on it before backward() to keep its gradient. If it is a parameter that an "
               "update like `w = w - lr * w.grad()` replaced by a computed tensor, update it in place "
               "instead: { tg::NoGradGuard no_grad; w.sub_(w.grad(), lr); }\n",
               detail::grad_fn_name(t->grad_fn), t->shape.str().c_str());
}
}  // namespace

Tensor Tensor::grad() const {
  TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (!t->grad && t->grad_fn >= 0 && !t->retains_grad && !t->warned_grad) [[unlikely]] warn_grad_of_non_leaf(t);
  detail::retain(t->grad);
  return tg::detail::adopt(t->grad);
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph) const {
  const TensorImpl* t = checked();
  if (!t->requires_grad) {
    throw AutogradError("backward(): the tensor (shape " + t->shape.str() +
                        ") does not require grad: no tensor it was computed from has "
                        "requires_grad set, or it was computed under NoGradGuard");
  }
  const TensorImpl* g = tg::detail::impl_of(gradient);
  if (!g && t->numel != 1) {
    throw AutogradError("backward(): a gradient can be implied only for a one-element tensor; "
                        "this one has shape " + t->shape.str() +
                        ": pass backward(gradient) with a gradient of that shape");
  }
  if (g && g->shape != t->shape) {
    throw ShapeError("backward(): the gradient has shape " + g->shape.str() +
                     " but the tensor has shape " + t->shape.str());
  }
  if (create_graph) {
    detail::backward_create_graph(*this, gradient, retain_graph.value_or(true));
    return;
  }
  detail::Engine::backward(impl_, g ? g->data : nullptr, retain_graph.value_or(false));
}

void Tensor::zero_grad(bool set_to_none) const {
  TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (!t->grad) return;
  if (set_to_none) {
    detail::release(t->grad);
    t->grad = nullptr;
  } else if (t->grad->grad_fn >= 0) {  // a gradient made by create_graph: replaced, as PyTorch
    detail::TensorImpl* zeros = detail::new_impl(t->grad->shape);
    std::fill(zeros->data, zeros->data + zeros->numel, 0.0);
    detail::release(t->grad);
    t->grad = zeros;
  } else {
    std::fill(t->grad->data, t->grad->data + t->grad->numel, 0.0);
  }
}

Tensor& Tensor::retain_grad() {
  TensorImpl* t = impl_ ? impl_ : (throw_undefined(), nullptr);
  if (!t->requires_grad) throw AutogradError("retain_grad(): the tensor does not require grad");
  if (t->grad_fn >= 0) t->retains_grad = true;
  return *this;
}

Tensor Tensor::detach() const {
  const TensorImpl* t = checked();
  TensorImpl* out = detail::new_impl(t->shape);
  std::copy(t->data, t->data + t->numel, out->data);
  return tg::detail::adopt(out);
}

Tensor& Tensor::add_(const Tensor& other, double alpha) {
  if (alpha == 1.0) return update_with(*this, other, "add_", [](double s, double o) { return s + o; });
  return update_with(*this, other, "add_", [alpha](double s, double o) { return s + alpha * o; });
}
Tensor& Tensor::sub_(const Tensor& other, double alpha) {
  if (alpha == 1.0) return update_with(*this, other, "sub_", [](double s, double o) { return s - o; });
  return update_with(*this, other, "sub_", [alpha](double s, double o) { return s - alpha * o; });
}
Tensor& Tensor::mul_(const Tensor& other) {
  return update_with(*this, other, "mul_", [](double s, double o) { return s * o; });
}
Tensor& Tensor::div_(const Tensor& other) {
  return update_with(*this, other, "div_", [](double s, double o) { return s / o; });
}
Tensor& Tensor::copy_(const Tensor& source) {
  return update_with(*this, source, "copy_", [](double, double o) { return o; });
}

Tensor& Tensor::add_(double value) {
  TensorImpl* s = writable(*this, "add_");
  for (int64_t i = 0; i < s->numel; ++i) s->data[i] += value;
  return *this;
}
Tensor& Tensor::mul_(double value) {
  TensorImpl* s = writable(*this, "mul_");
  for (int64_t i = 0; i < s->numel; ++i) s->data[i] *= value;
  return *this;
}
Tensor& Tensor::operator/=(double value) {
  TensorImpl* s = writable(*this, "div_");
  for (int64_t i = 0; i < s->numel; ++i) s->data[i] /= value;
  return *this;
}
Tensor& Tensor::fill_(double value) {
  TensorImpl* s = writable(*this, "fill_");
  std::fill(s->data, s->data + s->numel, value);
  return *this;
}

// ---- member spellings ----------------------------------------------------------------------
Tensor Tensor::pow(double e) const { return tg::pow(*this, e); }
Tensor Tensor::pow(const Tensor& e) const { return tg::pow(*this, e); }
Tensor Tensor::clamp(std::optional<double> lo, std::optional<double> hi) const {
  return tg::clamp(*this, lo, hi);
}
Tensor Tensor::masked_fill(const Tensor& mask, double value) const { return tg::masked_fill(*this, mask, value); }
Tensor Tensor::eq(const Tensor& other) const { return tg::eq(*this, other); }
Tensor Tensor::ne(const Tensor& other) const { return tg::ne(*this, other); }
Tensor Tensor::lt(const Tensor& other) const { return tg::lt(*this, other); }
Tensor Tensor::le(const Tensor& other) const { return tg::le(*this, other); }
Tensor Tensor::gt(const Tensor& other) const { return tg::gt(*this, other); }
Tensor Tensor::ge(const Tensor& other) const { return tg::ge(*this, other); }
Tensor Tensor::eq(double other) const { return tg::eq(*this, other); }
Tensor Tensor::ne(double other) const { return tg::ne(*this, other); }
Tensor Tensor::lt(double other) const { return tg::lt(*this, other); }
Tensor Tensor::le(double other) const { return tg::le(*this, other); }
Tensor Tensor::gt(double other) const { return tg::gt(*this, other); }
Tensor Tensor::ge(double other) const { return tg::ge(*this, other); }
Tensor Tensor::sum() const { return tg::sum(*this); }
Tensor Tensor::sum(int axis, bool keepdims) const { return tg::sum(*this, axis, keepdims); }
Tensor Tensor::mean() const { return tg::mean(*this); }
Tensor Tensor::mean(int axis, bool keepdims) const { return tg::mean(*this, axis, keepdims); }
Tensor Tensor::prod() const { return tg::prod(*this); }
Tensor Tensor::prod(int axis, bool keepdims) const { return tg::prod(*this, axis, keepdims); }
Tensor Tensor::max() const { return tg::max(*this); }
Tensor Tensor::max(int axis, bool keepdims) const { return tg::max(*this, axis, keepdims); }
Tensor Tensor::min() const { return tg::min(*this); }
Tensor Tensor::min(int axis, bool keepdims) const { return tg::min(*this, axis, keepdims); }
Tensor Tensor::var(bool unbiased) const { return tg::var(*this, unbiased); }
Tensor Tensor::var(int axis, bool unbiased, bool keepdims) const {
  return tg::var(*this, axis, unbiased, keepdims);
}
Tensor Tensor::std(bool unbiased) const { return tg::std(*this, unbiased); }
Tensor Tensor::std(int axis, bool unbiased, bool keepdims) const {
  return tg::std(*this, axis, unbiased, keepdims);
}
Tensor Tensor::norm() const { return tg::norm(*this); }
Tensor Tensor::norm(int axis, bool keepdims) const { return tg::norm(*this, axis, keepdims); }
Tensor Tensor::sum(const std::vector<int>& axes, bool keepdims) const { return tg::sum(*this, axes, keepdims); }
Tensor Tensor::mean(const std::vector<int>& axes, bool keepdims) const { return tg::mean(*this, axes, keepdims); }
Tensor Tensor::var(const std::vector<int>& axes, bool unbiased, bool keepdims) const {
  return tg::var(*this, axes, unbiased, keepdims);
}
Tensor Tensor::std(const std::vector<int>& axes, bool unbiased, bool keepdims) const {
  return tg::std(*this, axes, unbiased, keepdims);
}
Tensor Tensor::norm(const std::vector<int>& axes, bool keepdims) const { return tg::norm(*this, axes, keepdims); }
Tensor Tensor::amax(const std::vector<int>& axes, bool keepdims) const { return tg::amax(*this, axes, keepdims); }
Tensor Tensor::amin(const std::vector<int>& axes, bool keepdims) const { return tg::amin(*this, axes, keepdims); }
Tensor Tensor::cumsum(int axis) const { return tg::cumsum(*this, axis); }
Tensor Tensor::cumprod(int axis) const { return tg::cumprod(*this, axis); }
Tensor Tensor::matmul(const Tensor& o) const { return tg::matmul(*this, o); }
Tensor Tensor::transpose(int a0, int a1) const { return tg::transpose(*this, a0, a1); }
Tensor Tensor::t() const { return ndim() < 2 ? *this : tg::transpose(*this, 0, 1); }
Tensor Tensor::permute(const std::vector<int>& axes) const { return tg::permute(*this, axes); }
Tensor Tensor::reshape(const std::vector<int64_t>& shape) const { return tg::reshape(*this, shape); }
Tensor Tensor::flatten(int start, int end) const { return tg::flatten(*this, start, end); }
Tensor Tensor::squeeze() const { return tg::squeeze(*this); }
Tensor Tensor::squeeze(int axis) const { return tg::squeeze(*this, axis); }
Tensor Tensor::unsqueeze(int axis) const { return tg::unsqueeze(*this, axis); }
Tensor Tensor::broadcast_to(const Shape& shape) const { return tg::broadcast_to(*this, shape); }
Tensor Tensor::flip(const std::vector<int>& axes) const { return tg::flip(*this, axes); }
Tensor Tensor::repeat(const std::vector<int64_t>& repeats) const { return tg::repeat(*this, repeats); }
Tensor Tensor::tril(int64_t diagonal) const { return tg::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal) const { return tg::triu(*this, diagonal); }
Tensor Tensor::select(int axis, int64_t index) const { return tg::select(*this, axis, index); }
Tensor Tensor::index_select(int axis, const std::vector<int64_t>& indices) const {
  return tg::index_select(*this, axis, indices);
}
Tensor Tensor::narrow(int axis, int64_t start, int64_t length) const {
  return tg::narrow(*this, axis, start, length);
}
Tensor Tensor::gather(int axis, const Tensor& index) const { return tg::gather(*this, axis, index); }
Tensor Tensor::softmax(int axis) const { return tg::softmax(*this, axis); }
Tensor Tensor::log_softmax(int axis) const { return tg::log_softmax(*this, axis); }
Tensor Tensor::logsumexp(int axis, bool keepdims) const { return tg::logsumexp(*this, axis, keepdims); }
Tensor Tensor::argmax() const { return tg::argmax(*this); }
Tensor Tensor::argmax(int axis, bool keepdims) const { return tg::argmax(*this, axis, keepdims); }
Tensor Tensor::argmin() const { return tg::argmin(*this); }
Tensor Tensor::argmin(int axis, bool keepdims) const { return tg::argmin(*this, axis, keepdims); }
ValuesAndIndices Tensor::sort(int axis, bool descending) const { return tg::sort(*this, axis, descending); }
Tensor Tensor::argsort(int axis, bool descending) const { return tg::argsort(*this, axis, descending); }
ValuesAndIndices Tensor::topk(int64_t k, int axis, bool largest, bool sorted) const {
  return tg::topk(*this, k, axis, largest, sorted);
}

}  // namespace tg
