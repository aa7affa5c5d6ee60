// `tapegrad list functions | optimizers`.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

#include "cli_test.hpp"

namespace {

TEST(CliList, FunctionsNameEveryFunctionWithItsMinimumAndStart) {
  const cli_test::Output o = cli_test::list("functions");
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  for (const tg::functions::TestFunction& f : tg::functions::all()) {
    EXPECT_NE(o.out.find("  " + f.name + " " + f.shape.str() + " "), std::string::npos) << f.name;
    EXPECT_NE(o.out.find(f.formula + "\n"), std::string::npos) << f.name;
  }
  EXPECT_NE(o.out.find("global minimum f = 0 at (3, -2); default start (0, 0); sgd lr 0.1"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("global minimum f = 0 at (1, 1); default start "), std::string::npos) << o.out;
}

TEST(CliList, OptimizersWithEveryOptionAndDefault) {
  const cli_test::Output o = cli_test::list("optimizers");
  EXPECT_EQ(o.status, 0);
  for (const tg::optim::OptimizerInfo& info : tg::optim::optimizers()) {
    EXPECT_NE(o.out.find("  " + info.name + " "), std::string::npos) << info.name;
    EXPECT_NE(o.out.find(info.summary + "\n"), std::string::npos) << info.name;
  }
  EXPECT_NE(o.out.find(" lr=0.001 betas=(0.9,0.999) eps=1e-08 weight_decay=0 amsgrad=false maximize=false\n"),
            std::string::npos);
  EXPECT_NE(o.out.find(" lr=(required) momentum=0 dampening=0 weight_decay=0 nesterov=false maximize=false\n"),
            std::string::npos);
  EXPECT_NE(o.out.find(" line_search_fn=\"\"\n"), std::string::npos);
  // What a run demands, as the optimizer itself reports it: demon_sgdm's T (its default 0
  // means "not given"); adafactor's lr is unused with relative_step=true, so not required.
  EXPECT_NE(o.out.find(" lr=(required) beta_init=0.9 T=(required)\n"), std::string::npos);
  EXPECT_NE(o.out.find(" lr=(none) beta1=0 clip_threshold=1 decay_rate=-0.8 "), std::string::npos);
  EXPECT_EQ(tg::cli::required_options("adam"), std::vector<std::string>{});
  EXPECT_EQ(tg::cli::required_options("demon_adam"), (std::vector<std::string>{"lr", "T"}));
  EXPECT_NE(o.out.find("\nrace also accepts: momentum = sgd with momentum=0.9; nesterov = sgd with momentum=0.9, "
                       "nesterov=true\n"),
            std::string::npos);
}

TEST(CliList, UnknownList) {
  const cli_test::Output o = cli_test::list("models");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "tapegrad list: unknown list 'models' (known: functions, optimizers)\n");
  EXPECT_EQ(cli_test::list("").err, "tapegrad list: what to list? functions or optimizers\n");
}

}  // namespace
