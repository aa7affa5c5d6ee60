// Little-endian integer fields (the byte order of the .npy and ZIP formats), and the error
// helper shared by the decoders.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tapegrad/error.hpp"

namespace tg::io::detail {

template <typename T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

// Reads the sizeof(T) bytes at `pos`; the caller checks the bounds.
template <typename T>
T get_le(std::string_view bytes, std::size_t pos) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(static_cast<T>(static_cast<unsigned char>(bytes[pos + i])) << (8 * i));
  }
  return value;
}

[[noreturn]] inline void format_error(const std::string& source, const std::string& problem) {
  throw FormatError(source + ": " + problem);
}

}  // namespace tg::io::detail
