// Replays the fuzzers' inputs through the same contract checks as the fuzz targets
// (fuzz/check.hpp): every file of fuzz/corpus/<target>/ (the minimized seed corpus) and of
// tests/reliability/fuzz_regressions/<target>/ (inputs that once crashed or broke a contract)
// must either parse into a well-formed value or be refused with a tapegrad error.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "any_optimizer.hpp"
#include "check.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/data/csv.hpp"
#include "tapegrad/io/npy.hpp"
#include "tapegrad/nn/mlp.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

tg::fuzz::Check check_named(const std::string& target) {
  for (const tg::fuzz::NamedCheck& c : tg::fuzz::kChecks) {
    if (target == c.name) return c.check;
  }
  return nullptr;
}

// Runs every file of every <root>/<target>/ through check_<target>; returns the number of files.
std::size_t replay(const fs::path& root) {
  std::size_t files = 0;
  for (const fs::directory_entry& dir : fs::directory_iterator(root)) {
    const std::string target = dir.path().filename().string();
    const tg::fuzz::Check check = check_named(target);
    EXPECT_NE(check, nullptr) << dir.path() << " is not named after a fuzz target";
    if (!check) continue;
    for (const fs::directory_entry& file : fs::directory_iterator(dir.path())) {
      ++files;
      const std::string bytes = read_bytes(file.path());
      try {
        check(bytes);
      } catch (const std::exception& e) {
        ADD_FAILURE() << file.path() << ": " << e.what();
      }
    }
  }
  return files;
}

}  // namespace

TEST(FuzzRegressions, EverySeedOfTheCorpusKeepsTheContract) {
  EXPECT_GT(replay(TAPEGRAD_FUZZ_CORPUS), 50u);
}

TEST(FuzzRegressions, EveryInputThatOnceFailedKeepsTheContract) {
  EXPECT_GT(replay(TAPEGRAD_FUZZ_REGRESSIONS), 0u);
}

TEST(FuzzRegressions, EveryTargetHasSeeds) {
  for (const tg::fuzz::NamedCheck& c : tg::fuzz::kChecks) {
    const fs::path dir = fs::path(TAPEGRAD_FUZZ_CORPUS) / c.name;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    EXPECT_GT(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 0) << dir;
  }
}

// The npy regression: a shape whose dimensions multiply past int64 before a zero makes the
// array empty is refused instead of overflowing in Shape::numel().
TEST(FuzzRegressions, NpyShapeWhoseProductOverflowsIsAFormatError) {
  const std::string bytes =
      read_bytes(fs::path(TAPEGRAD_FUZZ_REGRESSIONS) / "npy" / "shape_product_overflows_int64.npy");
  try {
    tg::io::decode_npy(bytes, "big.npy");
    FAIL() << "decode_npy accepted the shape (4294967296, 4294967296, 0)";
  } catch (const tg::FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "big.npy: shape (4294967296, 4294967296, 0) has more than 2^63 elements");
  }
}

// The seeds reach the deep paths: a valid checkpoint loads into the model and the optimizer.
TEST(FuzzRegressions, TheCheckpointSeedsLoadIntoTheModelAndTheOptimizer) {
  const fs::path dir = fs::path(TAPEGRAD_FUZZ_CORPUS) / "checkpoint";
  std::size_t loaded = 0;
  for (const char* name : {"adam", "lbfgs", "shampoo"}) {
    for (const fs::directory_entry& file : fs::directory_iterator(dir)) {
      // Most of the minimized corpus is damaged files; look for an intact one of optimizer `name`.
      try {
        const tg::CheckpointReader in(read_bytes(file.path()), file.path().string());
        if (in.get("optimizer") != name || in.get("module") != "MLP") continue;
        tg::nn::MLP model({2, 3, 1}, tg::nn::Activation::tanh);
        model.load(in);
        const std::vector<tg::Tensor> params = model.parameters();
        check_tensors(in, params);
        tg::fuzz::make_any_optimizer(name, params)->load_state(in);
      } catch (const tg::Error&) {
        continue;
      }
      ++loaded;
      break;
    }
  }
  EXPECT_EQ(loaded, 3u) << "the corpus lacks an intact checkpoint of adam, lbfgs or shampoo";
}
