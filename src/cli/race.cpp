// `tapegrad race`: several optimizers from the same start on one test function — a CSV per
// optimizer, a summary table, and the plots (contours with the paths, loss and parameters
// against the step).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>

#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/optim/registry.hpp"
#include "tapegrad/plot.hpp"
#include "tapegrad/tape.hpp"

namespace tg::cli {

const std::vector<Alias>& race_aliases() {
  static const std::vector<Alias> aliases = {
      {"momentum", "sgd", {{"momentum", "0.9"}}, "SGD with momentum 0.9"},
      {"nesterov", "sgd", {{"momentum", "0.9"}, {"nesterov", "true"}}, "SGD with Nesterov momentum 0.9"},
  };
  return aliases;
}

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

const optim::OptimizerInfo* find_info(const std::vector<optim::OptimizerInfo>& infos, const std::string& name) {
  for (const optim::OptimizerInfo& i : infos) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

const std::string* find_option(const optim::OptionList& options, const std::string& key) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : options) {
    if (k == key) found = &v;
  }
  return found;
}

// The racers named by --optimizers, with their options from the alias, --lr and --set.
std::vector<Racer> racers_of(const RaceArgs& args, const functions::TestFunction& f) {
  const std::vector<optim::OptimizerInfo> infos = optim::optimizers();
  std::vector<Racer> racers;
  std::vector<std::string> names;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = args.optimizers.find(',', begin);
    names.push_back(trim(args.optimizers.substr(begin, comma == std::string::npos ? comma : comma - begin)));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  for (const std::string& name : names) {
    if (name.empty()) throw UsageError("--optimizers: an empty name in '" + args.optimizers + "'");
    if (std::count(names.begin(), names.end(), name) > 1) {
      throw UsageError("--optimizers: '" + name + "' is given twice");
    }
    Racer r;
    r.name = name;
    const auto alias = std::find_if(race_aliases().begin(), race_aliases().end(),
                                    [&](const Alias& a) { return a.name == name; });
    if (alias != race_aliases().end()) {
      r.optimizer = alias->optimizer;
      r.options = alias->options;
    } else if (find_info(infos, name)) {
      r.optimizer = name;
    } else {
      std::vector<std::string> known;
      for (const Alias& a : race_aliases()) known.push_back(a.name);
      for (const optim::OptimizerInfo& i : infos) known.push_back(i.name);
      throw UsageError("--optimizers: unknown optimizer '" + name + "' (known: " + joined(known) + ")");
    }
    racers.push_back(std::move(r));
  }

  if (!args.lr.empty()) {
    parse_number("--lr", args.lr);
    for (Racer& r : racers) {
      if (find_option(find_info(infos, r.optimizer)->defaults, "lr")) r.options.emplace_back("lr", trim(args.lr));
    }
  }
  for (const std::string& s : args.set) {
    const auto [target, value] = parse_option("--set " + s, s);
    const std::size_t dot = target.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == target.size()) {
      throw UsageError("--set " + s + ": expected NAME.key=value, NAME one of " + joined(names));
    }
    const std::string name = target.substr(0, dot);
    const auto r = std::find_if(racers.begin(), racers.end(), [&](const Racer& x) { return x.name == name; });
    if (r == racers.end()) {
      throw UsageError("--set " + s + ": '" + name + "' is not in --optimizers (" + joined(names) + ")");
    }
    r->options.emplace_back(target.substr(dot + 1), value);
  }
  for (Racer& r : racers) {
    const std::vector<std::string> required = required_options(r.optimizer);
    const bool lr_required = std::find(required.begin(), required.end(), "lr") != required.end();
    if (lr_required && !find_option(r.options, "lr") && f.sgd_lr > 0) {
      r.options.emplace_back("lr", optim::format_value(f.sgd_lr));
    }
    try {
      optim::make_optimizer(r.optimizer, {tg::zeros(f.shape, true)}, r.options);
    } catch (const tg::ValueError& e) {
      throw UsageError((r.name == r.optimizer ? "" : r.name + " (" + r.optimizer + "): ") + one_line(e.what()));
    }
  }
  return racers;
}

std::string lr_of(const Racer& r) {
  if (const std::string* lr = find_option(r.options, "lr")) return *lr;
  for (const optim::OptimizerInfo& i : optim::optimizers()) {
    if (i.name == r.optimizer) {
      if (const std::string* lr = find_option(i.defaults, "lr")) return *lr == "nan" ? "-" : *lr;
    }
  }
  return "-";
}

// Left-aligned columns, two spaces apart.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

std::ofstream open_for_writing(const std::string& path) {
  std::ofstream file(path);
  if (!file) throw tg::IoError("cannot write '" + path + "': " + std::strerror(errno));
  return file;
}

void draw_plots(const RaceArgs& args, const functions::TestFunction& f, const std::vector<double>& start,
                int64_t steps, RaceResult& result) {
  const std::string dir = args.out_dir;
  bool drawn = true;
  // A title fits one line: a start with more than 4 components is shortened to its first
  // three and its last, "(0, 0, 0, ..., 0)".
  std::string from = format_point(start);
  if (start.size() > 4) {
    from = format_point({start[0], start[1], start[2]});
    from = from.substr(0, from.size() - 1) + ", ..., " + format_point({start.back()}).substr(1);
  }
  const std::string what = f.name + ", " + std::to_string(steps) + (steps == 1 ? " step from " : " steps from ") + from;
  if (f.dim() == 2 && f.window[0] < f.window[1]) {
    plot::ContourPlot c;
    c.title = what;
    c.window = f.window;
    c.log_scale = f.log_scale;
    c.f = [&f](double x, double y) {
      NoGradGuard no_grad;
      return f(tg::tensor(std::vector<double>{x, y}, f.shape)).item();
    };
    for (const functions::Point& p : f.points) {
      if (p.kind.find("minimum") != std::string::npos) c.markers.push_back(p.x);
    }
    for (const Racer& r : result.racers) {
      plot::Trajectory t{r.name, {}};
      for (const Row& row : r.run.rows) t.points.push_back(row.params);
      c.trajectories.push_back(std::move(t));
    }
    if (plot::contour(dir + "/contour", c)) {
      result.files.push_back("contour.png");
    } else {
      drawn = false;
    }
    if (args.surface) {
      if (plot::surface_beside_contour(dir + "/surface", c)) {
        result.files.push_back("surface.png");
      } else {
        drawn = false;
      }
    }
  }

  const double fstar = global_minimum_value(f);
  std::vector<plot::Series> loss;
  for (const Racer& r : result.racers) {
    plot::Series s{r.name, {}, {}};
    for (const Row& row : r.run.rows) {
      s.x.push_back(static_cast<double>(row.step));
      s.y.push_back(std::isnan(fstar) ? row.loss : row.loss - fstar);
    }
    loss.push_back(std::move(s));
  }
  // A log scale when f* is known (loss - f* >= 0, and it shows how many digits each racer
  // gained) or when every loss is positive; never when no value could be drawn on it (all
  // racers at f* from the start).
  bool all_positive = true, any_positive = false;
  for (const plot::Series& s : loss) {
    for (double y : s.y) {
      all_positive = all_positive && y > 0;
      any_positive = any_positive || y > 0;
    }
  }
  const bool log_y = any_positive && (!std::isnan(fstar) || all_positive);
  const std::string loss_label = std::isnan(fstar) || fstar == 0 ? "loss" : "loss - f*  (f* = " + format_short(fstar) + ")";
  const std::string loss_title = what + ": " + (std::isnan(fstar) || fstar == 0 ? "loss" : "loss - f*") +
                                 (log_y ? " against step, log scale" : " against step");
  if (plot::lines(dir + "/loss", loss_title, "step", loss_label, loss, log_y)) {
    result.files.push_back("loss.png");
  } else {
    drawn = false;
  }

  // Parameters against the step: a plot per component (a line per racer, coloured as in the
  // loss plot) for up to 4 components, else a plot per racer (a line per component).
  auto component = [](const Racer& r, int64_t k, const std::string& label) {
    plot::Series s{label, {}, {}};
    for (const Row& row : r.run.rows) {
      s.x.push_back(static_cast<double>(row.step));
      s.y.push_back(row.params[k]);
    }
    return s;
  };
  std::vector<std::pair<std::string, std::vector<plot::Series>>> params;  // base name, lines
  if (f.dim() <= 4) {
    for (int64_t k = 0; k < f.dim(); ++k) {
      std::vector<plot::Series> lines;
      for (const Racer& r : result.racers) lines.push_back(component(r, k, r.name));
      params.emplace_back("params_p" + std::to_string(k), std::move(lines));
    }
  } else {
    for (const Racer& r : result.racers) {
      std::vector<plot::Series> lines;
      for (int64_t k = 0; k < f.dim(); ++k) lines.push_back(component(r, k, "p" + std::to_string(k)));
      params.emplace_back("params_" + r.name, std::move(lines));
    }
  }
  // On a 2-D function p0 and p1 are the contour plot's x and y.
  const char* const plane_axes[] = {"x", "y"};
  for (const auto& [base, lines] : params) {
    const std::string name = base.substr(7);  // after "params_"
    std::string title, ylabel;
    if (f.dim() > 4) {
      title = what + ": " + name + ", every parameter against step";
      ylabel = "parameter value";
    } else {
      const int64_t k = std::stoll(name.substr(1));
      const bool plane = f.dim() == 2;
      title = what + ": parameter " + name + (plane ? std::string(" (") + plane_axes[k] + ")" : "") + " against step";
      ylabel = plane ? name + " (" + plane_axes[k] + ")" : name;
    }
    if (plot::lines(dir + "/" + base, title, "step", ylabel, lines)) {
      result.files.push_back(base + ".png");
    } else {
      drawn = false;
    }
  }
  result.plotted = drawn;
}

}  // namespace

RaceResult race(const RaceArgs& args, std::ostream& out) {
  if (args.function.empty()) throw UsageError("--function is required (tapegrad list functions)");
  if (args.out_dir.empty()) throw UsageError("--out is required (the directory for the results)");
  const functions::TestFunction& f = find_function(args.function);
  if (args.surface && f.dim() != 2) {
    throw UsageError("--surface: " + f.name + " has " + std::to_string(f.dim()) +
                     " parameters; a surface is drawn over 2 (tapegrad list functions)");
  }
  if (args.surface && !args.plots) throw UsageError("--surface draws a plot: it cannot go with --no-plots");
  RaceResult result;
  result.racers = racers_of(args, f);
  const std::vector<double> start = parse_point("--start", args.start, f);
  const int64_t steps = parse_count("--steps", args.steps);
  const double tol = parse_number("--tol", args.tol);
  if (!(tol >= 0) || std::isinf(tol)) throw UsageError("--tol: '" + args.tol + "' is not a finite number >= 0");
  std::error_code ec;
  std::filesystem::create_directories(args.out_dir, ec);
  if (ec) throw tg::IoError("cannot create the directory '" + args.out_dir + "': " + ec.message());

  const double fstar = global_minimum_value(f);
  for (Racer& r : result.racers) {
    const std::string name = r.name + ".csv";
    std::ofstream csv = open_for_writing(args.out_dir + "/" + name);
    csv << "step,loss,grad_norm";
    for (int64_t i = 0; i < f.dim(); ++i) csv << ",p" << i;
    csv << '\n';
    r.run = run_optimizer(f, r.optimizer, r.options, start, steps, /*with_grad_norm=*/true, [&](const Row& row) {
      csv << row.step << ',' << format_exact(row.loss) << ',' << format_exact(row.grad_norm);
      for (double v : row.params) csv << ',' << format_exact(v);
      csv << '\n';
      if (r.steps_to_tol < 0 && !std::isnan(fstar) && row.loss - fstar <= tol) r.steps_to_tol = row.step;
    });
    csv.close();
    if (!csv) throw tg::IoError("cannot write '" + args.out_dir + "/" + name + "'");
    result.files.push_back(name);
    if (r.run.diverged) {
      r.final_loss = r.run.diverged_loss;
      r.distance = std::numeric_limits<double>::quiet_NaN();
    } else {
      r.final_loss = r.run.rows.back().loss;
      r.distance = distance_to_nearest_minimum(f, r.run.rows.back().params);
    }
  }

  // The summary table, and the same as CSV.
  out << f.name << ": " << steps << (steps == 1 ? " step from " : " steps from ") << format_point(start);
  if (!std::isnan(fstar)) {
    out << "; f* = " << format_short(fstar) << ", tolerance f - f* <= " << format_short(tol);
  } else {
    out << "; no known minimum";
  }
  out << "\n";
  std::vector<std::vector<std::string>> table = {
      {"optimizer", "lr", "final loss", "distance to minimum", "steps to tolerance", "diverged"}};
  std::ofstream summary = open_for_writing(args.out_dir + "/summary.csv");
  summary << "name,optimizer,lr,final_loss,distance_to_minimum,steps_to_tolerance,diverged_at\n";
  for (const Racer& r : result.racers) {
    std::string diverged = "no";
    if (r.run.diverged) {
      diverged = (r.run.failure.empty() ? "at step " : "failed at step ") + std::to_string(r.run.diverged_at);
    }
    std::string reached = std::isnan(fstar) ? "-" : r.steps_to_tol < 0 ? "never" : std::to_string(r.steps_to_tol);
    table.push_back({r.name, lr_of(r), format_short(r.final_loss), std::isnan(r.distance) ? "-" : format_short(r.distance),
                     reached, diverged});
    summary << r.name << ',' << r.optimizer << ',' << lr_of(r) << ',' << format_exact(r.final_loss) << ','
            << format_exact(r.distance) << ',' << r.steps_to_tol << ',' << r.run.diverged_at << '\n';
  }
  summary.close();
  if (!summary) throw tg::IoError("cannot write '" + args.out_dir + "/summary.csv'");
  result.files.push_back("summary.csv");
  print_table(out, table);

  if (args.plots) {
    try {
      draw_plots(args, f, start, steps, result);
      if (!result.plotted) out << plot::install_hint() << "\n";
    } catch (const tg::ValueError& e) {  // the plot module refused the data: not bad input
      result.plotted = false;
      result.plot_error = one_line(e.what());
    }
  }
  out << "written to " << args.out_dir << "/: " << joined(result.files) << "\n";
  if (result.plotted) out << "(beside each .png: the .svg, the gnuplot script .gp and its data *.dat)\n";
  return result;
}

int race_command(const RaceArgs& args, std::ostream& out, std::ostream& err) {
  return guarded("race", err, [&] {
    const RaceResult result = race(args, out);
    int status = kOk;
    for (const Racer& r : result.racers) {
      if (!r.run.diverged) continue;
      // Every racer starts where f is finite (parse_point), so its CSV holds step 0 at least.
      const std::string kept = r.name + ".csv holds steps 0 to " + std::to_string(r.run.rows.back().step);
      if (!r.run.failure.empty()) {
        err << "tapegrad race: " << r.name << ": step " << r.run.diverged_at << " failed: " << r.run.failure << " ("
            << kept << ")\n";
      } else {
        err << "tapegrad race: " << r.name << " diverged at step " << r.run.diverged_at
            << " (loss = " << format_exact(r.run.diverged_loss) << "); " << kept << "\n";
      }
      status = kFailed;
    }
    if (!result.plot_error.empty()) {
      err << "tapegrad race: the plots failed: " << result.plot_error << "\n";
      status = kFailed;
    }
    return status;
  });
}

}  // namespace tg::cli
