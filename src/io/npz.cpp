// .npz files are ZIP archives (PKWARE APPNOTE.TXT 6.3) of stored members. The layout written
// and accepted here: each member's local file header (APPNOTE 4.3.7) followed by its data, then
// the central directory, one header per member (4.3.12), then the end of central directory
// record (4.3.16). Fields are little-endian; no data descriptors, no ZIP64, no encryption.
#include <algorithm>
#include <cstdio>
#include <set>

#include "io/bytes.hpp"
#include "tapegrad/io/npy.hpp"

namespace tg::io {

using detail::format_error;
using detail::get_le;
using detail::put_le;

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;         // "PK\3\4"
constexpr uint32_t kCentralSig = 0x02014b50;       // "PK\1\2"
constexpr uint32_t kEndSig = 0x06054b50;           // "PK\5\6"
constexpr uint32_t kZip64LocatorSig = 0x07064b50;  // "PK\6\7", precedes the end record in ZIP64
constexpr std::size_t kLocalSize = 30;             // fixed part of each header
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kEndSize = 22;
constexpr uint16_t kVersion = 20;                       // 2.0 (4.4.3): enough for stored members
constexpr uint16_t kMadeBy = (3 << 8) | kVersion;       // made on Unix (4.4.2)
constexpr uint32_t kRegularFile = 0100644u << 16;       // external attributes: Unix mode -rw-r--r--
constexpr uint16_t kUtf8Name = 1 << 11;                 // flag bit 11: the name is UTF-8 (appendix D)
constexpr uint16_t kDosTime = 0;                        // 00:00:00
constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01 (years since 1980, month, day)
constexpr uint32_t kMax32 = 0xFFFFFFFF;                 // in a size or offset field: "see ZIP64"

// The 26 bytes that a local header (from offset 4) and a central directory header (from offset
// 6) share: version needed, flags, method, time, date, CRC-32, both sizes, name and extra lengths.
void put_common(std::string& out, uint16_t flags, uint32_t crc, uint32_t size, uint16_t name_len) {
  put_le(out, kVersion);
  put_le(out, flags);
  put_le<uint16_t>(out, 0);  // method 0: stored
  put_le(out, kDosTime);
  put_le(out, kDosDate);
  put_le(out, crc);
  put_le(out, size);  // compressed size
  put_le(out, size);  // uncompressed size
  put_le(out, name_len);
  put_le<uint16_t>(out, 0);  // extra field length
}

struct Common {
  uint16_t flags, method;
  uint32_t crc, compressed_size, size;
  uint16_t name_len, extra_len;
};

Common get_common(std::string_view b, std::size_t at) {
  return {get_le<uint16_t>(b, at + 2),  get_le<uint16_t>(b, at + 4),  get_le<uint32_t>(b, at + 10),
          get_le<uint32_t>(b, at + 14), get_le<uint32_t>(b, at + 18), get_le<uint16_t>(b, at + 22),
          get_le<uint16_t>(b, at + 24)};
}

std::string hex(uint32_t v) {
  char s[11];
  std::snprintf(s, sizeof s, "0x%08x", v);
  return s;
}

// The end record ends the file, after a comment of up to 65535 bytes: search backwards for its
// signature and accept the one whose comment reaches exactly the end of the file.
std::size_t find_end_record(std::string_view b, const std::string& source) {
  const std::size_t lowest = b.size() > kEndSize + 0xFFFF ? b.size() - kEndSize - 0xFFFF : 0;
  std::size_t last = std::string_view::npos;  // the signature nearest to the end
  for (std::size_t pos = b.size() < 4 ? 0 : b.size() - 3; pos-- > lowest;) {
    if (get_le<uint32_t>(b, pos) != kEndSig) continue;
    if (pos + kEndSize <= b.size() && pos + kEndSize + get_le<uint16_t>(b, pos + 20) == b.size()) return pos;
    if (last == std::string_view::npos) last = pos;
  }
  if (last == std::string_view::npos) {
    format_error(source, "no end of central directory record: truncated, or not a ZIP (.npz) archive");
  }
  const std::size_t end =
      last + kEndSize + (last + kEndSize <= b.size() ? get_le<uint16_t>(b, last + 20) : 0);
  if (end > b.size()) format_error(source, "truncated end of central directory record");
  format_error(source,
               std::to_string(b.size() - end) + " trailing bytes after the end of central directory record");
}

}  // namespace

std::string encode_npz(const std::vector<std::pair<std::string, std::string>>& members) {
  const auto too_large = [] {
    throw ValueError("encode_npz: the archive would need ZIP64 (4 GiB or more, or 65535 members or more)");
  };
  std::string out, central;
  std::set<std::string_view> names;
  for (const auto& [name, data] : members) {
    if (name.empty() || name.size() > 0xFFFF) {
      throw ValueError("encode_npz: member names must have 1 to 65535 bytes, got " +
                       std::to_string(name.size()));
    }
    if (!names.insert(name).second) throw ValueError("encode_npz: duplicate member name '" + name + "'");
    const std::size_t offset = out.size();
    if (data.size() >= kMax32 || offset + kLocalSize + name.size() + data.size() >= kMax32) too_large();
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return (c & 0x80) == 0; });
    const uint16_t flags = ascii ? 0 : kUtf8Name;
    const uint32_t crc = crc32(data);
    const auto size = static_cast<uint32_t>(data.size());
    const auto name_len = static_cast<uint16_t>(name.size());

    put_le(out, kLocalSig);
    put_common(out, flags, crc, size, name_len);
    out += name;
    out += data;

    put_le(central, kCentralSig);
    put_le(central, kMadeBy);
    put_common(central, flags, crc, size, name_len);
    put_le<uint16_t>(central, 0);  // comment length
    put_le<uint16_t>(central, 0);  // disk number
    put_le<uint16_t>(central, 0);  // internal attributes
    put_le(central, kRegularFile);
    put_le(central, static_cast<uint32_t>(offset));
    central += name;
  }
  if (members.size() >= 0xFFFF || out.size() + central.size() >= kMax32) too_large();

  const auto central_offset = static_cast<uint32_t>(out.size());
  const auto count = static_cast<uint16_t>(members.size());
  out += central;
  put_le(out, kEndSig);
  put_le<uint16_t>(out, 0);  // number of this disk
  put_le<uint16_t>(out, 0);  // disk where the central directory starts
  put_le(out, count);        // entries on this disk
  put_le(out, count);        // entries in total
  put_le(out, static_cast<uint32_t>(central.size()));
  put_le(out, central_offset);
  put_le<uint16_t>(out, 0);  // comment length
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_npz(std::string_view bytes,
                                                            const std::string& source) {
  if (bytes.empty()) format_error(source, "empty file, not a ZIP (.npz) archive");
  const std::size_t end = find_end_record(bytes, source);
  const uint16_t count = get_le<uint16_t>(bytes, end + 10);
  const uint32_t central_size = get_le<uint32_t>(bytes, end + 12);
  const uint32_t central_offset = get_le<uint32_t>(bytes, end + 16);
  if (count == 0xFFFF || central_size == kMax32 || central_offset == kMax32 ||
      (end >= 20 && get_le<uint32_t>(bytes, end - 20) == kZip64LocatorSig)) {
    format_error(source, "ZIP64 archives are not supported");
  }
  if (get_le<uint16_t>(bytes, end + 4) != 0 || get_le<uint16_t>(bytes, end + 6) != 0 ||
      get_le<uint16_t>(bytes, end + 8) != count) {
    format_error(source, "multi-disk (split) archives are not supported");
  }
  if (uint64_t{central_offset} + central_size != end) {
    format_error(source, "the central directory (offset " + std::to_string(central_offset) + ", " +
                             std::to_string(central_size) +
                             " bytes) does not end where the end record starts (" + std::to_string(end) +
                             "): truncated or corrupted archive");
  }

  std::vector<std::pair<std::string, std::string>> members;
  std::set<std::string, std::less<>> names;
  std::size_t pos = central_offset;  // the next central directory header
  std::size_t next_local = 0;        // where the next local header must start
  for (int i = 0; i < count; ++i) {
    if (end - pos < kCentralSize || get_le<uint32_t>(bytes, pos) != kCentralSig) {
      format_error(source, "central directory entry " + std::to_string(i) + " is truncated or corrupted");
    }
    const Common c = get_common(bytes, pos + 6);
    const std::size_t comment_len = get_le<uint16_t>(bytes, pos + 32);
    if (end - pos - kCentralSize < std::size_t{c.name_len} + c.extra_len + comment_len) {
      format_error(source, "central directory entry " + std::to_string(i) + " is truncated");
    }
    const std::string name(bytes.substr(pos + kCentralSize, c.name_len));
    const auto bad = [&](const std::string& problem) {
      format_error(source, "member '" + name + "': " + problem);
    };
    const uint32_t offset = get_le<uint32_t>(bytes, pos + 42);

    if (!names.insert(name).second) bad("duplicate member name");
    if (c.compressed_size == kMax32 || c.size == kMax32 || offset == kMax32) bad("ZIP64 is not supported");
    if (c.method != 0) {
      bad("compressed (method " + std::to_string(c.method) + "); only stored members are supported");
    }
    if ((c.flags & ~kUtf8Name) != 0) {
      bad("unsupported flags " + hex(c.flags) + " (encryption or data descriptor)");
    }
    if (c.compressed_size != c.size) bad("stored member with different compressed and uncompressed sizes");
    if (get_le<uint16_t>(bytes, pos + 34) != 0) bad("on another disk (split archives are not supported)");
    if (offset != next_local) {
      bad("local header at offset " + std::to_string(offset) + ", expected " + std::to_string(next_local) +
          " (gap, overlap or reordered members)");
    }

    if (central_offset - offset < kLocalSize || get_le<uint32_t>(bytes, offset) != kLocalSig) {
      bad("local header missing or truncated");
    }
    // Version needed, flags, method, time, date, CRC-32, sizes and name must repeat the central
    // header's; only the extra fields may differ.
    const Common l = get_common(bytes, offset + 4);
    if (bytes.substr(offset + 4, 24) != bytes.substr(pos + 6, 24) ||
        bytes.substr(offset + kLocalSize, l.name_len) != name) {
      bad("local header does not match the central directory");
    }
    const std::size_t data_start = offset + kLocalSize + l.name_len + l.extra_len;
    if (data_start > central_offset || central_offset - data_start < c.size) {
      bad("data truncated (" + std::to_string(c.size) + " bytes expected)");
    }
    const std::string_view data = bytes.substr(data_start, c.size);
    if (const uint32_t crc = crc32(data); crc != c.crc) {
      bad("CRC-32 mismatch (stored " + hex(c.crc) + ", computed " + hex(crc) + "): corrupted data");
    }
    members.emplace_back(name, data);
    next_local = data_start + c.size;
    pos += kCentralSize + c.name_len + c.extra_len + comment_len;
  }
  if (pos != end) {
    format_error(source, "the central directory has " + std::to_string(end - pos) + " bytes after its " +
                             std::to_string(count) + " entries");
  }
  if (next_local != central_offset) {
    format_error(source, std::to_string(central_offset - next_local) +
                             " unexpected bytes between the last member and the central directory");
  }
  return members;
}

}  // namespace tg::io
