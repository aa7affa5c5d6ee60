// One option of an optimizer, declared in one line with its check:
//
//   struct LionOptions {
//     TG_OPTIONS(LionOptions);
//     TG_OPTION(double, lr, check::lr) = 1e-4;
//     TG_OPTION(Betas, betas, check::unit_interval) = {0.9, 0.99};
//     TG_OPTION(double, weight_decay, check::non_negative) = 0.0;
//   };
//
// The struct stays an aggregate, so options can be written three ways:
//
//   LionOptions{.lr = 3e-4, .weight_decay = 0.1}     designated initializers (declaration order)
//   LionOptions(3e-4)                                the first option(s) in order, as libtorch's XOptions(lr)
//   LionOptions(3e-4).weight_decay(0.1)              chained setters, in any order
//
// and read as plain values (`o.lr * g`, `o.betas[0]`, `o.betas.get()` for the whole value).
// The fields, in declaration order, are the option list: options.hpp walks them to set options
// from text, print them, validate them (each field's check, then the struct's optional
// `extra_checks(const char* optimizer) const` for rules between options) and save them.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace tg::optim {

namespace detail {
struct AnyField;  // options.hpp
}

/// (β1, β2): the pair of decay rates of Adam and its relatives.
using Betas = std::array<double, 2>;

/// The value of one option; TG_OPTION derives a field type from it that knows its name, its
/// check, and the options struct it belongs to (for the chained setter).
template <class T>
class Option {
 public:
  using value_type = T;
  Option(T value) : value_(std::move(value)) {}  // NOLINT: implicit, for {.lr = 0.1}
  /// {.clip_thresh = std::nullopt}
  template <class U>
    requires(std::is_convertible_v<U, T> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
             !std::is_same_v<std::remove_cvref_t<U>, detail::AnyField>)
  Option(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT
  /// {.betas = {0.9, 0.99}}
  template <class A, class B, class... Rest>
  Option(A a, B b, Rest... rest) : value_{a, b, rest...} {}

  operator const T&() const { return value_; }  // NOLINT: reads as the value
  const T& get() const { return value_; }
  T& get() { return value_; }
  const T* operator->() const { return &value_; }
  template <class I>
  decltype(auto) operator[](I i) const {
    return value_[i];
  }
  /// For an optional option: whether it is set, and its value.
  explicit operator bool() const
    requires requires(const T& v) { v.has_value(); }
  {
    return value_.has_value();
  }
  decltype(auto) operator*() const
    requires requires(const T& v) { v.has_value(); }
  {
    return *value_;
  }
  Option& operator=(T value) {
    value_ = std::move(value);
    return *this;
  }

 protected:
  T value_;
};

}  // namespace tg::optim

/// Names the options struct for the fields that follow (their chained setters return it).
#define TG_OPTIONS(Owner) using tg_options_type = Owner

/// An option field: its type, its name, and its check (see options.hpp: check::lr, ...), a
/// function of (const char* optimizer, const char* option, const type& value) that throws
/// tg::ValueError for a value it refuses. `field(value)` sets it and returns the whole struct,
/// which it finds offsetof(struct, field) bytes before itself (the struct is standard-layout:
/// only option fields, all public).
#define TG_OPTION(type, field, ...)                                                                   \
  struct field##_option : ::tg::optim::Option<type> {                                                 \
    using Option<type>::Option;                                                                       \
    using Option<type>::operator=;                                                                    \
    static constexpr const char* name = #field;                                                       \
    static void check(const char* optimizer, const type& value) { __VA_ARGS__(optimizer, name, value); } \
    tg_options_type& operator()(type value) & {                                                       \
      this->value_ = std::move(value);                                                                \
      return owner();                                                                                 \
    }                                                                                                 \
    tg_options_type&& operator()(type value) && {                                                     \
      this->value_ = std::move(value);                                                                \
      return std::move(owner());                                                                      \
    }                                                                                                 \
                                                                                                      \
   private:                                                                                           \
    tg_options_type& owner() {                                                                        \
      return *reinterpret_cast<tg_options_type*>(reinterpret_cast<char*>(this) -                      \
                                                 offsetof(tg_options_type, field));                   \
    }                                                                                                 \
  } field
