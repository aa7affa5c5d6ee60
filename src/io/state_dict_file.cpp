// tg::save / tg::load: a StateDict in the checkpoint format. tapegrad.txt lists the entries
// depth-first in their order, each with its kind and its path (keys joined by '/'):
//   state_dict=3
//   entry.0=dict model
//   entry.1=tensor model/0.weight        (the tensor is the member model/0.weight.npy)
//   entry.2=integer step
//   value.2=50
#include "tapegrad/error.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/io/npy.hpp"
#include "tapegrad/io/state_dict.hpp"
#include "tapegrad/optim/options.hpp"

namespace tg {

namespace {

constexpr const char* kMetaMember = "tapegrad.txt";

const char* kind_word(StateValue::Kind kind) {
  switch (kind) {
    case StateValue::Kind::tensor: return "tensor";
    case StateValue::Kind::integer: return "integer";
    case StateValue::Kind::number: return "number";
    case StateValue::Kind::boolean: return "bool";
    case StateValue::Kind::text: return "text";
    case StateValue::Kind::dict: return "dict";
  }
  return "?";
}

class StateDictWriter {
 public:
  explicit StateDictWriter(const std::string& path) : path_(path) {}

  void write(const StateDict& state, const std::string& prefix) {
    for (const auto& [key, value] : state) {
      if (key.empty() || key.find_first_of("/\n") != std::string::npos) {
        throw ValueError("tg::save(" + path_ + "): the key '" + key + "'" +
                         (prefix.empty() ? "" : " in '" + prefix + "'") +
                         (key.empty() ? " is empty" : " holds '/' or a line break ('/' separates nested keys in the file)"));
      }
      const std::string path = prefix.empty() ? key : prefix + "/" + key;
      const std::string index = std::to_string(count_++);
      out_.set("entry." + index, std::string(kind_word(value.kind())) + " " + path);
      switch (value.kind()) {
        case StateValue::Kind::tensor: out_.add(path, value.to_tensor()); break;
        case StateValue::Kind::integer: out_.set("value." + index, std::to_string(value.to_int())); break;
        case StateValue::Kind::number: out_.set("value." + index, optim::format_value(value.to_double())); break;
        case StateValue::Kind::boolean: out_.set("value." + index, value.to_bool() ? "true" : "false"); break;
        case StateValue::Kind::text:
          if (value.to_string().find('\n') != std::string::npos) {
            throw ValueError("tg::save(" + path_ + "): the text of '" + path + "' holds a line break");
          }
          out_.set("value." + index, value.to_string());
          break;
        case StateValue::Kind::dict: write(value.to_dict(), path); break;
      }
    }
  }

  void save() {
    out_.set("state_dict", std::to_string(count_));
    out_.save(path_);
  }

 private:
  const std::string& path_;
  CheckpointWriter out_;
  std::size_t count_ = 0;
};

StateValue read_value(const CheckpointReader& in, const std::string& kind, const std::string& path,
                      const std::string& index) {
  const std::string key = "value." + index;
  if (kind == "tensor") return in.tensor(path);
  if (kind == "integer") return in.get_int(key);
  if (kind == "number") return in.get_double(key);
  if (kind == "text") return in.get(key);
  if (kind == "dict") return StateDict();
  if (kind == "bool") {
    const std::string& v = in.get(key);
    if (v != "true" && v != "false") throw FormatError(in.source() + ": entry '" + key + "' = '" + v + "' is not a bool");
    return v == "true";
  }
  throw FormatError(in.source() + ": entry 'entry." + index + "' has the unknown kind '" + kind + "'");
}

StateDict read_state_dict(const CheckpointReader& in) {
  StateDict root;
  const int64_t n = in.get_int("state_dict");
  if (n < 0) throw FormatError(in.source() + ": entry 'state_dict' = " + std::to_string(n) + " is negative");
  for (int64_t k = 0; k < n; ++k) {
    const std::string index = std::to_string(k);
    const std::string& entry = in.get("entry." + index);
    const std::size_t space = entry.find(' ');
    if (space == std::string::npos) throw FormatError(in.source() + ": malformed entry 'entry." + index + "' = '" + entry + "'");
    const std::string kind = entry.substr(0, space), path = entry.substr(space + 1);
    // Walk to the StateDict that holds the last key; every enclosing dict came earlier.
    StateDict* dict = &root;
    std::size_t start = 0;
    for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', start)) {
      const std::string key = path.substr(start, slash - start);
      if (!dict->contains(key) || !dict->at(key).is_dict()) {
        throw FormatError(in.source() + ": entry '" + path + "' comes before its enclosing StateDict '" +
                          path.substr(0, slash) + "'");
      }
      dict = &dict->at(key).to_dict();
      start = slash + 1;
    }
    const std::string key = path.substr(start);
    if (key.empty() || dict->contains(key)) {
      throw FormatError(in.source() + ": entry '" + path + "' is " + (key.empty() ? "empty" : "listed twice"));
    }
    dict->insert(key, read_value(in, kind, path, index));
  }
  return root;
}

// numpy.savez's archive: every member NAME.npy is the tensor NAME.
StateDict read_plain_npz(const std::vector<std::pair<std::string, std::string>>& members, const std::string& path) {
  StateDict out;
  for (const auto& [name, bytes] : members) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) {
      throw FormatError(path + ": member '" + name + "' is not a .npy array (nor is the archive a tapegrad checkpoint)");
    }
    out.insert(name.substr(0, name.size() - 4), io::to_tensor(io::decode_npy(bytes, path + ": " + name)));
  }
  return out;
}

}  // namespace

void save(const StateDict& state, const std::string& path) {
  StateDictWriter writer(path);
  writer.write(state, "");
  writer.save();
}

StateDict load(const std::string& path) {
  const std::string bytes = io::read_file(path);
  const auto members = io::decode_npz(bytes, path);
  if (members.empty() || members[0].first != kMetaMember) return read_plain_npz(members, path);
  const CheckpointReader in(bytes, path);
  if (!in.has("state_dict")) {
    throw FormatError(path + ": this checkpoint holds no StateDict (it was written by save_checkpoint or Module::save; "
                      "read it with load_checkpoint or Module::load)");
  }
  return read_state_dict(in);
}

}  // namespace tg
