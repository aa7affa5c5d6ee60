// EarlyStopping: stop training when a validation metric has stopped improving, and go back to
// the weights of the best epoch — Keras' EarlyStopping callback (and PyTorch Lightning's), for
// a loop written by hand.
//
//   tg::train::EarlyStopping stopper(model.parameters(),
//                                    {.patience = 20, .min_delta = 0, .mode = "min", .restore_best_weights = true});
//   for (int epoch = 1; epoch <= 1000; ++epoch) {
//     ...                                   // one epoch of training
//     if (stopper.step(validation_loss)) break;   // 20 epochs in a row without a new best
//   }
//   stopper.best_epoch();   // the epoch whose weights the model now holds
//
// An epoch improves on the best when its metric is below best − min_delta ("min": a loss) or
// above best + min_delta ("max": an accuracy). step() returns true once `patience` epochs in a
// row have not improved (patience 0 stops at the first one, as 1 does, as in Keras), and from
// then on. With
// restore_best_weights, every improvement keeps a copy of the parameters' values, and the
// epoch that stops copies them back into the parameters (in place: an optimizer holding them
// keeps working). A loop that ends without stopping calls restore_best() itself.
//
// A NaN or infinite metric is never an improvement: a run whose loss diverges stops after
// `patience` epochs, and its best weights are still the last finite ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::train {

/// Keras' names and defaults (its mode "auto" is not offered: say "min" or "max").
struct EarlyStoppingOptions {
  int64_t patience = 0;               // epochs in a row without improvement before stopping
  double min_delta = 0.0;             // the smallest change that counts as an improvement (≥ 0)
  std::string mode = "min";           // "min": lower is better; "max": higher is better
  bool restore_best_weights = false;  // keep the best epoch's weights and restore them on stopping
};

class EarlyStopping {
 public:
  /// Watches a metric only. tg::ValueError for patience < 0, a negative or non-finite
  /// min_delta, a mode other than "min" or "max", and restore_best_weights (it needs the
  /// parameters: use the other constructor).
  explicit EarlyStopping(const EarlyStoppingOptions& options = {});
  /// Watches a metric and, with restore_best_weights, the values of `parameters` at the best
  /// epoch. The same tg::ValueError as above, and for an undefined tensor among the parameters
  /// or none at all when restore_best_weights is set.
  EarlyStopping(std::vector<Tensor> parameters, const EarlyStoppingOptions& options);

  /// Reports the metric of the next epoch (the first call is epoch 1). Returns true when
  /// training should stop; on the call that first returns true, restores the best weights
  /// (restore_best_weights).
  bool step(double metric);

  bool should_stop() const { return stopped_epoch_ > 0; }
  /// Whether the last step() set a new best.
  bool improved() const { return improved_; }
  /// Epochs reported so far.
  int64_t epoch() const { return epoch_; }
  /// The epoch with the best metric (0 before any finite metric).
  int64_t best_epoch() const { return best_epoch_; }
  /// The best metric so far: +inf ("min") or -inf ("max") before any finite metric.
  double best() const { return best_; }
  /// Epochs since the best one (since the start, before any).
  int64_t wait() const { return wait_; }
  /// The epoch at which step() first returned true (0 while training should go on).
  int64_t stopped_epoch() const { return stopped_epoch_; }
  const EarlyStoppingOptions& options() const { return options_; }

  /// Copies the best epoch's values back into the parameters (in place, not recorded).
  /// tg::ValueError without restore_best_weights, or before any epoch with a finite metric.
  void restore_best();

 private:
  EarlyStoppingOptions options_;
  std::vector<Tensor> parameters_;
  std::vector<Tensor> best_weights_;  // copies, made at the best epoch
  double best_;
  int64_t epoch_ = 0, best_epoch_ = 0, wait_ = 0, stopped_epoch_ = 0;
  bool improved_ = false;
};

}  // namespace tg::train
