// The `tapegrad` executable: reads the command line with CLI11 and hands the text to the
// subcommands in cli.hpp, which check it and do the work.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "cli.hpp"

namespace {

const char* const kSubcommands[] = {"race", "optimize", "landscape", "list", "kfac"};

// An option given with an empty value ("--start ''") is an error, not the default.
const CLI::Validator kNotEmpty(
    [](std::string& value) { return value.empty() ? std::string("an empty value") : std::string(); }, "", "not empty");

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tapegrad: optimizers on test functions. Race several, trace one, inspect the terrain.\n"
               "Exit status: 0 success, 1 the run diverged or failed, 2 bad arguments, 3 a file could not be written.",
               "tapegrad"};
  app.require_subcommand(1);

  tg::cli::RaceArgs race;
  bool no_plots = false;
  CLI::App* r = app.add_subcommand("race", "Several optimizers from the same start: a CSV each, a summary table, plots");
  r->add_option("--function,-f", race.function, "required: the test function (tapegrad list functions)");
  r->add_option("--optimizers", race.optimizers,
                "comma-separated racers: canonical optimizer names (tapegrad list optimizers) or the aliases "
                "momentum (sgd, momentum=0.9) and nesterov (sgd, momentum=0.9, nesterov=true)")
      ->capture_default_str();
  r->add_option("--lr", race.lr, "the learning rate of every racer that has one (default: each one's default; "
                                 "sgd, which has none, takes the function's sgd lr)");
  r->add_option("--set", race.set, "NAME.key=value: an option of the racer NAME (as named in --optimizers); repeatable")
      ->allow_extra_args(false);
  r->add_option("--start", race.start, "the start x,y,... (default: the function's default start)");
  r->add_option("--steps", race.steps, "the number of steps")->capture_default_str();
  r->add_option("--tol", race.tol, "tolerance: the first step with f - f* <= tol is reported")->capture_default_str();
  r->add_option("--out,-o", race.out_dir, "required: the directory for NAME.csv, summary.csv and the plots");
  r->add_flag("--no-plots", no_plots, "write the CSV files only");
  r->add_flag("--surface", race.surface,
              "also draw surface.png: the paths lifted onto f's surface, beside the contour map (2-D functions)");

  tg::cli::OptimizeArgs optimize;
  CLI::App* o = app.add_subcommand("optimize", "One optimizer on one test function; the trajectory as CSV");
  o->add_option("--function,-f", optimize.function, "required: the test function (tapegrad list functions)");
  o->add_option("--optimizer", optimize.optimizer, "required: the canonical optimizer name (tapegrad list optimizers)");
  o->add_option("--set", optimize.set, "key=value: an option of the optimizer (others keep their defaults); repeatable")
      ->allow_extra_args(false);
  o->add_option("--start", optimize.start,
                "every component of the start, comma-separated, row-major for matrices (default: the function's "
                "default start)");
  o->add_option("--steps", optimize.steps, "the number of steps")->capture_default_str();
  o->add_option("--trace", optimize.trace, "write the trajectory (step,loss,p0,p1,... at %.17g) to this CSV file; - for "
                                           "standard output");

  tg::cli::LandscapeArgs landscape;
  CLI::App* l = app.add_subcommand("landscape", "The terrain at a point: value, gradient, Hessian eigenvalues, verdict");
  l->add_option("--function,-f", landscape.function, "required: the test function (tapegrad list functions)");
  l->add_option("--at", landscape.at, "the point x,y,... (default: the function's default start)");
  l->add_option("--hessian", landscape.hessian,
                "exact (double backward on the tape) or fd (central differences of tape gradients)")
      ->capture_default_str();

  std::string what;
  CLI::App* ls = app.add_subcommand("list", "The test functions, or the optimizers with their options and defaults");
  ls->add_option("what", what, "functions or optimizers");

  tg::cli::KfacArgs kfac;
  CLI::App* k = app.add_subcommand("kfac", "K-FAC on a model problem (mlp_iris30), trained as KFAC-Pytorch's loop; the trajectory as CSV");
  k->add_option("--problem", kfac.problem, "the problem")->capture_default_str();
  k->add_option("--start", kfac.start, "required: every parameter, comma-separated (W1 row-major, b1, W2 row-major, b2), "
                                       "or @FILE holding them");
  k->add_option("--fisher", kfac.fisher, "the labels of the Fisher loss: empirical (the true labels) or sampled (drawn "
                                         "from the model's softmax)")
      ->capture_default_str();
  k->add_option("--seed", kfac.seed, "the seed of the sampled labels")->capture_default_str();
  k->add_option("--fisher-labels", kfac.fisher_labels,
                "replay sampled labels from this file: one line of labels per statistics step, in order");
  k->add_option("--set", kfac.set, "key=value: an option of kfac (others keep their defaults); repeatable")
      ->allow_extra_args(false);
  k->add_option("--steps", kfac.steps, "the number of steps")->capture_default_str();
  k->add_option("--trace", kfac.trace, "write the trajectory (step,loss,p0,p1,... at %.17g) to this CSV file; - for "
                                       "standard output");

  for (CLI::App* sub : {r, o, l, ls, k}) {
    for (CLI::Option* option : sub->get_options([](CLI::Option* x) { return x->get_items_expected_min() > 0; })) {
      option->check(kNotEmpty);
    }
  }

  std::string command;
  if (argc == 1) {
    std::cerr << "tapegrad: a subcommand is required: race, optimize, landscape, list or kfac (tapegrad --help)\n";
    return tg::cli::kUsage;
  }
  if (argc > 1) {
    const std::string first = argv[1];
    for (const char* s : kSubcommands) {
      if (first == s) command = s;
    }
    if (command.empty() && !first.empty() && first[0] != '-') {
      std::cerr << "tapegrad: unknown subcommand '" << first << "' (known: race, optimize, landscape, list, kfac)\n";
      return tg::cli::kUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tapegrad" << (command.empty() ? "" : " " + command) << ": " << tg::cli::one_line(e.what()) << "\n";
    return tg::cli::kUsage;
  }

  race.plots = !no_plots;
  if (*r) return tg::cli::race_command(race, std::cout, std::cerr);
  if (*o) return tg::cli::optimize(optimize, std::cout, std::cerr);
  if (*l) return tg::cli::landscape(landscape, std::cout, std::cerr);
  if (*k) return tg::cli::kfac(kfac, std::cout, std::cerr);
  return tg::cli::list(what, std::cout, std::cerr);
}
