// A module's state as a StateDict with PyTorch's key names, and loading it back.
#include "io/quoted_names.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/state_dict.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/tape.hpp"

namespace tg::nn {

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto& [name, t] : buffers_) out.emplace_back(name, t);
  for (const auto& [child_name, child] : children_)
    for (auto& [name, t] : child->named_buffers()) out.emplace_back(child_name + "." + name, std::move(t));
  return out;
}

std::vector<Tensor> Module::buffers() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_buffers()) out.push_back(std::move(t));
  return out;
}

void Module::collect_state(const std::string& prefix, StateDict& out) const {
  for (const auto& [name, t] : parameters_) out.insert(prefix + name, t.detach());
  for (const auto& [name, t] : buffers_) out.insert(prefix + name, t.detach());
  for (const auto& [name, child] : children_) child->collect_state(prefix + name + ".", out);
}

StateDict Module::state_dict() const {
  StateDict out;
  collect_state("", out);
  return out;
}

IncompatibleKeys Module::load_state_dict(const StateDict& state, bool strict) {
  const std::string where = "load_state_dict(" + type_name() + ")";
  std::vector<std::pair<std::string, Tensor>> targets = named_parameters();
  for (auto& buffer : named_buffers()) targets.push_back(std::move(buffer));

  IncompatibleKeys result;
  std::vector<std::pair<Tensor, Tensor>> copies;  // (destination, value), all checked first
  for (const auto& [name, target] : targets) {
    if (!state.contains(name)) {
      result.missing_keys.push_back(name);
      continue;
    }
    const StateValue& value = state.at(name);
    if (!value.is_tensor()) {
      throw ValueError(where + ": '" + name + "' is " + value.describe() + " in the state, not a tensor");
    }
    const Tensor& saved = value.to_tensor();
    if (saved.shape() != target.shape()) {
      throw ValueError(where + ": '" + name + "' has shape " + saved.shape().str() + " in the state but " +
                       target.shape().str() + " in the model");
    }
    copies.emplace_back(target, saved);
  }
  for (const auto& [key, value] : state) {
    bool known = false;
    for (const auto& target : targets) known = known || target.first == key;
    if (!known) result.unexpected_keys.push_back(key);
  }
  if (strict && (!result.missing_keys.empty() || !result.unexpected_keys.empty())) {
    std::string message = where + ": the state does not fit the model;";
    if (!result.missing_keys.empty()) message += " missing keys: " + tg::detail::quoted_names(result.missing_keys) + ";";
    if (!result.unexpected_keys.empty()) message += " unexpected keys: " + tg::detail::quoted_names(result.unexpected_keys) + ";";
    message += " the model's keys: " + tg::detail::quoted_names([&] {
      std::vector<std::string> names;
      for (const auto& target : targets) names.push_back(target.first);
      return names;
    }());
    throw ValueError(message);
  }
  NoGradGuard no_grad;
  for (auto& [target, saved] : copies) target.copy_(saved);
  return result;
}

}  // namespace tg::nn
