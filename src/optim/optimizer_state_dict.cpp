// Optimizer::state_dict / load_state_dict: the optimizer's checkpoint entries (save_state),
// arranged as PyTorch arranges an optimizer's state_dict, and back. Loading goes through
// load_state(), so a StateDict is checked exactly as a checkpoint file is.
#include <charconv>
#include <cmath>

#include "tapegrad/error.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/io/state_dict.hpp"
#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A checkpoint's text as the value it spells: a flag, an integer, a number or a text.
StateValue typed_value(const std::string& text) {
  if (text == "true" || text == "false") return text == "true";
  const char* end = text.data() + text.size();
  int64_t integer = 0;
  if (auto [p, ec] = std::from_chars(text.data(), end, integer); ec == std::errc() && p == end && !text.empty()) {
    return integer;
  }
  double number = 0.0;
  if (auto [p, ec] = std::from_chars(text.data(), end, number); ec == std::errc() && p == end && !text.empty()) {
    return number;
  }
  if (text == "nan" || text == "inf" || text == "-inf") {
    return text == "nan" ? std::nan("") : (text[0] == '-' ? -INFINITY : INFINITY);
  }
  return text;
}

std::string value_text(const StateValue& value, const std::string& key) {
  switch (value.kind()) {
    case StateValue::Kind::boolean: return value.to_bool() ? "true" : "false";
    case StateValue::Kind::integer: return std::to_string(value.to_int());
    case StateValue::Kind::number: return format_value(value.to_double());
    case StateValue::Kind::text: return value.to_string();
    default: throw ValueError("'" + key + "' is " + value.describe() + ", not a number, flag or text");
  }
}

std::string group_prefix(std::size_t g) { return "group." + std::to_string(g) + "."; }

// The entries state_dict() arranges into param_groups and state; the rest go to "extra".
bool is_layout_key(const std::string& key) {
  return key == "optimizer" || key == "groups" || key.rfind("group.", 0) == 0 || key.rfind("state.", 0) == 0;
}

}  // namespace

StateDict Optimizer::state_dict() const {
  CheckpointWriter out;
  save_state(out);
  const CheckpointReader in(out.bytes(), std::string(name_) + ".state_dict()");

  StateDict groups, state;
  std::size_t flat = 0;
  for (std::size_t g = 0; g < group_count(); ++g) {
    StateDict group;
    group["params"] = static_cast<int64_t>(group_params(g).size());
    for (const std::string& option : option_names())  // a wrapper's own options are kept elsewhere (extra)
      if (in.has(detail::option_key(g, option))) group[option] = typed_value(in.get(detail::option_key(g, option)));
    if (in.has(group_prefix(g) + "initial_lr")) group["initial_lr"] = in.get_double(group_prefix(g) + "initial_lr");
    groups[std::to_string(g)] = std::move(group);

    for (std::size_t i = 0; i < group_params(g).size(); ++i, ++flat) {
      const std::string prefix = detail::state_prefix(g, i);
      StateDict param_state;
      std::vector<std::string> lists;
      for (const auto& [key, text] : in.entries()) {
        if (key.rfind(prefix, 0) != 0) continue;
        const std::string name = key.substr(prefix.size());
        if (ends_with(name, ".count")) {
          const std::string list = name.substr(0, name.size() - 6);
          StateDict items;
          for (int64_t k = 0; k < in.get_int(key); ++k) items[std::to_string(k)] = in.tensor(prefix + list + "." + std::to_string(k));
          param_state[list] = std::move(items);
          lists.push_back(list + ".");
        } else {
          param_state[name] = typed_value(text);
        }
      }
      for (const std::string& tensor : in.tensor_names()) {
        if (tensor.rfind(prefix, 0) != 0) continue;
        const std::string name = tensor.substr(prefix.size());
        bool in_list = false;
        for (const std::string& list : lists) in_list = in_list || name.rfind(list, 0) == 0;
        if (!in_list) param_state[name] = in.tensor(tensor);
      }
      state[std::to_string(flat)] = std::move(param_state);
    }
  }
  // What an optimizer keeps besides options and per-parameter state (K-FAC's factors, LARC's
  // own options), verbatim.
  StateDict extra;
  for (const auto& [key, text] : in.entries())
    if (!is_layout_key(key)) extra[key] = text;
  for (const std::string& tensor : in.tensor_names())
    if (!is_layout_key(tensor)) extra[tensor] = in.tensor(tensor);

  StateDict out_state;
  out_state["optimizer"] = std::string(name_);
  out_state["param_groups"] = std::move(groups);
  out_state["state"] = std::move(state);
  if (!extra.empty()) out_state["extra"] = std::move(extra);
  return out_state;
}

void Optimizer::load_state_dict(const StateDict& state) {
  const std::string where = std::string(name_) + ".load_state_dict";
  CheckpointWriter out;
  try {
    out.set("optimizer", state.at("optimizer").to_string());
    const StateDict& groups = state.at("param_groups");
    const StateDict& param_states = state.at("state");
    out.set("groups", std::to_string(groups.size()));
    std::size_t flat = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const StateDict& group = groups.at(std::to_string(g));
      const int64_t count = group.at("params").to_int();
      out.set(group_prefix(g) + "params", std::to_string(count));
      for (const auto& [key, value] : group) {
        if (key == "params") continue;
        out.set(key == "initial_lr" ? group_prefix(g) + key : detail::option_key(g, key), value_text(value, key));
      }
      for (int64_t i = 0; i < count; ++i, ++flat) {
        const std::string prefix = detail::state_prefix(g, static_cast<std::size_t>(i));
        if (!param_states.contains(std::to_string(flat))) continue;  // reported by load_state as a missing entry
        for (const auto& [key, value] : param_states.at(std::to_string(flat)).to_dict()) {
          if (value.is_tensor()) {
            out.add(prefix + key, value.to_tensor());
          } else if (value.is_dict()) {
            const StateDict& items = value.to_dict();
            out.set(prefix + key + ".count", std::to_string(items.size()));
            for (std::size_t k = 0; k < items.size(); ++k)
              out.add(prefix + key + "." + std::to_string(k), items.at(std::to_string(k)).to_tensor());
          } else {
            out.set(prefix + key, value_text(value, key));
          }
        }
      }
    }
    if (state.contains("extra")) {
      for (const auto& [key, value] : state.at("extra").to_dict()) {
        if (value.is_tensor()) out.add(key, value.to_tensor());
        else out.set(key, value.to_string());
      }
    }
  } catch (const KeyError& e) {
    throw ValueError(where + ": the state is not an optimizer's state_dict(): " + e.what());
  } catch (const ValueError& e) {
    throw ValueError(where + ": " + e.what());
  }
  load_state(CheckpointReader(out.bytes(), where));
}

}  // namespace tg::optim
