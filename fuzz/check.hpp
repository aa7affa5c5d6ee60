// The contract every parser of outside input keeps, checked on one input at a time by the
// fuzz targets (fuzz/fuzz_*.cpp) and by the regression test that replays their corpus
// (tests/reliability/test_fuzz_regressions.cpp):
//
//   the parser returns a well-formed value, or throws a tapegrad error (tg::Error, or
//   tg::cli::UsageError for the command line's text).
//
// A check returns normally in both cases. A well-formed-ness violation throws
// ContractViolation; any other exception is let through. Neither is a tg::Error, so both
// escape a fuzz target (libFuzzer reports the input as a crash) and fail the regression test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tg::fuzz {

/// A parser returned a value that breaks its contract (the message says how).
class ContractViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Throws ContractViolation(what) unless `condition` holds.
inline void require(bool condition, const std::string& what) {
  if (!condition) throw ContractViolation(what);
}

// One check per parser; `input` is the fuzzer's bytes (see each check for their layout).
void check_csv(std::string_view input);         // data::parse_csv
void check_split(std::string_view input);       // data::parse_split
void check_npy(std::string_view input);         // io::decode_npy
void check_npz(std::string_view input);         // io::decode_npz
void check_checkpoint(std::string_view input);  // CheckpointReader, Module::load, load_state, read_tensors
void check_cli(std::string_view input);         // the command line's numbers, lists, key=value

/// A check by its target's name ("csv", "npy", ...; the corpus folder's name), or nullptr.
using Check = void (*)(std::string_view input);
struct NamedCheck {
  const char* name;
  Check check;
};
inline constexpr NamedCheck kChecks[] = {
    {"csv", check_csv},   {"split", check_split},           {"npy", check_npy},
    {"npz", check_npz},   {"checkpoint", check_checkpoint}, {"cli", check_cli},
};

}  // namespace tg::fuzz
