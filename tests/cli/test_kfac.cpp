// `tapegrad kfac`: K-FAC on mlp_iris30 from the command line reproduces every given reference
// trajectory (from its start, with its options and its recorded Fisher labels), and refuses
// bad input with one line that names it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <tapegrad/tapegrad.hpp>

#include "cli_test.hpp"
#include "optim/kfac_reference.hpp"

namespace {

using kfac_reference::Entry;

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("tapegrad_cli_kfac_" + name)).string();
}

std::string joined(const std::vector<double>& v, const char* separator) {
  std::ostringstream s;
  s.precision(17);
  for (std::size_t i = 0; i < v.size(); ++i) s << (i ? separator : "") << v[i];
  return s.str();
}

// The entry's recorded labels, one line per statistics step.
std::string write_labels(const Entry& e) {
  const std::string path = temp_path("labels.txt");
  std::ofstream out(path);
  out << "# one line per statistics step\n";
  for (const auto& [step, labels] : e.fisher_labels) out << joined(labels, " ") << "\n";
  return path;
}

tg::cli::KfacArgs args_for(const Entry& e) {
  tg::cli::KfacArgs args;
  args.start = joined(e.start, ",");
  args.fisher = e.fisher;
  if (e.fisher == "sampled") args.fisher_labels = write_labels(e);
  for (const auto& [key, value] : e.options) args.set.push_back(key + "=" + value);
  args.trace = "-";
  return args;
}

TEST(CliKfac, TheDataAreTheReferenceRows) {
  const tg::data::Dataset d = tg::cli::mlp_iris30_data();
  const kfac_reference::Reference& ref = kfac_reference::reference();
  EXPECT_EQ(d.y.to_vector(), ref.y);
  const std::vector<double> X = d.X.to_vector();
  ASSERT_EQ(X.size(), ref.X.size());
  for (std::size_t i = 0; i < X.size(); ++i) EXPECT_NEAR(X[i], ref.X[i], 4e-16 * std::fabs(ref.X[i])) << i;
}

TEST(CliKfac, EveryReferenceTrajectory) {
  for (const Entry& e : kfac_reference::reference().entries) {
    const cli_test::Output o = cli_test::kfac(args_for(e));
    ASSERT_EQ(o.status, 0) << e.key << o.err;
    const cli_test::Csv csv = cli_test::read_csv(o.out);
    EXPECT_EQ(csv.header.substr(0, 16), "step,loss,p0,p1,");
    ASSERT_EQ(csv.rows.size(), 51u) << e.key;
    std::vector<std::vector<double>> params, loss;
    for (const std::vector<double>& row : csv.rows) {
      params.emplace_back(row.begin() + 2, row.end());
      loss.push_back({row[1]});
    }
    std::vector<std::vector<double>> want_loss;
    for (double l : e.loss) want_loss.push_back({l});
    EXPECT_EQ(kfac_reference::compare(params, e.params, "params"), "") << e.key;
    EXPECT_EQ(kfac_reference::compare(loss, want_loss, "loss"), "") << e.key;
  }
}

// The start and the labels as JSON lists, one line per step with null where no statistics
// are gathered (TCov = 2 here), as a reference's per-step record holds them.
TEST(CliKfac, JsonListsAndNullLines) {
  const Entry* entry = nullptr;
  for (const Entry& e : kfac_reference::reference().entries)
    if (e.fisher == "sampled" && e.key.find("TCov=2") != std::string::npos) entry = &e;
  ASSERT_NE(entry, nullptr);
  tg::cli::KfacArgs args = args_for(*entry);
  const std::string start = temp_path("start.json"), labels = temp_path("labels.json");
  std::ofstream(start) << "[" << joined(entry->start, ", ") << "]\n";
  {
    std::ofstream out(labels);
    for (int64_t k = 0; k < 50; ++k) {
      const auto it = entry->fisher_labels.find(k);
      if (it == entry->fisher_labels.end()) {
        out << "null,\n";
      } else {
        out << "[" << joined(it->second, ", ") << "],\n";
      }
    }
  }
  args.start = "@" + start;
  args.fisher_labels = labels;
  const cli_test::Output o = cli_test::kfac(args);
  ASSERT_EQ(o.status, 0) << o.err;
  std::vector<std::vector<double>> params;
  for (const std::vector<double>& row : cli_test::read_csv(o.out).rows) params.emplace_back(row.begin() + 2, row.end());
  EXPECT_EQ(kfac_reference::compare(params, entry->params, "params"), "");
  std::filesystem::remove(start);
  std::filesystem::remove(labels);
}

TEST(CliKfac, StartFromAFileAndSummary) {
  const Entry& e = kfac_reference::reference().entries.front();
  const std::string start = temp_path("start.txt");
  std::ofstream(start) << joined(e.start, "\n") << "\n";
  tg::cli::KfacArgs args;
  args.start = "@" + start;
  args.steps = "3";
  const cli_test::Output o = cli_test::kfac(args);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.substr(0, o.out.find('\n')), "mlp_iris30 with kfac (empirical Fisher): 3 steps");
  EXPECT_NE(o.out.find("\nloss 1.13034238617615"), std::string::npos) << o.out;
  std::filesystem::remove(start);
}

TEST(CliKfac, BadInput) {
  const Entry& e = kfac_reference::reference().entries.front();
  auto error = [](const tg::cli::KfacArgs& a) {
    const cli_test::Output o = cli_test::kfac(a);
    EXPECT_EQ(o.status, 2);
    return o.err;
  };
  tg::cli::KfacArgs a = args_for(e);
  a.trace = "";
  tg::cli::KfacArgs b = a;
  b.start = "";
  EXPECT_EQ(error(b), "tapegrad kfac: --start is required: the 67 parameters, or @FILE\n");
  b.start = "1,2,3";
  EXPECT_EQ(error(b), "tapegrad kfac: --start: 3 numbers, but the model has 67 parameters (W1 row-major, b1, W2 "
                      "row-major, b2)\n");
  b = a;
  b.problem = "mlp_mnist";
  EXPECT_EQ(error(b), "tapegrad kfac: unknown problem 'mlp_mnist' (known: mlp_iris30)\n");
  b = a;
  b.fisher = "true";
  EXPECT_EQ(error(b), "tapegrad kfac: --fisher: 'true' (expected empirical or sampled)\n");
  b = a;
  b.set = {"TCov=0"};
  EXPECT_EQ(error(b), "tapegrad kfac: kfac: invalid TCov = 0 (expected an integer >= 1)\n");
  b = a;
  b.fisher_labels = "labels.txt";
  EXPECT_EQ(error(b), "tapegrad kfac: --fisher-labels replays sampled labels: it needs --fisher sampled\n");

  const std::string labels = temp_path("bad_labels.txt");
  b = a;
  b.fisher = "sampled";
  b.fisher_labels = labels;
  std::ofstream(labels) << "0 1 2\n";
  EXPECT_EQ(error(b), "tapegrad kfac: --fisher-labels " + labels + " line 1: 3 labels, expected 30 (one per data row)\n");
  std::ofstream(labels) << "# a comment\n" << joined(std::vector<double>(29, 0.0), " ") << " 3\n";
  EXPECT_EQ(error(b), "tapegrad kfac: --fisher-labels " + labels + " line 2: '3' is not a class (0 to 2)\n");
  std::ofstream(labels) << joined(std::vector<double>(30, 1.0), ",") << "\n";
  EXPECT_EQ(error(b), "tapegrad kfac: --fisher-labels " + labels +
                          ": 1 lines of labels, but 50 steps with TCov = 10 gather statistics 5 times\n");
  std::filesystem::remove(labels);
  b.fisher_labels = temp_path("missing.txt");
  const cli_test::Output missing = cli_test::kfac(b);
  EXPECT_EQ(missing.status, 3);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
}

TEST(CliKfac, ListedAsNeedingAModel) {
  const cli_test::Output o = cli_test::list("optimizers");
  EXPECT_NE(o.out.find("\n  kfac  "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("(needs a model)\n"), std::string::npos);
  EXPECT_NE(o.out.find(" lr=0.001 momentum=0.9 stat_decay=0.95 damping=0.001 kl_clip=0.001 weight_decay=0 TCov=10 "
                       "TInv=100 batch_averaged=true\n"),
            std::string::npos);
}

TEST(CliKfac, OptimizeRefusesIt) {
  tg::cli::OptimizeArgs args;
  args.function = "quadratic";
  args.optimizer = "kfac";
  const cli_test::Output o = cli_test::optimize(args);
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "tapegrad optimize: optimizer 'kfac' needs a model: it preconditions the model's Linear layers, so "
                   "it is built as tg::optim::KFAC(model, options) and cannot run on a parameter list or a test "
                   "function\n");
}

}  // namespace
