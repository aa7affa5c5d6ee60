// Saving and resuming a whole training run in one call: every object that has a state —
// model, optimizer, schedule, data loader, the global random generator — under a name.
//
//   tg::train::save_checkpoint("run.ckpt", {{"model", model}, {"optimizer", opt},
//                                           {"scheduler", sched}, {"loader", loader},
//                                           {"rng", tg::train::global_rng()}});
//   ...  // in a new process, the same objects rebuilt (in any order):
//   tg::train::load_checkpoint("run.ckpt", {{"model", model}, {"optimizer", opt}, ...});
//
// The file is tg::save of a StateDict with one entry per name (docs/checkpoints.md).
#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tapegrad/io/state_dict.hpp"

namespace tg::train {

/// A reference to an object whose state can be read and restored: anything with
/// state_dict() and load_state_dict(const StateDict&).
class Stateful {
 public:
  template <class T>
    requires(!std::is_same_v<std::remove_cv_t<T>, Stateful>)
  Stateful(T& object)  // NOLINT(google-explicit-constructor): {"model", model} reads best
      : get_([&object] { return StateDict(object.state_dict()); }),
        set_([&object](const StateDict& state) { object.load_state_dict(state); }) {}
  Stateful(std::function<StateDict()> get, std::function<void(const StateDict&)> set)
      : get_(std::move(get)), set_(std::move(set)) {}

  StateDict state_dict() const { return get_(); }
  void load_state_dict(const StateDict& state) const { set_(state); }

 private:
  std::function<StateDict()> get_;
  std::function<void(const StateDict&)> set_;
};

/// The global random generator (tg::get_rng_state / tg::set_rng_state), as a Stateful.
Stateful global_rng();

using NamedStates = std::vector<std::pair<std::string, Stateful>>;

/// The state of every object under its name, as one StateDict.
StateDict state_dict(const NamedStates& objects);
/// Loads each object's entry. Every object's current state is kept first; if any load fails
/// (a missing name, a state that does not fit — the error names it), the objects already
/// loaded are put back, so nothing changes.
void load_state_dict(const StateDict& state, const NamedStates& objects);

/// tg::save(state_dict(objects), path), atomically.
void save_checkpoint(const std::string& path, const NamedStates& objects);
/// load_state_dict(tg::load(path), objects).
void load_checkpoint(const std::string& path, const NamedStates& objects);

}  // namespace tg::train
