#include "tapegrad/train/early_stopping.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

#include "tapegrad/error.hpp"
#include "tapegrad/tape.hpp"

namespace tg::train {

namespace {

void check(const EarlyStoppingOptions& o) {
  if (o.patience < 0) throw ValueError("EarlyStopping: patience must be >= 0, got " + std::to_string(o.patience));
  if (!(std::isfinite(o.min_delta) && o.min_delta >= 0.0)) {
    std::ostringstream message;
    message << "EarlyStopping: min_delta must be a finite number >= 0, got " << o.min_delta;
    throw ValueError(message.str());
  }
  if (o.mode != "min" && o.mode != "max") {
    throw ValueError("EarlyStopping: mode must be \"min\" or \"max\", got \"" + o.mode + "\"");
  }
}

}  // namespace

EarlyStopping::EarlyStopping(const EarlyStoppingOptions& options) : EarlyStopping({}, options) {}

EarlyStopping::EarlyStopping(std::vector<Tensor> parameters, const EarlyStoppingOptions& options)
    : options_(options), parameters_(std::move(parameters)) {
  check(options_);
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    if (!parameters_[k].defined()) {
      throw ValueError("EarlyStopping: parameter " + std::to_string(k) + " is an undefined tensor");
    }
  }
  if (options_.restore_best_weights && parameters_.empty()) {
    throw ValueError(
        "EarlyStopping: restore_best_weights needs the parameters to keep: "
        "EarlyStopping(model.parameters(), options)");
  }
  best_ = options_.mode == "min" ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

bool EarlyStopping::step(double metric) {
  ++epoch_;
  improved_ = std::isfinite(metric) &&
              (options_.mode == "min" ? metric < best_ - options_.min_delta : metric > best_ + options_.min_delta);
  if (improved_) {
    best_ = metric;
    best_epoch_ = epoch_;
    wait_ = 0;
    if (options_.restore_best_weights) {
      NoGradGuard no_grad;
      if (best_weights_.empty()) {
        for (const Tensor& p : parameters_) best_weights_.push_back(p.detach());
      } else {
        for (std::size_t k = 0; k < parameters_.size(); ++k) best_weights_[k].copy_(parameters_[k]);
      }
    }
    return should_stop();
  }
  ++wait_;
  if (stopped_epoch_ == 0 && wait_ >= options_.patience) {
    stopped_epoch_ = epoch_;
    if (options_.restore_best_weights && best_epoch_ > 0) restore_best();
  }
  return should_stop();
}

void EarlyStopping::restore_best() {
  if (!options_.restore_best_weights) {
    throw ValueError("EarlyStopping: restore_best() needs restore_best_weights = true (no weights were kept)");
  }
  if (best_epoch_ == 0) {
    throw ValueError("EarlyStopping: restore_best(): no epoch has reported a finite metric yet (" +
                     std::to_string(epoch_) + " reported)");
  }
  NoGradGuard no_grad;
  for (std::size_t k = 0; k < parameters_.size(); ++k) parameters_[k].copy_(best_weights_[k]);
}

}  // namespace tg::train
