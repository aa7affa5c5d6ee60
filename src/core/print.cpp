// Printing tensors the way PyTorch does: a common number format for all elements, nested
// brackets aligned under each other, and the middle of large tensors elided.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "tapegrad/tensor.hpp"
#include "core/tensor_access.hpp"

namespace tg {

namespace {

PrintOptions g_options;

enum class Style { integer, fixed, scientific };

Style choose_style(const double* v, int64_t n) {
  double lo = INFINITY, hi = 0.0;
  bool integral = true;
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) continue;
    const double a = std::fabs(v[i]);
    if (v[i] != std::floor(v[i])) integral = false;
    if (a != 0.0) {
      lo = std::min(lo, a);
      hi = std::max(hi, a);
    }
  }
  if (hi == 0.0) return integral ? Style::integer : Style::fixed;
  if (integral) return (hi / lo > 1000.0 || hi > 1e8) ? Style::scientific : Style::integer;
  if (hi / lo > 1000.0 || hi > 1e8 || lo < 1e-4) return Style::scientific;
  return Style::fixed;
}

std::string format_number(double v, Style style) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[512];
  const int digits = std::clamp(g_options.precision, 0, 100);
  switch (style) {
    case Style::integer: std::snprintf(buf, sizeof buf, "%.0f.", v); break;
    case Style::fixed: std::snprintf(buf, sizeof buf, "%.*f", digits, v); break;
    case Style::scientific: std::snprintf(buf, sizeof buf, "%.*e", digits, v); break;
  }
  return buf;
}

struct Printer {
  const detail::TensorImpl* t;
  Style style;
  std::size_t width = 0;
  bool summarize;
  int64_t stride[kMaxDims];

  // Indices shown along an axis: all, or the first and last kEdgeItems with -1 for "...".
  std::vector<int64_t> shown(int axis) const {
    const int64_t n = t->shape[axis];
    std::vector<int64_t> idx;
    const int64_t edge = std::max<int64_t>(g_options.edgeitems, 1);
    if (!summarize || n <= 2 * edge) {
      for (int64_t i = 0; i < n; ++i) idx.push_back(i);
    } else {
      for (int64_t i = 0; i < edge; ++i) idx.push_back(i);
      idx.push_back(-1);
      for (int64_t i = n - edge; i < n; ++i) idx.push_back(i);
    }
    return idx;
  }

  void measure(int axis, int64_t offset) {
    if (axis == t->shape.size()) {
      width = std::max(width, format_number(t->data[offset], style).size());
      return;
    }
    for (int64_t i : shown(axis))
      if (i >= 0) measure(axis + 1, offset + i * stride[axis]);
  }

  void print(std::ostream& os, int axis, int64_t offset, int indent) const {
    const int nd = t->shape.size();
    if (axis == nd) {
      const std::string s = format_number(t->data[offset], style);
      os << std::string(width - s.size(), ' ') << s;
      return;
    }
    os << '[';
    const std::vector<int64_t> idx = shown(axis);
    const std::string newline_pad = "\n" + std::string(static_cast<std::size_t>(indent + 1), ' ');
    // The innermost axis wraps at the line width, as PyTorch's printer does.
    const std::size_t per_line =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::max(g_options.linewidth - indent, 0)) / (width + 2));
    for (std::size_t k = 0; k < idx.size(); ++k) {
      if (k > 0) {
        os << ',';
        if (axis < nd - 1) os << std::string(static_cast<std::size_t>(nd - axis - 2), '\n') << newline_pad;
        else if (k % per_line == 0) os << newline_pad;
        else os << ' ';
      }
      if (idx[k] < 0) os << (axis == nd - 1 ? " ..." : "...");
      else print(os, axis + 1, offset + idx[k] * stride[axis], indent + 1);
    }
    os << ']';
  }
};

}  // namespace

void set_printoptions(const PrintOptions& options) { g_options = options; }
PrintOptions get_printoptions() { return g_options; }

std::string Tensor::str() const {
  std::ostringstream os;
  os << *this;
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& tensor) {
  if (!tensor.defined()) return os << "tensor(undefined)";
  const detail::TensorImpl* t = tg::detail::impl_of(tensor);
  Printer p{t, Style::fixed, 0, t->numel > g_options.threshold, {}};
  int64_t s = 1;
  for (int d = t->shape.size() - 1; d >= 0; --d) {
    p.stride[d] = s;
    s *= t->shape[d];
  }
  // The format is chosen from the elements that are shown.
  std::vector<double> visible;
  struct Collect {
    static void run(const Printer& p, std::vector<double>& out, int axis, int64_t offset) {
      if (axis == p.t->shape.size()) {
        out.push_back(p.t->data[offset]);
        return;
      }
      for (int64_t i : p.shown(axis))
        if (i >= 0) run(p, out, axis + 1, offset + i * p.stride[axis]);
    }
  };
  Collect::run(p, visible, 0, 0);
  p.style = choose_style(visible.data(), static_cast<int64_t>(visible.size()));
  p.measure(0, 0);

  os << "tensor(";
  if (t->numel == 0 && !t->shape.empty()) {
    os << "[], size=" << t->shape.str();
  } else {
    p.print(os, 0, 0, static_cast<int>(std::string("tensor(").size()));
  }
  if (t->grad_fn >= 0) {
    os << ", grad_fn=<" << tensor.grad_fn() << '>';
  } else if (t->requires_grad) {
    os << ", requires_grad=true";
  }
  return os << ')';
}

}  // namespace tg
