// Checking the tape's gradients against central finite differences.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg {

struct GradcheckOptions {
  double eps = 1e-6;    // finite-difference step
  double atol = 1e-5;   // an element passes when |analytic - numeric| <= atol + rtol·|numeric|
  double rtol = 1e-3;
  bool raise_exception = false;  // throw tg::GradcheckError with the report on failure
};

/// The worst element of one input.
struct GradcheckInputReport {
  int input = 0;               // position in the inputs list
  Shape shape;                 // the input's shape
  bool checked = false;        // false when the input does not require grad
  bool passed = true;
  int64_t output_index = 0;    // flat index of the output element (0 for scalar functions)
  int64_t element = 0;         // flat index of the input element
  double analytic = 0.0;
  double numeric = 0.0;
  double abs_error = 0.0;
  double rel_error = 0.0;      // abs_error / |numeric| (abs_error when numeric is 0)
};

struct GradcheckReport {
  bool passed = true;
  std::vector<GradcheckInputReport> inputs;
  explicit operator bool() const { return passed; }
  std::string str() const;
};

std::ostream& operator<<(std::ostream& os, const GradcheckReport& report);

using Function = std::function<Tensor(const std::vector<Tensor>&)>;

/// Compares the tape's derivatives of f with central differences, for every element of every
/// input that requires grad. A scalar f is checked through its gradient; a non-scalar f
/// through its whole Jacobian, one output element at a time. The inputs are not modified.
GradcheckReport gradcheck(const Function& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

/// Second derivatives, as PyTorch's gradgradcheck: gradcheck of the function
///   (inputs..., v) -> the gradients of Σ v·f(inputs) with respect to the inputs that require
///   grad (flattened and joined),
/// computed with autograd::grad(create_graph = true). Every second derivative the backward
/// pass records is thus compared with central differences of first derivatives, and so is
/// its derivative with respect to v (the backward pass's own Jacobian). v is `grad_outputs`
/// when given (f's shape), otherwise fixed pseudo-random values. The report lists the inputs,
/// then v as the last one.
GradcheckReport gradgradcheck(const Function& f, const std::vector<Tensor>& inputs,
                              const GradcheckOptions& options = {}, const Tensor& grad_outputs = {});

/// Central-difference gradient of a scalar function: (f(x + eps·eᵢ) - f(x - eps·eᵢ)) / 2eps.
Tensor numerical_gradient(const std::function<Tensor(const Tensor&)>& f, const Tensor& x,
                          double eps = 1e-6);

}  // namespace tg
