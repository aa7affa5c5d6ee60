#include "tapegrad/optim/checkpoint.hpp"

#include <cmath>
#include <sstream>

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

void StateLayout::field(const char* name, Tensor& value) {
  StateEntry e;
  e.name = name;
  e.kind = StateEntry::Kind::kTensor;
  e.present = value.defined();
  if (e.present) e.shape = value.shape();
  entries.push_back(std::move(e));
}

void StateLayout::field(const char* name, std::vector<Tensor>& value) {
  StateEntry e;
  e.name = name;
  e.kind = StateEntry::Kind::kList;
  for (const Tensor& t : value) e.shapes.push_back(t.shape());
  entries.push_back(std::move(e));
}

void StateLayout::field(const char* name, int64_t& value) {
  StateEntry e;
  e.name = name;
  e.kind = StateEntry::Kind::kCount;
  e.count = value;
  entries.push_back(std::move(e));
}

void StateLayout::field(const char* name, double& value) {
  StateEntry e;
  e.name = name;
  e.kind = StateEntry::Kind::kNumber;
  e.number = value;
  entries.push_back(std::move(e));
}

bool StateLayout::holds_tensors() const {
  for (const StateEntry& e : entries)
    if (e.present || !e.shapes.empty()) return true;
  return false;
}

namespace {
// "for parameter 1 of group 0 (shape (3,))"
std::string parameter_text(const StateSite& site) {
  std::ostringstream s;
  s << "for parameter " << site.index << " of group " << site.group << " (shape " << site.param_shape.str() << ")";
  return s.str();
}

FormatError shape_error(const StateSite& site, const std::string& entry, const Shape& found, const Shape& expected) {
  std::ostringstream s;
  s << "has shape " << found.str() << " in the checkpoint but " << expected.str() << " is expected " << parameter_text(site);
  return state_error(site, entry, s.str());
}
}  // namespace

FormatError state_error(const StateSite& site, const std::string& entry, const std::string& problem) {
  std::ostringstream s;
  s << site.in.source() << ": state entry '" << state_prefix(site.group, site.index) << entry << "' " << problem;
  return FormatError(s.str());
}

FormatError count_error(const StateSite& site, const std::string& entry, std::size_t found, std::size_t expected) {
  std::ostringstream s;
  s << "is " << found << " in the checkpoint but " << expected << " is expected " << parameter_text(site);
  return state_error(site, entry, s.str());
}

void check_numbers(const StateSite& site, const StateLayout& loaded) {
  for (const StateEntry& e : loaded.entries) {
    if (e.kind == StateEntry::Kind::kCount && e.count < 0) {
      std::ostringstream s;
      s << "is " << e.count << " in the checkpoint, but it is a count and cannot be negative";
      throw state_error(site, e.name, s.str());
    }
    if (e.kind == StateEntry::Kind::kNumber && !std::isfinite(e.number)) {
      std::ostringstream s;
      s << "is " << format_value(e.number) << " in the checkpoint, but it must be finite";
      throw state_error(site, e.name, s.str());
    }
  }
}

void check_shapes(const StateSite& site, const StateLayout& loaded, const StateLayout& expected) {
  for (std::size_t k = 0; k < loaded.entries.size(); ++k) {
    const StateEntry& got = loaded.entries[k];
    const StateEntry& want = expected.entries.at(k);  // the same State type: the same entries
    if (got.kind == StateEntry::Kind::kTensor && got.present) {
      // An entry the update leaves out under these options is one it would create like the parameter.
      const Shape& shape = want.present ? want.shape : site.param_shape;
      if (got.shape != shape) throw shape_error(site, got.name, got.shape, shape);
    }
    if (got.kind == StateEntry::Kind::kList && !got.shapes.empty()) {
      if (got.shapes.size() != want.shapes.size()) {
        throw count_error(site, got.name + ".count", got.shapes.size(), want.shapes.size());
      }
      for (std::size_t j = 0; j < got.shapes.size(); ++j) {
        if (got.shapes[j] != want.shapes[j]) {
          throw shape_error(site, got.name + "." + std::to_string(j), got.shapes[j], want.shapes[j]);
        }
      }
    }
  }
}

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
