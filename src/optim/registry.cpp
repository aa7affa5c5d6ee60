// The table of optimizers by canonical name.
#include "tapegrad/optim/registry.hpp"

#include <algorithm>

#include "tapegrad/error.hpp"
#include "tapegrad/optim/adam.hpp"
#include "tapegrad/optim/sgd.hpp"
#include "tapegrad/optim/adadelta.hpp"
#include "tapegrad/optim/adagrad.hpp"
#include "tapegrad/optim/adamax.hpp"
#include "tapegrad/optim/asgd.hpp"
#include "tapegrad/optim/nadam.hpp"
#include "tapegrad/optim/radam.hpp"
#include "tapegrad/optim/rmsprop.hpp"
#include "tapegrad/optim/rprop.hpp"
// includes: torch forms
#include "tapegrad/optim/adabelief.hpp"
#include "tapegrad/optim/adagrad_eps_inside.hpp"
#include "tapegrad/optim/adam_efficient.hpp"
#include "tapegrad/optim/adamax_textbook.hpp"
#include "tapegrad/optim/adamw_after.hpp"
#include "tapegrad/optim/amsgrad.hpp"
#include "tapegrad/optim/demon_adam.hpp"
#include "tapegrad/optim/lion.hpp"
#include "tapegrad/optim/momentum.hpp"
#include "tapegrad/optim/nadam_simplified.hpp"
#include "tapegrad/optim/nesterov_lookahead.hpp"
#include "tapegrad/optim/qhadam.hpp"
#include "tapegrad/optim/rmsprop_eps_inside.hpp"
// includes: momentum family and adaptive paper forms
#include "tapegrad/optim/adafactor.hpp"
#include "tapegrad/optim/lamb.hpp"
#include "tapegrad/optim/larc.hpp"
#include "tapegrad/optim/lars.hpp"
#include "tapegrad/optim/lbfgs.hpp"
#include "tapegrad/optim/shampoo.hpp"
#include "tapegrad/optim/kfac.hpp"
#include "tapegrad/optim/yellowfin.hpp"
// includes: layer-wise, factored and second-order

namespace tg::optim {

namespace {

using Factory = std::unique_ptr<Optimizer> (*)(const char* name, std::vector<Tensor> params,
                                               const OptionList& options);

struct Entry {
  const char* name;
  const char* summary;
  Factory make;
  OptionList (*defaults)();
};

template <class Opt, class Options>
std::unique_ptr<Optimizer> build(const char* name, std::vector<Tensor> params, const OptionList& options) {
  Options o;
  apply_options(name, options, o);
  return std::make_unique<Opt>(std::move(params), o);
}

template <class Options>
OptionList defaults_of() {
  return format_options(Options());
}

template <class Opt, class Options>
Entry entry(const char* name, const char* summary) {
  return {name, summary, &build<Opt, Options>, &defaults_of<Options>};
}

// LARC around Opt, with the options of both: LARC's (trust_coefficient, clip, eps) go to the
// wrapper, the others to Opt.
template <class Opt, class Options>
std::unique_ptr<Optimizer> build_larc(const char* name, std::vector<Tensor> params, const OptionList& options) {
  const OptionList larc_defaults = format_options(LARCOptions());
  OptionList inner_options, larc_options;
  for (const auto& option : options) {
    const bool of_larc = std::any_of(larc_defaults.begin(), larc_defaults.end(),
                                     [&](const auto& d) { return d.first == option.first; });
    (of_larc ? larc_options : inner_options).push_back(option);
  }
  Options o;
  apply_options(name, inner_options, o);
  o.validate(name);
  LARCOptions l;
  apply_options(name, larc_options, l);
  return std::make_unique<LARC>(std::make_unique<Opt>(std::move(params), o), l);
}

template <class Options>
OptionList larc_defaults_of() {
  OptionList out = format_options(Options());
  for (auto& option : format_options(LARCOptions())) out.push_back(std::move(option));
  return out;
}

template <class Opt, class Options>
Entry larc_entry(const char* name, const char* summary) {
  return {name, summary, &build_larc<Opt, Options>, &larc_defaults_of<Options>};
}

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries = {
      // PyTorch 1.13 forms
      entry<SGD, SGDOptions>("sgd", "gradient descent with PyTorch's momentum, dampening and Nesterov"),
      entry<Adam, AdamOptions>("adam", "Adam (Kingma & Ba), optionally AMSGrad, coupled L2"),
      entry<AdamW, AdamWOptions>("adamw", "Adam with decoupled weight decay, decay before the step"),
      entry<Adagrad, AdagradOptions>("adagrad", "Adagrad: per-coordinate steps from the sum of squared gradients"),
      entry<Adadelta, AdadeltaOptions>("adadelta", "Adadelta with PyTorch's lr multiplier, eps inside both roots"),
      entry<AdadeltaNoLr, AdadeltaNoLrOptions>("adadelta_nolr", "Zeiler's Adadelta, no learning rate (adadelta with lr = 1)"),
      entry<RMSprop, RMSpropOptions>("rmsprop", "RMSprop, optionally centered and with momentum, eps outside the root"),
      entry<Adamax, AdamaxOptions>("adamax", "Adam with the infinity norm of past gradients, eps inside the max"),
      entry<NAdam, NAdamOptions>("nadam", "Adam with Nesterov momentum and Dozat's momentum schedule"),
      entry<RAdam, RAdamOptions>("radam", "Adam with the variance rectification; momentum steps while rho_t <= 5"),
      entry<Rprop, RpropOptions>("rprop", "resilient backpropagation: sign-based per-coordinate step sizes"),
      entry<ASGD, ASGDOptions>("asgd", "SGD with a decaying step and a Polyak average of the iterates"),
      // entries: torch forms
      // Paper / textbook forms: momentum family
      entry<MomentumEMA, MomentumEMAOptions>("momentum_ema", "momentum as an EMA of gradients: v = beta*v + (1-beta)*g, theta -= lr*v"),
      entry<HeavyBall, HeavyBallOptions>("heavy_ball", "Polyak's heavy ball: v = beta*v + lr*g, theta -= v"),
      entry<NesterovLookahead, NesterovLookaheadOptions>("nesterov_lookahead", "Nesterov momentum with the gradient at the look-ahead point (needs a closure)"),
      entry<QHM, QHMOptions>("qhm", "quasi-hyperbolic momentum: a nu-mix of the gradient and its EMA"),
      entry<AggMo, AggMoOptions>("aggmo", "aggregated momentum: the average of several heavy-ball velocities"),
      entry<DemonSGDM, DemonSGDMOptions>("demon_sgdm", "SGD with momentum decaying from beta_init to 0 over T steps (Demon)"),
      // Paper / textbook forms: adaptive family
      entry<AdagradEpsInside, AdagradEpsInsideOptions>("adagrad_eps_inside", "Adagrad with eps inside the square root"),
      entry<RMSpropEpsInside, RMSpropEpsInsideOptions>("rmsprop_eps_inside", "RMSprop with eps inside the square root (Hinton's lecture)"),
      entry<AdamEfficient, AdamEfficientOptions>("adam_efficient", "Adam in Kingma & Ba's efficient order: eps on the uncorrected sqrt(v)"),
      entry<AMSGrad, AMSGradOptions>("amsgrad_nobc2", "AMSGrad with m bias-corrected and the running max of v not"),
      entry<NAdamSimplified, NAdamSimplifiedOptions>("nadam_simplified", "Nadam with a constant beta1 (Ruder's form)"),
      entry<AdamaxTextbook, AdamaxTextbookOptions>("adamax_textbook", "AdaMax as in Kingma & Ba, eps added to u in the denominator"),
      entry<AdamWAfter, AdamWAfterOptions>("adamw_after", "AdamW with the decoupled decay after the Adam step"),
      entry<QHAdam, QHAdamOptions>("qhadam", "quasi-hyperbolic Adam: nu-mixes of the gradient and Adam's moments"),
      entry<AdaBelief, AdaBeliefOptions>("adabelief", "Adam with the EMA of (g - m)^2 as the second moment"),
      entry<Lion, LionOptions>("lion", "sign of an interpolated momentum, decoupled decay (evolved sign momentum)"),
      entry<DemonAdam, DemonAdamOptions>("demon_adam", "Adam with beta1 decaying from beta_init to 0 over T steps (Demon)"),
      // entries: momentum family and adaptive paper forms
      entry<Lamb, LambOptions>("lamb", "Adam's direction scaled by the layer-wise trust ratio ||theta||/||r||"),
      entry<Lars, LarsOptions>("lars", "momentum SGD with a layer-wise learning rate trust_coef*||w||/(||g|| + wd*||w||)"),
      larc_entry<SGD, SGDOptions>("larc_sgd", "NVIDIA apex's LARC around sgd: a layer-wise lr trust_coefficient*||w||/(||g|| + wd*||w|| + eps), at most lr with clip"),
      entry<Adafactor, AdafactorOptions>("adafactor", "factored second moments (row and column sums), relative step, update clipping"),
      entry<Shampoo, ShampooOptions>("shampoo", "one full preconditioner per dimension, inverse 2k-th roots (L^-1/4 G R^-1/4)"),
      entry<LBFGS, LBFGSOptions>("lbfgs", "limited-memory BFGS with optional strong Wolfe line search (closure, PyTorch 1.13)"),
      entry<YellowFin, YellowFinOptions>("yellowfin", "momentum SGD with lr and momentum tuned each step from curvature, variance, distance"),
      // entries: layer-wise, factored and second-order
  };
  return entries;
}

}  // namespace

std::vector<OptimizerInfo> optimizers() {
  std::vector<OptimizerInfo> out;
  for (const Entry& e : table()) out.push_back({e.name, e.summary, e.defaults()});
  return out;
}

std::vector<OptimizerInfo> model_optimizers() {
  return {{"kfac", "K-FAC: Kronecker-factored natural gradient for every Linear of a model, KL clip (needs a model)",
           format_options(KFACOptions())}};
}

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, std::vector<Tensor> params,
                                          const OptionList& options) {
  for (const OptimizerInfo& info : model_optimizers()) {
    if (name == info.name) {
      throw ValueError("optimizer '" + name + "' needs a model: it preconditions the model's Linear layers, so it is "
                       "built as tg::optim::KFAC(model, options) and cannot run on a parameter list or a test function");
    }
  }
  for (const Entry& e : table()) {
    if (name == e.name) return e.make(e.name, std::move(params), options);
  }
  std::string known;
  for (const Entry& e : table()) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw ValueError("unknown optimizer '" + name + "' (known: " + known + ")");
}

}  // namespace tg::optim
