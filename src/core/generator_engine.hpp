// Internal: the engine behind a tg::Generator.
#pragma once

#include <cstdint>
#include <random>

#include "tapegrad/random.hpp"

namespace tg {

struct Generator::Engine {
  explicit Engine(uint32_t seed) : mt(seed) {}
  std::mt19937 mt;  // its output sequence is fixed by the C++ standard
};

}  // namespace tg
