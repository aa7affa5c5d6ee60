#include "tapegrad/optim/checkpoint.hpp"

#include "tapegrad/error.hpp"

namespace tg::optim {

namespace detail {

std::string state_prefix(std::size_t group, std::size_t index) {
  return "state." + std::to_string(group) + "." + std::to_string(index) + ".";
}

std::string option_key(std::size_t group, const std::string& option) {
  return "group." + std::to_string(group) + ".option." + option;
}

void check_layout(const CheckpointReader& in, const char* name, const std::vector<std::size_t>& params_per_group) {
  const std::string& saved = in.get("optimizer");
  if (saved != name) {
    throw FormatError(in.source() + ": the checkpoint is of optimizer '" + saved + "', not '" + name + "'");
  }
  const int64_t groups = in.get_int("groups");
  if (groups != static_cast<int64_t>(params_per_group.size())) {
    throw FormatError(in.source() + ": the checkpoint has " + std::to_string(groups) + " parameter groups, the optimizer " +
                      std::to_string(params_per_group.size()));
  }
  for (std::size_t g = 0; g < params_per_group.size(); ++g) {
    const int64_t n = in.get_int("group." + std::to_string(g) + ".params");
    if (n != static_cast<int64_t>(params_per_group[g])) {
      throw FormatError(in.source() + ": group " + std::to_string(g) + " has " + std::to_string(n) +
                        " parameters in the checkpoint, " + std::to_string(params_per_group[g]) + " here");
    }
  }
}

void StateWriter::field(const char* name, Tensor& value) {
  if (value.defined()) out_.add(prefix_ + name, value);
}

void StateWriter::field(const char* name, std::vector<Tensor>& value) {
  out_.set(prefix_ + name + ".count", std::to_string(value.size()));
  for (std::size_t k = 0; k < value.size(); ++k) out_.add(prefix_ + name + "." + std::to_string(k), value[k]);
}

void StateWriter::field(const char* name, int64_t& value) { out_.set(prefix_ + name, std::to_string(value)); }

void StateWriter::field(const char* name, double& value) { out_.set(prefix_ + name, format_value(value)); }

void StateReader::field(const char* name, Tensor& value) {
  value = in_.has_tensor(prefix_ + name) ? in_.tensor(prefix_ + name) : Tensor();
}

void StateReader::field(const char* name, std::vector<Tensor>& value) {
  const int64_t n = in_.get_int(prefix_ + name + ".count");
  value.clear();
  for (int64_t k = 0; k < n; ++k) value.push_back(in_.tensor(prefix_ + name + "." + std::to_string(k)));
}

void StateReader::field(const char* name, int64_t& value) { value = in_.get_int(prefix_ + name); }

void StateReader::field(const char* name, double& value) { value = in_.get_double(prefix_ + name); }

}  // namespace detail

void save_checkpoint(const std::string& path, const Optimizer& optimizer, const std::vector<Tensor>& tensors) {
  CheckpointWriter out;
  optimizer.save_state(out);
  write_tensors(out, tensors);
  out.save(path);
}

void load_checkpoint(const std::string& path, Optimizer& optimizer, const std::vector<Tensor>& tensors) {
  const CheckpointReader in = CheckpointReader::load(path);
  check_tensors(in, tensors);
  optimizer.load_state(in);  // the last step that can fail; it changes nothing if it does
  read_tensors(in, tensors);
}

}  // namespace tg::optim
