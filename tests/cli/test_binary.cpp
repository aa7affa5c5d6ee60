// build/tapegrad itself: what main.cpp adds to the subcommands — reading the command line
// with CLI11, --help, unknown subcommands and options, and the exit statuses a shell sees.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct Result {
  int status = -1;
  std::string out, err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `tapegrad args` (args as a shell would read them) and collects its outputs and status.
Result tapegrad(const std::string& args) {
  // Named after the test: ctest may run the tests of this file at the same time.
  const std::string name = std::string("tapegrad_cli_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const fs::path dir = fs::temp_directory_path();
  const fs::path out = dir / (name + ".out"), err = dir / (name + ".err");
  const std::string command =
      std::string(TAPEGRAD_CLI) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int raw = std::system(command.c_str());
  Result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

TEST(CliBinary, HelpOnEverySubcommand) {
  const Result top = tapegrad("--help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("Usage: tapegrad [OPTIONS] SUBCOMMAND"), std::string::npos) << top.out;
  EXPECT_NE(top.out.find("Exit status: 0 success, 1 the run diverged or failed, 2 bad arguments, 3 a file could not"),
            std::string::npos);
  for (const std::string sub : {"race", "optimize", "landscape", "list"}) {
    const Result r = tapegrad(sub + " --help");
    EXPECT_EQ(r.status, 0) << sub;
    EXPECT_NE(r.out.find("Usage: tapegrad " + sub + " [OPTIONS]"), std::string::npos) << r.out;
  }
  EXPECT_NE(tapegrad("optimize --help").out.find("--set TEXT ..."), std::string::npos);
  EXPECT_NE(tapegrad("race --help").out.find("--optimizers TEXT=sgd,momentum,nesterov,adagrad,rmsprop,adam"),
            std::string::npos);
}

TEST(CliBinary, BadCommandLinesAreOneLineAndStatusTwo) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "tapegrad: a subcommand is required: race, optimize, landscape, list or kfac (tapegrad --help)\n"},
      {"frobnicate", "tapegrad: unknown subcommand 'frobnicate' (known: race, optimize, landscape, list, kfac)\n"},
      {"optimize -f quadratic --optimizer sgd --bogus", "tapegrad optimize: The following argument was not expected: --bogus\n"},
      {"optimize -f quadratic --optimizer sgd --set lr=0.1 extra",
       "tapegrad optimize: The following argument was not expected: extra\n"},
      {"optimize -f quadratic --optimizer sgd --set lr=0.1 --start ''", "tapegrad optimize: --start: an empty value\n"},
      {"optimize -f quadratic --optimizer sgd --set lr=0.1 --trace - --trace x.csv",
       "tapegrad optimize: --trace: At Most 1 required but received 2\n"},
      {"optimize -f quadratic --optimizer sgd --set lr=0.1 --steps", "tapegrad optimize: --steps: 1 required TEXT missing\n"},
      {"optimize -f quadratic --optimizer sgd --set lr=0.1 --start 1,,2",
       "tapegrad optimize: --start: '' in '1,,2' is not a number\n"},
      {"list", "tapegrad list: what to list? functions or optimizers\n"},
      {"landscape -f rosenbrock --at 1", "tapegrad landscape: --at: rosenbrock takes 2 numbers (shape (2,)), got 1\n"},
      {"race -f rosenbrock", "tapegrad race: --out is required (the directory for the results)\n"},
  };
  for (const auto& [args, message] : cases) {
    const Result r = tapegrad(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(r.err, message) << args;
  }
}

TEST(CliBinary, NegativeNumbersAreValuesNotOptions) {
  // "--start -1.5,2": CLI11 reads a negative number as the option's value.
  const Result r = tapegrad("optimize -f quadratic --optimizer sgd --set lr=0.1 --start -1.5,2 --steps 1 --trace -");
  EXPECT_EQ(r.status, 0) << r.err;
  // (-1.5, 2) - 0.1 * (2(-1.5-3), 2(2+2)) = (-0.6, 1.2); f = 3.6^2 + 3.2^2 = 23.2.
  EXPECT_EQ(r.out, "step,loss,p0,p1\n0,36.25,-1.5,2\n1,23.200000000000003,-0.59999999999999998,1.2\n");
}

TEST(CliBinary, DivergenceIsStatusOne) {
  const Result r = tapegrad("optimize -f quadratic --optimizer sgd --set lr=1.5 --steps 1000");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "tapegrad optimize: diverged at step 511 (loss = inf); no trace was asked for\n");

  const fs::path dir = fs::temp_directory_path() / "tapegrad_cli_binary_race";
  fs::remove_all(dir);
  const Result race = tapegrad("race -f quadratic --optimizers sgd,adam --lr 1.5 --steps 600 --no-plots -o " + dir.string());
  EXPECT_EQ(race.status, 1);
  EXPECT_EQ(race.err, "tapegrad race: sgd diverged at step 511 (loss = inf); sgd.csv holds steps 0 to 510\n");
  EXPECT_TRUE(fs::exists(dir / "adam.csv"));
  fs::remove_all(dir);
}

TEST(CliBinary, UnwritableFileIsStatusThree) {
  const Result r = tapegrad("optimize -f quadratic --optimizer sgd --set lr=0.1 --trace /nonexistent-dir/t.csv");
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.err, "tapegrad optimize: cannot write the trace '/nonexistent-dir/t.csv': No such file or directory\n");
}

}  // namespace
