// LARC: layer-wise adaptive rate control around any optimizer, as NVIDIA apex's
// apex.parallel.LARC (apex/parallel/LARC.py): LARC(optimizer, trust_coefficient=0.02,
// clip=True, eps=1e-8). The wrapped SGD is the optimizer "larc_sgd" of the registry.
//
//   options: trust_coefficient η = 0.02, clip = true, eps ε = 1e-8 (for all groups)
//   each step, for each group (lr, weight_decay λ read from the wrapped optimizer's group,
//   λ = 0 if it has none), for each parameter θ with a gradient g:
//     if ‖θ‖ ≠ 0 and ‖g‖ ≠ 0:
//       a ← η·‖θ‖ / (‖g‖ + λ·‖θ‖ + ε)
//       if clip: a ← min(a / lr, 1)                   (the step is then min(lr, a)·(g + λθ))
//       g ← (g + λθ)·a                                (in place)
//     (else g is left alone, without the weight decay)
//   then the wrapped optimizer steps with its weight_decay set to 0, which is restored after.
//
//   tg::optim::LARC opt(std::make_unique<tg::optim::SGD>(params, tg::optim::SGDOptions{.lr = 0.1}),
//                       {.trust_coefficient = 0.02});
//
// The wrapped optimizer keeps the parameter groups, the state and the options; LARC shows
// them as its own (option names are the wrapped optimizer's, then LARC's), so schedules,
// set_option and checkpoints work as for any optimizer. Its name is "larc_" and the wrapped
// optimizer's name, which the wrapped optimizer takes too (in its messages and checkpoints).
#pragma once

#include <memory>

#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

struct LARCOptions {
  TG_OPTIONS(LARCOptions);
  TG_OPTION(double, trust_coefficient, check::positive) = 0.02;
  TG_OPTION(bool, clip, check::any) = true;
  TG_OPTION(double, eps, check::non_negative) = 1e-8;
};

class LARC : public Optimizer {
 public:
  /// Wraps `optimizer` (tg::ValueError if it is null or the options are invalid).
  explicit LARC(std::unique_ptr<Optimizer> optimizer, LARCOptions options = {});

  /// The wrapped optimizer (apex's `optim`).
  Optimizer& optimizer() { return *inner_; }
  const Optimizer& optimizer() const { return *inner_; }
  const LARCOptions& options() const { return options_; }

  using Optimizer::step;
  /// Calls closure(), scales the gradients, then steps the wrapped optimizer without a closure.
  Tensor step(const Closure& closure) override;

  /// The wrapped optimizer's checkpoint (under this optimizer's name) and LARC's options.
  void save_state(CheckpointWriter& out) const override;
  void load_state(const CheckpointReader& in) override;

 protected:
  std::size_t group_count() const override { return inner_->group_count(); }
  const std::vector<Tensor>& group_params(std::size_t group) const override { return inner_->group_params(group); }
  OptionList group_options(std::size_t group) const override;
  void apply_group_options(std::size_t group, const OptionList& values) override;
  double* number_option(std::size_t group, const std::string& name, bool first_of_list) override;
  const double* number_option(std::size_t group, const std::string& name, bool first_of_list) const override;
  void validate_group(std::size_t group) const override;

 private:
  std::unique_ptr<Optimizer> inner_;
  LARCOptions options_;
};

namespace detail {
/// Splits option values between LARC's own (trust_coefficient, clip, eps) and the others,
/// which belong to the wrapped optimizer.
void split_larc_options(const OptionList& values, OptionList& larc, OptionList& inner);
}  // namespace detail

}  // namespace tg::optim
