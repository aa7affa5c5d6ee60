// `tapegrad list functions | optimizers`: the names the other subcommands accept.
#include <algorithm>
#include <ostream>

#include "cli.hpp"
#include "tapegrad/optim/registry.hpp"

namespace tg::cli {

namespace {

void list_functions(std::ostream& out) {
  std::size_t width = 0;
  for (const functions::TestFunction& f : functions::all()) width = std::max(width, f.name.size() + f.shape.str().size() + 1);
  const std::string indent(width + 4, ' ');
  for (const functions::TestFunction& f : functions::all()) {
    const std::string head = f.name + " " + f.shape.str();
    out << "  " << head << std::string(width - head.size() + 2, ' ') << f.formula << "\n";
    std::string facts;
    for (const functions::Point& p : f.points) {
      if (p.kind != "global minimum") continue;
      facts += (facts.empty() ? "global minimum f = " + format_short(p.value) + " at " : " and ") + format_point(p.x);
    }
    if (facts.empty()) facts = "no minimum";
    facts += "; default start " + format_point(f.starts.front().second);
    if (f.sgd_lr > 0) facts += "; sgd lr " + format_short(f.sgd_lr);
    if (!f.note.empty()) facts += "; " + f.note;
    out << indent << facts << "\n";
  }
}

void list_optimizers(std::ostream& out) {
  const std::vector<optim::OptimizerInfo> infos = optim::optimizers();
  std::size_t width = 0;
  for (const optim::OptimizerInfo& i : infos) width = std::max(width, i.name.size());
  const std::string indent(width + 4, ' ');
  const auto print = [&](const optim::OptimizerInfo& i) {
    out << "  " << i.name << std::string(width - i.name.size() + 2, ' ') << i.summary << "\n";
    const std::vector<std::string> required = required_options(i.name);
    std::string options;
    for (const auto& [key, value] : i.defaults) {
      const bool must = std::find(required.begin(), required.end(), key) != required.end();
      options += (options.empty() ? "" : " ") + key + "=" +
                 (must ? "(required)" : value == "nan" ? "(none)" : value.empty() ? "\"\"" : value);
    }
    out << indent << options << "\n";
  };
  for (const optim::OptimizerInfo& i : infos) print(i);
  // built from a model (its layers), so not for race or optimize
  for (const optim::OptimizerInfo& i : optim::model_optimizers()) print(i);
  out << "race also accepts:";
  for (const Alias& a : race_aliases()) {
    std::string options;
    for (const auto& [key, value] : a.options) options += (options.empty() ? "" : ", ") + key + "=" + value;
    out << " " << a.name << " = " << a.optimizer << " with " << options << (&a == &race_aliases().back() ? "\n" : ";");
  }
}

}  // namespace

int list(const std::string& what, std::ostream& out, std::ostream& err) {
  return guarded("list", err, [&] {
    if (what.empty()) {
      throw UsageError("what to list? functions or optimizers");
    } else if (what == "functions") {
      list_functions(out);
    } else if (what == "optimizers") {
      list_optimizers(out);
    } else {
      throw UsageError("unknown list '" + what + "' (known: functions, optimizers)");
    }
    return static_cast<int>(kOk);
  });
}

}  // namespace tg::cli
