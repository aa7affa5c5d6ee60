#include "tapegrad/io/checkpoint.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"
#include "core/tensor_access.hpp"

namespace tg {

namespace {
constexpr const char* kMeta = "tapegrad.txt";
constexpr const char* kFormat = "tapegrad-checkpoint";

const std::string* find(const std::vector<std::pair<std::string, std::string>>& list, const std::string& key) {
  for (const auto& [k, v] : list)
    if (k == key) return &v;
  return nullptr;
}
}  // namespace

void CheckpointWriter::set(const std::string& key, const std::string& value) {
  if (key.find_first_of("=\n") != std::string::npos || value.find('\n') != std::string::npos) {
    throw ValueError("checkpoint: the entry '" + key + "' cannot hold '=' in its key or a line break");
  }
  entries_.emplace_back(key, value);
}

void CheckpointWriter::add(const std::string& name, const Tensor& tensor) {
  arrays_.emplace_back(name + ".npy", io::encode_npy(tensor));
}

std::string CheckpointWriter::bytes() const {
  std::string meta = std::string(kFormat) + " " + std::to_string(kCheckpointVersion) + "\n";
  for (const auto& [k, v] : entries_) meta += k + "=" + v + "\n";
  std::vector<std::pair<std::string, std::string>> members{{kMeta, meta}};
  members.insert(members.end(), arrays_.begin(), arrays_.end());
  return io::encode_npz(members);
}

void CheckpointWriter::save(const std::string& path) const { io::write_file_atomic(path, bytes()); }

CheckpointReader CheckpointReader::load(const std::string& path) {
  return CheckpointReader(io::read_file(path), path);
}

CheckpointReader::CheckpointReader(std::string_view bytes, std::string source) : source_(std::move(source)) {
  auto members = io::decode_npz(bytes, source_);
  if (members.empty() || members[0].first != kMeta) {
    throw FormatError(source_ + ": not a tapegrad checkpoint (no " + kMeta + " member first)");
  }
  const std::string& meta = members[0].second;
  std::size_t pos = meta.find('\n');
  const std::string head = meta.substr(0, pos);
  const std::string expected = std::string(kFormat) + " ";
  if (head.rfind(expected, 0) != 0) throw FormatError(source_ + ": not a tapegrad checkpoint (format line '" + head + "')");
  const std::string version = head.substr(expected.size());
  if (version != std::to_string(kCheckpointVersion)) {
    throw FormatError(source_ + ": checkpoint format version " + version + " is not supported (this tapegrad reads version " +
                      std::to_string(kCheckpointVersion) + ")");
  }
  while (pos != std::string::npos && pos + 1 < meta.size()) {
    const std::size_t next = meta.find('\n', pos + 1);
    const std::string line = meta.substr(pos + 1, next - pos - 1);
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) throw FormatError(source_ + ": malformed entry '" + line + "'");
    entries_.emplace_back(line.substr(0, eq), line.substr(eq + 1));
    pos = next;
  }
  arrays_.assign(members.begin() + 1, members.end());
}

bool CheckpointReader::has(const std::string& key) const { return find(entries_, key) != nullptr; }

const std::string& CheckpointReader::get(const std::string& key) const {
  if (const std::string* v = find(entries_, key)) return *v;
  throw FormatError(source_ + ": the checkpoint has no entry '" + key + "'");
}

int64_t CheckpointReader::get_int(const std::string& key) const {
  const std::string& v = get(key);
  int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || v.empty()) {
    throw FormatError(source_ + ": entry '" + key + "' = '" + v + "' is not an integer");
  }
  return out;
}

double CheckpointReader::get_double(const std::string& key) const {
  const std::string& v = get(key);
  if (v == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (v == "inf" || v == "-inf") return v[0] == '-' ? -INFINITY : INFINITY;
  double out = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || v.empty()) {
    throw FormatError(source_ + ": entry '" + key + "' = '" + v + "' is not a number");
  }
  return out;
}

std::vector<std::string> CheckpointReader::tensor_names() const {
  std::vector<std::string> names;
  for (const auto& [member, bytes] : arrays_) names.push_back(member.substr(0, member.size() - 4));  // without ".npy"
  return names;
}

bool CheckpointReader::has_tensor(const std::string& name) const { return find(arrays_, name + ".npy") != nullptr; }

Tensor CheckpointReader::tensor(const std::string& name) const {
  const std::string* bytes = find(arrays_, name + ".npy");
  if (!bytes) throw FormatError(source_ + ": the checkpoint has no tensor '" + name + "'");
  return io::to_tensor(io::decode_npy(*bytes, source_ + ": " + name + ".npy"));
}

void write_tensors(CheckpointWriter& out, const std::vector<Tensor>& tensors) {
  out.set("tensors", std::to_string(tensors.size()));
  for (std::size_t k = 0; k < tensors.size(); ++k) out.add("tensor." + std::to_string(k), tensors[k]);
}

void check_tensors(const CheckpointReader& in, const std::vector<Tensor>& tensors) {
  const int64_t n = in.get_int("tensors");
  if (n != static_cast<int64_t>(tensors.size())) {
    throw FormatError(in.source() + ": the checkpoint holds " + std::to_string(n) + " tensors, " +
                      std::to_string(tensors.size()) + " were given");
  }
  for (std::size_t k = 0; k < tensors.size(); ++k) {
    const Tensor saved = in.tensor("tensor." + std::to_string(k));
    if (saved.shape() != tensors[k].shape()) {
      throw FormatError(in.source() + ": tensor " + std::to_string(k) + " has shape " + saved.shape().str() +
                        " in the checkpoint but " + tensors[k].shape().str() + " here");
    }
  }
}

void read_tensors(const CheckpointReader& in, const std::vector<Tensor>& tensors) {
  for (std::size_t k = 0; k < tensors.size(); ++k) {
    const Tensor saved = in.tensor("tensor." + std::to_string(k));
    detail::TensorImpl* t = tg::detail::impl_of(tensors[k]);
    ++t->version;
    std::copy(saved.data(), saved.data() + saved.numel(), t->data);
  }
}

}  // namespace tg
