#include "tapegrad/optim/adam.hpp"

#include <cmath>

#include "kernels/kernels.hpp"
#include "rule.hpp"

namespace tg::optim {

namespace {

// One Adam step; `decay_param` selects AdamW's decoupled decay. The update of each element is
// adam_rule.hpp's, run over the whole parameter by the vector kernel for this CPU (or by
// adam_reference, the plain loop, where there is none).
template <class Options>
void adam_update(Tensor& param, const Tensor& grad, AdamState& s, const Options& o, bool decay_param) {
  detail::init_zeros(s.exp_avg, param);
  detail::init_zeros(s.exp_avg_sq, param);
  if (o.amsgrad) detail::init_zeros(s.max_exp_avg_sq, param);
  s.step += 1;
  const auto [beta1, beta2] = o.betas.get();
  const double bias_correction1 = detail::bias_correction(beta1, static_cast<double>(s.step));
  const double bias_correction2 = detail::bias_correction(beta2, static_cast<double>(s.step));
  tg::detail::kernels::active().adam({
      .param = detail::write(param),
      .grad = detail::read(grad),
      .exp_avg = detail::write(s.exp_avg),
      .exp_avg_sq = detail::write(s.exp_avg_sq),
      .max_exp_avg_sq = o.amsgrad ? detail::write(s.max_exp_avg_sq) : nullptr,
      .n = param.numel(),
      .beta1 = beta1,
      .beta2 = beta2,
      .lr = o.lr,
      .weight_decay = o.weight_decay,
      .eps = o.eps,
      .step_size = o.lr / bias_correction1,
      .bias_correction2_sqrt = std::sqrt(bias_correction2),
      .maximize = o.maximize,
      .decoupled_weight_decay = decay_param,
  });
}

}  // namespace

void Adam::update(Tensor& param, const Tensor& grad, AdamState& s, const AdamOptions& o) {
  adam_update(param, grad, s, o, false);
}

void AdamW::update(Tensor& param, const Tensor& grad, AdamState& s, const AdamWOptions& o) {
  adam_update(param, grad, s, o, true);
}

template class BasicOptimizer<AdamOptions, AdamState, Adam>;
template class BasicOptimizer<AdamWOptions, AdamState, AdamW>;

}  // namespace tg::optim
