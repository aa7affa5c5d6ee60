// The indices of Tensor::index and Tensor::index_put_, spelled as libtorch's torch::indexing.
// With `using namespace tg::indexing;` the Python expression x[0, 1:, None, ..., idx] is
//
//     x.index({0, Slice(1, None), None, Ellipsis, idx})
//
// and x[x > 0] = 0 is x.index_put_({x > 0}, 0.0). docs/ops.md, "Indexing and slicing", has
// the rules.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "tapegrad/error.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::indexing {

/// Python's start:stop:step. A missing start is 0 and a missing stop the end of the axis;
/// negative ones count from the end, and both are clamped to the axis as Python does
/// (Slice(-10, 10) of 3 elements is all 3). The step is 1 by default and must be positive,
/// as in PyTorch (ValueError otherwise).
class Slice {
 public:
  Slice(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
        std::optional<int64_t> step = std::nullopt);

  std::optional<int64_t> start() const { return start_; }
  std::optional<int64_t> stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  std::optional<int64_t> start_;
  std::optional<int64_t> stop_;
  int64_t step_ = 1;
};

/// As an index, None inserts a new axis of size 1 (Python's x[None]).
inline constexpr std::nullopt_t None = std::nullopt;

/// The type of Ellipsis.
struct EllipsisIndexType {
  explicit EllipsisIndexType() = default;
};
/// As many Slice() as the other indices leave axes (Python's x[..., 0]); at most one per index.
inline constexpr EllipsisIndexType Ellipsis{};

/// One entry of an index list: an integer, a Slice, None, Ellipsis (or "..."), a bool, or a
/// Tensor. A tensor made by a comparison (x > 0, tg::eq, ...) or by to_mask() is a boolean
/// mask; any other tensor holds integer positions (PyTorch's advanced indexing).
class TensorIndex {
 public:
  /// Picks one element along the axis and removes the axis (negative counts from the end).
  /// Any integer type will do (int, int64_t, std::size_t, ...).
  template <std::integral Integer>
    requires(!std::same_as<Integer, bool>)
  TensorIndex(Integer integer)
      : value_(std::in_place_type<int64_t>, static_cast<int64_t>(integer)) {
    if constexpr (std::is_unsigned_v<Integer> && sizeof(Integer) >= sizeof(int64_t)) {
      if (integer > static_cast<Integer>(std::numeric_limits<int64_t>::max())) {
        throw IndexError("TensorIndex: index " + std::to_string(integer) +
                         " does not fit in int64_t");
      }
    }
  }
  /// true adds an axis of size 1, false an axis of size 0 (PyTorch's x[True], x[False]).
  TensorIndex(bool boolean) : value_(std::in_place_type<bool>, boolean) {}
  TensorIndex(Slice slice) : value_(slice) {}
  TensorIndex(std::nullopt_t) : value_(None) {}
  TensorIndex(EllipsisIndexType) : value_(Ellipsis) {}
  /// "..." is Ellipsis (as in libtorch); any other text is a ValueError.
  TensorIndex(const char* text);
  TensorIndex(Tensor tensor) : value_(std::move(tensor)) {}

  bool is_integer() const { return std::holds_alternative<int64_t>(value_); }
  bool is_boolean() const { return std::holds_alternative<bool>(value_); }
  bool is_slice() const { return std::holds_alternative<Slice>(value_); }
  bool is_none() const { return std::holds_alternative<std::nullopt_t>(value_); }
  bool is_ellipsis() const { return std::holds_alternative<EllipsisIndexType>(value_); }
  bool is_tensor() const { return std::holds_alternative<Tensor>(value_); }

  int64_t integer() const { return std::get<int64_t>(value_); }
  bool boolean() const { return std::get<bool>(value_); }
  const Slice& slice() const { return std::get<Slice>(value_); }
  const Tensor& tensor() const { return std::get<Tensor>(value_); }

 private:
  std::variant<int64_t, bool, Slice, std::nullopt_t, EllipsisIndexType, Tensor> value_;
};

}  // namespace tg::indexing
