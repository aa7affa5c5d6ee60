// Looking at the tape: its live nodes as data, as text, and as a Graphviz graph.
#include <map>
#include <ostream>
#include <sstream>
#include <string>

#include "core/engine.hpp"
#include "tapegrad/tape.hpp"

namespace tg {

std::vector<NodeInfo> Tape::nodes() const {
  std::vector<NodeInfo> out;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const detail::Node& n = nodes_[i];
    if (!n.alive) continue;
    NodeInfo info;
    info.index = static_cast<int64_t>(i);
    info.op = detail::node_name(n);
    info.shape = n.out->shape;
    if (n.out->name) info.name = *n.out->name;
    for (std::size_t k = 0; k < n.num_inputs; ++k) {
      const detail::TensorImpl* t = inputs_[n.input_begin + k].tensor;
      InputInfo in;
      in.shape = t->shape;
      if (t->name) in.name = *t->name;
      if (t->tape == this) {
        in.kind = InputInfo::Kind::node;
        in.node = t->node;
      } else {
        in.kind = t->requires_grad ? InputInfo::Kind::leaf : InputInfo::Kind::constant;
      }
      info.inputs.push_back(std::move(in));
    }
    out.push_back(std::move(info));
  }
  return out;
}

namespace {
std::string describe(const InputInfo& in) {
  if (in.kind == InputInfo::Kind::node) return "#" + std::to_string(in.node);
  std::string s = in.name.empty() ? (in.kind == InputInfo::Kind::leaf ? "leaf" : "const") : in.name;
  return s + " " + in.shape.str();
}
}  // namespace

std::string Tape::str() const {
  std::ostringstream os;
  const std::vector<NodeInfo> all = nodes();
  os << "Tape: " << all.size() << " live node" << (all.size() == 1 ? "" : "s") << '\n';
  for (const NodeInfo& n : all) {
    os << "  #" << n.index << ' ' << n.op;
    if (!n.name.empty()) os << " \"" << n.name << '"';
    os << ' ' << n.shape.str() << " <- ";
    for (std::size_t k = 0; k < n.inputs.size(); ++k) os << (k ? ", " : "") << describe(n.inputs[k]);
    os << '\n';
  }
  return os.str();
}

std::string Tape::to_dot() const {
  std::ostringstream os;
  os << "digraph tape {\n"
     << "  rankdir=BT;\n"
     << "  node [fontname=\"Helvetica\", fontsize=11];\n";
  // Leaves and constants are identified by the tensor they are, so that a parameter used by
  // several nodes appears once.
  std::map<const detail::TensorImpl*, std::string> leaves;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const detail::Node& n = nodes_[i];
    if (!n.alive) continue;
    const std::string id = "n" + std::to_string(i);
    os << "  " << id << " [shape=box, style=\"rounded,filled\", fillcolor=\"#dbe8f7\", label=\"#" << i
       << ' ' << detail::node_name(n);
    if (n.out->name) os << " \\\"" << *n.out->name << "\\\"";
    os << "\\n" << n.out->shape.str() << "\"];\n";
    for (std::size_t k = 0; k < n.num_inputs; ++k) {
      const detail::TensorImpl* t = inputs_[n.input_begin + k].tensor;
      std::string from;
      if (t->tape == this) {
        from = "n" + std::to_string(t->node);
      } else {
        auto it = leaves.find(t);
        if (it == leaves.end()) {
          from = "t" + std::to_string(leaves.size());
          leaves.emplace(t, from);
          const bool param = t->requires_grad;
          const std::string label = t->name ? *t->name : (param ? "leaf" : "const");
          os << "  " << from << " [shape=ellipse, style=filled, fillcolor=\""
             << (param ? "#c8e6c9" : "#eeeeee") << "\", label=\"" << label << "\\n"
             << t->shape.str() << "\"];\n";
        } else {
          from = it->second;
        }
      }
      os << "  " << from << " -> " << id << ";\n";
    }
  }
  os << "}\n";
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tape& tape) { return os << tape.str(); }

}  // namespace tg
