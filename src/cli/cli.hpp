// The work of the `tapegrad` command-line tool, apart from its argument parsing (main.cpp),
// so that every subcommand can be run and tested as a function:
//
//   tapegrad race      several optimizers from one start on a test function; CSVs, summary, plots
//   tapegrad optimize  one optimizer; the trajectory as CSV (step,loss,p0,p1,...) at %.17g
//   tapegrad landscape value, gradient, Hessian eigenvalues and terrain at a point
//   tapegrad list      the test functions or the optimizers with their options
//
// Every argument arrives as the text the user typed; the functions below check it and report
// a problem as UsageError (one line, exit status 2). Exit statuses: 0 success, 1 a run
// diverged or failed (optimize, or a racer of race), 2 bad input, 3 a file could not be written.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "tapegrad/data/dataset.hpp"
#include "tapegrad/functions/test_functions.hpp"
#include "tapegrad/optim/options.hpp"

namespace tg::cli {

enum ExitStatus : int { kOk = 0, kFailed = 1, kUsage = 2, kIoError = 3 };

/// Bad input on the command line: an unknown name, a malformed number, a wrong dimension,
/// an invalid option. The message is one line that names the problem.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- reading arguments (parse.cpp) ---------------------------------------------------------

/// A number; UsageError "`what`: 'text' is not a number".
double parse_number(const std::string& what, const std::string& text);
/// Comma-separated numbers ("-1.5,2"), each finite.
std::vector<double> parse_numbers(const std::string& what, const std::string& text);
/// A whole number >= 0.
int64_t parse_count(const std::string& what, const std::string& text);
/// "key=value" split at the first '='; UsageError if there is none or the key is empty.
std::pair<std::string, std::string> parse_assignment(const std::string& what, const std::string& text);
/// An optimizer option "key=value" (parse_assignment), whose value holds no number that is
/// not finite ("nan" would read as "not given").
std::pair<std::string, std::string> parse_option(const std::string& what, const std::string& text);
/// The test function by name (UsageError listing the known names).
const functions::TestFunction& find_function(const std::string& name);
/// A point of f's parameter space: `text` ("x,y,...", row-major for matrices) with f.dim()
/// components where f is finite, or f's default start when `text` is empty.
std::vector<double> parse_point(const std::string& what, const std::string& text, const functions::TestFunction& f);
/// "(a, b)" with %.6g numbers, for messages and summaries.
std::string format_point(const std::vector<double>& x);
/// %.6g, for tables ("nan" whatever the sign bit).
std::string format_short(double v);
/// %.17g: 17 significant digits, which read back as the same double, for CSV files.
std::string format_exact(double v);
/// The text as one line (line breaks become spaces), for error messages.
std::string one_line(std::string text);

// ---- one optimizer run (run.cpp) -----------------------------------------------------------

/// A row of a trajectory: the parameters after `step` steps (step 0 is the start), f there,
/// and, when asked for, the norm of the gradient there.
struct Row {
  int64_t step = 0;
  double loss = 0;
  double grad_norm = 0;
  std::vector<double> params;
};

struct RunResult {
  std::vector<Row> rows;       // every finite row, from step 0
  bool diverged = false;       // a step produced a non-finite loss or parameter
  int64_t diverged_at = -1;    // that step
  double diverged_loss = 0;    // f there (inf or nan, or finite if only a parameter was not)
  std::string failure;         // the optimizer threw at step diverged_at (its message)
};

/// The trajectory CSV's header "step,loss,p0,...,p<dim-1>" and one row at %.17g.
std::string csv_header(int64_t dim);
std::string csv_row(const Row& row);

/// Runs `optimizer` (its canonical name and options, validated by make_optimizer, which
/// throws tg::ValueError) on f from `start` for `steps` steps. Every step calls
/// opt->step(closure) with a closure that zero_grads, evaluates f through the tape and calls
/// backward(); each row's loss is f at that row's parameters, evaluated again after the step.
/// Stops at the first non-finite loss or parameter (not kept in rows). `sink` receives each
/// row as it is produced.
RunResult run_optimizer(const functions::TestFunction& f, const std::string& optimizer,
                        const optim::OptionList& options, const std::vector<double>& start, int64_t steps,
                        bool with_grad_norm = false, const std::function<void(const Row&)>& sink = {});

/// The options optimizer `name` cannot run without (sgd: lr; demon_sgdm: lr and T), as
/// make_optimizer reports them when they are left out.
std::vector<std::string> required_options(const std::string& name);

/// The known minima of f (global and local), and the distance from x to the nearest one
/// (NaN if f has none); `nearest` receives its index into f.points.
double distance_to_nearest_minimum(const functions::TestFunction& f, const std::vector<double>& x,
                                   std::size_t* nearest = nullptr);
/// The global minimum value f*, NaN if none is known.
double global_minimum_value(const functions::TestFunction& f);

// ---- the subcommands -----------------------------------------------------------------------

struct OptimizeArgs {
  std::string function;
  std::string optimizer;
  std::vector<std::string> set;  // "key=value"
  std::string start;             // empty: the function's default start
  std::string steps = "100";
  std::string trace;             // empty: none; "-": standard output
};
/// The one-line summary is written to `out` unless the trace goes there; problems to `err`.
/// Returns the exit status.
int optimize(const OptimizeArgs& args, std::ostream& out, std::ostream& err);

/// The friendly names race accepts besides the canonical ones: name, optimizer, options.
struct Alias {
  std::string name;
  std::string optimizer;
  optim::OptionList options;
  std::string description;
};
const std::vector<Alias>& race_aliases();

struct RaceArgs {
  std::string function;
  std::string optimizers = "sgd,momentum,nesterov,adagrad,rmsprop,adam";
  std::string lr;                // empty: each optimizer's default (sgd's: the function's sgd_lr)
  std::vector<std::string> set;  // "NAME.key=value"
  std::string start;
  std::string steps = "1000";
  std::string tol = "1e-6";
  std::string out_dir;
  bool plots = true;
  bool surface = false;          // also surface.png: the paths on f's surface beside the contour map (2-D f)
};

struct Racer {
  std::string name;        // as given in --optimizers
  std::string optimizer;   // canonical
  optim::OptionList options;
  RunResult run;
  double final_loss = 0;   // f after the last step (inf/nan if it diverged)
  double distance = 0;     // to the nearest known minimum (NaN: none known, or diverged)
  int64_t steps_to_tol = -1;  // first step with f - f* <= tol (-1: never, or no f* known)
};

struct RaceResult {
  std::vector<Racer> racers;
  std::vector<std::string> files;  // what was written into out_dir
  bool plotted = false;            // false if gnuplot was missing or plots were off
  std::string plot_error;          // the plot module refused the data (then plotted is false)
};

/// Runs the race, writes `out_dir`/NAME.csv (step,loss,grad_norm,p0,...), summary.csv and the
/// plots, and prints the summary table to `out`. UsageError for bad arguments, tg::IoError
/// if a file cannot be written.
RaceResult race(const RaceArgs& args, std::ostream& out);
/// race() with its problems reported to `err`: status 2 for bad arguments, 3 for a file that
/// cannot be written, 1 when a racer diverged or failed (everything is still written, and
/// `err` gets a line per such racer) or the plots failed, else 0.
int race_command(const RaceArgs& args, std::ostream& out, std::ostream& err);

struct LandscapeArgs {
  std::string function;
  std::string at;  // empty: the default start
  std::string hessian = "exact";  // or "fd": central differences of tape gradients
};
int landscape(const LandscapeArgs& args, std::ostream& out, std::ostream& err);

/// `tapegrad kfac`: K-FAC (tg::optim::KFAC) on a model problem, trained as the reference's
/// loop does it. The one problem, mlp_iris30: a 4-8-3 tanh MLP on 30 standardised iris rows
/// (mlp_iris30_data), full batch, mean cross-entropy; its 67 parameters are W1 row-major, b1,
/// W2 row-major, b2.
struct KfacArgs {
  std::string problem = "mlp_iris30";
  std::string start;                 // "x0,x1,..." or "@FILE" (numbers separated by commas, spaces or lines)
  std::string fisher = "empirical";  // the true labels, or "sampled" from the model's softmax
  std::string seed = "1234";         // the generator of sampled labels drawn fresh
  std::string fisher_labels;         // sampled labels replayed: one line per statistics step
  std::vector<std::string> set;      // "key=value" options of kfac
  std::string steps = "50";
  std::string trace;                 // empty: none; "-": standard output
};
int kfac(const KfacArgs& args, std::ostream& out, std::ostream& err);

/// The 30 rows of mlp_iris30: the first 10 train rows of each iris class, in file order,
/// standardised with the mean and population standard deviation of all 120 train rows.
data::Dataset mlp_iris30_data();

/// `what`: "functions" or "optimizers".
int list(const std::string& what, std::ostream& out, std::ostream& err);

/// Runs body(), turning UsageError and tg::ValueError into "tapegrad `command`: message" and
/// status 2, tg::IoError into status 3.
int guarded(const std::string& command, std::ostream& err, const std::function<int()>& body);

}  // namespace tg::cli
