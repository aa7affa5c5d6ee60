// Bad files change nothing: every truncation of a checkpoint, every single-bit flip of its
// headers and of a dense sample of its body, and a wrong version number are rejected with a
// tg::FormatError naming the file and the problem, and the objects being loaded into -- module
// parameters, optimizer state and options -- are exactly as before. The same for .npy files,
// which have no checksum: every header flip is caught, a flip in the data is not.
//
// (tests/optim/test_checkpoint.cpp and tests/nn/test_save_load.cpp test a few truncations,
// flips and mismatched objects one by one; here every length and every bit is tried.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "tapegrad_bad_" + std::to_string(::getpid()) + "_" + name;
}

// A new file each time: rewriting a truncated file in place makes ext4 flush it to disk.
void write_bytes(const std::string& path, const std::string& bytes) {
  std::remove(path.c_str());
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The objects a checkpoint is loaded into: an MLP 2-3-1 and Adam (lr 0.02, betas 0.8/0.9)
// after two steps, so that every state tensor is non-zero. Built the same way every time.
struct Objects {
  tg::nn::MLP model;
  tg::optim::Adam opt;
  Objects(uint32_t seed, double lr)
      : model((tg::manual_seed(seed), tg::nn::MLP({2, 3, 1}, tg::nn::Activation::tanh))),
        opt(model.parameters(), {.lr = lr, .betas = {0.8, 0.9}}) {
    const tg::Tensor x = tg::tensor({{0.5, -1.0}, {2.0, 0.25}});
    for (int step = 0; step < 2; ++step) {
      opt.zero_grad();
      model(x).square().mean().backward();
      opt.step();
    }
  }
  // Everything a load could change: parameter values, optimizer options and state.
  std::string snapshot() const {
    tg::CheckpointWriter out;
    opt.save_state(out);
    tg::write_tensors(out, model.parameters());
    return out.bytes();
  }
};

// What is saved (seed 1, lr 0.01) and what it is loaded into (seed 2, lr 0.02).
Objects saved_objects() { return Objects(1, 0.01); }
Objects target_objects() { return Objects(2, 0.02); }

// One kind of file: how to write it from the saved objects and load it into the target.
struct Kind {
  const char* name;
  std::function<void(const Objects&, const std::string&)> save;
  std::function<void(Objects&, const std::string&)> load;
};

const Kind kOptimizerCheckpoint{
    "optimizer checkpoint",
    [](const Objects& o, const std::string& path) { tg::optim::save_checkpoint(path, o.opt, o.model.parameters()); },
    [](Objects& o, const std::string& path) { tg::optim::load_checkpoint(path, o.opt, o.model.parameters()); }};

const Kind kModuleFile{"module file", [](const Objects& o, const std::string& path) { o.model.save(path); },
                       [](Objects& o, const std::string& path) { o.model.load(path); }};

std::string good_bytes(const Kind& kind) {
  const std::string path = temp_path("good.ckpt");
  kind.save(saved_objects(), path);
  std::string bytes = tg::io::read_file(path);
  std::remove(path.c_str());
  return bytes;
}

enum class Outcome { rejected, loaded_exactly };

// Writes `bytes` to a file, loads it into fresh target objects and checks the outcome: a
// tg::FormatError whose message names the file and says more, with the objects unchanged; or
// a successful load that gives exactly the saved values (`expected`).
Outcome try_load(const Kind& kind, const std::string& bytes, const std::string& expected, const std::string& what,
                 std::string* message = nullptr) {
  static const std::string before = target_objects().snapshot();
  const std::string path = temp_path("bad.ckpt");
  write_bytes(path, bytes);
  Objects target = target_objects();
  try {
    kind.load(target, path);
  } catch (const tg::FormatError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << what << ": the message starts with the file: " << msg;
    EXPECT_GT(msg.size(), path.size() + 12) << what << ": the message names the problem: " << msg;
    EXPECT_EQ(target.snapshot(), before) << what << ": the objects changed (" << msg << ")";
    if (message) *message = msg;
    return Outcome::rejected;
  }
  EXPECT_EQ(target.snapshot(), expected) << what << ": loaded, but not the saved values";
  return Outcome::loaded_exactly;
}

// What a correct load gives: the target objects after loading the good file.
std::string loaded_snapshot(const Kind& kind, const std::string& good) {
  const std::string path = temp_path("expected.ckpt");
  write_bytes(path, good);
  Objects target = target_objects();
  kind.load(target, path);
  std::remove(path.c_str());
  return target.snapshot();
}

class BadCheckpoint : public ::testing::TestWithParam<const Kind*> {};

TEST_P(BadCheckpoint, EveryTruncationIsRejected) {
  const Kind& kind = *GetParam();
  const std::string good = good_bytes(kind);
  const std::string expected = loaded_snapshot(kind, good);
  for (std::size_t keep = 0; keep < good.size(); ++keep) {
    const Outcome outcome = try_load(kind, good.substr(0, keep), expected, "kept " + std::to_string(keep));
    ASSERT_EQ(outcome, Outcome::rejected) << "a file cut to " << keep << " of " << good.size() << " bytes was accepted";
    if (HasFailure()) return;
  }
  std::printf("%s: all %zu truncations rejected\n", kind.name, good.size());
}

TEST_P(BadCheckpoint, EverySingleBitFlipIsRejectedOrHarmless) {
  const Kind& kind = *GetParam();
  const std::string good = good_bytes(kind);
  const std::string expected = loaded_snapshot(kind, good);
  // Every bit of the first 256 bytes (the first ZIP header and the text entries: format line,
  // module, optimizer, options) and of the last 512 (the central directory and end record),
  // and one bit of every third byte in between (the arrays' headers and values).
  std::vector<std::pair<std::size_t, int>> flips;
  for (std::size_t at = 0; at < good.size(); ++at) {
    const bool header = at < 256 || at + 512 >= good.size();
    if (header) {
      for (int bit = 0; bit < 8; ++bit) flips.emplace_back(at, bit);
    } else if (at % 3 == 0) {
      flips.emplace_back(at, static_cast<int>(at / 3 % 8));
    }
  }
  int rejected = 0, harmless = 0;
  for (const auto& [at, bit] : flips) {
    std::string bytes = good;
    bytes[at] = static_cast<char>(bytes[at] ^ (1 << bit));
    const std::string what = "byte " + std::to_string(at) + " bit " + std::to_string(bit);
    (try_load(kind, bytes, expected, what) == Outcome::rejected ? rejected : harmless)++;
    if (HasFailure()) return;
  }
  // The flips that load are in ZIP fields no check depends on (timestamps, "version made by",
  // attributes): a few per member, far fewer than the rejected ones.
  EXPECT_GT(rejected, static_cast<int>(flips.size()) * 9 / 10);
  std::printf("%s (%zu bytes): %zu single-bit flips, %d rejected, %d harmless (the saved values exactly)\n", kind.name,
              good.size(), flips.size(), rejected, harmless);
}

TEST_P(BadCheckpoint, OtherVersionsAreRejected) {
  const Kind& kind = *GetParam();
  auto members = tg::io::decode_npz(good_bytes(kind), "good");
  ASSERT_EQ(members[0].first, "tapegrad.txt");
  ASSERT_EQ(members[0].second.rfind("tapegrad-checkpoint 1\n", 0), 0u);
  for (const std::string version : {"0", "2", "99", "1.0", ""}) {
    auto changed = members;  // re-encoded: the checksums are right, only the version differs
    changed[0].second.replace(0, std::string("tapegrad-checkpoint 1").size(), "tapegrad-checkpoint " + version);
    std::string msg;
    ASSERT_EQ(try_load(kind, tg::io::encode_npz(changed), "", "version " + version, &msg), Outcome::rejected);
    EXPECT_NE(msg.find("checkpoint format version " + version + " is not supported (this tapegrad reads version 1)"),
              std::string::npos)
        << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, BadCheckpoint, ::testing::Values(&kOptimizerCheckpoint, &kModuleFile),
                         [](const auto& info) { return info.param == &kModuleFile ? "ModuleFile" : "OptimizerCheckpoint"; });

// ---- .npy files ---------------------------------------------------------------------------------

// A .npy file read into a tensor: the tensor is replaced only if the whole file is valid.
void load_npy(const std::string& path, tg::Tensor& into) { into = tg::io::to_tensor(tg::io::decode_npy(tg::io::read_file(path), path)); }

struct NpyFile {
  std::string path = temp_path("values.npy");
  tg::Tensor saved = tg::tensor({{1.5, -2.0, 0.25}, {3.0, 1e-3, -7.0}});
  std::string bytes = tg::io::encode_npy(saved);
  static constexpr std::size_t kHeader = 128;  // magic, version, header length, the dict, padding
};

// Loads `bytes` from a file into a tensor holding other values; returns the error message
// ("" if it loaded), after checking that a rejected file left the tensor unchanged.
std::string npy_outcome(const NpyFile& f, const std::string& bytes, tg::Tensor& loaded) {
  write_bytes(f.path, bytes);
  tg::Tensor t = tg::tensor({9.0, 9.0});
  try {
    load_npy(f.path, t);
  } catch (const tg::FormatError& e) {
    EXPECT_EQ(t.to_vector(), (std::vector<double>{9.0, 9.0}));
    return e.what();
  }
  loaded = t;
  return "";
}

TEST(BadNpy, EveryTruncationIsRejected) {
  const NpyFile f;
  ASSERT_EQ(f.bytes.size(), NpyFile::kHeader + 6 * 8);
  for (std::size_t keep = 0; keep < f.bytes.size(); ++keep) {
    tg::Tensor loaded;
    const std::string msg = npy_outcome(f, f.bytes.substr(0, keep), loaded);
    ASSERT_EQ(msg.rfind(f.path + ": ", 0), 0u) << "kept " << keep << ": " << msg;
  }
}

TEST(BadNpy, EveryHeaderBitFlipIsRejectedAndDataFlipsAreNot) {
  const NpyFile f;
  for (std::size_t at = 0; at < f.bytes.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = f.bytes;
      bytes[at] = static_cast<char>(bytes[at] ^ (1 << bit));
      tg::Tensor loaded;
      const std::string msg = npy_outcome(f, bytes, loaded);
      if (at < NpyFile::kHeader) {
        ASSERT_EQ(msg.rfind(f.path + ": ", 0), 0u) << "byte " << at << " bit " << bit << " accepted: " << msg;
      } else {
        // No checksum in .npy: the file loads, with one value changed.
        ASSERT_EQ(msg, "") << "byte " << at << " bit " << bit;
        const std::vector<double> a = loaded.to_vector(), b = f.saved.to_vector();
        int differ = 0;
        for (std::size_t i = 0; i < a.size(); ++i) differ += std::memcmp(&a[i], &b[i], sizeof(double)) != 0;
        ASSERT_EQ(differ, 1) << "byte " << at << " bit " << bit;
      }
    }
  }
}

TEST(BadNpy, OtherFormatVersionsAreRejected) {
  const NpyFile f;
  for (const auto& [major, minor] : {std::pair{0, 0}, {4, 0}, {1, 1}, {2, 1}}) {
    std::string bytes = f.bytes;
    bytes[6] = static_cast<char>(major);
    bytes[7] = static_cast<char>(minor);
    tg::Tensor loaded;
    EXPECT_EQ(npy_outcome(f, bytes, loaded),
              f.path + ": unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
  }
}

}  // namespace
