// Shuffling row numbers as NumPy's legacy np.random.shuffle does (Fisher–Yates from the last
// element down, each swap partner drawn with Generator::interval), so that a Generator seeded
// with s gives np.random.RandomState(s).permutation(n).
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/random.hpp"

namespace tg::data::detail {

void shuffle(std::vector<int64_t>& values, Generator& generator);

/// 0..n-1 shuffled.
std::vector<int64_t> permutation(int64_t n, Generator& generator);

}  // namespace tg::data::detail
