// Compiled by the ctest umbrella_header_is_light: the umbrella header must stay quick to
// include, so it must not pull in xtensor (that is tapegrad/xtensor.hpp's job) nor the standard
// library's heaviest headers, which only src/ needs.
#include <tapegrad/tapegrad.hpp>

#ifdef XTENSOR_VERSION_MAJOR
#error "tapegrad/tapegrad.hpp includes xtensor; only tapegrad/xtensor.hpp may"
#endif

#if defined(_GLIBCXX_RANDOM)
#error "tapegrad/tapegrad.hpp includes <random>; keep std::mt19937 in src/"
#endif
#if defined(_GLIBCXX_SSTREAM)
#error "tapegrad/tapegrad.hpp includes <sstream>; format strings in src/"
#endif
#if defined(_GLIBCXX_CHRONO)
#error "tapegrad/tapegrad.hpp includes <chrono>; keep clocks in src/"
#endif

int main() {}
