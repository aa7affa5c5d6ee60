// Options by name. An options struct lists its fields once (option.hpp's TG_OPTION), each with
// its check; this file walks that list to set options from text (`--set betas=0.8,0.99`),
// print them, validate them and save them in checkpoints, with no second, hand-written table.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tapegrad/optim/option.hpp"

namespace tg::optim {

/// Option values as text, by name: {{"lr", "0.05"}, {"betas", "(0.8,0.99)"}}.
using OptionList = std::vector<std::pair<std::string, std::string>>;

/// The default of an option that has none (PyTorch's SGD lr): it must be given.
inline constexpr double kRequired = std::numeric_limits<double>::quiet_NaN();

/// The text form of option values: numbers round-trip exactly ("0.001", "1e-08");
/// pairs and lists as "(0.9,0.999)"; booleans "true"/"false"; an absent optional number
/// (Python's None) "none".
std::string format_value(double v);
std::string format_value(bool v);
std::string format_value(int64_t v);
std::string format_value(const Betas& v);
std::string format_value(const std::vector<double>& v);
std::string format_value(const std::string& v);
std::string format_value(const std::optional<double>& v);
template <class T>
std::string format_value(const Option<T>& v) {
  return format_value(v.get());
}

/// Reads an option value from text, or throws tg::ValueError naming the optimizer, the option
/// and the text ("adam: option betas = '0.9' is not two numbers, as (a,b)").
void parse_value(const char* optimizer, const char* option, const std::string& text, double& out);
void parse_value(const char* optimizer, const char* option, const std::string& text, bool& out);
void parse_value(const char* optimizer, const char* option, const std::string& text, int64_t& out);
void parse_value(const char* optimizer, const char* option, const std::string& text, Betas& out);
void parse_value(const char* optimizer, const char* option, const std::string& text, std::vector<double>& out);
void parse_value(const char* optimizer, const char* option, const std::string& text, std::string& out);
void parse_value(const char* optimizer, const char* option, const std::string& text, std::optional<double>& out);

// Checks of single values, for rules TG_OPTION's checks do not cover; each throws
// tg::ValueError naming the optimizer, the option and the value.
void check_lr(const char* optimizer, double lr);
void check_non_negative(const char* optimizer, const char* option, double value);
void check_positive(const char* optimizer, const char* option, double value);
/// 0 <= value < 1
void check_unit_interval(const char* optimizer, const char* option, double value);
void check_range(const char* optimizer, const char* option, double value, double lo, double hi);

// The checks fields name in TG_OPTION. Each throws tg::ValueError naming the optimizer, the
// option and the value. Those of numbers also take pairs and lists, element by element
// ("betas[1]").
namespace check {
/// Accepts every value (a flag, a text checked by extra_checks).
inline constexpr auto any = [](const char*, const char*, const auto&) {};
/// Given (not kRequired), finite and >= 0.
void lr(const char* optimizer, const char* option, double value);
/// Finite and >= 0 (an absent optional passes).
void non_negative(const char* optimizer, const char* option, double value);
void non_negative(const char* optimizer, const char* option, const std::optional<double>& value);
/// Finite and > 0 (an absent optional passes).
void positive(const char* optimizer, const char* option, double value);
void positive(const char* optimizer, const char* option, const std::optional<double>& value);
/// An integer >= 1 (window widths, step counts, intervals).
void positive(const char* optimizer, const char* option, int64_t value);
/// An integer >= 0.
void non_negative(const char* optimizer, const char* option, int64_t value);
/// 0 <= value < 1 (betas, momentum coefficients, decay rates).
void unit_interval(const char* optimizer, const char* option, double value);
void unit_interval(const char* optimizer, const char* option, const Betas& value);
void unit_interval(const char* optimizer, const char* option, const std::vector<double>& value);
/// lo <= value <= hi (for a pair, each element).
void range_check(const char* optimizer, const char* option, double value, double lo, double hi);
void range_check(const char* optimizer, const char* option, const Betas& value, double lo, double hi);
template <double lo, double hi>
inline constexpr auto range = [](const char* optimizer, const char* option, const auto& value) {
  range_check(optimizer, option, value, lo, hi);
};
}  // namespace check

namespace detail {
// Stands for any field in a trial aggregate initialization (never called).
struct AnyField {
  template <class T>
  operator T() const;  // NOLINT
};
template <class Options, std::size_t... I>
constexpr bool initializable_with(std::index_sequence<I...>) {
  return requires { Options{(void(I), AnyField{})...}; };
}
// The number of fields of an aggregate: the largest n it can be initialized with.
template <class Options, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (initializable_with<Options>(std::make_index_sequence<N + 1>())) {
    return field_count<Options, N + 1>();
  } else {
    return N;
  }
}
}  // namespace detail

/// Calls visit(field) for every option field of `options`, in declaration order.
template <class Options, class Visit>
void for_each_option(Options& options, Visit&& visit) {
  constexpr std::size_t n = detail::field_count<std::remove_const_t<Options>>();
  static_assert(n <= 24, "for_each_option: more than 24 options");
  if constexpr (n == 0) {
  } else if constexpr (n == 1) {
    auto& [f0] = options;
    visit(f0);
  } else if constexpr (n == 2) {
    auto& [f0, f1] = options;
    visit(f0); visit(f1);
  } else if constexpr (n == 3) {
    auto& [f0, f1, f2] = options;
    visit(f0); visit(f1); visit(f2);
  } else if constexpr (n == 4) {
    auto& [f0, f1, f2, f3] = options;
    visit(f0); visit(f1); visit(f2); visit(f3);
  } else if constexpr (n == 5) {
    auto& [f0, f1, f2, f3, f4] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4);
  } else if constexpr (n == 6) {
    auto& [f0, f1, f2, f3, f4, f5] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5);
  } else if constexpr (n == 7) {
    auto& [f0, f1, f2, f3, f4, f5, f6] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6);
  } else if constexpr (n == 8) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7);
  } else if constexpr (n == 9) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8);
  } else if constexpr (n == 10) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9);
  } else if constexpr (n == 11) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10);
  } else if constexpr (n == 12) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11);
  } else if constexpr (n == 13) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12);
  } else if constexpr (n == 14) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13);
  } else if constexpr (n == 15) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14);
  } else if constexpr (n == 16) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15);
  } else if constexpr (n == 17) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16);
  } else if constexpr (n == 18) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17);
  } else if constexpr (n == 19) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17); visit(f18);
  } else if constexpr (n == 20) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17); visit(f18); visit(f19);
  } else if constexpr (n == 21) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17); visit(f18); visit(f19); visit(f20);
  } else if constexpr (n == 22) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17); visit(f18); visit(f19); visit(f20); visit(f21);
  } else if constexpr (n == 23) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17); visit(f18); visit(f19); visit(f20); visit(f21); visit(f22);
  } else if constexpr (n == 24) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22, f23] = options;
    visit(f0); visit(f1); visit(f2); visit(f3); visit(f4); visit(f5); visit(f6); visit(f7); visit(f8); visit(f9); visit(f10); visit(f11); visit(f12); visit(f13); visit(f14); visit(f15); visit(f16); visit(f17); visit(f18); visit(f19); visit(f20); visit(f21); visit(f22); visit(f23);
  }
}

/// The names of the options, in declaration order.
template <class Options>
std::vector<std::string> option_names(const Options& options) {
  std::vector<std::string> names;
  for_each_option(options, [&](const auto& field) { names.emplace_back(field.name); });
  return names;
}

/// Checks every option (each field's check, then the struct's extra_checks if it has
/// one); tg::ValueError names the optimizer, the option and the value.
template <class Options>
void validate_options(const Options& options, const char* optimizer) {
  for_each_option(options, [&](const auto& field) { field.check(optimizer, field.get()); });
  if constexpr (requires { options.extra_checks(optimizer); }) options.extra_checks(optimizer);
}

/// Every option of `options` as text, in declaration order.
template <class Options>
OptionList format_options(const Options& options) {
  OptionList out;
  for_each_option(options, [&](const auto& field) { out.emplace_back(field.name, format_value(field.get())); });
  return out;
}

namespace detail {
[[noreturn]] void throw_unknown_option(const char* optimizer, const std::string& option,
                                       const std::vector<std::string>& known);
}

/// Sets the options named in `values` from text (not validated: see validate_options). Throws
/// tg::ValueError for an unknown name or a value that does not parse, naming the optimizer,
/// the option and the text.
template <class Options>
void apply_options(const char* optimizer, const OptionList& values, Options& options) {
  for (const auto& [name, text] : values) {
    bool found = false;
    for_each_option(options, [&](auto& field) {
      if (found || name != field.name) return;
      parse_value(optimizer, field.name, text, field.get());
      found = true;
    });
    if (!found) detail::throw_unknown_option(optimizer, name, option_names(options));
  }
}

/// The option `name` if it is a number (or, with first_of_list, element 0 of the pair or list
/// `name`: the β1 of betas); null otherwise.
template <class Options>
auto* find_number(Options& options, const std::string& name, bool first_of_list) {
  using Number = std::conditional_t<std::is_const_v<Options>, const double, double>;
  Number* found = nullptr;
  for_each_option(options, [&](auto& field) {
    if (name != field.name) return;
    auto& value = field.get();
    using Value = std::remove_cvref_t<decltype(value)>;
    if constexpr (std::is_same_v<Value, double>) {
      if (!first_of_list) found = &value;
    } else if constexpr (std::is_same_v<Value, Betas> || std::is_same_v<Value, std::vector<double>>) {
      if (first_of_list && !value.empty()) found = &value[0];
    }
  });
  return found;
}

}  // namespace tg::optim
