// `tapegrad optimize`: one optimizer on one test function, the trajectory as CSV.
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/optim/registry.hpp"

namespace tg::cli {

namespace {

std::string describe_options(const optim::OptionList& options) {
  std::string s;
  for (const auto& [key, value] : options) s += (s.empty() ? "" : ", ") + key + "=" + value;
  return s.empty() ? "default options" : s;
}

}  // namespace

int optimize(const OptimizeArgs& args, std::ostream& out, std::ostream& err) {
  return guarded("optimize", err, [&] {
    if (args.function.empty()) throw UsageError("--function is required (tapegrad list functions)");
    if (args.optimizer.empty()) throw UsageError("--optimizer is required (tapegrad list optimizers)");
    const functions::TestFunction& f = find_function(args.function);
    optim::OptionList options;
    for (const std::string& s : args.set) options.push_back(parse_option("--set", s));
    const std::vector<double> start = parse_point("--start", args.start, f);
    const int64_t steps = parse_count("--steps", args.steps);
    optim::make_optimizer(args.optimizer, {tg::tensor(start, f.shape, true)}, options);  // validates

    std::ofstream file;
    std::ostream* trace = nullptr;
    if (args.trace == "-") {
      trace = &out;
    } else if (!args.trace.empty()) {
      file.open(args.trace);
      if (!file) throw tg::IoError("cannot write the trace '" + args.trace + "': " + std::strerror(errno));
      trace = &file;
    }
    if (trace) *trace << csv_header(f.dim()) << '\n';
    const RunResult run = run_optimizer(f, args.optimizer, options, start, steps, false, [&](const Row& row) {
      if (trace) *trace << csv_row(row) << '\n';
    });
    if (trace) trace->flush();
    if (file.is_open() && !file) throw tg::IoError("cannot write the trace '" + args.trace + "'");

    if (run.diverged) {
      // Step 0 is always in the trace: parse_point checked that f is finite at the start.
      const std::string where =
          trace ? "the trace holds steps 0 to " + std::to_string(run.rows.back().step) : "no trace was asked for";
      if (!run.failure.empty()) {
        err << "tapegrad optimize: step " << run.diverged_at << " failed: " << run.failure << " (" << where << ")\n";
      } else {
        err << "tapegrad optimize: diverged at step " << run.diverged_at << " (loss = " << format_exact(run.diverged_loss)
            << "); " << where << "\n";
      }
      return static_cast<int>(kFailed);
    }
    if (trace == &out) return static_cast<int>(kOk);

    const Row& last = run.rows.back();
    out << f.name << " with " << args.optimizer << " (" << describe_options(options) << "): " << steps
        << (steps == 1 ? " step from " : " steps from ") << format_point(start) << "\n";
    out << "final loss " << format_exact(last.loss) << " at " << format_point(last.params);
    std::size_t nearest = 0;
    const double d = distance_to_nearest_minimum(f, last.params, &nearest);
    if (!std::isnan(d)) {
      out << "; nearest known minimum " << format_point(f.points[nearest].x) << " at distance " << format_short(d);
    }
    out << "\n";
    if (trace) out << "trace: " << run.rows.size() << " rows written to " << args.trace << "\n";
    return static_cast<int>(kOk);
  });
}

}  // namespace tg::cli
