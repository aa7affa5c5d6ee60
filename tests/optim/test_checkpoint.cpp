// Checkpoints: every optimizer resumes bit-exactly, and bad files change nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <tapegrad/tapegrad.hpp>

#include "optim/checkpoint_problem.hpp"

namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "tapegrad_" + name; }


std::unique_ptr<tg::optim::Optimizer> make(const tg::optim::OptimizerInfo& info, const Problem& problem) {
  return tg::optim::make_optimizer(info.name, problem.params(), required_options(info));
}

void run(tg::optim::Optimizer& opt, const Problem& problem, int steps) {
  for (int i = 0; i < steps; ++i) {
    opt.step([&] {
      opt.zero_grad();
      tg::Tensor f = problem.loss();
      f.backward();
      return f;
    });
  }
}

std::vector<double> values(const Problem& problem) {
  std::vector<double> v = problem.p.to_vector();
  const std::vector<double> w = problem.w.to_vector();
  v.insert(v.end(), w.begin(), w.end());
  return v;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& info : tg::optim::optimizers()) out.push_back(info.name);
  return out;
}

const tg::optim::OptimizerInfo& info_of(const std::string& name) {
  static const std::vector<tg::optim::OptimizerInfo> all = tg::optim::optimizers();
  for (const auto& info : all)
    if (info.name == name) return info;
  throw std::runtime_error("no optimizer " + name);
}

class Resume : public ::testing::TestWithParam<std::string> {};

TEST_P(Resume, FiftyPlusFiftyStepsEqualAHundred) {
  const auto& info = info_of(GetParam());
  Problem straight;
  auto a = make(info, straight);
  run(*a, straight, 100);

  Problem first;
  auto b = make(info, first);
  run(*b, first, 50);
  const std::string path = temp_path("resume_" + info.name + ".ckpt");
  tg::optim::save_checkpoint(path, *b, first.params());

  Problem resumed;  // fresh objects, at the starting values
  auto c = make(info, resumed);
  tg::optim::load_checkpoint(path, *c, resumed.params());
  EXPECT_EQ(values(resumed), values(first));
  run(*c, resumed, 50);
  EXPECT_EQ(values(resumed), values(straight)) << "bit-identical after resuming";
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(EveryOptimizer, Resume, ::testing::ValuesIn(names()),
                         [](const auto& param_info) { return param_info.param; });

// ---- bad files change nothing ------------------------------------------------------------------

struct Saved {
  std::string path;
  std::string bytes;
};

// `name`: the file in the temporary directory (tests that run at the same time, in other
// processes, must not share a name when they look at the directory).
Saved saved_adam_checkpoint(const std::string& name = "adam.ckpt") {
  Problem problem;
  tg::optim::Adam opt(problem.params(), {.lr = 0.01});
  run(opt, problem, 5);
  Saved s{temp_path(name), {}};
  tg::optim::save_checkpoint(s.path, opt, problem.params());
  std::ifstream in(s.path, std::ios::binary);
  s.bytes.assign(std::istreambuf_iterator<char>(in), {});
  return s;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Loads `path` into a fresh Adam, expects error type E, and checks that neither the
// optimizer nor the parameters changed.
template <class E>
std::string expect_rejected(const std::string& path) {
  Problem problem;
  tg::optim::Adam opt(problem.params(), {.lr = 0.02});
  run(opt, problem, 2);
  tg::CheckpointWriter before;
  opt.save_state(before);
  const std::vector<double> values_before = values(problem);
  std::string message;
  try {
    tg::optim::load_checkpoint(path, opt, problem.params());
    ADD_FAILURE() << "no error for " << path;
  } catch (const E& e) {
    message = e.what();
  }
  tg::CheckpointWriter after;
  opt.save_state(after);
  EXPECT_EQ(after.bytes(), before.bytes()) << "the optimizer changed";
  EXPECT_EQ(values(problem), values_before) << "the parameters changed";
  EXPECT_EQ(opt.lr(), 0.02);
  return message;
}

TEST(Checkpoint, MissingFile) {
  const std::string msg = expect_rejected<tg::IoError>(temp_path("no_such.ckpt"));
  EXPECT_NE(msg.find("no_such.ckpt"), std::string::npos) << msg;
}

TEST(Checkpoint, TruncatedFile) {
  const Saved s = saved_adam_checkpoint();
  for (std::size_t keep : {std::size_t{0}, std::size_t{10}, s.bytes.size() / 2, s.bytes.size() - 1}) {
    const std::string path = temp_path("truncated.ckpt");
    write_bytes(path, s.bytes.substr(0, keep));
    const std::string msg = expect_rejected<tg::FormatError>(path);
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
  }
}

TEST(Checkpoint, FlippedBit) {
  const Saved s = saved_adam_checkpoint();
  for (std::size_t at : {s.bytes.size() / 3, s.bytes.size() / 2, s.bytes.size() * 2 / 3}) {
    std::string bytes = s.bytes;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x10);
    const std::string path = temp_path("flipped.ckpt");
    write_bytes(path, bytes);
    expect_rejected<tg::FormatError>(path);
  }
}

TEST(Checkpoint, OtherVersion) {
  Problem problem;
  tg::optim::Adam opt(problem.params(), {.lr = 0.01});
  tg::CheckpointWriter out;
  opt.save_state(out);
  tg::write_tensors(out, problem.params());
  std::string bytes = out.bytes();
  // Rewrite the version through the public pieces: a new archive with version 2.
  auto members = tg::io::decode_npz(bytes, "x");
  members[0].second.replace(members[0].second.find(" 1\n"), 3, " 2\n");
  const std::string path = temp_path("v2.ckpt");
  write_bytes(path, tg::io::encode_npz(members));
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("version 2"), std::string::npos) << msg;
}

TEST(Checkpoint, OtherOptimizer) {
  Problem problem;
  tg::optim::SGD sgd(problem.params(), {.lr = 0.1, .momentum = 0.9});
  run(sgd, problem, 3);
  const std::string path = temp_path("sgd.ckpt");
  tg::optim::save_checkpoint(path, sgd, problem.params());
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("'sgd', not 'adam'"), std::string::npos) << msg;
}

TEST(Checkpoint, OtherShapes) {
  tg::Tensor p = tg::tensor({1.0, 2.0, 3.0}, true);
  tg::Tensor w = tg::zeros({2, 3}, true);
  tg::optim::Adam opt({p, w}, {.lr = 0.01});
  const std::string path = temp_path("shapes.ckpt");
  tg::optim::save_checkpoint(path, opt, {p, w});
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("shape (3,)"), std::string::npos) << msg;
}

TEST(Checkpoint, OtherGroupLayout) {
  Problem problem;
  tg::optim::Adam opt({{{problem.p}, {.lr = 0.01}}, {{problem.w}, {.lr = 0.1}}});
  const std::string path = temp_path("groups.ckpt");
  tg::optim::save_checkpoint(path, opt, problem.params());
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("2 parameter groups"), std::string::npos) << msg;
}

TEST(Checkpoint, AtomicWriteLeavesOnlyTheFile) {
  const Saved s = saved_adam_checkpoint("atomic.ckpt");
  const Saved again = saved_adam_checkpoint("atomic.ckpt");  // overwrites the same path
  EXPECT_EQ(again.bytes, s.bytes) << "deterministic output";
  int files = 0;
  const std::string name = fs::path(s.path).filename().string();
  for (const auto& entry : fs::directory_iterator(fs::path(s.path).parent_path())) {
    if (entry.path().filename().string().rfind(name, 0) == 0) ++files;
  }
  EXPECT_EQ(files, 1) << "no temporary file left behind";
}

TEST(Checkpoint, HoldsNumpyArrays) {
  const Saved s = saved_adam_checkpoint();
  const auto members = tg::io::decode_npz(s.bytes, s.path);
  ASSERT_GE(members.size(), 2u);
  EXPECT_EQ(members[0].first, "tapegrad.txt");
  EXPECT_EQ(members[0].second.rfind("tapegrad-checkpoint 1\noptimizer=adam\n", 0), 0u) << members[0].second;
  bool found = false;
  for (const auto& [name, bytes] : members) {
    if (name == "state.0.0.exp_avg.npy") {
      found = true;
      EXPECT_EQ(tg::io::decode_npy(bytes, name).shape, (tg::Shape{2}));
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
