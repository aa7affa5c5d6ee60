// `tapegrad kfac`: K-FAC on a model problem, trained with the reference's loop (statistics
// on every TCov-th step, then the step), the trajectory of all parameters as CSV.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/data/datasets.hpp"
#include "tapegrad/data/scaler.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/nn/activation.hpp"
#include "tapegrad/nn/functional/loss.hpp"
#include "tapegrad/nn/linear.hpp"
#include "tapegrad/nn/sequential.hpp"
#include "tapegrad/optim/kfac.hpp"
#include "tapegrad/tape.hpp"

namespace tg::cli {

namespace {

constexpr int64_t kRowsPerClass = 10;

std::string read_text(const std::string& what, const std::string& path) {
  std::ifstream file(path);
  if (!file) throw tg::IoError(what + ": cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The numbers of `text` separated by commas, spaces or line breaks (a JSON list's brackets
// are separators too).
std::vector<double> numbers_in(const std::string& what, std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ' || c == '[' || c == ']') c = ',';
  std::string joined;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] != ',' || (!joined.empty() && joined.back() != ',')) joined += text[i];
  while (!joined.empty() && joined.back() == ',') joined.pop_back();
  if (joined.empty()) throw UsageError(what + ": no numbers");
  return parse_numbers(what, joined);
}

// --start: "x0,x1,..." or "@FILE".
std::vector<double> parse_start(const std::string& text, int64_t expected) {
  if (text.empty()) throw UsageError("--start is required: the " + std::to_string(expected) + " parameters, or @FILE");
  const std::vector<double> start =
      text[0] == '@' ? numbers_in("--start " + text, read_text("--start", text.substr(1))) : parse_numbers("--start", text);
  if (static_cast<int64_t>(start.size()) != expected) {
    throw UsageError("--start: " + std::to_string(start.size()) + " numbers, but the model has " + std::to_string(expected) +
                     " parameters (W1 row-major, b1, W2 row-major, b2)");
  }
  return start;
}

// --fisher-labels FILE: one line of labels per statistics step, in step order; lines "null"
// (steps without statistics, as a reference's per-step record writes them) are skipped.
std::vector<std::vector<double>> read_fisher_labels(const std::string& path, int64_t rows, int64_t classes) {
  std::istringstream lines(read_text("--fisher-labels", path));
  std::vector<std::vector<double>> out;
  std::string line;
  for (int line_no = 1; std::getline(lines, line); ++line_no) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string content = line.substr(first, line.find_last_not_of(" \t\r,") + 1 - first);
    if (content == "null" || content == "None") continue;  // a step without statistics
    const std::string where = "--fisher-labels " + path + " line " + std::to_string(line_no);
    const std::vector<double> labels = numbers_in(where, line);
    if (static_cast<int64_t>(labels.size()) != rows) {
      throw UsageError(where + ": " + std::to_string(labels.size()) + " labels, expected " + std::to_string(rows) +
                       " (one per data row)");
    }
    for (double l : labels) {
      if (l != static_cast<double>(static_cast<int64_t>(l)) || l < 0 || l >= static_cast<double>(classes)) {
        throw UsageError(where + ": '" + format_short(l) + "' is not a class (0 to " + std::to_string(classes - 1) + ")");
      }
    }
    out.push_back(labels);
  }
  return out;
}

void load_parameters(const std::vector<Tensor>& params, const std::vector<double>& flat) {
  NoGradGuard no_grad;
  std::size_t at = 0;
  for (const Tensor& p : params) {
    const auto n = static_cast<std::size_t>(p.numel());
    Tensor(p).copy_(tg::tensor(std::vector<double>(flat.begin() + at, flat.begin() + at + n), p.shape()));
    at += n;
  }
}

Row snapshot(int64_t step, double loss, const std::vector<Tensor>& params) {
  Row row{step, loss, 0.0, {}};
  for (const Tensor& p : params) {
    const std::vector<double> v = p.to_vector();
    row.params.insert(row.params.end(), v.begin(), v.end());
  }
  return row;
}

}  // namespace

data::Dataset mlp_iris30_data() {
  const data::TrainTest iris = data::load_dataset("iris");
  const std::vector<double> y = iris.train.y.to_vector();
  std::vector<int64_t> rows;
  for (int64_t c = 0; c < 3; ++c) {
    int64_t taken = 0;
    for (std::size_t i = 0; i < y.size() && taken < kRowsPerClass; ++i) {
      if (y[i] == static_cast<double>(c)) {
        rows.push_back(static_cast<int64_t>(i));
        ++taken;
      }
    }
  }
  data::StandardScaler scaler;
  scaler.fit(iris.train.X);
  const data::Dataset picked = iris.train.subset(rows);
  NoGradGuard no_grad;
  return data::Dataset(scaler.transform(picked.X).detach(), picked.y);
}

int kfac(const KfacArgs& args, std::ostream& out, std::ostream& err) {
  return guarded("kfac", err, [&] {
    if (args.problem != "mlp_iris30") throw UsageError("unknown problem '" + args.problem + "' (known: mlp_iris30)");
    if (args.fisher != "empirical" && args.fisher != "sampled") {
      throw UsageError("--fisher: '" + args.fisher + "' (expected empirical or sampled)");
    }
    if (args.fisher == "empirical" && !args.fisher_labels.empty()) {
      throw UsageError("--fisher-labels replays sampled labels: it needs --fisher sampled");
    }
    optim::OptionList options;
    for (const std::string& s : args.set) options.push_back(parse_option("--set", s));
    optim::KFACOptions o;
    optim::apply_options("kfac", options, o);
    const int64_t steps = parse_count("--steps", args.steps);
    const auto seed = static_cast<uint32_t>(parse_count("--seed", args.seed));

    nn::Sequential model(nn::Linear(4, 8), nn::Tanh(), nn::Linear(8, 3));
    const std::vector<Tensor> params = model.parameters();
    load_parameters(params, parse_start(args.start, 67));
    const data::Dataset d = mlp_iris30_data();
    std::vector<std::vector<double>> replayed;
    if (!args.fisher_labels.empty()) {
      replayed = read_fisher_labels(args.fisher_labels, d.size(), 3);
      const int64_t needed = (steps + o.TCov - 1) / o.TCov;
      if (static_cast<int64_t>(replayed.size()) < needed) {
        throw UsageError("--fisher-labels " + args.fisher_labels + ": " + std::to_string(replayed.size()) +
                         " lines of labels, but " + std::to_string(steps) + " steps with TCov = " + std::to_string(o.TCov) +
                         " gather statistics " + std::to_string(needed) + " times");
      }
    }
    optim::KFAC opt(model, o);

    std::ofstream file;
    std::ostream* trace = nullptr;
    if (args.trace == "-") {
      trace = &out;
    } else if (!args.trace.empty()) {
      file.open(args.trace);
      if (!file) throw tg::IoError("cannot write the trace '" + args.trace + "': " + std::strerror(errno));
      trace = &file;
    }
    if (trace) *trace << csv_header(static_cast<int64_t>(snapshot(0, 0, params).params.size())) << '\n';

    Generator generator(seed);
    std::size_t next_labels = 0;
    double start_loss = 0.0;
    for (int64_t k = 0; k < steps; ++k) {
      opt.zero_grad();
      const Tensor output = model(d.X);
      const Tensor loss = nn::functional::cross_entropy(output, d.y);
      if (k == 0) start_loss = loss.item();
      if (trace) *trace << csv_row(snapshot(k, loss.item(), params)) << '\n';
      if (opt.statistics_due()) {
        Tensor labels = d.y;
        if (args.fisher == "sampled") {
          labels = replayed.empty() ? optim::sample_fisher_labels(output, generator)
                                    : tg::tensor(replayed[next_labels++], {d.size()});
        }
        opt.gather_statistics(output, labels);
      }
      loss.backward();
      opt.step();
    }
    double final_loss = 0.0;
    {
      NoGradGuard no_grad;
      final_loss = nn::functional::cross_entropy(model(d.X), d.y).item();
    }
    if (trace) {
      *trace << csv_row(snapshot(steps, final_loss, params)) << '\n';
      trace->flush();
    }
    if (file.is_open() && !file) throw tg::IoError("cannot write the trace '" + args.trace + "'");
    if (trace == &out) return static_cast<int>(kOk);

    std::string described;
    for (const auto& [key, value] : options) described += (described.empty() ? "" : ", ") + key + "=" + value;
    out << args.problem << " with kfac (" << args.fisher << " Fisher"
        << (args.fisher == "sampled" ? (replayed.empty() ? ", seed " + args.seed : ", labels from " + args.fisher_labels) : "")
        << (described.empty() ? "" : "; " + described) << "): " << steps << (steps == 1 ? " step\n" : " steps\n");
    out << "loss " << format_exact(steps == 0 ? final_loss : start_loss) << " at the start, " << format_exact(final_loss)
        << " at the end\n";
    if (trace) out << "trace: " << steps + 1 << " rows written to " << args.trace << "\n";
    return static_cast<int>(kOk);
  });
}

}  // namespace tg::cli
