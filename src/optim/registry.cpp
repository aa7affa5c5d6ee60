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

template <class Opt>
using OptionsOf = decltype(Opt::ParamGroup::options);

template <class Opt>
std::unique_ptr<Optimizer> build(const char* name, std::vector<Tensor> params, const OptionList& options) {
  OptionsOf<Opt> o;
  apply_options(name, options, o);
  return std::make_unique<Opt>(std::move(params), o);
}

template <class Options>
OptionList defaults_of() {
  return format_options(Options());
}

// An optimizer's entry, from its class: its name, summary and options.
template <class Opt>
Entry entry() {
  return {Opt::kName, Opt::kSummary, &build<Opt>, &defaults_of<OptionsOf<Opt>>};
}

// LARC around Opt, with the options of both: LARC's (trust_coefficient, clip, eps) go to the
// wrapper, the others to Opt.
template <class Opt, class Options>
std::unique_ptr<Optimizer> build_larc(const char* name, std::vector<Tensor> params, const OptionList& options) {
  OptionList larc_options, inner_options;
  detail::split_larc_options(options, larc_options, inner_options);
  Options o;
  apply_options(name, inner_options, o);
  validate_options(o, name);
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
      entry<SGD>(),
      entry<Adam>(),
      entry<AdamW>(),
      entry<Adagrad>(),
      entry<Adadelta>(),
      entry<AdadeltaNoLr>(),
      entry<RMSprop>(),
      entry<Adamax>(),
      entry<NAdam>(),
      entry<RAdam>(),
      entry<Rprop>(),
      entry<ASGD>(),
      // entries: torch forms
      // Paper / textbook forms: momentum family
      entry<MomentumEMA>(),
      entry<HeavyBall>(),
      entry<NesterovLookahead>(),
      entry<QHM>(),
      entry<AggMo>(),
      entry<DemonSGDM>(),
      // Paper / textbook forms: adaptive family
      entry<AdagradEpsInside>(),
      entry<RMSpropEpsInside>(),
      entry<AdamEfficient>(),
      entry<AMSGrad>(),
      entry<NAdamSimplified>(),
      entry<AdamaxTextbook>(),
      entry<AdamWAfter>(),
      entry<QHAdam>(),
      entry<AdaBelief>(),
      entry<Lion>(),
      entry<DemonAdam>(),
      // entries: momentum family and adaptive paper forms
      entry<Lamb>(),
      entry<Lars>(),
      larc_entry<SGD, SGDOptions>("larc_sgd", "NVIDIA apex's LARC around sgd: a layer-wise lr trust_coefficient*||w||/(||g|| + wd*||w|| + eps), at most lr with clip"),
      entry<Adafactor>(),
      entry<Shampoo>(),
      entry<LBFGS>(),
      entry<YellowFin>(),
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
  return {{KFAC::kName, KFAC::kSummary, format_options(KFACOptions())}};
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
