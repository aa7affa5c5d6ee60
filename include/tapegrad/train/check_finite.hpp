// check_finite: stop a training loop cleanly when its loss becomes NaN or Inf, saying when.
//
//   for (int64_t step = 1; step <= steps; ++step) {
//     opt.zero_grad();
//     const tg::Tensor loss = criterion(model(x), y);
//     tg::train::check_finite(loss, step, epoch);  // "loss is nan at step 123 (epoch 4)"
//     loss.backward();
//     opt.step();
//   }
//
// Checking before backward() keeps the last good parameters: the bad loss never reaches an
// update. To find the operation that made the NaN, run again with tg::set_detect_anomaly(true);
// backward() then names it (see docs/reliability.md).
#pragma once

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

#include "tapegrad/error.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::train {

/// Throws tg::NumericalError "loss is nan at step 123 (epoch 4)" if `value` is NaN, Inf or
/// -Inf. `epoch` < 0 leaves the epoch out; `name` replaces "loss" (e.g. "gradient norm").
inline void check_finite(double value, int64_t step, int64_t epoch = -1, const std::string& name = "loss") {
  if (std::isfinite(value)) return;
  std::ostringstream message;
  message << name << " is " << (std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf") << " at step " << step;
  if (epoch >= 0) message << " (epoch " << epoch << ")";
  throw NumericalError(message.str());
}

/// The same for a one-element tensor (a loss before backward()).
inline void check_finite(const Tensor& value, int64_t step, int64_t epoch = -1, const std::string& name = "loss") {
  check_finite(value.item(), step, epoch, name);
}

}  // namespace tg::train
