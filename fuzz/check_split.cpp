// data::parse_split. Input: one byte giving the number of data rows (1 + byte % 64), then the
// split file's text. Well-formed: train and test are each in increasing order and together
// hold every row 0..n_rows-1 exactly once.
#include <algorithm>

#include "check.hpp"
#include "tapegrad/data/split.hpp"
#include "tapegrad/error.hpp"

namespace tg::fuzz {

void check_split(std::string_view input) {
  if (input.empty()) return;
  const int64_t n_rows = 1 + static_cast<unsigned char>(input[0]) % 64;
  input.remove_prefix(1);
  data::Split split;
  try {
    split = data::parse_split(input, "fuzz.split.csv", n_rows);
  } catch (const tg::Error&) {
    return;
  }
  require(std::is_sorted(split.train.begin(), split.train.end()) &&
              std::is_sorted(split.test.begin(), split.test.end()),
          "parse_split: the parts must be in increasing order");
  std::vector<int64_t> all = split.train;
  all.insert(all.end(), split.test.begin(), split.test.end());
  std::sort(all.begin(), all.end());
  bool every_row_once = static_cast<int64_t>(all.size()) == n_rows;
  for (std::size_t k = 0; every_row_once && k < all.size(); ++k) every_row_once = all[k] == static_cast<int64_t>(k);
  require(every_row_once, "parse_split: the parts must hold every row 0..n_rows-1 exactly once");
}

}  // namespace tg::fuzz
