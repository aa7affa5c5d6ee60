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

#include <cstdint>
#include <string>

#include "tapegrad/error.hpp"
#include "tapegrad/tensor.hpp"

namespace tg::train {

/// Throws tg::NumericalError "loss is nan at step 123 (epoch 4)" if `value` is NaN, Inf or
/// -Inf. `epoch` < 0 leaves the epoch out; `name` replaces "loss" (e.g. "gradient norm").
void check_finite(double value, int64_t step, int64_t epoch = -1, const std::string& name = "loss");

/// The same for a one-element tensor (a loss before backward()).
void check_finite(const Tensor& value, int64_t step, int64_t epoch = -1, const std::string& name = "loss");

}  // namespace tg::train
