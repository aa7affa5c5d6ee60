// xtensor interoperability: Tensor::value(), Tensor::to_xarray() and Tensor(xt::xarray<double>).
// Include this where you use them; it brings in xtensor's containers.
#pragma once

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>

#include "tapegrad/tensor.hpp"
