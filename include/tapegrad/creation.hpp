// Factories that make new leaf tensors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "tapegrad/shape.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {

/// torch.tensor(...): a leaf from nested lists, optionally requiring grad.
Tensor tensor(double value, bool requires_grad = false);
Tensor tensor(std::initializer_list<NestedList> values, bool requires_grad = false);
Tensor tensor(const std::vector<double>& values, const Shape& shape, bool requires_grad = false);

Tensor zeros(const Shape& shape, bool requires_grad = false);
Tensor ones(const Shape& shape, bool requires_grad = false);
Tensor full(const Shape& shape, double value, bool requires_grad = false);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);
/// start, start+step, ... up to but excluding end (as torch.arange).
Tensor arange(double end);
Tensor arange(double start, double end, double step = 1.0);
/// `steps` evenly spaced values from start to end, both included.
Tensor linspace(double start, double end, int64_t steps);
/// The n×n identity matrix.
Tensor eye(int64_t n);

}  // namespace tg
