// Shape: the sizes of a tensor's dimensions, stored inline (no heap allocation).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

namespace tg {

/// Tensors have at most this many dimensions.
inline constexpr int kMaxDims = 8;

class Shape {
 public:
  Shape() noexcept : ndim_(0) {}
  Shape(std::initializer_list<int64_t> dims);
  // Copies only the sizes in use.
  Shape(const Shape& other) noexcept : ndim_(other.ndim_) {
    for (int i = 0; i < ndim_; ++i) dims_[i] = other.dims_[i];
  }
  Shape& operator=(const Shape& other) noexcept {
    ndim_ = other.ndim_;
    for (int i = 0; i < ndim_; ++i) dims_[i] = other.dims_[i];
    return *this;
  }
  explicit Shape(const std::vector<int64_t>& dims);
  Shape(const int64_t* dims, int ndim);

  int size() const { return ndim_; }
  bool empty() const { return ndim_ == 0; }
  int64_t operator[](int i) const { return dims_[i]; }
  int64_t& operator[](int i) { return dims_[i]; }
  const int64_t* begin() const { return dims_; }
  const int64_t* end() const { return dims_ + ndim_; }
  const int64_t* data() const { return dims_; }
  int64_t back() const { return dims_[ndim_ - 1]; }

  void push_back(int64_t d);
  void insert(int pos, int64_t d);
  void erase(int pos);

  /// Product of the sizes (1 for a 0-d shape).
  int64_t numel() const;
  std::vector<int64_t> to_vector() const { return {begin(), end()}; }
  /// "(2, 3)"; "()" for a 0-d shape; "(5,)" for one dimension.
  std::string str() const;

  friend bool operator==(const Shape& a, const Shape& b);
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

 private:
  int64_t dims_[kMaxDims];  // only the first ndim_ are set
  int ndim_;
};

std::ostream& operator<<(std::ostream& os, const Shape& s);

}  // namespace tg
