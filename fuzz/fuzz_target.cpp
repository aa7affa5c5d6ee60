// The libFuzzer entry point of every target: fuzz_NAME runs check_NAME (check.hpp) on each
// input. CMake compiles this file once per target with TAPEGRAD_FUZZ_CHECK=check_NAME.
#include <cstddef>
#include <cstdint>

#include "check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  tg::fuzz::TAPEGRAD_FUZZ_CHECK(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
