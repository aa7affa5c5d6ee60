// Reading and writing NumPy files (.npy arrays, .npz archives of them), and writing files
// atomically: the building blocks of checkpoints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tapegrad/shape.hpp"

namespace tg {

class Tensor;  // include <tapegrad/tensor.hpp> to use encode_npy(Tensor) and to_tensor()

namespace io {

/// One named array: row-major doubles and a shape.
struct Array {
  tg::Shape shape;
  std::vector<double> values;
};

/// NumPy .npy encoding (format version 1.0, dtype '<f8', C order) of one array, as bytes:
/// the bytes np.save writes. Throws tg::ShapeError if values do not fill the shape.
std::string encode_npy(const Array& a);
std::string encode_npy(const tg::Tensor& t);

/// Decodes .npy bytes: format versions 1.0, 2.0 and 3.0; dtype '<f8', or '<f4', '<i8', '<i4'
/// converted to double; C order only. Throws tg::FormatError naming `source` (a file or
/// member name) and the problem.
Array decode_npy(std::string_view bytes, const std::string& source);

/// A tensor holding a copy of the array.
tg::Tensor to_tensor(const Array& a);

/// A .npz file: an uncompressed ZIP archive whose members (here: name -> raw bytes, usually
/// "NAME.npy" -> encode_npy(...)) are kept in the given order; names may contain '/'.
/// The output is deterministic. Throws tg::ValueError for an empty or duplicate name, or an
/// archive that would need ZIP64 (4 GiB or more, or 65535 members or more).
std::string encode_npz(const std::vector<std::pair<std::string, std::string>>& members);

/// The members of a ZIP archive of stored (uncompressed) members, in archive order. Verifies
/// every member's CRC-32 and sizes, the central directory and the end record; rejects
/// compressed or encrypted members, ZIP64, duplicate names, truncation and trailing bytes
/// with tg::FormatError naming `source` and the member.
std::vector<std::pair<std::string, std::string>> decode_npz(std::string_view bytes,
                                                            const std::string& source);

/// Replaces the file at `path` with `bytes` so that a crash at any moment leaves either the
/// old file or the new one: writes a temporary file in the same directory, fsyncs it, renames
/// it over `path` and fsyncs the directory. On failure, removes the temporary file and throws
/// tg::IoError naming the path and the system's reason. The temporary file is named
/// "<path>.tmp.<pid>.<n>"; one left by a process killed while saving is removed by the next
/// save to the same path (by any process, once the killed one no longer exists).
void write_file_atomic(const std::string& path, std::string_view bytes);

/// The whole content of a file; tg::IoError naming the path if it cannot be opened or read.
std::string read_file(const std::string& path);

/// The CRC-32 of ZIP, zlib and PNG (reflected polynomial 0xEDB88320).
uint32_t crc32(std::string_view bytes);

}  // namespace io
}  // namespace tg
