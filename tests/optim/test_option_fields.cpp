// Options as one list of fields (TG_OPTION): written as designated initializers, as
// XOptions(lr) and with chained setters; read as plain values; walked by name for text,
// validation and the registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <typeinfo>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

using namespace tg::optim;

// Every optimizer class; the registry's table is built from the same classes (the test
// EveryRegisteredOptimizerIsListedHere keeps the two lists together).
using AllOptimizers =
    std::tuple<SGD, Adam, AdamW, Adagrad, Adadelta, AdadeltaNoLr, RMSprop, Adamax, NAdam, RAdam, Rprop, ASGD,
               MomentumEMA, HeavyBall, NesterovLookahead, QHM, AggMo, DemonSGDM, AdagradEpsInside, RMSpropEpsInside,
               AdamEfficient, AMSGrad, NAdamSimplified, AdamaxTextbook, AdamWAfter, QHAdam, AdaBelief, Lion, DemonAdam,
               Lamb, Lars, Adafactor, Shampoo, LBFGS, YellowFin, KFAC>;

template <class Opt>
using OptionsOf = decltype(Opt::ParamGroup::options);

// f(std::type_identity<Opt>{}) for every optimizer class Opt.
template <class F>
void for_each_optimizer(F&& f) {
  [&]<class... Opt>(std::tuple<Opt...>*) { (f(std::type_identity<Opt>{}), ...); }(static_cast<AllOptimizers*>(nullptr));
}

TEST(OptionFields, EveryRegisteredOptimizerIsListedHere) {
  std::vector<std::string> listed;
  [&]<class... Opt>(std::tuple<Opt...>*) { (listed.emplace_back(Opt::kName), ...); }(static_cast<AllOptimizers*>(nullptr));
  std::vector<std::string> registered;
  for (const OptimizerInfo& info : optimizers())
    if (info.name != "larc_sgd") registered.push_back(info.name);  // LARC around sgd: not a class of its own
  for (const OptimizerInfo& info : model_optimizers()) registered.push_back(info.name);
  EXPECT_EQ(listed, registered);
}

TEST(OptionFields, TheRegistryTakesNameSummaryAndDefaultsFromTheClass) {
  const std::vector<OptimizerInfo> infos = optimizers();
  for_each_optimizer([&]<class Opt>(std::type_identity<Opt>) {
    if (std::string(Opt::kName) == "kfac") return;
    const auto info = std::find_if(infos.begin(), infos.end(), [](const OptimizerInfo& i) { return i.name == Opt::kName; });
    ASSERT_NE(info, infos.end()) << Opt::kName;
    EXPECT_EQ(info->summary, Opt::kSummary);
    EXPECT_EQ(info->defaults, format_options(OptionsOf<Opt>()));
  });
  EXPECT_EQ(model_optimizers().at(0).summary, KFAC::kSummary);
}

TEST(OptionFields, AnUnknownNameListsTheRegistry) {
  std::string known;
  for (const OptimizerInfo& info : optimizers()) known += (known.empty() ? "" : ", ") + info.name;
  tg::Tensor x = tg::tensor({1.0}, true);
  EXPECT_EQ(message_of<tg::ValueError>([&] { make_optimizer("adamm", {x}); }),
            "unknown optimizer 'adamm' (known: " + known + ")");
}

TEST(OptionFields, EverySetterReturnsItsOwnOptionsStruct) {
  for_each_optimizer([&]<class Opt>(std::type_identity<Opt>) {
    OptionsOf<Opt> options;
    std::size_t fields = 0;
    for_each_option(options, [&](auto& field) {
      auto& returned = field(field.get());
      EXPECT_EQ(static_cast<void*>(&returned), static_cast<void*>(&options)) << Opt::kName << "." << field.name;
      ++fields;
    });
    EXPECT_EQ(fields, option_names(options).size());
    EXPECT_GE(fields, 1u) << Opt::kName;
  });
  LARCOptions larc;
  EXPECT_EQ(&larc.eps(1e-6).clip(false), &larc);
  EXPECT_FALSE(larc.clip);
  EXPECT_EQ(larc.eps, 1e-6);
}

TEST(OptionFields, ParenthesesSetTheFirstOptionAsLibtorchsConstructorDoes) {
  // XOptions(lr) for every optimizer whose first option is lr; the others keep their defaults.
  std::vector<std::string> without_lr_first;
  for_each_optimizer([&]<class Opt>(std::type_identity<Opt>) {
    using Options = OptionsOf<Opt>;
    if (option_names(Options()).front() != "lr") {
      without_lr_first.emplace_back(Opt::kName);
      return;
    }
    const Options given(0.25);
    OptionList expected = format_options(Options());
    expected.front().second = "0.25";
    EXPECT_EQ(format_options(given), expected) << Opt::kName;
  });
  EXPECT_EQ(without_lr_first, (std::vector<std::string>{"adadelta_nolr"}));  // Zeiler's Adadelta has no lr
}

TEST(OptionFields, ChainedSettersGiveWhatDesignatedInitializersGive) {
  const SGDOptions chained = SGDOptions(0.1).momentum(0.9).nesterov(true);
  const SGDOptions designated{.lr = 0.1, .momentum = 0.9, .nesterov = true};
  EXPECT_EQ(format_options(chained), format_options(designated));
  EXPECT_EQ(chained.lr, 0.1);
  EXPECT_EQ(chained.momentum, 0.9);
  EXPECT_TRUE(chained.nesterov);
  EXPECT_EQ(chained.dampening, 0.0);

  // In any order, and straight into the optimizer: the same trajectory, to the bit.
  auto run = [](SGDOptions options) {
    tg::Tensor x = tg::tensor({1.5, -2.0}, /*requires_grad=*/true);
    SGD opt({x}, options);
    for (int step = 0; step < 5; ++step) {
      opt.zero_grad();
      (x * x * x).sum().backward();
      opt.step();
    }
    return x.to_vector();
  };
  EXPECT_EQ(run(SGDOptions(0.01).nesterov(true).momentum(0.9)), run({.lr = 0.01, .momentum = 0.9, .nesterov = true}));

  const AdamOptions adam = AdamOptions(3e-4).weight_decay(0.1).betas({0.8, 0.99});
  EXPECT_EQ(adam.betas[0], 0.8);
  EXPECT_EQ(adam.betas.get(), (Betas{0.8, 0.99}));
  const auto [beta1, beta2] = adam.betas.get();
  EXPECT_EQ(beta1 + beta2, 0.8 + 0.99);
  EXPECT_EQ(adam.lr * 2.0, 6e-4);
}

TEST(OptionFields, ChainedValuesAreCheckedWhenTheOptimizerIsBuilt) {
  tg::Tensor x = tg::tensor({1.0}, true);
  EXPECT_EQ(message_of<tg::ValueError>([&] { SGD({x}, SGDOptions(0.1).momentum(-0.5)); }),
            "sgd: invalid momentum = -0.5 (expected a finite value >= 0)");
  EXPECT_EQ(message_of<tg::ValueError>([&] { Adam({x}, AdamOptions().betas({0.9, 1.0})); }),
            "adam: invalid betas[1] = 1 (expected 0 <= value < 1)");
  EXPECT_EQ(message_of<tg::ValueError>([&] { SGD({x}, SGDOptions().momentum(0.9)); }),
            "sgd: option lr is required (it has no default)");
  EXPECT_EQ(message_of<tg::ValueError>([&] { SGD({x}, SGDOptions(0.1).nesterov(true)); }),
            "sgd: nesterov = true needs momentum > 0 and dampening = 0 (got momentum = 0, dampening = 0)");
}

// Each field's own check, and the rules between options, with the whole message.
TEST(OptionFields, EveryKindOfCheckNamesTheOptimizerTheOptionAndTheValue) {
  struct Case {
    std::string optimizer;
    OptionList options;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"adam", {{"lr", "-1"}}, "adam: invalid lr = -1 (expected a finite value >= 0)"},
      {"adam", {{"betas", "0.9,1"}}, "adam: invalid betas[1] = 1 (expected 0 <= value < 1)"},
      {"adam", {{"eps", "0"}}, "adam: invalid eps = 0 (expected a finite value > 0)"},
      {"adamw", {{"weight_decay", "inf"}}, "adamw: invalid weight_decay = inf (expected a finite value >= 0)"},
      {"qhadam", {{"lr", "0.1"}, {"nus", "1.5,1"}}, "qhadam: invalid nus[0] = 1.5 (expected 0 <= value <= 1)"},
      {"adafactor", {{"decay_rate", "0.5"}}, "adafactor: invalid decay_rate = 0.5 (expected -1 <= value <= 0)"},
      {"rprop", {{"etas", "1.5,1.2"}}, "rprop: invalid etas = (1.5,1.2) (expected 0 < etas[0] < 1 < etas[1], finite)"},
      {"rprop", {{"step_sizes", "2,1"}}, "rprop: invalid step_sizes = (2,1) (expected 0 <= step_sizes[0] <= step_sizes[1])"},
      {"aggmo", {{"lr", "0.1"}, {"betas", "0.5,1"}}, "aggmo: invalid betas[1] = 1 (expected 0 <= value < 1)"},
      {"lbfgs", {{"max_eval", "-1"}}, "lbfgs: invalid max_eval = -1 (expected an integer >= 0)"},
      {"lbfgs", {{"history_size", "0"}}, "lbfgs: invalid history_size = 0 (expected an integer >= 1)"},
      {"lbfgs", {{"line_search_fn", "wolfe"}}, "lbfgs: invalid line_search_fn = 'wolfe' (expected '' or 'strong_wolfe')"},
      {"demon_sgdm", {{"lr", "0.1"}, {"T", "-2"}}, "demon_sgdm: invalid T = -2 (expected an integer >= 1)"},
      {"demon_adam", {{"lr", "0.1"}}, "demon_adam: option T is required (the total number of steps; it has no default)"},
      {"yellowfin", {{"curv_win_width", "0"}}, "yellowfin: invalid curv_win_width = 0 (expected an integer >= 1)"},
      {"yellowfin", {{"auto_clip_fac", "0"}}, "yellowfin: invalid auto_clip_fac = 0 (expected a finite value > 0)"},
      {"larc_sgd", {{"lr", "0.1"}, {"trust_coefficient", "0"}},
       "larc_sgd: invalid trust_coefficient = 0 (expected a finite value > 0)"},
      // Rules between options.
      {"sgd", {{"lr", "0.1"}, {"nesterov", "true"}, {"momentum", "0.9"}, {"dampening", "0.5"}},
       "sgd: nesterov = true needs momentum > 0 and dampening = 0 (got momentum = 0.9, dampening = 0.5)"},
  };
  for (const Case& c : cases) {
    tg::Tensor x = tg::tensor({1.0}, true);
    EXPECT_EQ(message_of<tg::ValueError>([&] { make_optimizer(c.optimizer, {x}, c.options); }), c.message);
  }
  tg::Tensor x = tg::tensor({1.0}, true);
  EXPECT_EQ(message_of<tg::ValueError>([&] { AggMo({x}, AggMoOptions(0.1).betas(std::vector<double>{})); }),
            "aggmo: option betas is empty (expected at least one beta)");
  EXPECT_NE(message_of<tg::ValueError>([&] { make_optimizer("adafactor", {x}, {{"lr", "0.01"}}); })
                .find("adafactor: lr = 0.01 is not used with relative_step = true"),
            std::string::npos);
}

TEST(OptionFields, AnOptionalOptionIsSetOrNone) {
  YellowFinOptions o;
  EXPECT_FALSE(o.clip_thresh);
  o.clip_thresh(2.5).auto_clip_fac(3.0);
  ASSERT_TRUE(o.clip_thresh);
  EXPECT_EQ(*o.clip_thresh, 2.5);
  EXPECT_EQ(format_value(o.clip_thresh), "2.5");
  EXPECT_EQ(format_value(YellowFinOptions().clip_thresh), "none");
  tg::Tensor x = tg::tensor({1.0}, true);
  EXPECT_EQ(message_of<tg::ValueError>([&] { YellowFin({x}, YellowFinOptions().clip_thresh(-1.0)); }),
            "yellowfin: invalid clip_thresh = -1 (expected a finite value > 0)");
}

}  // namespace
