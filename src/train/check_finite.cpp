#include "tapegrad/train/check_finite.hpp"

#include <cmath>
#include <sstream>

namespace tg::train {

void check_finite(double value, int64_t step, int64_t epoch, const std::string& name) {
  if (std::isfinite(value)) return;
  std::ostringstream message;
  message << name << " is " << (std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf") << " at step " << step;
  if (epoch >= 0) message << " (epoch " << epoch << ")";
  throw NumericalError(message.str());
}

void check_finite(const Tensor& value, int64_t step, int64_t epoch, const std::string& name) {
  check_finite(value.item(), step, epoch, name);
}

}  // namespace tg::train
