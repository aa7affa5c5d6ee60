// tg::StateDict, tg::save / tg::load, and the random generators' state.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <tapegrad/tapegrad.hpp>

#include "data/temp_dir.hpp"
#include "message_of.hpp"

namespace {

tg::StateDict every_kind() {
  tg::StateDict inner;
  inner["weights"] = tg::Tensor({1.0, -2.5, 3.25, 0.1 + 0.2}, {2, 2});
  inner["empty"] = tg::StateDict();
  tg::StateDict s;
  s["step"] = 50;
  s["lr"] = 0.1 + 0.2;  // 0.30000000000000004: must come back exactly
  s["tiny"] = 5e-324;
  s["nan"] = std::numeric_limits<double>::quiet_NaN();
  s["minus_inf"] = -std::numeric_limits<double>::infinity();
  s["amsgrad"] = true;
  s["name"] = "adam with spaces = fine";
  s["inner"] = inner;
  s["scalar"] = tg::Tensor({7.0}, tg::Shape{});
  return s;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(StateDict, KeepsInsertionOrderAndReplacesInPlace) {
  tg::StateDict s;
  s["b"] = 1;
  s["a"] = 2;
  s["c"] = 3;
  s["a"] = 20;
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(s.at("a").to_int(), 20);
  EXPECT_TRUE(s.erase("b"));
  EXPECT_FALSE(s.erase("b"));
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"a", "c"}));
}

TEST(StateDict, NestedEntriesAreReachedThroughValues) {
  tg::StateDict s;
  s["model"]["0.weight"] = tg::ones({2, 3});
  s["optimizer"]["param_groups"]["0"]["lr"] = 0.01;
  EXPECT_EQ(s.at("model").at("0.weight").to_tensor().shape(), (tg::Shape{2, 3}));
  EXPECT_EQ(s.at("optimizer").at("param_groups").at("0").at("lr").to_double(), 0.01);
  const tg::StateDict& model = s.at("model");  // a StateDict value reads as its StateDict
  EXPECT_EQ(model.size(), 1u);
}

TEST(StateDict, MissingKeysAndWrongKindsAreNamed) {
  tg::StateDict s{{"step", 3}, {"lr", 0.5}};
  EXPECT_EQ(message_of<tg::KeyError>([&] { (void)s.at("momentum"); }),
            "StateDict has no key 'momentum' (its keys: 'step', 'lr')");
  EXPECT_EQ(message_of<tg::ValueError>([&] { (void)s.at("lr").to_tensor(); }),
            "StateDict: the value is a number, not a tensor");
  EXPECT_EQ(message_of<tg::ValueError>([&] { (void)s.at("lr").to_int(); }),
            "StateDict: the value is a number, not an integer");
  EXPECT_EQ(s.at("step").to_double(), 3.0);  // an integer is also a number
  EXPECT_THROW((void)tg::StateValue(tg::Tensor()), tg::ValueError);
}

TEST(StateDict, EqualityComparesTensorsBitForBit) {
  tg::StateDict a = every_kind(), b = every_kind();
  EXPECT_TRUE(a == b);  // NaN equals NaN
  b["inner"]["weights"] = tg::Tensor({1.0, -2.5, 3.25, 0.3}, {2, 2});
  EXPECT_FALSE(a == b);
  tg::StateDict c = every_kind();
  c["step"] = 50.0;  // a number is not an integer
  EXPECT_FALSE(a == c);
}

TEST(StateDict, PrintsOneLinePerEntry) {
  tg::StateDict s;
  s["model"]["0.weight"] = tg::zeros({3, 2});
  s["step"] = 4;
  s["name"] = "sgd";
  std::ostringstream out;
  out << s;
  EXPECT_EQ(out.str(), "model: StateDict (1)\n  0.weight: tensor (3, 2)\nstep: 4\nname: 'sgd'\n");
}

TEST(StateDictFile, EveryKindComesBackExactly) {
  TempDir dir;
  const std::string path = dir.path() + "/state.ckpt";
  const tg::StateDict saved = every_kind();
  tg::save(saved, path);
  const tg::StateDict loaded = tg::load(path);
  EXPECT_TRUE(loaded == saved);
  EXPECT_EQ(loaded.keys(), saved.keys());
  EXPECT_EQ(loaded.at("lr").to_double(), 0.1 + 0.2);
  EXPECT_EQ(loaded.at("inner").at("empty").to_dict().size(), 0u);
  EXPECT_EQ(loaded.at("scalar").to_tensor().shape(), tg::Shape{});
}

TEST(StateDictFile, TensorsAreArchiveMembersNamedByTheirPath) {
  TempDir dir;
  const std::string path = dir.path() + "/model.npz";
  tg::StateDict s;
  s["0.weight"] = tg::Tensor({1, 2, 3, 4, 5, 6}, {3, 2});
  s["nested"]["b"] = tg::zeros({2});
  tg::save(s, path);
  const auto members = tg::io::decode_npz(read_bytes(path), path);
  std::vector<std::string> names;
  for (const auto& member : members) names.push_back(member.first);
  EXPECT_EQ(names, (std::vector<std::string>{"tapegrad.txt", "0.weight.npy", "nested/b.npy"}));
  EXPECT_EQ(tg::io::decode_npy(members[1].second, "0.weight").values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(StateDictFile, APlainNumpyArchiveLoadsAsAFlatStateDict) {
  TempDir dir;
  const std::string path = dir.path() + "/plain.npz";
  tg::io::write_file_atomic(path, tg::io::encode_npz({{"0.weight.npy", tg::io::encode_npy(tg::io::Array{{2}, {1.5, -1}})},
                                                      {"0.bias.npy", tg::io::encode_npy(tg::io::Array{{1}, {0.25}})}}));
  const tg::StateDict s = tg::load(path);
  EXPECT_EQ(s.keys(), (std::vector<std::string>{"0.weight", "0.bias"}));
  EXPECT_EQ(s.at("0.weight").to_tensor().to_vector(), (std::vector<double>{1.5, -1}));

  tg::io::write_file_atomic(path, tg::io::encode_npz({{"notes.txt", "hello"}}));
  EXPECT_EQ(message_of<tg::FormatError>([&] { (void)tg::load(path); }),
            path + ": member 'notes.txt' is not a .npy array (nor is the archive a tapegrad checkpoint)");
}

TEST(StateDictFile, BadKeysAreRefusedAndTheOldFileIsKept) {
  TempDir dir;
  const std::string path = dir.path() + "/state.ckpt";
  tg::save(tg::StateDict{{"step", 1}}, path);
  const std::string before = read_bytes(path);
  tg::StateDict slash;
  slash["model"]["layers/0"] = 1;
  EXPECT_EQ(message_of<tg::ValueError>([&] { tg::save(slash, path); }),
            "tg::save(" + path + "): the key 'layers/0' in 'model' holds '/' or a line break ('/' separates nested keys in the file)");
  EXPECT_THROW(tg::save(tg::StateDict{{"", 1}}, path), tg::ValueError);
  EXPECT_THROW(tg::save(tg::StateDict{{"a", "two\nlines"}}, path), tg::ValueError);
  EXPECT_EQ(read_bytes(path), before);
}

TEST(StateDictFile, CorruptTruncatedAndForeignFilesAreFormatErrors) {
  TempDir dir;
  const std::string path = dir.path() + "/state.ckpt";
  tg::save(every_kind(), path);
  const std::string good = read_bytes(path);
  for (std::size_t at : {std::size_t{40}, good.size() / 2, good.size() - 30}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    tg::io::write_file_atomic(path, flipped);
    EXPECT_THROW((void)tg::load(path), tg::FormatError) << "bit flipped at " << at;
  }
  for (std::size_t size : {std::size_t{0}, std::size_t{10}, good.size() / 2, good.size() - 1}) {
    tg::io::write_file_atomic(path, good.substr(0, size));
    EXPECT_THROW((void)tg::load(path), tg::FormatError) << "truncated to " << size;
  }
  EXPECT_THROW((void)tg::load(dir.path() + "/missing.ckpt"), tg::IoError);

  tg::Tensor w = tg::ones({2}, true);
  tg::optim::SGD opt({w}, {.lr = 0.1});
  tg::optim::save_checkpoint(path, opt, {w});
  EXPECT_EQ(message_of<tg::FormatError>([&] { (void)tg::load(path); }),
            path + ": this checkpoint holds no StateDict (it was written by save_checkpoint or Module::save; read it with "
                   "load_checkpoint or Module::load)");
}

TEST(GeneratorState, RestoresTheStreamIncludingTheSpareNormal) {
  tg::Generator g(7);
  (void)g.normal();  // leaves the second normal of a pair waiting
  const tg::StateDict state = g.get_state();
  std::vector<double> expected;
  for (int i = 0; i < 5; ++i) expected.push_back(g.normal());
  expected.push_back(g.uniform());

  tg::Generator other(123);
  other.set_state(state);
  std::vector<double> got;
  for (int i = 0; i < 5; ++i) got.push_back(other.normal());
  got.push_back(other.uniform());
  EXPECT_EQ(got, expected);
}

TEST(GeneratorState, ABadStateIsRefusedAndChangesNothing) {
  tg::Generator g(3);
  tg::StateDict state = g.get_state();
  state["engine"] = "1 2 3";
  tg::Generator other(5);
  tg::Generator reference(5);
  EXPECT_EQ(message_of<tg::ValueError>([&] { other.set_state(state); }),
            "Generator::set_state: 'engine' is not the state of an mt19937");
  EXPECT_EQ(other.uniform(), reference.uniform());
  EXPECT_THROW(other.set_state(tg::StateDict{{"kind", "mt19937"}}), tg::ValueError);
}

TEST(GeneratorState, TheGlobalGeneratorSurvivesAFile) {
  TempDir dir;
  tg::manual_seed(11);
  (void)tg::randn({3});
  tg::save(tg::StateDict{{"rng", tg::get_rng_state()}}, dir.path() + "/rng.ckpt");
  const std::vector<double> expected = tg::randn({4}).to_vector();
  tg::manual_seed(99);
  tg::set_rng_state(tg::load(dir.path() + "/rng.ckpt").at("rng"));
  EXPECT_EQ(tg::randn({4}).to_vector(), expected);
}

TEST(GeneratorState, GoesByStateDictLikeEverythingElse) {
  tg::Generator g(21), loader_like(0);
  (void)g.uniform();
  const tg::StateDict saved = tg::train::state_dict({{"generator", g}});
  EXPECT_TRUE(saved.at("generator").to_dict() == g.get_state());
  const double expected = g.normal();
  tg::train::load_state_dict(saved, {{"generator", loader_like}});
  EXPECT_EQ(loader_like.normal(), expected);
}
