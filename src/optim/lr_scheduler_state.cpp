// The schedules' state_dict / load_state_dict: the counters each schedule keeps, checked in
// full before anything is assigned.
#include <cmath>

#include "tapegrad/error.hpp"
#include "tapegrad/io/state_dict.hpp"
#include "tapegrad/optim/lr_scheduler.hpp"

namespace tg::optim {

namespace {

Tensor as_tensor(const std::vector<double>& values) {
  return Tensor(values, Shape{static_cast<int64_t>(values.size())});
}

// A tensor of one value per parameter group, each finite and >= 0 (lrs, momenta).
std::vector<double> per_group_values(const StateDict& state, const char* key, std::size_t groups) {
  const Tensor& t = state.at(key).to_tensor();
  if (t.shape() != Shape{static_cast<int64_t>(groups)}) {
    throw ValueError(std::string("'") + key + "' has shape " + t.shape().str() + " in the state, but the optimizer has " +
                     std::to_string(groups) + " parameter groups");
  }
  std::vector<double> values = t.to_vector();
  for (double v : values)
    if (!std::isfinite(v) || v < 0.0) throw ValueError(std::string("'") + key + "' holds " + std::to_string(v));
  return values;
}

void save_momenta(StateDict& state, const Optimizer& optimizer, bool cycle_momentum) {
  if (!cycle_momentum) return;
  std::vector<double> momenta;
  for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g) momenta.push_back(optimizer.momentum(g));
  state["momentum"] = as_tensor(momenta);
}

void load_momenta(const StateDict& state, Optimizer& optimizer, bool cycle_momentum) {
  if (!cycle_momentum) return;
  const std::vector<double> momenta = per_group_values(state, "momentum", optimizer.num_param_groups());
  for (std::size_t g = 0; g < momenta.size(); ++g) optimizer.set_momentum(momenta[g], g);
}

// Turns a missing key or a value of the wrong kind into an error that names the schedule.
template <class F>
void checked(const char* where, F&& f) {
  try {
    f();
  } catch (const KeyError& e) {
    throw ValueError(std::string(where) + ".load_state_dict: the state is not this schedule's state_dict(): " + e.what());
  } catch (const ValueError& e) {
    throw ValueError(std::string(where) + ".load_state_dict: " + e.what());
  }
}

}  // namespace

StateDict LRScheduler::state_dict() const {
  StateDict state;
  state["scheduler"] = std::string(name_);
  state["last_epoch"] = last_epoch_;
  state["base_lrs"] = as_tensor(base_lrs_);
  state["last_lr"] = as_tensor(last_lr_);
  save_extra(state);
  return state;
}

void LRScheduler::check_state(const StateDict& state) const {
  const std::string& saved = state.at("scheduler").to_string();
  if (saved != name_) throw ValueError("the state is of a " + saved + ", not a " + name_);
  const int64_t epoch = state.at("last_epoch").to_int();
  if (epoch < -1) throw ValueError("last_epoch = " + std::to_string(epoch) + " is below -1");  // -1: not started (a SequentialLR's later schedules)
  per_group_values(state, "base_lrs", base_lrs_.size());
  per_group_values(state, "last_lr", base_lrs_.size());
  check_extra(state);
}

void LRScheduler::apply_state(const StateDict& state) {
  last_epoch_ = state.at("last_epoch").to_int();
  base_lrs_ = state.at("base_lrs").to_tensor().to_vector();
  set_lrs(state.at("last_lr").to_tensor().to_vector());
  load_extra(state);
}

void LRScheduler::load_state_dict(const StateDict& state) {
  checked(name_, [&] { check_state(state); });
  apply_state(state);
}

void LRScheduler::save_extra(StateDict&) const {}
void LRScheduler::check_extra(const StateDict&) const {}
void LRScheduler::load_extra(const StateDict&) {}

void CosineAnnealingWarmRestarts::save_extra(StateDict& state) const {
  state["T_cur"] = T_cur_;
  state["T_i"] = T_i_;
}
void CosineAnnealingWarmRestarts::check_extra(const StateDict& state) const {
  const double T_cur = state.at("T_cur").to_double();
  const int64_t T_i = state.at("T_i").to_int();
  if (!std::isfinite(T_cur) || T_cur < 0.0 || T_i <= 0) {
    throw ValueError("T_cur = " + std::to_string(T_cur) + ", T_i = " +
                     std::to_string(T_i) + " (expected T_cur >= 0 and T_i > 0)");
  }
}
void CosineAnnealingWarmRestarts::load_extra(const StateDict& state) {
  T_cur_ = state.at("T_cur").to_double();
  T_i_ = state.at("T_i").to_int();
}

void CyclicLR::save_extra(StateDict& state) const { save_momenta(state, optimizer(), o_.cycle_momentum); }
void CyclicLR::check_extra(const StateDict& state) const {
  if (o_.cycle_momentum) per_group_values(state, "momentum", base_lrs_.size());
}
void CyclicLR::load_extra(const StateDict& state) { load_momenta(state, optimizer(), o_.cycle_momentum); }

void OneCycleLR::save_extra(StateDict& state) const { save_momenta(state, optimizer(), o_.cycle_momentum); }
void OneCycleLR::check_extra(const StateDict& state) const {
  if (o_.cycle_momentum) per_group_values(state, "momentum", base_lrs_.size());
}
void OneCycleLR::load_extra(const StateDict& state) { load_momenta(state, optimizer(), o_.cycle_momentum); }

void SequentialLR::save_extra(StateDict& state) const {
  StateDict children;
  for (std::size_t k = 0; k < schedulers_.size(); ++k) children[std::to_string(k)] = schedulers_[k]->state_dict();
  state["schedulers"] = std::move(children);
}
void SequentialLR::check_extra(const StateDict& state) const {
  const StateDict& children = state.at("schedulers");
  if (children.size() != schedulers_.size()) {
    throw ValueError("the state holds " + std::to_string(children.size()) +
                     " schedulers, this SequentialLR " + std::to_string(schedulers_.size()));
  }
  for (std::size_t k = 0; k < schedulers_.size(); ++k) schedulers_[k]->check_state(children.at(std::to_string(k)));
}
void SequentialLR::load_extra(const StateDict& state) {
  const StateDict& children = state.at("schedulers");
  for (std::size_t k = 0; k < schedulers_.size(); ++k) schedulers_[k]->apply_state(children.at(std::to_string(k)));
  set_lrs(state.at("last_lr").to_tensor().to_vector());  // the active schedule's lr, which the children's overwrote
}

StateDict ReduceLROnPlateau::state_dict() const {
  StateDict state;
  state["scheduler"] = "ReduceLROnPlateau";
  state["last_epoch"] = last_epoch_;
  state["best"] = best_;
  state["num_bad_epochs"] = num_bad_epochs_;
  state["cooldown_counter"] = cooldown_counter_;
  return state;
}

void ReduceLROnPlateau::load_state_dict(const StateDict& state) {
  const char* where = "ReduceLROnPlateau";
  int64_t epoch = 0, bad = 0, cooldown = 0;
  double best = 0.0;
  checked(where, [&] {
    if (state.at("scheduler").to_string() != where) {
      throw ValueError("the state is of a " + state.at("scheduler").to_string() + ", not a ReduceLROnPlateau");
    }
    epoch = state.at("last_epoch").to_int();
    best = state.at("best").to_double();
    bad = state.at("num_bad_epochs").to_int();
    cooldown = state.at("cooldown_counter").to_int();
    if (epoch < 0 || bad < 0 || cooldown < 0 || std::isnan(best)) {
      throw ValueError("last_epoch, num_bad_epochs and cooldown_counter must be >= 0 and best a number");
    }
  });
  last_epoch_ = epoch;
  best_ = best;
  num_bad_epochs_ = bad;
  cooldown_counter_ = cooldown;
}

}  // namespace tg::optim
