#include "tapegrad/shape.hpp"

#include <ostream>
#include <sstream>

#include "tapegrad/error.hpp"

namespace tg {

namespace {
void check_ndim(int ndim) {
  if (ndim > kMaxDims) {
    throw ShapeError("Shape: " + std::to_string(ndim) + " dimensions requested; tapegrad supports at most " +
                     std::to_string(kMaxDims));
  }
}
void check_dim(int64_t d) {
  if (d < 0) throw ShapeError("Shape: negative size " + std::to_string(d));
}
}  // namespace

Shape::Shape(std::initializer_list<int64_t> dims) : Shape(dims.begin(), static_cast<int>(dims.size())) {}

Shape::Shape(const std::vector<int64_t>& dims) : Shape(dims.data(), static_cast<int>(dims.size())) {}

Shape::Shape(const int64_t* dims, int ndim) {
  check_ndim(ndim);
  for (int i = 0; i < ndim; ++i) {
    check_dim(dims[i]);
    dims_[i] = dims[i];
  }
  ndim_ = ndim;
}

void Shape::push_back(int64_t d) {
  check_ndim(ndim_ + 1);
  check_dim(d);
  dims_[ndim_++] = d;
}

void Shape::insert(int pos, int64_t d) {
  check_ndim(ndim_ + 1);
  check_dim(d);
  for (int i = ndim_; i > pos; --i) dims_[i] = dims_[i - 1];
  dims_[pos] = d;
  ++ndim_;
}

void Shape::erase(int pos) {
  for (int i = pos; i + 1 < ndim_; ++i) dims_[i] = dims_[i + 1];
  --ndim_;
}

int64_t Shape::numel() const {
  int64_t n = 1;
  for (int i = 0; i < ndim_; ++i) n *= dims_[i];
  return n;
}

std::string Shape::str() const {
  std::ostringstream os;
  os << '(';
  for (int i = 0; i < ndim_; ++i) os << (i ? ", " : "") << dims_[i];
  if (ndim_ == 1) os << ',';
  os << ')';
  return os.str();
}

bool operator==(const Shape& a, const Shape& b) {
  if (a.ndim_ != b.ndim_) return false;
  for (int i = 0; i < a.ndim_; ++i)
    if (a.dims_[i] != b.dims_[i]) return false;
  return true;
}

std::ostream& operator<<(std::ostream& os, const Shape& s) { return os << s.str(); }

}  // namespace tg
