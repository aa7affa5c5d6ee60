// Module::save / load: a round trip restores every parameter exactly; a missing, truncated or
// corrupted file, or one saved from another architecture, is refused with an error naming the
// file and the problem, and leaves the module exactly as it was.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "tapegrad_nn_" + name; }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::vector<double>> values_of(const tg::nn::Module& m) {
  std::vector<std::vector<double>> out;
  for (const tg::Tensor& p : m.parameters()) out.push_back(p.to_vector());
  return out;
}

// The file every test corrupts: an MLP 2-4-3-1 drawn with seed 1.
std::string saved_mlp() {
  tg::manual_seed(1);
  tg::nn::MLP mlp({2, 4, 3, 1}, tg::nn::Activation::tanh);
  const std::string path = temp_path("mlp.ckpt");
  mlp.save(path);
  return path;
}

// Loads `path` into an MLP 2-4-3-1 drawn with another seed, expects error type E, checks that
// no parameter changed and returns the message.
template <class E>
std::string expect_rejected(const std::string& path) {
  tg::manual_seed(2);
  tg::nn::MLP mlp({2, 4, 3, 1}, tg::nn::Activation::tanh);
  const auto before = values_of(mlp);
  std::string message;
  try {
    mlp.load(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const E& e) {
    message = e.what();
  }
  EXPECT_EQ(values_of(mlp), before) << "the module changed";
  EXPECT_NE(message.find(path), std::string::npos) << "the message names the file: " << message;
  return message;
}

TEST(SaveLoad, RoundTripRestoresEveryParameterExactly) {
  tg::manual_seed(1);
  tg::nn::MLP a({2, 4, 3, 1}, tg::nn::Activation::tanh);
  const std::string path = temp_path("round_trip.ckpt");
  a.save(path);
  tg::manual_seed(2);
  tg::nn::MLP b({2, 4, 3, 1}, tg::nn::Activation::tanh);
  ASSERT_NE(values_of(b), values_of(a));
  b.load(path);
  EXPECT_EQ(values_of(b), values_of(a));
  const tg::Tensor x = tg::randn({5, 2});
  EXPECT_TRUE(tg::equal(b(x), a(x)));
  for (const tg::Tensor& p : b.parameters()) {
    EXPECT_TRUE(p.requires_grad());
    EXPECT_TRUE(p.is_leaf());
  }
  std::remove(path.c_str());
}

TEST(SaveLoad, TheFileNamesTheModuleAndEachParameter) {
  const tg::CheckpointReader in = tg::CheckpointReader::load(saved_mlp());
  EXPECT_EQ(in.get("module"), "MLP");
  EXPECT_EQ(in.get_int("parameters"), 6);
  EXPECT_EQ(in.get("parameter.0.name"), "layers.0.weight");
  EXPECT_EQ(in.get("parameter.5.name"), "layers.4.bias");
  tg::manual_seed(1);
  tg::nn::MLP mlp({2, 4, 3, 1}, tg::nn::Activation::tanh);
  EXPECT_TRUE(tg::equal(in.tensor("parameter.layers.2.weight"), mlp.parameters()[2]));
}

TEST(SaveLoad, MissingFile) {
  const std::string msg = expect_rejected<tg::IoError>(temp_path("no_such_file.ckpt"));
  EXPECT_NE(msg.find("no_such_file.ckpt"), std::string::npos);
}

TEST(SaveLoad, UnwritablePath) {
  tg::nn::Linear layer(2, 2);
  EXPECT_THROW(layer.save(temp_path("no_such_dir/x.ckpt")), tg::IoError);
}

TEST(SaveLoad, TruncatedFile) {
  const std::string bytes = read_bytes(saved_mlp());
  for (std::size_t keep : {std::size_t{0}, std::size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    const std::string path = temp_path("truncated.ckpt");
    write_bytes(path, bytes.substr(0, keep));
    expect_rejected<tg::FormatError>(path);
  }
}

TEST(SaveLoad, FlippedBitsAreRefusedOrHarmless) {
  const std::string bytes = read_bytes(saved_mlp());
  tg::manual_seed(1);
  tg::nn::MLP original({2, 4, 3, 1}, tg::nn::Activation::tanh);
  const auto saved_values = values_of(original);
  tg::manual_seed(2);
  tg::nn::MLP mlp({2, 4, 3, 1}, tg::nn::Activation::tanh);
  const auto before = values_of(mlp);
  tg::CheckpointWriter snapshot;
  mlp.save(snapshot);
  const std::string before_bytes = snapshot.bytes();
  // Every byte in turn (read from memory: the same checks as from a file): either the file is
  // refused and the module is unchanged, or, for the few ZIP header bytes no check depends on
  // (timestamps, version fields: 56 of this file's 2168), it loads exactly the saved values.
  int refused = 0;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string corrupted = bytes;
    corrupted[at] = static_cast<char>(corrupted[at] ^ 0x04);
    try {
      mlp.load(tg::CheckpointReader(corrupted, "flipped"));
      EXPECT_EQ(values_of(mlp), saved_values) << "byte " << at;
      mlp.load(tg::CheckpointReader(before_bytes, "before"));  // back for the next byte
    } catch (const tg::Error& e) {
      ++refused;
      ASSERT_EQ(values_of(mlp), before) << "byte " << at << ": " << e.what();
    }
  }
  EXPECT_GT(refused, static_cast<int>(bytes.size() * 9 / 10)) << "of " << bytes.size() << " bytes";
  // From a file: a flip in the values of a tensor and one in the text entries are caught by
  // their CRC-32.
  const std::size_t name = bytes.find("parameter.layers.4.bias.npy");
  const std::size_t in_values = bytes.find("PK", name) - 3;  // the last double of layers.4.bias
  const std::size_t in_text = bytes.find("parameter.3.name");
  for (std::size_t at : {in_values, in_text}) {
    std::string corrupted = bytes;
    corrupted[at] = static_cast<char>(corrupted[at] ^ 0x01);
    const std::string bad = temp_path("flipped.ckpt");
    write_bytes(bad, corrupted);
    const std::string msg = expect_rejected<tg::FormatError>(bad);
    EXPECT_NE(msg.find("CRC"), std::string::npos) << msg;
  }
}

TEST(SaveLoad, NotACheckpoint) {
  const std::string path = temp_path("text.ckpt");
  write_bytes(path, "layers.0.weight = 1, 2, 3\n");
  expect_rejected<tg::FormatError>(path);
  tg::Tensor w = tg::zeros({2}, true);
  tg::optim::SGD sgd({w}, {.lr = 0.1});
  tg::optim::save_checkpoint(path, sgd, {w});  // a checkpoint, but of an optimizer
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("no entry 'module'"), std::string::npos) << msg;
}

TEST(SaveLoad, OtherModuleType) {
  tg::nn::Sequential seq(tg::nn::Linear(2, 4), tg::nn::Tanh(), tg::nn::Linear(4, 3), tg::nn::Tanh(),
                         tg::nn::Linear(3, 1));
  const std::string path = temp_path("sequential.ckpt");
  seq.save(path);
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("the parameters of a Sequential, not of a MLP"), std::string::npos) << msg;
}

TEST(SaveLoad, OtherParameterCount) {
  tg::nn::MLP deeper({2, 4, 3, 3, 1}, tg::nn::Activation::tanh);
  const std::string path = temp_path("deeper.ckpt");
  deeper.save(path);
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("holds 8 parameters, the MLP has 6"), std::string::npos) << msg;
}

TEST(SaveLoad, OtherParameterNames) {
  // Same count and shapes, but the dropout layers move the Linears to layers.3 and layers.6.
  tg::nn::MLP with_dropout({2, 4, 3, 1}, tg::nn::Activation::tanh, 0.1);
  const std::string path = temp_path("names.ckpt");
  with_dropout.save(path);
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("parameter 2 is 'layers.3.weight' in the file but 'layers.2.weight' in the MLP"),
            std::string::npos)
      << msg;
}

TEST(SaveLoad, OtherShapeInTheLastParameter) {
  // Only the last layer differs, so a loader that copied as it checked would already have
  // changed the first parameters.
  tg::nn::MLP wider({2, 4, 3, 2}, tg::nn::Activation::tanh);
  const std::string path = temp_path("wider.ckpt");
  wider.save(path);
  const std::string msg = expect_rejected<tg::FormatError>(path);
  EXPECT_NE(msg.find("parameter 'layers.4.weight' has shape (2, 3) in the file but (1, 3) in the MLP"),
            std::string::npos)
      << msg;
}

TEST(SaveLoad, MissingTensorOrEntry) {
  tg::manual_seed(1);
  tg::nn::MLP mlp({2, 4, 3, 1}, tg::nn::Activation::tanh);
  const auto params = mlp.named_parameters();
  auto write = [&](bool with_last_tensor, bool with_last_name) {
    tg::CheckpointWriter out;
    out.set("module", "MLP");
    out.set("parameters", "6");
    for (std::size_t k = 0; k < params.size(); ++k) {
      if (k + 1 < params.size() || with_last_name) out.set("parameter." + std::to_string(k) + ".name", params[k].first);
      if (k + 1 < params.size() || with_last_tensor) out.add("parameter." + params[k].first, params[k].second);
    }
    const std::string path = temp_path("partial.ckpt");
    out.save(path);
    return path;
  };
  std::string msg = expect_rejected<tg::FormatError>(write(false, true));
  EXPECT_NE(msg.find("no tensor 'parameter.layers.4.bias'"), std::string::npos) << msg;
  msg = expect_rejected<tg::FormatError>(write(true, false));
  EXPECT_NE(msg.find("no entry 'parameter.5.name'"), std::string::npos) << msg;
}

TEST(SaveLoad, ModelAndOptimizerInOneCheckpoint) {
  tg::manual_seed(1);
  tg::nn::MLP mlp({2, 4, 1});
  tg::optim::Adam opt(mlp.parameters(), {.lr = 0.01});
  const tg::Tensor x = tg::randn({8, 2});
  for (int step = 0; step < 3; ++step) {
    opt.zero_grad();
    mlp(x).square().mean().backward();
    opt.step();
  }
  tg::CheckpointWriter out;
  mlp.save(out);
  opt.save_state(out);
  const std::string path = temp_path("model_and_adam.ckpt");
  out.save(path);

  tg::manual_seed(2);
  tg::nn::MLP resumed({2, 4, 1});
  tg::optim::Adam resumed_opt(resumed.parameters(), {.lr = 0.01});
  const tg::CheckpointReader in = tg::CheckpointReader::load(path);
  resumed.load(in);
  resumed_opt.load_state(in);
  EXPECT_EQ(values_of(resumed), values_of(mlp));
  for (tg::optim::Adam* o : {&opt, &resumed_opt}) {
    o->zero_grad();
    (o == &opt ? mlp(x) : resumed(x)).square().mean().backward();
    o->step();
  }
  EXPECT_EQ(values_of(resumed), values_of(mlp)) << "the next step is the same";
}

TEST(SaveLoad, GradientsAndModeAreNotPartOfTheFile) {
  const std::string path = saved_mlp();
  tg::nn::MLP mlp({2, 4, 3, 1}, tg::nn::Activation::tanh);
  mlp.eval();
  mlp(tg::ones({1, 2})).sum().backward();
  mlp.load(path);
  EXPECT_FALSE(mlp.is_training());
  EXPECT_TRUE(mlp.parameters()[0].grad().defined());
}

}  // namespace
