// Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_, PyTorch 1.13).
// Both change the gradients in place: call them between backward() and optimizer.step().
//
//   clip_grad_norm_(parameters, max_norm, p = 2, error_if_nonfinite = false):
//     grads ← the gradients of the parameters that have one
//     total ← ‖(‖g₁‖_p, ‖g₂‖_p, ...)‖_p          the p-norm of all gradients concatenated;
//                                                  p = inf: max |g| over all of them
//     if error_if_nonfinite and total is nan or ±inf: throw
//     coef ← min(max_norm / (total + 1e-6), 1)
//     every g ← g·coef                            (also when coef = 1)
//     return total                                the norm before clipping
//
//   clip_grad_value_(parameters, c):  every gradient element ← clamp(g, −c, c)
//
// Because of the 1e-6, a clipped gradient's norm is max_norm·total/(total + 1e-6), slightly
// below max_norm.
#pragma once

#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::optim {

/// Scales all gradients together so that their p-norm is at most max_norm; returns the norm
/// before clipping (0 if no parameter has a gradient). norm_type is > 0 or infinity.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

/// Clamps every gradient element to [−clip_value, clip_value].
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);

}  // namespace tg::optim
