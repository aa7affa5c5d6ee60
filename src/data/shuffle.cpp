#include "shuffle.hpp"

#include <numeric>
#include <utility>

namespace tg::data::detail {

void shuffle(std::vector<int64_t>& values, Generator& generator) {
  for (std::size_t i = values.size(); i-- > 1;) {
    const auto j = static_cast<std::size_t>(generator.interval(i));
    std::swap(values[i], values[j]);
  }
}

std::vector<int64_t> permutation(int64_t n, Generator& generator) {
  std::vector<int64_t> values(static_cast<std::size_t>(n));
  std::iota(values.begin(), values.end(), int64_t{0});
  shuffle(values, generator);
  return values;
}

}  // namespace tg::data::detail
