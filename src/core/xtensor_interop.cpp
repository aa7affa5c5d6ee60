// The xtensor side of a tensor: value() adapts the tensor's own storage without copying.
#include <algorithm>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/xtensor.hpp"

namespace tg {

namespace {
xt::svector<std::size_t, 4> xshape(const Shape& s) {
  xt::svector<std::size_t, 4> out;
  for (int64_t d : s) out.push_back(static_cast<std::size_t>(d));
  return out;
}
}  // namespace

ValueView Tensor::value() const {
  const detail::TensorImpl* t = checked();
  return ValueView(ValueBuffer(t->data, static_cast<std::size_t>(t->numel)), xshape(t->shape));
}

xt::xarray<double> Tensor::to_xarray() const {
  const detail::TensorImpl* t = checked();
  xt::xarray<double> out = xt::xarray<double>::from_shape(xshape(t->shape));
  std::copy(t->data, t->data + t->numel, out.data());
  return out;
}

Tensor::Tensor(const xt::xarray<double>& values) {
  if (values.dimension() > static_cast<std::size_t>(kMaxDims)) {
    throw ShapeError("tensor: an xarray with " + std::to_string(values.dimension()) +
                     " dimensions; tapegrad supports at most " + std::to_string(kMaxDims));
  }
  Shape shape;
  for (std::size_t d : values.shape()) shape.push_back(static_cast<int64_t>(d));
  impl_ = detail::new_impl(shape);
  // xarray is row-major by default; copy element by element in case it is not.
  std::copy(values.begin(), values.end(), impl_->data);
}

}  // namespace tg
