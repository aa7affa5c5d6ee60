#include "tapegrad/train/checkpoint.hpp"

#include "io/quoted_names.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/random.hpp"

namespace tg::train {

Stateful global_rng() {
  return Stateful([] { return get_rng_state(); }, [](const StateDict& state) { set_rng_state(state); });
}

StateDict state_dict(const NamedStates& objects) {
  StateDict out;
  for (const auto& [name, object] : objects) {
    if (out.contains(name)) throw ValueError("tg::train::state_dict: the name '" + name + "' is given twice");
    out[name] = object.state_dict();
  }
  return out;
}

void load_state_dict(const StateDict& state, const NamedStates& objects) {
  for (const auto& [name, object] : objects) {
    if (!state.contains(name)) {
      const std::string known = tg::detail::quoted_names(state.keys());
      throw KeyError("tg::train::load_state_dict: the state has no entry '" + name + "' (its entries: " +
                     (known.empty() ? "none" : known) + ")");
    }
  }
  std::vector<StateDict> before;  // to put back if a later object refuses its state
  for (const auto& named : objects) before.push_back(named.second.state_dict());
  std::size_t loaded = 0;
  try {
    for (; loaded < objects.size(); ++loaded) objects[loaded].second.load_state_dict(state.at(objects[loaded].first));
  } catch (const Error& e) {
    for (std::size_t k = 0; k < loaded; ++k) objects[k].second.load_state_dict(before[k]);
    throw ValueError("tg::train::load_state_dict: '" + objects[loaded].first + "': " + e.what());
  }
}

void save_checkpoint(const std::string& path, const NamedStates& objects) { save(state_dict(objects), path); }

void load_checkpoint(const std::string& path, const NamedStates& objects) { load_state_dict(load(path), objects); }

}  // namespace tg::train
