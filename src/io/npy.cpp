// NumPy's .npy format (numpy/lib/format.py, "Format Version 1.0" to "3.0"): the magic
// "\x93NUMPY", major and minor version bytes, the header length (uint16 in 1.0, uint32 in 2.0
// and 3.0, little-endian), the header -- a Python dict literal padded with spaces and ended by
// '\n' -- then the raw array data.
#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "io/bytes.hpp"
#include "tapegrad/io/npy.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::io {

using detail::format_error;
using detail::get_le;
using detail::put_le;

namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
constexpr std::size_t kAlign = 64;         // format.py ARRAY_ALIGN: data starts at a multiple of 64
constexpr std::size_t kGrowthDigits = 21;  // format.py GROWTH_AXIS_MAX_DIGITS

struct Dtype {
  std::string_view descr;
  std::size_t itemsize;
  double (*load)(std::string_view bytes, std::size_t pos);
};

double load_f8(std::string_view b, std::size_t p) { return std::bit_cast<double>(get_le<uint64_t>(b, p)); }
double load_f4(std::string_view b, std::size_t p) { return std::bit_cast<float>(get_le<uint32_t>(b, p)); }
double load_i8(std::string_view b, std::size_t p) {
  return static_cast<double>(static_cast<int64_t>(get_le<uint64_t>(b, p)));
}
double load_i4(std::string_view b, std::size_t p) { return static_cast<int32_t>(get_le<uint32_t>(b, p)); }

constexpr Dtype kDtypes[] = {
    {"<f8", 8, load_f8}, {"<f4", 4, load_f4}, {"<i8", 8, load_i8}, {"<i4", 4, load_i4}};

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

// Parses the header dict: {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
// (exactly these three keys, in any order; Python's spacing and trailing commas).
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Header parse() {
    Header h;
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (!accept('}')) {
      const std::string key = string();
      expect(':');
      if (key == "descr" && !has_descr) {
        has_descr = true;
        if (!peek('\'') && !peek('"')) {
          format_error(source_, "unsupported dtype: only plain numeric dtypes such as '<f8' are supported");
        }
        h.descr = string();
      } else if (key == "fortran_order" && !has_order) {
        has_order = true;
        h.fortran_order = boolean();
      } else if (key == "shape" && !has_shape) {
        has_shape = true;
        h.shape = tuple();
      } else {
        fail("unexpected or repeated key '" + key + "'");
      }
      if (accept('}')) break;
      expect(',');
    }
    skip_spaces();
    if (pos_ != text_.size()) fail("text after the closing '}'");
    for (const auto& [seen, key] :
         {std::pair{has_descr, "descr"}, {has_order, "fortran_order"}, {has_shape, "shape"}}) {
      if (!seen) format_error(source_, std::string("malformed .npy header: no '") + key + "' key");
    }
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    format_error(source_, "malformed .npy header at column " + std::to_string(pos_ + 1) + ": " + what);
  }
  void skip_spaces() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool peek(char c) {
    skip_spaces();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  bool accept_word(std::string_view word) {
    skip_spaces();
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  std::string string() {
    skip_spaces();
    if (pos_ == text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) fail("expected a string");
    const char quote = text_[pos_];
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string s(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return s;
  }
  bool boolean() {
    if (accept_word("True")) return true;
    if (accept_word("False")) return false;
    fail("expected True or False");
  }
  int64_t integer() {
    skip_spaces();
    const std::size_t start = pos_;
    int64_t value = 0;
    for (; pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; ++pos_) {
      const int digit = text_[pos_] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) fail("dimension too large");
      value = value * 10 + digit;
    }
    if (pos_ == start) fail("expected a non-negative integer");
    if (text_[start] == '0' && pos_ - start > 1) fail("leading zeros in an integer");  // as Python
    if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2 long, in old files
    return value;
  }
  // "()", "(3,)", "(2, 3)", "(2, 3,)"
  std::vector<int64_t> tuple() {
    std::vector<int64_t> dims;
    expect('(');
    while (!accept(')')) {
      dims.push_back(integer());
      if (accept(')')) {
        if (dims.size() == 1) fail("a one-element tuple needs a trailing comma");
        break;
      }
      expect(',');
    }
    return dims;
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_npy(const Array& a) {
  const int64_t n = a.shape.numel();
  if (static_cast<int64_t>(a.values.size()) != n) {
    throw ShapeError("encode_npy: " + std::to_string(a.values.size()) + " values do not fill shape " +
                     a.shape.str() + " (" + std::to_string(n) + " elements)");
  }
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + a.shape.str() + ", }";
  // As np.save: room for the first axis to grow, then spaces and '\n' up to the alignment.
  if (!a.shape.empty()) header.append(kGrowthDigits - std::to_string(a.shape[0]).size(), ' ');
  const std::size_t prefix = kMagic.size() + 2 + 2;
  header.append(kAlign - (prefix + header.size() + 1) % kAlign, ' ');
  header.push_back('\n');

  std::string out(kMagic);
  out += std::string_view("\x01\x00", 2);
  put_le(out, static_cast<uint16_t>(header.size()));
  out += header;
  if constexpr (std::endian::native == std::endian::little) {
    out.append(reinterpret_cast<const char*>(a.values.data()), a.values.size() * sizeof(double));
  } else {
    for (const double v : a.values) put_le(out, std::bit_cast<uint64_t>(v));
  }
  return out;
}

std::string encode_npy(const Tensor& t) { return encode_npy(Array{t.shape(), t.to_vector()}); }

Array decode_npy(std::string_view bytes, const std::string& source) {
  if (bytes.empty()) format_error(source, "empty file, not a .npy array");
  if (bytes.substr(0, kMagic.size()) != kMagic.substr(0, bytes.size())) {
    format_error(source, "bad magic: not a .npy file (it should start with \"\\x93NUMPY\")");
  }
  if (bytes.size() < kMagic.size() + 2) format_error(source, "truncated before the format version");
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0) {
    format_error(source,
                 "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
  }
  const std::size_t len_size = major == 1 ? 2 : 4;
  const std::size_t prefix = kMagic.size() + 2 + len_size;
  if (bytes.size() < prefix) format_error(source, "truncated header length");
  const std::size_t header_len = major == 1 ? get_le<uint16_t>(bytes, 8) : get_le<uint32_t>(bytes, 8);
  if (header_len > bytes.size() - prefix) {
    format_error(source, "truncated header: " + std::to_string(header_len) + " bytes announced, " +
                             std::to_string(bytes.size() - prefix) + " present");
  }
  const Header h = HeaderParser(bytes.substr(prefix, header_len), source).parse();

  const Dtype* dtype = nullptr;
  for (const Dtype& d : kDtypes) {
    if (d.descr == h.descr) dtype = &d;
  }
  if (!dtype) {
    format_error(source, "unsupported dtype '" + h.descr + "' (supported: '<f8', '<f4', '<i8', '<i4')");
  }
  if (h.fortran_order) format_error(source, "fortran_order True is not supported (C order only)");
  if (h.shape.size() > static_cast<std::size_t>(kMaxDims)) {
    format_error(source, "shape with " + std::to_string(h.shape.size()) +
                             " dimensions; tapegrad supports at most " + std::to_string(kMaxDims));
  }
  Array a{Shape(h.shape), {}};
  // Shape::numel() multiplies every dimension, so their product must fit an int64 even when a
  // zero dimension makes the array empty: (2^32, 2^32, 0) would overflow on the way to 0.
  int64_t count = 1;
  for (const int64_t d : a.shape) {
    if (d != 0 && __builtin_mul_overflow(count, d, &count)) {
      format_error(source, "shape " + a.shape.str() + " has more than 2^63 elements");
    }
  }

  // Bytes the shape needs, without overflow (a zero dimension makes any other size valid).
  const std::string_view data = bytes.substr(prefix + header_len);
  uint64_t need = 0;
  bool too_large = false;
  if (std::find(a.shape.begin(), a.shape.end(), 0) == a.shape.end()) {
    need = dtype->itemsize;
    for (const int64_t d : a.shape) too_large = too_large || __builtin_mul_overflow(need, d, &need);
  }
  if (too_large || need != data.size()) {
    const std::string what = "data is " + std::to_string(data.size()) + " bytes but shape " + a.shape.str() +
                             " of '" + h.descr + "' needs ";
    if (too_large) format_error(source, what + "more than 2^64 (truncated)");
    if (need > data.size()) format_error(source, what + std::to_string(need) + " (truncated)");
    format_error(
        source, what + std::to_string(need) + " (" + std::to_string(data.size() - need) + " trailing bytes)");
  }

  const std::size_t n = data.size() / dtype->itemsize;
  a.values.resize(n);
  if (n > 0 && dtype->descr == "<f8" && std::endian::native == std::endian::little) {
    std::memcpy(a.values.data(), data.data(), data.size());
  } else {
    for (std::size_t i = 0; i < n; ++i) a.values[i] = dtype->load(data, i * dtype->itemsize);
  }
  return a;
}

Tensor to_tensor(const Array& a) { return Tensor(a.values, a.shape); }

}  // namespace tg::io
