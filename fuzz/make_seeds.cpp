// Writes the hand-made seed inputs of the fuzz targets into CORPUS/<target>/ (fuzz/corpus):
//   fuzz_make_seeds fuzz/corpus
// Each seed is a small valid input, or one a step away from valid, that shows the fuzzer a
// format's structure: real data files' first lines, arrays of every supported dtype and
// .npy version, archives, and a checkpoint of a model with every optimizer's state after two
// steps. run.sh later replaces each folder by the minimized union of seeds and findings.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "any_optimizer.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/npy.hpp"
#include "tapegrad/nn/mlp.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/optim/registry.hpp"
#include "tapegrad/random.hpp"

namespace {

using namespace std::string_view_literals;  // "...\0..."sv keeps the NUL bytes

std::filesystem::path corpus;

void write(const std::string& target, const std::string& name, std::string_view bytes) {
  std::filesystem::create_directories(corpus / target);
  std::ofstream(corpus / target / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A .npy file with a hand-written header (any version, dtype and shape) and raw data bytes.
std::string npy(int version, const std::string& dict, std::string_view data) {
  std::string header = dict;
  const std::size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(version);
  out += '\0';
  for (std::size_t i = 0; i < (version == 1 ? 2u : 4u); ++i) out += static_cast<char>(header.size() >> (8 * i));
  return out + header + std::string(data);
}

void npy_seeds() {
  using tg::io::Array;
  write("npy", "f8_2x3.npy", tg::io::encode_npy(Array{{2, 3}, {1, -2, 3.5, 0, 1e-300, -0.0}}));
  write("npy", "f8_scalar.npy", tg::io::encode_npy(Array{{}, {42}}));
  write("npy", "f8_empty_2x0x3.npy", tg::io::encode_npy(Array{{2, 0, 3}, {}}));
  write("npy", "f4_v1.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                                "\x00\x00\x80\x3f\x00\x00\x00\xc0"sv));
  write("npy", "i8_v2.npy", npy(2, "{\"shape\": (1, 1), \"descr\": \"<i8\", \"fortran_order\": False}",
                                "\xff\xff\xff\xff\xff\xff\xff\xff"sv));
  write("npy", "i4_v3_long.npy", npy(3, "{'descr': '<i4', 'fortran_order': False, 'shape': (1L,), }",
                                     "\x07\x00\x00\x00"sv));
  write("npy", "fortran.npy", npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (0,), }", ""));
}

void npz_seeds() {
  const std::string a = tg::io::encode_npy(tg::io::Array{{3}, {1, 2, 3}});
  write("npz", "two_members.npz", tg::io::encode_npz({{"a.npy", a}, {"dir/b.npy", "not an array"}}));
  write("npz", "empty.npz", tg::io::encode_npz({}));
  write("npz", "utf8_name.npz", tg::io::encode_npz({{"\xc3\xa9t\xc3\xa9.npy", a}}));
}

// A model, an optimizer's state after two steps and the model's tensors, in one checkpoint.
void checkpoint_seeds() {
  for (const tg::optim::OptimizerInfo& info : tg::optim::optimizers()) {
    tg::manual_seed(0);
    tg::nn::MLP model({2, 3, 1}, tg::nn::Activation::tanh);
    const std::vector<tg::Tensor> params = model.parameters();
    const std::unique_ptr<tg::optim::Optimizer> opt = tg::fuzz::make_any_optimizer(info.name, params);
    const auto closure = [&] {
      opt->zero_grad();
      tg::Tensor loss = tg::tensor(0.0);
      for (const tg::Tensor& p : params) loss = loss + tg::sum(tg::square(p));
      loss.backward();
      return loss;
    };
    for (int k = 0; k < 2; ++k) opt->step(closure);
    tg::CheckpointWriter out;
    model.save(out);
    opt->save_state(out);
    tg::write_tensors(out, params);
    write("checkpoint", info.name + ".ckpt", out.bytes());
  }
}

void text_seeds() {
  write("split", "four_rows.csv", "\x03index,split\n0,test\n1,train\n2,train\n3,test\n"sv);
  write("split", "one_row_crlf.csv", "\x00index,split\r\n0 , train\r\n\r\n"sv);
  const std::pair<const char*, std::string_view> cli[] = {
      {"number", "\x00 -1.5e-3"sv},
      {"numbers", "\x01 1, -2.5,3e2"sv},
      {"count", "\x02 100"sv},
      {"assignment", "\x03lr = 0.1"sv},
      {"option_lr", "\x04\x00lr=0.01"sv},
      {"option_betas", "\x04\x05 betas=(0.8,0.99)"sv},
      {"point", "\x05\x00-1.5,2"sv},
  };
  for (const auto& [name, bytes] : cli) write("cli", name, bytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_seeds CORPUS_DIR\n";
    return 2;
  }
  corpus = argv[1];
  npy_seeds();
  npz_seeds();
  checkpoint_seeds();
  text_seeds();
  return 0;
}
