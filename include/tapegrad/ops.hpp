// Differentiable operations. Each comment gives the derivative that backward() applies.
// Elementwise operations broadcast like NumPy; the gradient of a broadcast input is summed
// back to that input's shape. Axes may be negative (counted from the end).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tapegrad/elementwise_list.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {

// ---- elementwise, listed once -----------------------------------------------------------------
// neg, square, sqrt, rsqrt, reciprocal, exp, expm1, log, log1p, log2, log10, abs, sign, sin, cos,
// tan, atan, sinh, cosh, asinh, tanh, erf, sigmoid, logsigmoid, relu, silu, softsign: tg::NAME(a);
// add, sub, mul, div, maximum, minimum, atan2: tg::NAME(a, b). Values and derivatives are in
// the list (tapegrad/elementwise_list.hpp).
#define TAPEGRAD_DECLARE_UNARY(NAME) Tensor NAME(const Tensor& a);
TAPEGRAD_UNARY_FUNCTIONS(TAPEGRAD_DECLARE_UNARY)
#undef TAPEGRAD_DECLARE_UNARY
#define TAPEGRAD_DECLARE_BINARY(NAME) Tensor NAME(const Tensor& a, const Tensor& b);
TAPEGRAD_BINARY_FUNCTIONS(TAPEGRAD_DECLARE_BINARY)
#undef TAPEGRAD_DECLARE_BINARY

// ---- arithmetic -------------------------------------------------------------------------------
/// a^p;  d/da = p·a^(p-1)  (0 when p = 0)
Tensor pow(const Tensor& a, double exponent);
/// a^b;  d/da = b·a^(b-1), d/db = a^b·ln a  (0 where a = 0 and b >= 0)
Tensor pow(const Tensor& a, const Tensor& b);
/// s^b;  d/db = s^b·ln s
Tensor pow(double base, const Tensor& b);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
/// a + s;  d/da = 1
Tensor operator+(const Tensor& a, double s);
Tensor operator+(double s, const Tensor& a);
/// a - s;  d/da = 1
Tensor operator-(const Tensor& a, double s);
/// s - a;  d/da = -1
Tensor operator-(double s, const Tensor& a);
/// a·s;  d/da = s
Tensor operator*(const Tensor& a, double s);
Tensor operator*(double s, const Tensor& a);
/// a / s;  d/da = 1/s
Tensor operator/(const Tensor& a, double s);
/// s / a;  d/da = -s/a²
Tensor operator/(double s, const Tensor& a);

// ---- elementwise functions with parameters ---------------------------------------------------
/// a if a > 0 else slope·a;  d/da = 1 if a > 0 else slope  (slope at 0)
Tensor leaky_relu(const Tensor& a, double negative_slope = 0.01);
/// a if a > 0 else α(eᵃ-1);  d/da = 1 if a > 0 else α·eᵃ  (α at 0)
Tensor elu(const Tensor& a, double alpha = 1.0);
/// ln(1+e^(βa))/β, and a itself where βa > threshold;  d/da = σ(βa)  (1 above the threshold)
Tensor softplus(const Tensor& a, double beta = 1.0, double threshold = 20.0);
/// min(max(a, min), max);  d/da = 1 inside [min, max], boundaries included, else 0
Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max);
/// min(max(a, min_val), max_val);  d/da = 1 strictly inside (min_val, max_val), else 0
Tensor hardtanh(const Tensor& a, double min_val = -1.0, double max_val = 1.0);
/// a·Φ(a), Φ the standard normal CDF;  d/da = Φ(a) + a·φ(a). approximate = "tanh" uses
/// 0.5a(1 + tanh(√(2/π)(a + 0.044715a³))) and its derivative, as PyTorch
Tensor gelu(const Tensor& a, const std::string& approximate = "none");
/// condition ≠ 0 ? a : b;  the gradient goes to a where the condition holds, to b elsewhere
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

/// value where the mask is nonzero, else a (the two broadcast together, as PyTorch);
/// d/da = g where the mask is 0, else 0;  the mask gets no gradient
Tensor masked_fill(const Tensor& a, const Tensor& mask, double value);

// ---- comparisons (1.0 where true, 0.0 where false; not differentiable) -----------------------
// Their results are masks (Tensor::is_mask()): x.index({x > 0}) keeps the positive elements.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
/// The same against a number: tg::gt(a, 0.5).
Tensor eq(const Tensor& a, double b);
Tensor ne(const Tensor& a, double b);
Tensor lt(const Tensor& a, double b);
Tensor le(const Tensor& a, double b);
Tensor gt(const Tensor& a, double b);
Tensor ge(const Tensor& a, double b);
/// a < b, a <= b, a > b, a >= b: lt, le, gt, ge (a number on either side is a 0-d tensor).
/// == and != stay tg::eq and tg::ne: C++ code expects a bool from them.
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, double s);
Tensor operator<=(const Tensor& a, double s);
Tensor operator>(const Tensor& a, double s);
Tensor operator>=(const Tensor& a, double s);
Tensor operator<(double s, const Tensor& a);
Tensor operator<=(double s, const Tensor& a);
Tensor operator>(double s, const Tensor& a);
Tensor operator>=(double s, const Tensor& a);
/// Same shape and exactly the same values.
bool equal(const Tensor& a, const Tensor& b);
/// |a - b| <= atol + rtol·|b| everywhere (with broadcasting).
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8);

// ---- reductions -------------------------------------------------------------------------------
// As in PyTorch, the sum of nothing is 0 and its mean and variance are NaN; max and min of an
// empty tensor, or along an axis of size 0, throw.
/// Σa;  d/da = 1
Tensor sum(const Tensor& a);
Tensor sum(const Tensor& a, int axis, bool keepdims = false);
/// Σa / n;  d/da = 1/n
Tensor mean(const Tensor& a);
Tensor mean(const Tensor& a, int axis, bool keepdims = false);
/// Πa;  d/da_k = the product of the other elements (Πa/a_k when no element is 0, as PyTorch)
Tensor prod(const Tensor& a);
Tensor prod(const Tensor& a, int axis, bool keepdims = false);
/// Largest element;  the gradient is shared evenly among tied maxima (as torch.max(a))
Tensor max(const Tensor& a);
/// Largest along an axis;  the gradient goes to the first maximal element (as torch.max(a, dim))
Tensor max(const Tensor& a, int axis, bool keepdims = false);
/// Smallest element;  the gradient is shared evenly among tied minima
Tensor min(const Tensor& a);
/// Smallest along an axis;  the gradient goes to the first minimal element
Tensor min(const Tensor& a, int axis, bool keepdims = false);
/// Σ(a - mean)² / (n - 1), or / n when not unbiased;  d/da = 2(a - mean)/(n - 1 or n)
/// (as in PyTorch, var(a, 0) is the variance along axis 0; var(a, false) the biased one)
Tensor var(const Tensor& a, bool unbiased = true);
Tensor var(const Tensor& a, int axis, bool unbiased = true, bool keepdims = false);
/// √var;  d/da = d var/da / (2·std)  (0 where std = 0, as PyTorch)
Tensor std(const Tensor& a, bool unbiased = true);
Tensor std(const Tensor& a, int axis, bool unbiased = true, bool keepdims = false);
/// √Σa²;  d/da = a/‖a‖  (0 where ‖a‖ = 0)
Tensor norm(const Tensor& a);
Tensor norm(const Tensor& a, int axis, bool keepdims = false);

// Over several axes at once (negative axes count from the end; an empty std::vector reduces
// every axis, as PyTorch). The derivatives are those above.
Tensor sum(const Tensor& a, const std::vector<int>& axes, bool keepdims = false);
Tensor mean(const Tensor& a, const std::vector<int>& axes, bool keepdims = false);
Tensor var(const Tensor& a, const std::vector<int>& axes, bool unbiased = true, bool keepdims = false);
Tensor std(const Tensor& a, const std::vector<int>& axes, bool unbiased = true, bool keepdims = false);
/// As torch.linalg.vector_norm (0 gradient where the norm is 0)
Tensor norm(const Tensor& a, const std::vector<int>& axes, bool keepdims = false);
/// Largest over the axes (all by default), NaN if any is NaN;  the gradient is shared evenly
/// among the elements equal to the result, as torch.amax (NaN where the result is NaN)
Tensor amax(const Tensor& a, const std::vector<int>& axes = {}, bool keepdims = false);
/// Smallest over the axes;  as amax
Tensor amin(const Tensor& a, const std::vector<int>& axes = {}, bool keepdims = false);

// ---- running totals along an axis -------------------------------------------------------------
/// y_j = a_0 + … + a_j;  d/da_k = g_k + … + g_(n-1)
Tensor cumsum(const Tensor& a, int axis);
/// y_j = a_0·…·a_j;  d/da_k = Σ_(j>=k) g_j·(the product of a_0..a_j without a_k), right at
/// zeros (as PyTorch's cumprod_backward)
Tensor cumprod(const Tensor& a, int axis);

// ---- positions and order ----------------------------------------------------------------------
// Positions are returned as whole numbers in double tensors that do not require grad (they are
// not differentiable); they can index gather directly.
/// Flat position of the largest element (0-d); NaN counts as the largest, and the first of
/// tied elements wins (as torch.argmax)
Tensor argmax(const Tensor& a);
/// Position of the largest element along an axis
Tensor argmax(const Tensor& a, int axis, bool keepdims = false);
/// Flat position of the smallest element (NaN counts as the smallest here, as in PyTorch)
Tensor argmin(const Tensor& a);
Tensor argmin(const Tensor& a, int axis, bool keepdims = false);
/// The values along an axis in order, and their positions. Stable: equal values keep their
/// order (as torch.sort(stable=True)); NaN sorts as the largest value.
/// d/da: the gradient of each value goes back to the position it came from
ValuesAndIndices sort(const Tensor& a, int axis = -1, bool descending = false);
/// The positions that sort(a, axis, descending) puts in order
Tensor argsort(const Tensor& a, int axis = -1, bool descending = false);
/// The k largest (or smallest) values along an axis and their positions, in order unless
/// sorted = false; tied values come in PyTorch's order (its CPU algorithm, step for step).
/// d/da: the gradient of each value goes back to the position it came from
ValuesAndIndices topk(const Tensor& a, int64_t k, int axis = -1, bool largest = true, bool sorted = true);

// ---- linear algebra and shape -----------------------------------------------------------------
/// Matrix product (BLAS). 1-D × 1-D is a dot product; a 1-D left (right) operand is a row
/// (column) vector; leading dimensions beyond two are batch dimensions and broadcast.
/// d/dA = G·Bᵀ, d/dB = Aᵀ·G
Tensor matmul(const Tensor& a, const Tensor& b);
/// x·Wᵀ + b for x (…, in), W (out, in), b (out,) or undefined: a dense layer in one node.
/// dx = G·W, dW = Gᵀ·x (summed over the leading axes), db = ΣG
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());
/// Swaps two axes;  the gradient is swapped back
Tensor transpose(const Tensor& a, int axis0, int axis1);
/// Reorders the axes;  the gradient is permuted by the inverse permutation
Tensor permute(const Tensor& a, const std::vector<int>& axes);
/// Same values, new shape (one size may be -1);  the gradient is reshaped back
Tensor reshape(const Tensor& a, const std::vector<int64_t>& shape);
/// Merges axes start..end into one
Tensor flatten(const Tensor& a, int start_axis = 0, int end_axis = -1);
/// Removes all size-1 axes, or the given one (which must have size 1)
Tensor squeeze(const Tensor& a);
Tensor squeeze(const Tensor& a, int axis);
/// Inserts a size-1 axis at `axis` (0..ndim)
Tensor unsqueeze(const Tensor& a, int axis);
/// Repeats size-1 (or missing leading) axes;  the gradient is summed back
Tensor broadcast_to(const Tensor& a, const Shape& shape);
/// Joins tensors along an existing axis;  each input gets its slice of the gradient
Tensor concat(const std::vector<Tensor>& tensors, int axis = 0);
/// Joins tensors along a new axis
Tensor stack(const std::vector<Tensor>& tensors, int axis = 0);
/// The slice at `index` along `axis` (that axis removed);  the gradient is scattered back
Tensor select(const Tensor& a, int axis, int64_t index);
/// The slices at `indices` along `axis` (repeats allowed);  gradients of repeats add up
Tensor index_select(const Tensor& a, int axis, const std::vector<int64_t>& indices);
/// Elements start..start+length-1 along `axis` (a mini-batch of rows: narrow(x, 0, i, b))
Tensor narrow(const Tensor& a, int axis, int64_t start, int64_t length);
/// Python's a[start:end:step] along `axis` (start, end clamped; step > 0);  made of narrow
/// (step 1) or index_select, so the gradient is scattered back
Tensor slice(const Tensor& a, int64_t axis = 0, std::optional<int64_t> start = 0,
             std::optional<int64_t> end = std::nullopt, int64_t step = 1);
/// out[i][j] = a[i][index[i][j]] for axis 1 (and likewise for any axis); index holds integers
Tensor gather(const Tensor& a, int axis, const Tensor& index);

/// The values in reverse order along each of the axes;  the gradient is flipped back
Tensor flip(const Tensor& a, const std::vector<int>& axes);
/// Tiles a: `repeats` holds one count per axis (more add leading axes), as Tensor.repeat in
/// PyTorch: repeat(a of shape (2, 3), {2, 1, 2}) has shape (2, 2, 6);  the gradients of the
/// copies are summed back
Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats);
/// The lower triangle of the last two axes: element (…, i, j) if j - i <= diagonal, else 0;
/// d/da = g where kept, else 0
Tensor tril(const Tensor& a, int64_t diagonal = 0);
/// The upper triangle: element (…, i, j) if j - i >= diagonal, else 0
Tensor triu(const Tensor& a, int64_t diagonal = 0);
/// Labels (whole numbers in [0, num_classes)) as one-hot rows: shape labels.shape + (C,), C =
/// num_classes, or the largest label + 1 when it is -1. Not differentiable.
Tensor one_hot(const Tensor& labels, int64_t num_classes = -1);

// ---- softmax family (numerically stable) -----------------------------------------------------
/// e^(a - max) / Σe^(a - max);  d/da = y ⊙ (g - Σ g⊙y)
Tensor softmax(const Tensor& a, int axis);
/// a - logsumexp(a);  d/da = g - softmax(a)·Σg
Tensor log_softmax(const Tensor& a, int axis);
/// max + ln Σe^(a - max);  d/da = softmax(a)·g
Tensor logsumexp(const Tensor& a, int axis, bool keepdims = false);

}  // namespace tg
