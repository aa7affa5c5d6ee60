// Compiled by the ctest xtensor_header_is_enough: value(), to_xarray() and the Tensor made from
// an xtensor array need only tapegrad/xtensor.hpp.
#include <tapegrad/xtensor.hpp>

int main() {
  const tg::Tensor t(xt::xarray<double>{{1.0, 2.0}, {3.0, 4.0}});
  const tg::ValueView v = t.value();
  const xt::xarray<double> copy = t.to_xarray();
  return v(1, 0) == 3.0 && copy(0, 1) == 2.0 ? 0 : 1;
}
