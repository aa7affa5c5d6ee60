// tg::Tensor: an n-dimensional array of doubles that can record the operations applied to it
// on the tape and receive gradients from backward().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tapegrad/detail/tensor_impl.hpp"
#include "tapegrad/elementwise_list.hpp"
#include "tapegrad/shape.hpp"

namespace tg {

namespace detail {
struct TensorAccess;
/// Converts xtensor expressions to tensors; defined in <tapegrad/xtensor.hpp>, so that a
/// Tensor made from an xtensor array without that include fails to compile right here.
template <class XExpression>
struct XtensorInterop;
}  // namespace detail

namespace indexing {
class TensorIndex;
}

/// A number or a braced list of NestedLists: the argument type of Tensor({{1, 2}, {3, 4}}).
/// It refers to the braced lists, so it lives only as long as the call it is written in.
class NestedList {
 public:
  NestedList(double value) : value_(value), is_number_(true) {}
  NestedList(std::initializer_list<NestedList> items) : items_(items) {}
  bool is_number() const { return is_number_; }
  double value() const { return value_; }
  const std::initializer_list<NestedList>& items() const { return items_; }

 private:
  double value_ = 0.0;
  std::initializer_list<NestedList> items_;
  bool is_number_ = false;
};

struct ValuesAndIndices;

/// A handle to a tensor. Copies share the same tensor (like PyTorch's Python objects);
/// use clone() for an independent copy. A default-constructed Tensor is undefined.
class Tensor {
 public:
  Tensor() noexcept : impl_(nullptr) {}
  /// A 0-d tensor holding one value.
  explicit Tensor(double value);
  /// From nested lists: Tensor{1, 2} or Tensor({1, 2}) has shape (2,);
  /// Tensor({{1, 2}, {3, 4}}) has shape (2, 2); Tensor({{1}, {2}}) has shape (2, 1).
  Tensor(std::initializer_list<NestedList> values);
  /// A copy of an xtensor array or expression (include <tapegrad/xtensor.hpp> to call this).
  template <class XExpression, class = typename XExpression::expression_tag>
  explicit Tensor(const XExpression& values)
      : Tensor(detail::XtensorInterop<XExpression>::to_tensor(values)) {}
  /// Values in row-major order with the given shape.
  Tensor(const std::vector<double>& values, const Shape& shape);

  Tensor(const Tensor& other) : impl_(other.impl_) { detail::retain(impl_); }
  Tensor(Tensor&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
  Tensor& operator=(const Tensor& other) {
    detail::retain(other.impl_);
    detail::release(impl_);
    impl_ = other.impl_;
    return *this;
  }
  Tensor& operator=(Tensor&& other) noexcept {
    if (this != &other) {
      detail::release(impl_);
      impl_ = other.impl_;
      other.impl_ = nullptr;
    }
    return *this;
  }
  ~Tensor() { detail::release(impl_); }

  /// Whether both handles refer to the same tensor (copies of a handle do; clone() does not).
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

  // ---- properties --------------------------------------------------------------------------
  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const { return checked()->shape; }
  int ndim() const { return checked()->shape.size(); }
  int64_t numel() const { return checked()->numel; }
  /// Size of one dimension; negative axes count from the end.
  int64_t size(int axis) const;
  bool requires_grad() const { return checked()->requires_grad; }
  /// Marks a leaf as a parameter whose gradient backward() accumulates.
  Tensor& set_requires_grad(bool requires_grad = true);
  /// PyTorch's spelling of set_requires_grad().
  Tensor& requires_grad_(bool requires_grad = true) { return set_requires_grad(requires_grad); }
  /// True for tensors not produced by a recorded operation.
  bool is_leaf() const { return checked()->grad_fn < 0; }
  /// Name of the operation that produced this tensor ("" for a leaf).
  std::string grad_fn() const;
  /// An optional label used when printing the tape and in DOT graphs.
  Tensor& set_name(const std::string& name);
  std::string name() const;

  // ---- values ------------------------------------------------------------------------------
  /// The values as a read-only xtensor expression, a tg::ValueView
  /// (defined in <tapegrad/xtensor.hpp>: include it where you call value()).
  auto value() const;
  /// An owning xtensor copy of the values, an xt::xarray<double>
  /// (defined in <tapegrad/xtensor.hpp>: include it where you call to_xarray()).
  auto to_xarray() const;
  /// The single value of a one-element tensor.
  double item() const;
  /// The element at a multi-index (negative indices count from the end).
  double at(std::initializer_list<int64_t> index) const;
  /// Pointer to the row-major values.
  const double* data() const { return checked()->data; }
  std::vector<double> to_vector() const;

  // ---- autograd ----------------------------------------------------------------------------
  /// Accumulated gradient; undefined until backward() reaches this tensor.
  Tensor grad() const;
  /// Back-propagates through the tape, accumulating into the leaves' grad(), as libtorch's
  /// backward(): loss.backward() on a one-element tensor, y.backward(gradient) otherwise,
  /// loss.backward({}, true) to keep the graph for another sweep (retain_graph).
  /// create_graph = true records the backward pass itself, so that the gradients in grad()
  /// can be differentiated again (retain_graph then defaults to true); as in PyTorch, each
  /// leaf and its grad() then hold each other until zero_grad() (see docs/tape.md).
  /// tapegrad/autograd/grad.hpp returns gradients instead.
  void backward(const Tensor& gradient = {}, std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false) const;
  /// Clears the accumulated gradient (set_to_none) or fills it with zeros.
  void zero_grad(bool set_to_none = true) const;
  /// Keeps the gradient of a non-leaf tensor in grad() after backward().
  Tensor& retain_grad();
  /// Registers a hook that backward() calls with the gradient flowing into this tensor; it may
  /// return a replacement of the same shape, or nothing (or an undefined Tensor) to keep it.
  /// On a leaf it sees the gradient summed over the sweep, before it is added to grad().
  /// Returns a handle for remove_hook(). As libtorch's Tensor::register_hook.
  template <class Hook>
  unsigned register_hook(Hook&& hook) const {
    if constexpr (std::is_void_v<std::invoke_result_t<Hook&, const Tensor&>>) {
      return add_hook([h = std::forward<Hook>(hook)](const Tensor& g) mutable {
        h(g);
        return Tensor();
      });
    } else {
      return add_hook(std::function<Tensor(const Tensor&)>(std::forward<Hook>(hook)));
    }
  }
  /// Removes a hook registered on this tensor.
  void remove_hook(unsigned handle) const;
  /// A new leaf with the same values that does not require grad (a copy, not a view).
  Tensor detach() const;
  /// A new tensor with the same values; recorded, so gradients flow back through it.
  Tensor clone() const;

  // ---- in-place (not recorded: use under NoGradGuard on tensors that require grad) --------
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  Tensor& sub_(const Tensor& other, double alpha = 1.0);
  Tensor& mul_(const Tensor& other);
  Tensor& div_(const Tensor& other);
  Tensor& add_(double value);
  Tensor& mul_(double value);
  Tensor& copy_(const Tensor& source);
  Tensor& fill_(double value);
  Tensor& zero_() { return fill_(0.0); }
  Tensor& operator+=(const Tensor& other) { return add_(other); }
  Tensor& operator-=(const Tensor& other) { return sub_(other); }
  Tensor& operator*=(const Tensor& other) { return mul_(other); }
  Tensor& operator/=(const Tensor& other) { return div_(other); }
  Tensor& operator+=(double value) { return add_(value); }
  Tensor& operator-=(double value) { return add_(-value); }
  Tensor& operator*=(double value) { return mul_(value); }
  Tensor& operator/=(double value);

  // ---- operations as members (see ops.hpp for the derivatives) -----------------------------
  // The plain elementwise operations, from tapegrad/elementwise_list.hpp: a.exp(), a.add(b), ...
#define TAPEGRAD_DECLARE_UNARY_MEMBER(NAME) Tensor NAME() const;
  TAPEGRAD_UNARY_FUNCTIONS(TAPEGRAD_DECLARE_UNARY_MEMBER)
#undef TAPEGRAD_DECLARE_UNARY_MEMBER
#define TAPEGRAD_DECLARE_BINARY_MEMBER(NAME) Tensor NAME(const Tensor& other) const;
  TAPEGRAD_BINARY_FUNCTIONS(TAPEGRAD_DECLARE_BINARY_MEMBER)
#undef TAPEGRAD_DECLARE_BINARY_MEMBER
  Tensor pow(double exponent) const;
  Tensor pow(const Tensor& exponent) const;
  Tensor clamp(std::optional<double> min, std::optional<double> max) const;
  Tensor masked_fill(const Tensor& mask, double value) const;
  /// Comparisons: 1.0 where true, 0.0 where false (broadcasting; not differentiable).
  Tensor eq(const Tensor& other) const;
  Tensor ne(const Tensor& other) const;
  Tensor lt(const Tensor& other) const;
  Tensor le(const Tensor& other) const;
  Tensor gt(const Tensor& other) const;
  Tensor ge(const Tensor& other) const;
  /// The same against a number: a.gt(0.5).
  Tensor eq(double other) const;
  Tensor ne(double other) const;
  Tensor lt(double other) const;
  Tensor le(double other) const;
  Tensor gt(double other) const;
  Tensor ge(double other) const;

  Tensor sum() const;
  Tensor sum(int axis, bool keepdims = false) const;
  Tensor mean() const;
  Tensor mean(int axis, bool keepdims = false) const;
  Tensor prod() const;
  Tensor prod(int axis, bool keepdims = false) const;
  Tensor max() const;
  Tensor max(int axis, bool keepdims = false) const;
  Tensor min() const;
  Tensor min(int axis, bool keepdims = false) const;
  Tensor var(bool unbiased = true) const;
  Tensor var(int axis, bool unbiased = true, bool keepdims = false) const;
  Tensor std(bool unbiased = true) const;
  Tensor std(int axis, bool unbiased = true, bool keepdims = false) const;
  Tensor norm() const;
  Tensor norm(int axis, bool keepdims = false) const;
  Tensor sum(const std::vector<int>& axes, bool keepdims = false) const;
  Tensor mean(const std::vector<int>& axes, bool keepdims = false) const;
  Tensor var(const std::vector<int>& axes, bool unbiased = true, bool keepdims = false) const;
  Tensor std(const std::vector<int>& axes, bool unbiased = true, bool keepdims = false) const;
  Tensor norm(const std::vector<int>& axes, bool keepdims = false) const;
  Tensor amax(const std::vector<int>& axes = {}, bool keepdims = false) const;
  Tensor amin(const std::vector<int>& axes = {}, bool keepdims = false) const;
  Tensor cumsum(int axis) const;
  Tensor cumprod(int axis) const;

  Tensor matmul(const Tensor& other) const;
  Tensor transpose(int axis0, int axis1) const;
  /// Transpose of a 2-D tensor (a 0-d or 1-d tensor is returned as is).
  Tensor t() const;
  Tensor permute(const std::vector<int>& axes) const;
  Tensor reshape(const std::vector<int64_t>& shape) const;
  Tensor view(const std::vector<int64_t>& shape) const { return reshape(shape); }
  Tensor flatten(int start_axis = 0, int end_axis = -1) const;
  Tensor squeeze() const;
  Tensor squeeze(int axis) const;
  Tensor unsqueeze(int axis) const;
  Tensor broadcast_to(const Shape& shape) const;
  Tensor expand(const Shape& shape) const { return broadcast_to(shape); }
  Tensor flip(const std::vector<int>& axes) const;
  Tensor repeat(const std::vector<int64_t>& repeats) const;
  Tensor tril(int64_t diagonal = 0) const;
  Tensor triu(int64_t diagonal = 0) const;

  /// Removes dimension `axis` by taking the slice at `index`.
  Tensor select(int axis, int64_t index) const;
  /// select(0, index): p[0] is the first element of a vector, the first row of a matrix.
  Tensor operator[](int64_t index) const { return select(0, index); }
  Tensor index_select(int axis, const std::vector<int64_t>& indices) const;
  Tensor narrow(int axis, int64_t start, int64_t length) const;
  Tensor gather(int axis, const Tensor& index) const;
  /// Elements start, start+step, ... before end along `dim`, as Python's x[start:end:step]
  /// on that axis (negative start/end count from the end and are clamped; step > 0).
  Tensor slice(int64_t dim = 0, std::optional<int64_t> start = 0,
               std::optional<int64_t> end = std::nullopt, int64_t step = 1) const;

  // ---- indexing as Python's x[...] (include <tapegrad/indexing.hpp>; see docs/ops.md) -----
  /// x.index({0, Slice(1, None), None, Ellipsis, idx}) is x[0, 1:, None, ..., idx]: a new
  /// tensor, recorded, whose gradient is scattered back (adding up where an element repeats).
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor index(const std::vector<indexing::TensorIndex>& indices) const;
  /// x[indices] = value: writes value (broadcast to the indexed shape) in place; where an
  /// element is indexed more than once the last write wins. Not recorded: refused on a tensor
  /// that requires grad while operations are recorded (use tg::NoGradGuard).
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, double value);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& value);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, double value);

  /// True for a boolean mask: the result of a comparison (x > 0, tg::eq, ...) or of to_mask().
  /// Its values are 0.0 and 1.0 like any tensor's; as an index it keeps the elements where it
  /// is 1. Any other operation on a mask gives an ordinary tensor (index() and slice() of a
  /// mask excepted).
  bool is_mask() const { return checked()->is_mask; }
  /// A mask that is 1 where this tensor is nonzero (PyTorch's t.to(torch::kBool)).
  Tensor to_mask() const;

  Tensor softmax(int axis) const;
  Tensor log_softmax(int axis) const;
  Tensor logsumexp(int axis, bool keepdims = false) const;

  Tensor argmax() const;
  Tensor argmax(int axis, bool keepdims = false) const;
  Tensor argmin() const;
  Tensor argmin(int axis, bool keepdims = false) const;
  ValuesAndIndices sort(int axis = -1, bool descending = false) const;
  Tensor argsort(int axis = -1, bool descending = false) const;
  ValuesAndIndices topk(int64_t k, int axis = -1, bool largest = true, bool sorted = true) const;

  /// Readable text, as printed by operator<<.
  std::string str() const;

 private:
  const detail::TensorImpl* checked() const {
    if (!impl_) throw_undefined();
    return impl_;
  }
  friend struct detail::TensorAccess;  // the library's own access to the TensorImpl
  [[noreturn]] static void throw_undefined();
  unsigned add_hook(std::function<Tensor(const Tensor&)> hook) const;

  detail::TensorImpl* impl_ = nullptr;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

/// What sort and topk return, as PyTorch's named tuple: the values, and their positions along
/// the axis as whole numbers in a double tensor that does not require grad.
/// `auto [values, indices] = tg::topk(x, 2);` or `tg::sort(x).values`.
struct ValuesAndIndices {
  Tensor values;
  Tensor indices;
};

/// How tensors print (torch.set_printoptions). Set it before printing from several threads.
struct PrintOptions {
  int precision = 4;          // digits after the decimal point
  int64_t threshold = 1000;   // tensors with more elements are summarised with "..."
  int64_t edgeitems = 3;      // elements shown at each end of a summarised axis
  int linewidth = 80;         // characters per line before wrapping
};
void set_printoptions(const PrintOptions& options);
PrintOptions get_printoptions();

}  // namespace tg
