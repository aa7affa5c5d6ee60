// Saving an optimizer together with the tensors it trains, and resuming exactly.
//
//   tg::optim::save_checkpoint("run.ckpt", opt, model_parameters);
//   ...
//   tg::optim::load_checkpoint("run.ckpt", opt, model_parameters);  // then keep training
//
// The file is a NumPy .npz archive (see tapegrad/io/checkpoint.hpp and docs/checkpoints.md).
#pragma once

#include <string>
#include <vector>

#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

/// Writes the optimizer's full state (name, every group's options, per-parameter state and
/// step counts) and the values of `tensors` to `path`, atomically.
void save_checkpoint(const std::string& path, const Optimizer& optimizer, const std::vector<Tensor>& tensors);

/// Restores what save_checkpoint wrote into `optimizer` and `tensors`. A missing, truncated,
/// corrupted or mismatched file (another optimizer, other counts or shapes) raises an error
/// naming the file and the problem, and changes nothing.
void load_checkpoint(const std::string& path, Optimizer& optimizer, const std::vector<Tensor>& tensors);

}  // namespace tg::optim
