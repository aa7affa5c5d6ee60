// Progress: the exact line format, which epochs are shown, silence, and the elapsed time.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <tapegrad/tapegrad.hpp>

#include "data/error_message.hpp"

namespace {

using tg::train::Progress;

TEST(Progress, LineFormat) {
  const Progress with_total({.epochs = 100});
  EXPECT_EQ(with_total.line(7, 0.123456789, {{"accuracy", 0.875}, {"val_accuracy", 2.0 / 3}}, 1.234),
            "epoch   7/100  loss 0.123457  accuracy 0.875  val_accuracy 0.666667  1.23 s");
  EXPECT_EQ(with_total.line(100, 1234567.0, {}, 0.0), "epoch 100/100  loss 1.23457e+06  0.00 s");
  const Progress open_ended({.show_time = false});
  EXPECT_EQ(open_ended.line(12, 2.5, {{"r2", -0.125}}, 9.0), "epoch 12  loss 2.5  r2 -0.125");
}

TEST(Progress, ShowsTheFirstEveryNthAndTheLastEpoch) {
  std::ostringstream out;
  Progress progress({.epochs = 25, .every = 10, .show_time = false, .out = &out});
  for (int epoch = 1; epoch <= 25; ++epoch) progress.log(epoch, 1.0 / epoch, {{"accuracy", epoch / 25.0}});
  EXPECT_EQ(out.str(),
            "epoch  1/25  loss 1  accuracy 0.04\n"
            "epoch 10/25  loss 0.1  accuracy 0.4\n"
            "epoch 20/25  loss 0.05  accuracy 0.8\n"
            "epoch 25/25  loss 0.04  accuracy 1\n");
}

TEST(Progress, Silenced) {
  std::ostringstream out;
  Progress progress({.epochs = 3, .verbose = false, .out = &out});
  for (int epoch = 1; epoch <= 3; ++epoch) progress.log(epoch, 0.5);
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, ElapsedTime) {
  std::ostringstream out;
  Progress progress({.out = &out});
  progress.log(1, 0.5);
  EXPECT_TRUE(std::regex_match(out.str(), std::regex("epoch 1  loss 0\\.5  [0-9]+\\.[0-9]{2} s\n"))) << out.str();
  EXPECT_GE(progress.elapsed(), 0.0);
  EXPECT_LT(progress.elapsed(), 60.0);
}

TEST(Progress, RefusedOptions) {
  EXPECT_EQ(error_message<tg::ValueError>([] { Progress({.every = 0}); }), "Progress: every must be at least 1, got 0");
  EXPECT_EQ(error_message<tg::ValueError>([] { Progress({.epochs = -1}); }), "Progress: epochs must be >= 0, got -1");
}

}  // namespace
