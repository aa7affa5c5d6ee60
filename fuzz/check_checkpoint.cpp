// Checkpoints: CheckpointReader (the .npz archive and its tapegrad.txt entries), then everything
// that loads from one — Module::load into a small MLP, check_tensors/read_tensors, and an
// optimizer's load_state (the optimizer the file names) followed by a step. Input: the
// checkpoint file's bytes. Well-formed:
//   - a tensor the reader hands out has as many values as its shape says;
//   - Module::load either copies exactly the file's tensors into the parameters (same shapes)
//     or fails leaving every parameter unchanged, as documented;
//   - read_tensors after a passing check_tensors copies exactly the file's tensors;
//   - load_state either fails leaving the options unchanged, or leaves an optimizer that
//     steps (any failure of that step is a tapegrad error) without changing parameter shapes.
#include <cstring>
#include <memory>

#include "any_optimizer.hpp"
#include "check.hpp"
#include "tapegrad/io/checkpoint.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/nn/mlp.hpp"
#include "tapegrad/ops.hpp"
#include "tapegrad/optim/registry.hpp"
#include "tapegrad/tape.hpp"

namespace tg::fuzz {

namespace {

template <class F>
bool succeeded(F&& f) {
  try {
    f();
    return true;
  } catch (const tg::Error&) {
    return false;
  }
}

std::vector<std::vector<double>> values_of(const std::vector<Tensor>& tensors) {
  std::vector<std::vector<double>> out;
  for (const Tensor& t : tensors) out.push_back(t.to_vector());
  return out;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.numel()) * sizeof(double)) == 0;
}

// A tensor as the file holds it, checked against its own shape; undefined if it is not valid.
Tensor saved_tensor(const CheckpointReader& in, const std::string& name) {
  Tensor t;
  if (!in.has_tensor(name) || !succeeded([&] { t = in.tensor(name); })) return {};
  require(t.numel() == t.shape().numel(), "CheckpointReader::tensor: " + name + " does not fill its shape");
  return t;
}

void check_module_load(const CheckpointReader& in, nn::Module& model) {
  const auto named = model.named_parameters();
  std::vector<Tensor> params;
  for (const auto& [name, p] : named) params.push_back(p);
  const auto before = values_of(params);
  if (!succeeded([&] { model.load(in); })) {
    require(values_of(params) == before, "Module::load failed but changed a parameter");
    return;
  }
  for (const auto& [name, p] : named) {
    require(same_bits(p, saved_tensor(in, "parameter." + name)),
            "Module::load: parameter " + name + " is not the file's tensor");
  }
}

void check_read_tensors(const CheckpointReader& in, const std::vector<Tensor>& params) {
  if (!succeeded([&] { check_tensors(in, params); })) return;
  if (!succeeded([&] { read_tensors(in, params); })) return;
  for (std::size_t k = 0; k < params.size(); ++k) {
    require(same_bits(params[k], saved_tensor(in, "tensor." + std::to_string(k))),
            "read_tensors: tensor " + std::to_string(k) + " is not the file's tensor");
  }
}

void check_optimizer_load(const CheckpointReader& in, const std::vector<Tensor>& params) {
  std::unique_ptr<optim::Optimizer> opt;
  const bool made = succeeded([&] {
    // The options it is made with do not matter: load_state replaces them.
    opt = make_any_optimizer(in.get("optimizer"), params);
  });
  if (!made) return;
  std::vector<std::string> options;
  for (const std::string& option : opt->option_names()) options.push_back(opt->option(option));
  if (!succeeded([&] { opt->load_state(in); })) {
    for (std::size_t k = 0; k < options.size(); ++k) {
      require(opt->option(opt->option_names()[k]) == options[k], "load_state failed but changed an option");
    }
    return;
  }
  std::vector<Shape> shapes;
  for (const Tensor& p : params) shapes.push_back(p.shape());
  const auto closure = [&] {
    opt->zero_grad();
    Tensor loss = tensor(0.0);
    for (const Tensor& p : params) loss = loss + sum(square(p));
    loss.backward();
    return loss;
  };
  succeeded([&] { opt->step(closure); });
  for (std::size_t k = 0; k < params.size(); ++k) {
    require(params[k].shape() == shapes[k], "a step after load_state changed a parameter's shape");
  }
}

}  // namespace

void check_checkpoint(std::string_view input) {
  std::unique_ptr<CheckpointReader> in;
  if (!succeeded([&] { in = std::make_unique<CheckpointReader>(input, "fuzz.ckpt"); })) return;
  for (const char* key : {"tensors", "parameters", "groups"}) {
    succeeded([&] { in->get_int(key); });
    succeeded([&] { in->get_double(key); });
  }
  nn::MLP model({2, 3, 1}, nn::Activation::tanh);
  check_module_load(*in, model);
  const std::vector<Tensor> params = model.parameters();
  check_read_tensors(*in, params);
  check_optimizer_load(*in, params);
}

}  // namespace tg::fuzz
