// Options by name. Every optimizer's options struct lists its fields once, in a visit()
// member, so that they can be set from text (`--set betas=0.8,0.99`), printed, validated
// and saved in checkpoints without a second, hand-written table.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tg::optim {

/// Option values as text, by name: {{"lr", "0.05"}, {"betas", "(0.8,0.99)"}}.
using OptionList = std::vector<std::pair<std::string, std::string>>;

/// Receives each field of an options struct (see the visit() members).
class OptionVisitor {
 public:
  virtual ~OptionVisitor() = default;
  virtual void field(const char* name, double& value) = 0;
  virtual void field(const char* name, bool& value) = 0;
  virtual void field(const char* name, int64_t& value) = 0;
  virtual void field(const char* name, std::array<double, 2>& value) = 0;
  virtual void field(const char* name, std::vector<double>& value) = 0;
  virtual void field(const char* name, std::string& value) = 0;
  virtual void field(const char* name, std::optional<double>& value) = 0;  // "none" when empty
  template <class T>
  void operator()(const char* name, T& value) {
    field(name, value);
  }
};

namespace detail {
/// Sets the fields named in `values` (throws tg::ValueError for an unknown name or a value
/// that does not parse, naming the optimizer, the option and the text).
void apply_options(const char* optimizer, OptionList values,
                   void (*visit)(void* options, OptionVisitor& v), void* options);
OptionList format_options(void (*visit)(void* options, OptionVisitor& v), void* options);
}  // namespace detail

/// Sets options of `options` from text.
template <class Options>
void apply_options(const char* optimizer, const OptionList& values, Options& options) {
  detail::apply_options(optimizer, values,
                        [](void* o, OptionVisitor& v) { static_cast<Options*>(o)->visit(v); }, &options);
}

/// Every option of `options` as text, in declaration order.
template <class Options>
OptionList format_options(const Options& options) {
  Options copy = options;
  return detail::format_options([](void* o, OptionVisitor& v) { static_cast<Options*>(o)->visit(v); },
                                &copy);
}

/// The text form of option values: numbers round-trip exactly ("0.001", "1e-08");
/// pairs and lists as "(0.9,0.999)"; booleans "true"/"false"; an absent optional number
/// (Python's None) "none".
std::string format_value(double v);

// Checks used by the options' validate() members; each throws tg::ValueError naming the
// optimizer, the option and the value.
void check_lr(const char* optimizer, double lr);
void check_non_negative(const char* optimizer, const char* option, double value);
void check_positive(const char* optimizer, const char* option, double value);
/// 0 <= value < 1 (betas, momentum coefficients, decay rates).
void check_unit_interval(const char* optimizer, const char* option, double value);
void check_range(const char* optimizer, const char* option, double value, double lo, double hi);

/// The default of an option that has none (PyTorch's SGD lr): it must be given.
inline constexpr double kRequired = std::numeric_limits<double>::quiet_NaN();

}  // namespace tg::optim
