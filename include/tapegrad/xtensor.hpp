// xtensor interoperability: Tensor::value(), Tensor::to_xarray() and Tensor(xt::xarray<double>).
// Include this where you use them; it brings in xtensor's containers (tapegrad/tapegrad.hpp
// does not).
#pragma once

#include <cstddef>
#include <memory>

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>

#include "tapegrad/tensor.hpp"

namespace tg {

/// A read-only xtensor expression over a tensor's values, as returned by Tensor::value().
using ValueBuffer = xt::xbuffer_adaptor<const double*, xt::no_ownership, std::allocator<double>>;
using ValueView =
    xt::xarray_adaptor<ValueBuffer, xt::layout_type::row_major, xt::svector<std::size_t, 4>>;

namespace detail {

/// A tensor shape as xtensor spells it.
inline xt::svector<std::size_t, 4> xtensor_shape(const Shape& shape) {
  xt::svector<std::size_t, 4> out;
  for (int64_t d : shape) out.push_back(static_cast<std::size_t>(d));
  return out;
}

/// A new tensor holding a copy of the array's values.
Tensor tensor_from_xarray(const xt::xarray<double>& values);

template <class XExpression>
struct XtensorInterop {
  static Tensor to_tensor(const xt::xarray<double>& values) { return tensor_from_xarray(values); }
};

}  // namespace detail

inline auto Tensor::value() const {
  return ValueView(ValueBuffer(data(), static_cast<std::size_t>(numel())),
                   detail::xtensor_shape(shape()));
}

inline auto Tensor::to_xarray() const {
  xt::xarray<double> out = xt::xarray<double>::from_shape(detail::xtensor_shape(shape()));
  std::copy(data(), data() + numel(), out.data());
  return out;
}

}  // namespace tg
