// The xtensor side of a tensor: Tensor(xt::xarray<double>) copies the array's values.
#include <algorithm>

#include "core/engine.hpp"
#include "core/tensor_access.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/xtensor.hpp"

namespace tg::detail {

Tensor tensor_from_xarray(const xt::xarray<double>& values) {
  if (values.dimension() > static_cast<std::size_t>(kMaxDims)) {
    throw ShapeError("tensor: an xarray with " + std::to_string(values.dimension()) +
                     " dimensions; tapegrad supports at most " + std::to_string(kMaxDims));
  }
  Shape shape;
  for (std::size_t d : values.shape()) shape.push_back(static_cast<int64_t>(d));
  TensorImpl* impl = new_impl(shape);
  // xarray is row-major by default; copy element by element in case it is not.
  std::copy(values.begin(), values.end(), impl->data);
  return adopt(impl);
}

}  // namespace tg::detail
