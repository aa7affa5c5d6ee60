// Checkpoint files: named tensors and text entries in one NumPy .npz archive, readable by
// numpy.load. A member "tapegrad.txt" holds the format line ("tapegrad-checkpoint 1") and
// key=value entries; each tensor is a NAME.npy member. Every member carries the ZIP CRC-32,
// which reading verifies; writing replaces the file atomically. See docs/checkpoints.md.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg {

inline constexpr int kCheckpointVersion = 1;

class CheckpointWriter {
 public:
  /// A text entry (a value without line breaks).
  void set(const std::string& key, const std::string& value);
  /// A tensor's values, stored as member `name`.npy.
  void add(const std::string& name, const Tensor& tensor);
  /// The archive's bytes.
  std::string bytes() const;
  /// Writes the archive to `path` atomically (tg::IoError on failure; the old file is kept).
  void save(const std::string& path) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<std::pair<std::string, std::string>> arrays_;  // name.npy -> bytes
};

class CheckpointReader {
 public:
  /// Reads and verifies a checkpoint (tg::IoError if unreadable, tg::FormatError naming the
  /// file and the problem if it is truncated, corrupted or of another format or version).
  static CheckpointReader load(const std::string& path);
  CheckpointReader(std::string_view bytes, std::string source);

  const std::string& source() const { return source_; }
  bool has(const std::string& key) const;
  /// A text entry; tg::FormatError naming the file and the key if it is missing.
  const std::string& get(const std::string& key) const;
  int64_t get_int(const std::string& key) const;
  double get_double(const std::string& key) const;
  /// The text entries, in the order they were written.
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  /// The names of the tensor entries, in the order they were written.
  std::vector<std::string> tensor_names() const;
  bool has_tensor(const std::string& name) const;
  /// A tensor entry as a new tensor; tg::FormatError if it is missing or not a valid array.
  Tensor tensor(const std::string& name) const;

 private:
  std::string source_;
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<std::pair<std::string, std::string>> arrays_;
};

/// Saves tensors' values under "tensor.0", "tensor.1", ... (with their count).
void write_tensors(CheckpointWriter& out, const std::vector<Tensor>& tensors);
/// Checks that the checkpoint holds exactly as many tensors of the same shapes (tg::FormatError
/// naming the first mismatch), without changing anything.
void check_tensors(const CheckpointReader& in, const std::vector<Tensor>& tensors);
/// Copies the saved values into the tensors (after check_tensors; counts as in-place writes).
void read_tensors(const CheckpointReader& in, const std::vector<Tensor>& tensors);

}  // namespace tg
