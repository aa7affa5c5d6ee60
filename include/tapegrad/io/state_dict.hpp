// tg::StateDict: the state of anything that can be saved and resumed — a model's parameters
// and buffers, an optimizer's moments, a schedule's counters, a data loader's position, a
// random generator — as an ordered map from names to values, the way PyTorch's state_dict()
// is a dict. Values are tensors, integers, numbers, flags, texts or nested StateDicts.
//
//   tg::StateDict s;
//   s["model"] = model.state_dict();
//   s["optimizer"] = opt.state_dict();
//   s["rng"] = tg::get_rng_state();
//   tg::save(s, "run.ckpt");
//   ...
//   const tg::StateDict r = tg::load("run.ckpt");
//   model.load_state_dict(r.at("model"));
//
// tg::save writes a NumPy .npz archive in the checkpoint format (docs/checkpoints.md): every
// tensor is a member named by its path ("model/0.weight.npy"), so numpy.load reads a saved
// model's state as is; tg::load also reads a plain .npz of arrays (numpy.savez), as a flat
// StateDict of tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg {

class StateDict;

/// One value of a StateDict.
class StateValue {
 public:
  enum class Kind { tensor, integer, number, boolean, text, dict };

  /// An empty StateDict.
  StateValue();
  StateValue(Tensor value);
  StateValue(int value);
  StateValue(long value);
  StateValue(long long value);
  StateValue(unsigned long value);
  StateValue(unsigned long long value);
  StateValue(double value);
  StateValue(bool value);
  StateValue(std::string value);
  StateValue(const char* value) : StateValue(std::string(value)) {}
  StateValue(StateDict value);

  StateValue(const StateValue& other);
  StateValue(StateValue&& other) noexcept;
  StateValue& operator=(const StateValue& other);
  StateValue& operator=(StateValue&& other) noexcept;
  ~StateValue();

  Kind kind() const { return kind_; }
  /// "tensor", "integer", "number", "bool", "text" or "StateDict".
  const char* kind_name() const;
  /// "an integer", "a number", "a tensor of shape (2, 3)", "a StateDict", ... for messages.
  std::string describe() const;
  bool is_tensor() const { return kind_ == Kind::tensor; }
  bool is_dict() const { return kind_ == Kind::dict; }

  // The value as the given kind; tg::ValueError naming both kinds otherwise. An integer is
  // also a number.
  const Tensor& to_tensor() const;
  int64_t to_int() const;
  double to_double() const;
  bool to_bool() const;
  const std::string& to_string() const;
  const StateDict& to_dict() const;
  StateDict& to_dict();
  /// A StateDict value reads as its StateDict, so that r.at("model") can be passed on directly.
  operator const StateDict&() const { return to_dict(); }

  /// The entry `key` of a nested StateDict, inserted (an empty StateDict) if missing.
  StateValue& operator[](const std::string& key);
  /// The entry `key` of a nested StateDict; tg::KeyError naming it if missing.
  const StateValue& at(const std::string& key) const;

 private:
  Kind kind_;
  Tensor tensor_;
  int64_t integer_ = 0;
  double number_ = 0.0;
  std::string text_;
  std::unique_ptr<StateDict> dict_;
};

/// An ordered map from names to StateValues: entries keep the order they were added in.
class StateDict {
 public:
  using Item = std::pair<std::string, StateValue>;

  StateDict() = default;
  StateDict(std::initializer_list<Item> items);

  /// The value of `key`, inserted (an empty StateDict) if missing, as std::map's operator[].
  StateValue& operator[](const std::string& key);
  /// The value of `key`; tg::KeyError naming the key and the keys there are if missing.
  const StateValue& at(const std::string& key) const;
  StateValue& at(const std::string& key);
  bool contains(const std::string& key) const;
  /// Adds `key` at the end, or replaces its value where it is.
  void insert(const std::string& key, StateValue value);
  /// Removes `key` (false if it was not there).
  bool erase(const std::string& key);

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  std::vector<std::string> keys() const;
  std::vector<Item>::const_iterator begin() const { return items_.begin(); }
  std::vector<Item>::const_iterator end() const { return items_.end(); }
  std::vector<Item>::iterator begin() { return items_.begin(); }
  std::vector<Item>::iterator end() { return items_.end(); }

 private:
  std::vector<Item> items_;
};

/// Same keys in the same order, same kinds, equal values; tensors equal in shape and in every
/// value bit for bit (NaN equals NaN) — what an exact resume must reproduce.
bool operator==(const StateDict& a, const StateDict& b);
bool operator==(const StateValue& a, const StateValue& b);

/// One line per entry, nested entries indented: "0.weight: tensor (3, 2)", "step: 50".
std::ostream& operator<<(std::ostream& os, const StateDict& state);

/// Writes `state` to `path` atomically, in the checkpoint format (a checksummed, versioned
/// .npz). Keys must not contain '/' (it separates nested keys in the file) or a line break
/// (tg::ValueError naming the key); tg::IoError if the file cannot be written (the old file
/// is kept).
void save(const StateDict& state, const std::string& path);
/// Reads what save() wrote, or a plain .npz of arrays (numpy.savez) as a flat StateDict of
/// tensors. tg::IoError if unreadable; tg::FormatError naming the file and the problem if it
/// is truncated, corrupted, or of another format or version.
StateDict load(const std::string& path);

}  // namespace tg
