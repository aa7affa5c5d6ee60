// The datasets in data/: found without a path (TAPEGRAD_DATA_DIR, the installed datasets, the
// source tree, ./data), loaded with their split files (row counts, exact values, iris's class
// balance), and the refused names.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"
#include "data/temp_dir.hpp"

namespace {

using tg::data::find_dataset;
using tg::data::load_dataset;

// Sets an environment variable for the scope (or unsets it), restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      ::setenv(name_, old_.c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

// A row of the CSV file, features then target.
std::vector<double> csv_row(const std::string& name, int64_t row) {
  const tg::data::Dataset d = tg::data::read_csv(find_dataset(name)).dataset;
  std::vector<double> out = d.X[row].to_vector();
  out.push_back(d.y.at({row}));
  return out;
}

TEST(LoadDataset, RowCountsOfEveryDataset) {
  struct Case {
    const char* name;
    int64_t rows, features, train, test;
  };
  for (const Case& c : {Case{"iris", 150, 4, 120, 30}, Case{"wine", 178, 13, 142, 36},
                        Case{"breast_cancer", 569, 30, 455, 114}, Case{"digits", 1797, 64, 1437, 360},
                        Case{"diabetes", 442, 10, 353, 89}}) {
    const tg::data::CsvData all = tg::data::read_csv(find_dataset(c.name));
    EXPECT_EQ(all.dataset.X.shape(), tg::Shape({c.rows, c.features})) << c.name;
    EXPECT_EQ(all.target_name, "target");
    const auto [train, test] = load_dataset(c.name);
    EXPECT_EQ(train.size(), c.train) << c.name;
    EXPECT_EQ(test.size(), c.test) << c.name;
    EXPECT_EQ(train.X.size(1), c.features) << c.name;
  }
}

TEST(LoadDataset, ExactValues) {
  const std::vector<std::string> iris = tg::data::read_csv(find_dataset("iris")).feature_names;
  EXPECT_EQ(iris, (std::vector<std::string>{"sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"}));
  EXPECT_EQ(csv_row("iris", 0), (std::vector<double>{5.1, 3.5, 1.4, 0.2, 0}));
  EXPECT_EQ(csv_row("iris", 34), (std::vector<double>{4.9, 3.1, 1.5, 0.2, 0}));  // Fisher's values,
  EXPECT_EQ(csv_row("iris", 37), (std::vector<double>{4.9, 3.6, 1.4, 0.1, 0}));  // not UCI's
  EXPECT_EQ(csv_row("wine", 0), (std::vector<double>{14.23, 1.71, 2.43, 15.6, 127, 2.8, 3.06, 0.28, 2.29,
                                                     5.64, 1.04, 3.92, 1065, 0}));
  const std::vector<double> cancer = csv_row("breast_cancer", 0);
  EXPECT_EQ(cancer[0], 17.99);
  EXPECT_EQ(cancer[3], 1001.0);
  EXPECT_EQ(cancer[9], 0.07871);
  EXPECT_EQ(cancer[30], 0.0) << "0 = malignant";
  const std::vector<double> digit = csv_row("digits", 1796);
  EXPECT_EQ(std::vector<double>(digit.begin(), digit.begin() + 8), (std::vector<double>{0, 0, 10, 14, 8, 1, 0, 0}));
  EXPECT_EQ(digit[64], 8.0);
  EXPECT_EQ(csv_row("diabetes", 441), (std::vector<double>{36, 1, 19.6, 71, 250, 133.2, 97, 3, 4.5951, 92, 57}));
  // iris.split.csv puts row 0 in test and row 1 in train: the first rows of each part.
  const auto [train, test] = load_dataset("iris");
  EXPECT_EQ(test.X[0].to_vector(), (std::vector<double>{5.1, 3.5, 1.4, 0.2}));
  EXPECT_EQ(train.X[0].to_vector(), (std::vector<double>{4.9, 3.0, 1.4, 0.2}));
}

TEST(LoadDataset, IrisSplitIsStratified) {
  const auto [train, test] = load_dataset("iris");
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(tg::eq(train.y, tg::tensor(c)).sum().item(), 40.0) << "class " << c;
    EXPECT_EQ(tg::eq(test.y, tg::tensor(c)).sum().item(), 10.0) << "class " << c;
  }
}

// diabetes.split.csv was made by scikit-learn's train_test_split(test_size=0.2, random_state=0)
// without stratify: the seeded split gives the same test rows (in the shuffled order
// 362, 249, 271, 435, 400, ...).
TEST(LoadDataset, DiabetesSplitIsTheSeededShuffle) {
  const std::string path = find_dataset("diabetes");
  const tg::data::Dataset all = tg::data::read_csv(path).dataset;
  tg::data::Dataset numbered(tg::arange(static_cast<double>(all.size())).reshape({-1, 1}), all.y);
  const auto [train, test] = tg::data::train_test_split(numbered, 0.2, 0);
  std::vector<int64_t> rows;
  for (const double r : test.X.to_vector()) rows.push_back(static_cast<int64_t>(r));
  EXPECT_EQ(std::vector<int64_t>(rows.begin(), rows.begin() + 5), (std::vector<int64_t>{362, 249, 271, 435, 400}));
  std::sort(rows.begin(), rows.end());
  const tg::data::Split split = tg::data::read_split(path.substr(0, path.size() - 4) + ".split.csv", all.size());
  EXPECT_EQ(rows, split.test);
}

// Where an installed tapegrad's datasets would be for this program: share/tapegrad/data beside
// the directory the program is in (prefix/bin).
std::string installed_data_dir() {
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe");
  return (program.parent_path() / "../share/tapegrad/data").lexically_normal().string();
}

TEST(FindDataset, SearchOrder) {
  TempDir dir;
  dir.write("mine/iris.csv", "a,target\n1,0\n");
  {
    ScopedEnv env("TAPEGRAD_DATA_DIR", (dir.path() + "/mine").c_str());
    EXPECT_EQ(find_dataset("iris"), dir.path() + "/mine/iris.csv") << "the environment variable comes first";
    EXPECT_EQ(tg::data::dataset_search_path().front(), dir.path() + "/mine");
    EXPECT_EQ(tg::data::dataset_search_path().at(1), installed_data_dir()) << "then the installed datasets";
    const std::string shipped = find_dataset("wine");
    EXPECT_TRUE(shipped.ends_with("/data/wine.csv")) << shipped;
    EXPECT_TRUE(std::filesystem::path(shipped).is_absolute()) << "then the source tree's data/";
  }
  {
    ScopedEnv env("TAPEGRAD_DATA_DIR", nullptr);
    EXPECT_EQ(tg::data::dataset_search_path().back(), "data");
    dir.write("data/toy.csv", "a,target\n1,0\n");
    const std::filesystem::path cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    const std::string found = find_dataset("toy");  // only in ./data
    std::filesystem::current_path(cwd);
    EXPECT_EQ(found, "data/toy.csv");
  }
}

TEST(FindDataset, ExplicitPaths) {
  TempDir dir;
  const std::string csv = dir.write("toy.csv", "a,b,target\n1,2,0\n3,4,1\n5,6,0\n");
  dir.write("toy.split.csv", "index,split\n0,train\n1,test\n2,train\n");
  EXPECT_EQ(find_dataset(csv), csv);
  const auto [train, test] = load_dataset(csv);
  EXPECT_EQ(train.X.to_vector(), (std::vector<double>{1, 2, 5, 6}));
  EXPECT_EQ(test.y.to_vector(), (std::vector<double>{1}));

  const std::string missing = dir.path() + "/none.csv";
  EXPECT_EQ(error_message<tg::IoError>([&] { find_dataset(missing); }), "find_dataset: no file " + missing);
  const std::string lonely = dir.write("lonely.csv", "a,target\n1,0\n");
  EXPECT_EQ(error_message<tg::IoError>([&] { load_dataset(lonely); }),
            "read_split: cannot open " + dir.path() + "/lonely.split.csv: No such file or directory");
  const std::string bad_split = dir.write("short.csv", "a,target\n1,0\n2,1\n");
  dir.write("short.split.csv", "index,split\n0,train\n");
  EXPECT_EQ(error_message<tg::FormatError>([&] { load_dataset(bad_split); }),
            dir.path() + "/short.split.csv:2: the file ends, but 1 of the 2 data rows have no split: 1");
}

TEST(FindDataset, UnknownName) {
  ScopedEnv env("TAPEGRAD_DATA_DIR", "/nonexistent");
  const std::string message = error_message<tg::IoError>([] { find_dataset("mnist"); });
  EXPECT_TRUE(message.starts_with("find_dataset: no dataset 'mnist'; looked for /nonexistent/mnist.csv, /"))
      << message;
  EXPECT_TRUE(message.ends_with("/data/mnist.csv, data/mnist.csv (set TAPEGRAD_DATA_DIR to the directory "
                                "holding mnist.csv)"))
      << message;
  EXPECT_NE(message.find(", " + installed_data_dir() + "/mnist.csv, /"), std::string::npos) << message;
  EXPECT_EQ(error_message<tg::ValueError>([] { find_dataset(""); }), "find_dataset: the name is empty");
}

}  // namespace
