// Named numbers, in order: what a training loop reports at each step or epoch,
// e.g. {{"accuracy", 0.93}, {"w", w.item()}}.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tg::train {

using Values = std::vector<std::pair<std::string, double>>;

}  // namespace tg::train
