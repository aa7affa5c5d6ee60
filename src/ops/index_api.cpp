// Python's x[...] for tensors, as libtorch spells it: x.index({...}), x.index_put_({...}, v),
// x.slice(...) and boolean masks. Nothing here is a new recorded operation: an index is
// taken apart into select, narrow, index_select, unsqueeze, reshape and permute, each of which
// records itself, so the gradient (scattered back, adding up on repeats) comes from theirs.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "axes.hpp"
#include "broadcast.hpp"
#include "core/engine.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/indexing.hpp"
#include "tapegrad/ops.hpp"
#include "core/writable.hpp"
#include "core/tensor_access.hpp"

namespace tg {

namespace indexing {

Slice::Slice(std::optional<int64_t> start, std::optional<int64_t> stop,
             std::optional<int64_t> step)
    : start_(start), stop_(stop), step_(step.value_or(1)) {
  if (step_ <= 0) {
    throw ValueError("Slice: the step must be positive (as in PyTorch), got " +
                     std::to_string(step_));
  }
}

TensorIndex::TensorIndex(const char* text) : value_(Ellipsis) {
  if (!text || std::string(text) != "...") {
    throw ValueError(std::string("TensorIndex: the only text index is \"...\" (Ellipsis), got ") +
                     (text ? "\"" + std::string(text) + "\"" : "a null pointer"));
  }
}

}  // namespace indexing

namespace {

using detail::TensorImpl;
using indexing::Slice;
using indexing::TensorIndex;

std::string axes_text(int first, int count) {
  return count == 1 ? "axis " + std::to_string(first)
                    : "axes " + std::to_string(first) + ".." + std::to_string(first + count - 1);
}

// Python's clamping of start:stop to an axis of `size` elements, for a positive step.
struct SliceRange {
  int64_t start, stop;
};
SliceRange clamp_slice(std::optional<int64_t> start, std::optional<int64_t> stop, int64_t size) {
  auto clamp = [size](int64_t i) { return std::clamp(i < 0 ? i + size : i, int64_t{0}, size); };
  const int64_t begin = start ? clamp(*start) : 0;
  const int64_t end = stop ? clamp(*stop) : size;
  return {begin, std::max(begin, end)};
}

// a[start:stop:step] along `axis`: narrow for step 1, index_select otherwise; `a` itself when
// the slice takes the whole axis.
Tensor slice_axis(const Tensor& a, int axis, std::optional<int64_t> start,
                  std::optional<int64_t> stop, int64_t step) {
  const int64_t size = a.shape()[axis];
  const SliceRange r = clamp_slice(start, stop, size);
  if (step == 1) {
    if (r.start == 0 && r.stop == size) return a;
    return narrow(a, axis, r.start, r.stop - r.start);
  }
  std::vector<int64_t> picked;
  for (int64_t i = r.start; i < r.stop; i += step) picked.push_back(i);
  return index_select(a, axis, picked);
}

std::string number_text(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

[[noreturn]] void out_of_range(const char* op, const std::string& index, const char* in,
                               int64_t size, int axis) {
  throw IndexError(std::string(op) + ": index " + index + in + " is out of range for axis " +
                   std::to_string(axis) + " of size " + std::to_string(size));
}

// The position index `i` names along `axis` of `size` elements, negative ones counted from the
// end. `in` says where the index came from ("" for an integer index), for the message.
int64_t checked_position(const char* op, int64_t i, int64_t size, int axis, const char* in) {
  if (i < -size || i >= size) out_of_range(op, std::to_string(i), in, size, axis);
  return i < 0 ? i + size : i;
}

// The same for a value of an index tensor, which must be a whole number.
int64_t checked_position(const char* op, double value, int64_t size, int axis, const char* in) {
  if (value != std::floor(value)) {
    throw IndexError(std::string(op) + ": index " + number_text(value) + in + " for axis " +
                     std::to_string(axis) + " is not an integer (index tensors hold positions; " +
                     "a boolean mask comes from a comparison such as x > 0, or from to_mask())");
  }
  if (value < -static_cast<double>(size) || value >= static_cast<double>(size)) {
    out_of_range(op, number_text(value), in, size, axis);
  }
  return checked_position(op, static_cast<int64_t>(value), size, axis, in);
}

// Merges axes first..first+count-1 of `a` into one (count 0 inserts an axis of size 1).
Tensor merge_axes(const Tensor& a, int first, int count) {
  if (count == 1) return a;
  std::vector<int64_t> shape;
  const Shape& s = a.shape();
  for (int d = 0; d < first; ++d) shape.push_back(s[d]);
  int64_t merged = 1;
  for (int d = first; d < first + count; ++d) merged *= s[d];
  shape.push_back(merged);
  for (int d = first + count; d < s.size(); ++d) shape.push_back(s[d]);
  return reshape(a, shape);
}

// An index tensor (PyTorch's advanced indexing), bound to one axis of the partly indexed
// tensor: the positions it picks along that axis, in the tensor's shape.
struct AxisIndex {
  int axis;
  Shape shape;
  std::vector<int64_t> positions;
};

// Picks, for every element of the broadcast shape B of the index tensors, the element of `a`
// at those positions. The indexed axes are moved to the front and merged into one, so that
// one index_select does the picking; the result has B in place of the indexed axes when those
// were adjacent, and B in front otherwise (the NumPy and PyTorch rule).
Tensor apply_index_tensors(const Tensor& a, const std::vector<AxisIndex>& indices,
                           const char* op) {
  const Shape& s = a.shape();
  // Row-major position over the indexed axes, for every element of B (Horner's rule).
  Shape b;
  std::vector<int64_t> flat{0};
  int64_t merged = 1;
  for (const AxisIndex& ix : indices) {
    detail::BroadcastPlan p;
    try {
      p = detail::plan_broadcast(op, b, ix.shape);
    } catch (const ShapeError&) {
      std::string shapes;
      for (const AxisIndex& k : indices) shapes += (shapes.empty() ? "" : ", ") + k.shape.str();
      throw ShapeError(std::string(op) + ": the index tensors (shapes " + shapes +
                       ") cannot be broadcast together");
    }
    std::vector<int64_t> next(static_cast<std::size_t>(p.numel));
    const int64_t n = s[ix.axis];
    detail::for_each_broadcast(p, [&](int64_t o, int64_t i, int64_t j, int64_t) {
      next[o] = flat[i] * n + ix.positions[j];
    });
    flat = std::move(next);
    b = p.out;
    merged *= n;
  }

  std::vector<int> order;  // the indexed axes, then the others
  std::vector<bool> indexed(static_cast<std::size_t>(s.size()), false);
  for (const AxisIndex& ix : indices) {
    order.push_back(ix.axis);
    indexed[ix.axis] = true;
  }
  std::vector<int64_t> rest;
  for (int d = 0; d < s.size(); ++d) {
    if (indexed[d]) continue;
    order.push_back(d);
    rest.push_back(s[d]);
  }
  Tensor t = a;
  if (!std::is_sorted(order.begin(), order.end())) t = permute(t, order);
  std::vector<int64_t> shape{merged};
  shape.insert(shape.end(), rest.begin(), rest.end());
  if (indices.size() != 1) t = reshape(t, shape);
  t = index_select(t, 0, flat);
  shape = b.to_vector();
  shape.insert(shape.end(), rest.begin(), rest.end());
  if (b.size() != 1) t = reshape(t, shape);

  const int first = indices.front().axis;
  const bool adjacent = indices.back().axis - first + 1 == static_cast<int>(indices.size());
  if (!adjacent || first == 0) return t;
  std::vector<int> back;  // the `first` axes before B, then B, then the rest
  for (int d = 0; d < first; ++d) back.push_back(b.size() + d);
  for (int d = 0; d < b.size(); ++d) back.push_back(d);
  for (int d = b.size() + first; d < t.ndim(); ++d) back.push_back(d);
  return permute(t, back);
}

// x[indices], the work of index() and index_put_ (which names itself as `op`).
Tensor index_impl(const Tensor& self, const std::vector<TensorIndex>& indices, const char* op) {
  const Shape& shape = detail::checked_impl(self, op)->shape;
  const int ndim = shape.size();

  // How many axes of self the indices name: Ellipsis stands for the ones left over.
  int named = 0, ellipses = 0;
  for (const TensorIndex& ix : indices) {
    if (ix.is_integer() || ix.is_slice()) {
      ++named;
    } else if (ix.is_ellipsis()) {
      ++ellipses;
    } else if (ix.is_tensor()) {
      const Tensor& t = ix.tensor();
      detail::checked_impl(t, op);
      named += t.is_mask() ? t.ndim() : 1;
    }
  }
  if (ellipses > 1) {
    throw IndexError(std::string(op) + ": an index can hold only one Ellipsis, this one holds " +
                     std::to_string(ellipses));
  }
  if (named > ndim) {
    throw IndexError(std::string(op) + ": too many indices for a tensor of shape " + shape.str() +
                     ": they name " + std::to_string(named) + " axes, it has " +
                     std::to_string(ndim));
  }

  // Integers, slices and None apply at once; index tensors wait for apply_index_tensors().
  // `axis` walks the axes of the partly indexed tensor t, `source` those of self.
  Tensor t = self;
  int axis = 0, source = 0;
  std::vector<AxisIndex> tensors;
  auto add_mask = [&](const Tensor& mask) {  // a k-d mask: k axes merged into one, indexed
    const Shape& ms = mask.shape();
    for (int d = 0; d < ms.size(); ++d) {
      if (ms[d] != shape[source + d]) {
        throw ShapeError(std::string(op) + ": a mask of shape " + ms.str() + " cannot index " +
                         axes_text(source, ms.size()) + " of a tensor of shape " + shape.str() +
                         " (it must have the same sizes as the axes it indexes)");
      }
    }
    t = merge_axes(t, axis, ms.size());
    std::vector<int64_t> ones;  // flat positions over the merged axis
    for (int64_t i = 0; i < mask.numel(); ++i)
      if (mask.data()[i] != 0.0) ones.push_back(i);
    const Shape count{static_cast<int64_t>(ones.size())};
    tensors.push_back({axis, count, std::move(ones)});
    ++axis;
    source += ms.size();
  };
  for (const TensorIndex& ix : indices) {
    if (ix.is_integer()) {
      const int64_t i = ix.integer();
      t = select(t, axis, checked_position(op, i, shape[source], source, ""));
      ++source;
    } else if (ix.is_slice()) {
      const Slice& sl = ix.slice();
      t = slice_axis(t, axis, sl.start(), sl.stop(), sl.step());
      ++axis;
      ++source;
    } else if (ix.is_none()) {
      t = unsqueeze(t, axis);
      ++axis;
    } else if (ix.is_ellipsis()) {
      axis += ndim - named;
      source += ndim - named;
    } else if (ix.is_boolean()) {
      add_mask(Tensor(ix.boolean() ? 1.0 : 0.0));
    } else if (ix.tensor().is_mask()) {
      add_mask(ix.tensor());
    } else if (ix.tensor().ndim() == 0) {  // a 0-d index tensor is an integer, as in PyTorch
      const double i = ix.tensor().item();
      t = select(t, axis, checked_position(op, i, shape[source], source, " in a 0-d index tensor"));
      ++source;
    } else {
      const Tensor& positions = ix.tensor();
      AxisIndex a{axis, positions.shape(), {}};
      for (int64_t i = 0; i < positions.numel(); ++i) {
        const double p = positions.data()[i];
        const char* in = " in an index tensor";
        a.positions.push_back(checked_position(op, p, shape[source], source, in));
      }
      tensors.push_back(std::move(a));
      ++axis;
      ++source;
    }
  }
  if (!tensors.empty()) t = apply_index_tensors(t, tensors, op);
  return t;
}

}  // namespace

Tensor slice(const Tensor& a, int64_t axis, std::optional<int64_t> start,
             std::optional<int64_t> end, int64_t step) {
  const TensorImpl* x = detail::checked_impl(a, "slice");
  if (x->shape.empty()) throw IndexError("slice: cannot slice a 0-d tensor");
  if (step <= 0) {
    throw ValueError("slice: the step must be positive (as in PyTorch), got " +
                     std::to_string(step));
  }
  const int ax = detail::normalize_axis("slice", static_cast<int>(axis), x->shape.size());
  Tensor out = slice_axis(a, ax, start, end, step);
  // Like every operation, a new tensor even when it takes everything.
  if (tg::detail::impl_of(out) == x) out = a.clone();
  tg::detail::impl_of(out)->is_mask = x->is_mask;
  return out;
}

Tensor Tensor::slice(int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end,
                     int64_t step) const {
  return tg::slice(*this, dim, start, end, step);
}

Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
  return index(std::vector<TensorIndex>(indices));
}

Tensor Tensor::index(const std::vector<TensorIndex>& indices) const {
  Tensor out = index_impl(*this, indices, "index");
  if (tg::detail::impl_of(out) == impl_) out = clone();  // x.index({Ellipsis}) is a new tensor too
  out.impl_->is_mask = impl_->is_mask;
  return out;
}

Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, const Tensor& value) {
  return index_put_(std::vector<TensorIndex>(indices), value);
}

Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, double value) {
  return index_put_(std::vector<TensorIndex>(indices), Tensor(value));
}

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, double value) {
  return index_put_(indices, Tensor(value));
}

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Tensor& value) {
  const char* op = "index_put_";
  const TensorImpl* self = detail::checked_impl(*this, op);
  const TensorImpl* v = detail::checked_impl(value, op);
  // Which elements to write: indexing the flat positions 0, 1, 2, ... of this tensor in the
  // same way gives, for every element of the indexed region, the position it came from.
  const Tensor positions =
      tg::reshape(arange(static_cast<double>(self->numel)), shape().to_vector());
  const Tensor targets = index_impl(positions, indices, op);
  // The value broadcasts to the indexed shape; leading axes of size 1 beyond it are dropped
  // first, as PyTorch does (x[0] = row of shape (1, n)).
  Shape from = v->shape;
  while (from.size() > targets.ndim() && from[0] == 1) from.erase(0);
  detail::BroadcastPlan p;
  try {
    p = detail::plan_broadcast_to(op, from, targets.shape());
  } catch (const ShapeError&) {
    throw ShapeError(std::string(op) + ": a value of shape " + v->shape.str() +
                     " cannot be broadcast to the indexed shape " + targets.shape().str());
  }
  const std::vector<double> values = value.to_vector();  // a copy: value may be this tensor

  TensorImpl* out = detail::writable(*this, op);
  const double* where = targets.data();
  detail::for_each_broadcast(p, [&](int64_t o, int64_t, int64_t i, int64_t) {
    out->data[static_cast<int64_t>(where[o])] = values[static_cast<std::size_t>(i)];
  });
  return *this;
}

}  // namespace tg
