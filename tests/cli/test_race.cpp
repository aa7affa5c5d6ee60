// `tapegrad race`: racers from --optimizers (canonical names and the aliases), --lr and --set,
// the CSV files, the summary on a case computed by hand, divergence, plots, bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <tapegrad/plot.hpp>
#include <tapegrad/tapegrad.hpp>

#include "cli_test.hpp"
#include "plot/plot_test.hpp"

namespace {

namespace fs = std::filesystem;
using cli_test::Output;
using tg::cli::RaceArgs;

std::string read_file(const fs::path& path) { return cli_test::read_file(path.string()); }


fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tapegrad_cli_race_" + name);
  fs::remove_all(dir);
  return dir;
}

std::vector<std::vector<double>> reference_run(const std::string& function, const std::string& optimizer,
                                               const tg::optim::OptionList& options, const std::vector<double>& start,
                                               int steps) {
  return cli_test::reference_run(tg::functions::get(function), optimizer, options, start, steps);
}

// On the bowl f = (x-3)^2 + (y+2)^2 from (0, 0), plain SGD with lr = 0.25 halves the distance
// to (3, -2) at every step: f_k = 13 / 4^k (exact in binary), so f_11 = 3.1e-6 and
// f_12 = 7.7e-7 — step 12 is the first with f <= 1e-6 — and after about 54 halvings the
// iterate is (3, -2) exactly (the loss 0). heavy_ball with beta = 0 is the same rule; with
// lr = 1.5 it multiplies the distance by -2 at every step: f_k = 13 * 4^k overflows at k = 511.
TEST(CliRace, SummaryOfACaseComputedByHand) {
  const fs::path dir = fresh_dir("hand");
  RaceArgs args;
  args.function = "quadratic";
  args.optimizers = "sgd,heavy_ball,momentum";
  args.lr = "0.25";
  args.set = {"heavy_ball.lr=1.5", "heavy_ball.beta=0"};
  args.start = "0,0";
  args.steps = "600";
  args.out_dir = dir.string();
  args.plots = false;
  std::ostringstream out;
  const tg::cli::RaceResult result = tg::cli::race(args, out);
  ASSERT_EQ(result.racers.size(), 3u);

  const tg::cli::Racer& sgd = result.racers[0];
  EXPECT_EQ(sgd.options, (tg::optim::OptionList{{"lr", "0.25"}}));
  EXPECT_EQ(sgd.final_loss, 0);
  EXPECT_EQ(sgd.distance, 0);
  EXPECT_EQ(sgd.steps_to_tol, 12);
  EXPECT_FALSE(sgd.run.diverged);
  EXPECT_EQ(sgd.run.rows[12].loss, 13.0 / 16777216.0);

  const tg::cli::Racer& heavy = result.racers[1];
  EXPECT_EQ(heavy.options, (tg::optim::OptionList{{"lr", "0.25"}, {"lr", "1.5"}, {"beta", "0"}}));
  EXPECT_TRUE(heavy.run.diverged);
  EXPECT_EQ(heavy.run.diverged_at, 511);
  EXPECT_EQ(heavy.run.rows.size(), 511u);
  EXPECT_EQ(heavy.final_loss, INFINITY);
  EXPECT_TRUE(std::isnan(heavy.distance));
  EXPECT_EQ(heavy.steps_to_tol, -1);

  // The alias: SGD with momentum 0.9, and --lr; the same trajectory as the user's own loop.
  const tg::cli::Racer& momentum = result.racers[2];
  EXPECT_EQ(momentum.optimizer, "sgd");
  EXPECT_EQ(momentum.options, (tg::optim::OptionList{{"momentum", "0.9"}, {"lr", "0.25"}}));
  const auto expected = reference_run("quadratic", "sgd", {{"momentum", "0.9"}, {"lr", "0.25"}}, {0, 0}, 600);
  ASSERT_EQ(momentum.run.rows.size(), 601u);
  int64_t first = -1;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    EXPECT_EQ(momentum.run.rows[r].params, expected[r]);
    const double f = (expected[r][0] - 3) * (expected[r][0] - 3) + (expected[r][1] + 2) * (expected[r][1] + 2);
    if (first < 0 && f <= 1e-6) first = static_cast<int64_t>(r);
  }
  EXPECT_EQ(momentum.steps_to_tol, first);
  EXPECT_GT(first, 12);

  const std::string mom_loss = tg::cli::format_short(momentum.final_loss);
  const std::string mom_dist = tg::cli::format_short(momentum.distance);
  auto pad = [](const std::string& s, std::size_t n) { return s + std::string(n - s.size(), ' '); };
  const std::size_t loss_w = std::max<std::size_t>(10, mom_loss.size()) + 2;
  EXPECT_EQ(out.str(),
            "quadratic: 600 steps from (0, 0); f* = 0, tolerance f - f* <= 1e-06\n" +
                pad("optimizer", 12) + pad("lr", 6) + pad("final loss", loss_w) +
                "distance to minimum  steps to tolerance  diverged\n" + pad("sgd", 12) + pad("0.25", 6) +
                pad("0", loss_w) + "0                    12                  no\n" + pad("heavy_ball", 12) +
                pad("1.5", 6) + pad("inf", loss_w) + "-                    never               at step 511\n" +
                pad("momentum", 12) + pad("0.25", 6) + pad(mom_loss, loss_w) + pad(mom_dist, 21) +
                pad(std::to_string(first), 20) + "no\n" + "written to " + dir.string() +
                "/: sgd.csv, heavy_ball.csv, momentum.csv, summary.csv\n");

  // The CSV files: the gradient norm at (0, 0) is |(-6, 4)| = 2 sqrt(13), at (1.5, -1) sqrt(13).
  const std::string sgd_csv = read_file(dir / "sgd.csv");
  EXPECT_EQ(sgd_csv.substr(0, sgd_csv.find("\n2,")),
            "step,loss,grad_norm,p0,p1\n"
            "0,13,7.2111025509279782,0,0\n"
            "1,3.25,3.6055512754639891,1.5,-1");
  EXPECT_EQ(cli_test::read_csv(sgd_csv).rows.size(), 601u);
  const cli_test::Csv heavy_csv = cli_test::read_csv(read_file(dir / "heavy_ball.csv"));
  ASSERT_EQ(heavy_csv.rows.size(), 511u);
  EXPECT_EQ(heavy_csv.rows.back()[0], 510);
  const std::string summary = read_file(dir / "summary.csv");
  EXPECT_EQ(summary.substr(0, summary.find("\nmomentum,")),
            "name,optimizer,lr,final_loss,distance_to_minimum,steps_to_tolerance,diverged_at\n"
            "sgd,sgd,0.25,0,0,12,-1\n"
            "heavy_ball,heavy_ball,1.5,inf,nan,-1,511");
  EXPECT_FALSE(fs::exists(dir / "loss.png"));
  fs::remove_all(dir);
}

TEST(CliRace, AliasesDefaultsAndLr) {
  const fs::path dir = fresh_dir("aliases");
  RaceArgs args;
  args.function = "rosenbrock";
  args.optimizers = "nesterov, adadelta_nolr ,adam";
  args.set = {"adam.betas=0.8,0.99"};
  args.steps = "30";
  args.out_dir = dir.string();
  args.plots = false;
  std::ostringstream out;
  const tg::cli::RaceResult r = tg::cli::race(args, out);
  ASSERT_EQ(r.racers.size(), 3u);
  // Without --lr: sgd (which has no default lr) takes the function's sgd_lr; the others keep
  // their defaults.
  const double sgd_lr = tg::functions::get("rosenbrock").sgd_lr;
  const tg::optim::OptionList nesterov = {{"momentum", "0.9"}, {"nesterov", "true"}, {"lr", tg::optim::format_value(sgd_lr)}};
  EXPECT_EQ(r.racers[0].name, "nesterov");
  EXPECT_EQ(r.racers[0].options, nesterov);
  EXPECT_EQ(r.racers[1].options, tg::optim::OptionList{});
  EXPECT_EQ(r.racers[2].options, (tg::optim::OptionList{{"betas", "0.8,0.99"}}));
  const std::vector<double> start = tg::functions::get("rosenbrock").starts.front().second;
  for (const tg::cli::Racer& racer : r.racers) {
    const auto expected = reference_run("rosenbrock", racer.optimizer, racer.options, start, 30);
    ASSERT_EQ(racer.run.rows.size(), expected.size()) << racer.name;
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(racer.run.rows[i].params, expected[i]) << racer.name;
  }

  // --lr reaches every racer with an lr, not adadelta_nolr; --set NAME.lr overrides it.
  args.lr = "0.001";
  args.set.push_back("adam.lr=0.01");
  const tg::cli::RaceResult with_lr = tg::cli::race(args, out);
  EXPECT_EQ(with_lr.racers[0].options, (tg::optim::OptionList{{"momentum", "0.9"}, {"nesterov", "true"}, {"lr", "0.001"}}));
  EXPECT_EQ(with_lr.racers[1].options, tg::optim::OptionList{});
  EXPECT_EQ(with_lr.racers[2].options, (tg::optim::OptionList{{"lr", "0.001"}, {"betas", "0.8,0.99"}, {"lr", "0.01"}}));
  EXPECT_EQ(with_lr.racers[2].run.rows[1].params, reference_run("rosenbrock", "adam", {{"lr", "0.01"}, {"betas", "(0.8,0.99)"}}, start, 1)[1]);
  fs::remove_all(dir);
}

TEST(CliRace, PlotsAndTheirAbsence) {
  const fs::path dir = fresh_dir("plots");
  RaceArgs args;
  args.function = "rosenbrock";
  args.optimizers = "momentum,adam";
  args.lr = "1e-3";
  args.steps = "100";
  args.out_dir = dir.string();
  if (tg::plot::gnuplot_available()) {
    const Output o = cli_test::race(args);
    ASSERT_EQ(o.status, 0) << o.err;
    for (const char* png : {"contour.png", "loss.png", "params_p0.png", "params_p1.png"}) {
      EXPECT_TRUE(fs::exists(dir / png)) << png;
    }
    EXPECT_NE(o.out.find("summary.csv, contour.png, loss.png, params_p0.png, params_p1.png\n"), std::string::npos) << o.out;
  }
  // Without gnuplot: the CSV files, and one line saying how to install it.
  fs::remove_all(dir);
  tg::plot::set_gnuplot_command("/nonexistent/gnuplot");
  const Output o = cli_test::race(args);
  tg::plot::set_gnuplot_command("");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("\n" + tg::plot::install_hint() + "\n"), std::string::npos) << o.out;
  EXPECT_TRUE(fs::exists(dir / "momentum.csv"));
  EXPECT_TRUE(fs::exists(dir / "adam.csv"));
  EXPECT_FALSE(fs::exists(dir / "loss.png"));

  // A function without a minimum (the saddle, where the loss goes negative) and a 10-D one.
  args.function = "saddle";
  args.plots = tg::plot::gnuplot_available();
  EXPECT_EQ(cli_test::race(args).status, 0);
  args.function = "rosenbrock10";
  const Output ten = cli_test::race(args);
  EXPECT_EQ(ten.status, 0) << ten.err;
  if (args.plots) {
    EXPECT_TRUE(fs::exists(dir / "params_adam.png"));
  }
  fs::remove_all(dir);
}

// --surface: surface.png, the paths lifted onto f's surface beside the contour map; each
// path's heights are f along it, from the racer's CSV.
TEST(CliRace, TheSurfaceBesideTheContourMap) {
  const fs::path dir = fresh_dir("surface");
  RaceArgs args;
  args.function = "ravine";
  args.optimizers = "sgd,momentum";
  args.lr = "0.095";
  args.steps = "50";
  args.out_dir = dir.string();
  args.surface = true;
  const Output o = cli_test::race(args);
  ASSERT_EQ(o.status, 0) << o.err;
  const auto indices = plot_test::read_data((dir / "surface_paths_3d.dat").string());
  ASSERT_EQ(indices.size(), 2u);
  const plot_test::Rows& path = indices[0][0];
  const std::vector<std::vector<double>> sgd = cli_test::read_csv(read_file(dir / "sgd.csv")).rows;
  ASSERT_EQ(path.size(), 51u);
  for (std::size_t k = 0; k < 51; ++k) {
    EXPECT_EQ(path[k][1], sgd[k][3]);  // x = p0
    EXPECT_EQ(path[k][2], sgd[k][4]);  // y = p1
    EXPECT_EQ(path[k][3], sgd[k][1]);  // f = the loss
  }
  // On the ravine's window, x^2 + 10 y^2 from 0 to 87.5: lifted by 0.015 * 87.5 = 1.3125 minus a
  // little (the grid of 50 points does not reach 0: its lowest value is 0.0575).
  EXPECT_NEAR(path[0][4] - path[0][3], 1.3125, 0.001);
  if (tg::plot::gnuplot_available()) {
    EXPECT_TRUE(fs::exists(dir / "surface.png"));
    EXPECT_TRUE(fs::exists(dir / "surface.svg"));
    EXPECT_NE(o.out.find("summary.csv, contour.png, surface.png, loss.png"), std::string::npos) << o.out;
  }
  fs::remove_all(dir);
}

// A racer that diverges is reported and stops; the others run on, every file is written, and
// the status is 1.
TEST(CliRace, DivergenceIsStatusOneAndEverythingIsWritten) {
  const fs::path dir = fresh_dir("diverge");
  RaceArgs args;
  args.function = "quadratic";
  args.optimizers = "sgd,adam";
  args.lr = "1.5";  // sgd: f_k = 13 * 4^k, inf at k = 511 (see SummaryOfACaseComputedByHand)
  args.steps = "600";
  args.out_dir = dir.string();
  args.plots = false;
  const Output o = cli_test::race(args);
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "tapegrad race: sgd diverged at step 511 (loss = inf); sgd.csv holds steps 0 to 510\n");
  EXPECT_NE(o.out.find("\nsgd        1.5  inf "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("at step 511\nadam       1.5 "), std::string::npos) << o.out;
  EXPECT_EQ(cli_test::read_csv(read_file(dir / "sgd.csv")).rows.size(), 511u);
  EXPECT_EQ(cli_test::read_csv(read_file(dir / "adam.csv")).rows.size(), 601u);
  EXPECT_TRUE(fs::exists(dir / "summary.csv"));
  fs::remove_all(dir);
}

TEST(CliRace, LossAtTheMinimumFromTheStartStillPlots) {
  // Drop-Wave from its minimum (0, 0), where the gradient is 0: every loss - f* is 0, which a
  // log scale cannot show, so the loss plot is drawn on a linear scale.
  if (!tg::plot::gnuplot_available()) GTEST_SKIP() << "gnuplot not installed";
  const fs::path dir = fresh_dir("flat");
  RaceArgs args;
  args.function = "drop_wave";
  args.optimizers = "sgd,adam";
  args.start = "0,0";
  args.steps = "5";
  args.out_dir = dir.string();
  const Output o = cli_test::race(args);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(fs::exists(dir / "loss.png"));
  EXPECT_EQ(read_file(dir / "loss.gp").find("set logscale y"), std::string::npos);
  EXPECT_NE(read_file(dir / "loss.gp").find("loss - f* against step'"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliRace, PlotTitlesAndLabels) {
  if (!tg::plot::gnuplot_available()) GTEST_SKIP() << "gnuplot not installed";
  const fs::path dir = fresh_dir("titles");
  RaceArgs args;
  args.function = "rosenbrock";
  args.optimizers = "momentum,adam";
  args.start = "-1.5,2";
  args.steps = "50";
  args.out_dir = dir.string();
  ASSERT_EQ(cli_test::race(args).status, 0);
  const std::string loss = read_file(dir / "loss.gp");
  EXPECT_NE(loss.find("set title 'rosenbrock, 50 steps from (-1.5, 2): loss against step, log scale'"), std::string::npos)
      << loss;
  EXPECT_NE(loss.find("set logscale y"), std::string::npos) << loss;
  const std::string p1 = read_file(dir / "params_p1.gp");
  EXPECT_NE(p1.find("set title 'rosenbrock, 50 steps from (-1.5, 2): parameter p1 (y) against step'"), std::string::npos)
      << p1;
  EXPECT_NE(p1.find("set ylabel 'p1 (y)'"), std::string::npos) << p1;
  EXPECT_NE(read_file(dir / "contour.gp").find("title 'momentum'"), std::string::npos);

  // A 10-D start is shortened in titles; a plot per racer, a line per parameter.
  args.function = "rosenbrock10";
  args.start = "";
  fs::remove_all(dir);
  ASSERT_EQ(cli_test::race(args).status, 0);
  const std::string adam = read_file(dir / "params_adam.gp");
  EXPECT_NE(adam.find("set title 'rosenbrock10, 50 steps from (0, 0, 0, ..., 0): adam, every parameter against step'"),
            std::string::npos)
      << adam;
  EXPECT_NE(adam.find("title 'p9'"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliRace, BadInputIsOneLineAndStatusTwo) {
  const fs::path dir = fresh_dir("bad");
  auto make = [&](auto change) {
    RaceArgs a;
    a.function = "quadratic";
    a.optimizers = "sgd,adam";
    a.out_dir = dir.string();
    change(a);
    return a;
  };
  const std::vector<std::pair<RaceArgs, std::string>> cases = {
      {make([](RaceArgs& a) { a.function = ""; }), "--function is required (tapegrad list functions)"},
      {make([](RaceArgs& a) { a.out_dir = ""; }), "--out is required (the directory for the results)"},
      {make([](RaceArgs& a) { a.optimizers = "sgd,adamm"; }),
       "--optimizers: unknown optimizer 'adamm' (known: momentum, nesterov, sgd, adam, adamw, "},
      {make([](RaceArgs& a) { a.optimizers = "adam,sgd,adam"; }), "--optimizers: 'adam' is given twice"},
      {make([](RaceArgs& a) { a.optimizers = "adam,,sgd"; }), "--optimizers: an empty name in 'adam,,sgd'"},
      {make([](RaceArgs& a) { a.lr = "fast"; }), "--lr: 'fast' is not a number"},
      {make([](RaceArgs& a) { a.lr = "-1"; }), "sgd: invalid lr = -1 (expected a finite value >= 0)"},
      {make([](RaceArgs& a) { a.set = {"lr=0.1"}; }), "--set lr=0.1: expected NAME.key=value, NAME one of sgd, adam"},
      {make([](RaceArgs& a) { a.set = {"adam.lr"}; }), "--set adam.lr: 'adam.lr' is not of the form key=value"},
      {make([](RaceArgs& a) { a.set = {"rmsprop.lr=0.1"}; }),
       "--set rmsprop.lr=0.1: 'rmsprop' is not in --optimizers (sgd, adam)"},
      {make([](RaceArgs& a) { a.set = {"adam.speed=1"}; }),
       "adam: unknown option 'speed' (options: lr, betas, eps, weight_decay, amsgrad, maximize)"},
      {make([](RaceArgs& a) {
         a.optimizers = "momentum";
         a.set = {"momentum.momentum=x"};
       }),
       "momentum (sgd): sgd: option momentum = 'x' is not a number"},
      {make([](RaceArgs& a) { a.start = "1,2,3"; }), "--start: quadratic takes 2 numbers (shape (2,)), got 3"},
      {make([](RaceArgs& a) { a.steps = "1e3"; }), "--steps: '1e3' is not a whole number >= 0"},
      {make([](RaceArgs& a) { a.tol = "-1"; }), "--tol: '-1' is not a finite number >= 0"},
      {make([](RaceArgs& a) { a.steps = "-5"; }), "--steps: '-5' is not a whole number >= 0"},
      {make([](RaceArgs& a) { a.start = "1.5x,2"; }), "--start: '1.5x' in '1.5x,2' is not a number"},
      {make([](RaceArgs& a) { a.start = "1,,2"; }), "--start: '' in '1,,2' is not a number"},
      {make([](RaceArgs& a) { a.start = "nan,2"; }), "--start: 'nan' in 'nan,2' is not finite"},
      {make([](RaceArgs& a) {
         a.function = "goldstein_price";
         a.start = "1e200,1e200";
       }),
       "--start: goldstein_price(1e+200, 1e+200) = nan; choose a point where it is finite"},
      {make([](RaceArgs& a) { a.lr = "1e-3x"; }), "--lr: '1e-3x' is not a number"},
      {make([](RaceArgs& a) { a.set = {"adam.eps=nan"}; }), "--set adam.eps=nan: adam.eps = 'nan' is not finite"},
      {make([](RaceArgs& a) { a.set = {"adam.amsgrad=2"}; }), "adam: option amsgrad = '2' is not true or false"},
      {make([](RaceArgs& a) { a.set = {".lr=0.1"}; }), "--set .lr=0.1: expected NAME.key=value, NAME one of sgd, adam"},
      {make([](RaceArgs& a) { a.optimizers = "demon_sgdm"; }), "demon_sgdm: option T is required"},
      {make([](RaceArgs& a) {
         a.function = "rosenbrock10";
         a.surface = true;
       }),
       "--surface: rosenbrock10 has 10 parameters; a surface is drawn over 2 (tapegrad list functions)"},
      {make([](RaceArgs& a) {
         a.surface = true;
         a.plots = false;
       }),
       "--surface draws a plot: it cannot go with --no-plots"},
  };
  for (const auto& [args, message] : cases) {
    const Output o = cli_test::race(args);
    EXPECT_EQ(o.status, 2) << message;
    EXPECT_EQ(o.out, "") << message;
    EXPECT_EQ(o.err.rfind("tapegrad race: " + message, 0), 0u) << o.err;
    EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << o.err;
    EXPECT_FALSE(fs::exists(dir)) << message;
  }
  const Output unknown = cli_test::race(make([](RaceArgs& a) { a.function = "banana"; }));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err.rfind("tapegrad race: unknown function 'banana' (known: quadratic, ", 0), 0u) << unknown.err;

  // A directory that cannot be created: status 3.
  const fs::path file = fs::temp_directory_path() / "tapegrad_cli_race_file";
  std::ofstream(file) << "x";
  const Output io = cli_test::race(make([&](RaceArgs& a) { a.out_dir = (file / "out").string(); }));
  EXPECT_EQ(io.status, 3);
  EXPECT_EQ(io.err.rfind("tapegrad race: cannot create the directory '" + (file / "out").string() + "': ", 0), 0u) << io.err;
  fs::remove(file);
}

}  // namespace
