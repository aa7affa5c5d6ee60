// Progress: one compact line per epoch while a model trains,
//
//   epoch  10/100  loss 0.385125  accuracy 0.883333  0.04 s
//
// (the epoch, the loss, any metrics, the seconds since the Progress was made), printed for the
// first epoch, every `every`-th and the last. verbose = false silences it; the caller's loop
// does not change.
//
//   tg::train::Progress progress({.epochs = 100, .every = 10});
//   for (int epoch = 1; epoch <= 100; ++epoch) {
//     ...
//     progress.log(epoch, loss, {{"accuracy", acc}});
//   }
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "tapegrad/train/values.hpp"

namespace tg::train {

struct ProgressOptions {
  int64_t epochs = 0;        // the total, shown as "epoch 10/100" (0: unknown, "epoch 10")
  bool verbose = true;       // false: print nothing
  int64_t every = 1;         // print every `every`-th epoch (and the first and the last)
  bool show_time = true;     // append the elapsed seconds
  std::ostream* out = nullptr;  // where to print; nullptr is std::cout
};

class Progress {
 public:
  /// tg::ValueError for every < 1 or epochs < 0. The clock starts here.
  explicit Progress(const ProgressOptions& options = {});

  /// Reports an epoch; prints its line if verbose and the epoch is one to show.
  void log(int64_t epoch, double loss, const Values& metrics = {});
  /// The line for an epoch (without the newline); numbers with 6 significant digits.
  std::string line(int64_t epoch, double loss, const Values& metrics, double seconds) const;
  /// Seconds since the Progress was made.
  double elapsed() const;
  const ProgressOptions& options() const { return options_; }

 private:
  ProgressOptions options_;
  int64_t start_ns_;  // std::chrono::steady_clock's time when made, in nanoseconds
};

}  // namespace tg::train
