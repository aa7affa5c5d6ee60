#include "tapegrad/nn/module.hpp"

#include <cxxabi.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ostream>
#include <typeinfo>

#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"
#include "core/tensor_access.hpp"

namespace tg::nn {

namespace {

// PyTorch's _addindent: every line but the first is indented.
std::string indent_after_first_line(const std::string& text, int spaces) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(static_cast<std::size_t>(spaces), ' ');
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return lines;
    start = end + 1;
  }
}

}  // namespace

namespace detail {

std::string python_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  // Python's repr: the shortest digits that read back, in fixed notation for exponents
  // -4..15 and in scientific notation otherwise.
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string sci(buf, r.ptr);
  const int exponent = std::atoi(sci.c_str() + sci.find('e') + 1);
  if (exponent < -4 || exponent >= 16) return sci;
  r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  std::string fixed(buf, r.ptr);
  if (fixed.find('.') == std::string::npos) fixed += ".0";
  return fixed;
}

}  // namespace detail

std::string Module::type_name() const {
  const char* mangled = typeid(*this).name();
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = status == 0 && demangled ? demangled : mangled;
  std::free(demangled);
  const std::size_t template_start = name.find('<');
  const std::size_t colons = name.rfind("::", template_start);
  return colons == std::string::npos ? name : name.substr(colons + 2);
}

void Module::check_new_name(const std::string& name, const char* what) const {
  if (name.empty()) throw ValueError(std::string(what) + ": the name is empty");
  for (char c : name) {
    if (c == '.' || c == '=' || c == '/' || c == '\\' || static_cast<unsigned char>(c) <= ' ') {
      throw ValueError(std::string(what) + ": the name '" + name +
                       "' contains '.', '=', a slash, a space or a control character (names are "
                       "joined with '.' and stored in files)");
    }
  }
  for (const auto& [existing, t] : parameters_) {
    if (existing == name) {
      throw ValueError(std::string(what) + ": " + type_name() + " already has a parameter named '" + name + "'");
    }
  }
  for (const auto& [existing, t] : buffers_) {
    if (existing == name) {
      throw ValueError(std::string(what) + ": " + type_name() + " already has a buffer named '" + name + "'");
    }
  }
  for (const auto& [existing, m] : children_) {
    if (existing == name) {
      throw ValueError(std::string(what) + ": " + type_name() + " already has a submodule named '" + name + "'");
    }
  }
}

Tensor Module::register_parameter(std::string name, Tensor tensor) {
  check_new_name(name, "register_parameter");
  if (!tensor.defined()) throw ValueError("register_parameter: the tensor for '" + name + "' is undefined");
  if (!tensor.is_leaf()) {
    throw ValueError("register_parameter: the tensor for '" + name + "' was produced by '" + tensor.grad_fn() +
                     "'; a parameter must be a leaf (pass a detach()ed copy)");
  }
  tensor.set_requires_grad(true);
  parameters_.emplace_back(std::move(name), tensor);
  return tensor;
}

Tensor Module::register_buffer(std::string name, Tensor tensor) {
  check_new_name(name, "register_buffer");
  if (!tensor.defined()) throw ValueError("register_buffer: the tensor for '" + name + "' is undefined");
  if (tensor.requires_grad()) {
    throw ValueError("register_buffer: the tensor for '" + name +
                     "' requires grad; a buffer is not trained (register it as a parameter, or pass a detach()ed copy)");
  }
  buffers_.emplace_back(std::move(name), tensor);
  return tensor;
}

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
  check_new_name(name, "register_module");
  if (!module) throw ValueError("register_module: the module for '" + name + "' is null");
  if (module.get() == this) throw ValueError("register_module: a module cannot be its own submodule ('" + name + "')");
  children_.emplace_back(std::move(name), std::move(module));
}

void Module::collect(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out,
                     std::vector<const void*>& seen) const {
  for (const auto& [name, t] : parameters_) {
    bool already = false;
    for (const void* p : seen) already = already || p == tg::detail::impl_of(t);
    if (already) continue;
    seen.push_back(tg::detail::impl_of(t));
    out.emplace_back(prefix + name, t);
  }
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", out, seen);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Tensor>> out;
  std::vector<const void*> seen;
  collect("", out, seen);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(std::move(t));
  return out;
}

const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& Module::named_children() const { return children_; }

Module& Module::train(bool mode) {
  training_ = mode;
  for (const auto& [name, child] : children_) child->train(mode);
  return *this;
}

void Module::zero_grad(bool set_to_none) {
  for (const Tensor& p : parameters()) p.zero_grad(set_to_none);
}

std::string Module::str() const {
  std::vector<std::string> lines;
  const std::string extra = extra_repr();
  if (!extra.empty()) lines = split_lines(extra);
  const std::size_t extra_count = lines.size();
  for (const auto& [name, child] : children_) {
    lines.push_back("(" + name + "): " + indent_after_first_line(child->str(), 2));
  }
  std::string out = type_name() + "(";
  if (extra_count == 1 && children_.empty()) {
    out += lines[0];
  } else if (!lines.empty()) {
    for (const std::string& line : lines) out += "\n  " + line;
    out += "\n";
  }
  return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Module& module) { return os << module.str(); }

void Module::save(CheckpointWriter& out) const {
  const auto params = named_parameters();
  out.set("module", type_name());
  out.set("parameters", std::to_string(params.size()));
  for (std::size_t k = 0; k < params.size(); ++k) {
    out.set("parameter." + std::to_string(k) + ".name", params[k].first);
    out.add("parameter." + params[k].first, params[k].second);
  }
}

void Module::save(const std::string& path) const {
  CheckpointWriter out;
  save(out);
  out.save(path);
}

void Module::load(const std::string& path) { load(CheckpointReader::load(path)); }

void Module::load(const CheckpointReader& in) {
  const std::string& source = in.source();
  const auto params = named_parameters();
  const std::string& saved_type = in.get("module");
  if (saved_type != type_name()) {
    throw FormatError(source + ": the file holds the parameters of a " + saved_type + ", not of a " + type_name());
  }
  const int64_t count = in.get_int("parameters");
  if (count != static_cast<int64_t>(params.size())) {
    throw FormatError(source + ": the file holds " + std::to_string(count) + " parameters, the " + type_name() +
                      " has " + std::to_string(params.size()));
  }
  std::vector<Tensor> values;
  for (std::size_t k = 0; k < params.size(); ++k) {
    const auto& [name, param] = params[k];
    const std::string& saved_name = in.get("parameter." + std::to_string(k) + ".name");
    if (saved_name != name) {
      throw FormatError(source + ": parameter " + std::to_string(k) + " is '" + saved_name + "' in the file but '" +
                        name + "' in the " + type_name());
    }
    Tensor value = in.tensor("parameter." + name);
    if (value.shape() != param.shape()) {
      throw FormatError(source + ": parameter '" + name + "' has shape " + value.shape().str() + " in the file but " +
                        param.shape().str() + " in the " + type_name());
    }
    values.push_back(std::move(value));
  }
  NoGradGuard no_grad;
  for (std::size_t k = 0; k < params.size(); ++k) {
    Tensor param = params[k].second;
    param.copy_(values[k]);
  }
}

}  // namespace tg::nn
