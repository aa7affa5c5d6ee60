// read_csv: a header row, numeric cells parsed exactly, the target chosen by name, and one
// test per refused input with its exact message (file, line, column).
#include <gtest/gtest.h>

#include <cmath>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"
#include "data/temp_dir.hpp"

namespace {

using tg::data::CsvData;
using tg::data::parse_csv;
using tg::data::read_csv;

std::string csv_error(const std::string& text, const std::string& target = "target") {
  return error_message<tg::FormatError>([&] { parse_csv(text, "data/iris.csv", {.target = target}); });
}

TEST(ReadCsv, ColumnsRowsAndTarget) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,target,b\n1,0,2.5\n-3,1,4e-3\n");
  const CsvData data = read_csv(path);
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(data.target_name, "target");
  EXPECT_EQ(data.dataset.X.shape(), tg::Shape({2, 2}));
  EXPECT_EQ(data.dataset.X.to_vector(), (std::vector<double>{1, 2.5, -3, 4e-3}));
  EXPECT_EQ(data.dataset.y.to_vector(), (std::vector<double>{0, 1}));
}

TEST(ReadCsv, TargetChosenByName) {
  const CsvData data = parse_csv("x,y,label\n1,2,3\n4,5,6\n", "t.csv", {.target = "y"});
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"x", "label"}));
  EXPECT_EQ(data.target_name, "y");
  EXPECT_EQ(data.dataset.X.to_vector(), (std::vector<double>{1, 3, 4, 6}));
  EXPECT_EQ(data.dataset.y.to_vector(), (std::vector<double>{2, 5}));
}

// from_chars gives the double nearest to the text: the same as the compiler's for a literal.
TEST(ReadCsv, NumbersAreExact) {
  const CsvData data = parse_csv(
      "a,b,c,d,e,target\n0.1,0.07871,1e-300,-2.2250738585072014e-308,123456789012345678,0\n"
      "0.30000000000000004,+5,.5,5.,-0,1\n",
      "t.csv");
  const std::vector<double> X = data.dataset.X.to_vector();
  const std::vector<double> expected = {0.1, 0.07871, 1e-300, -2.2250738585072014e-308,
                                        123456789012345678.0, 0.30000000000000004, 5, 0.5, 5, -0.0};
  ASSERT_EQ(X.size(), expected.size());
  for (std::size_t i = 0; i < X.size(); ++i) EXPECT_EQ(X[i], expected[i]) << i;
  EXPECT_TRUE(std::signbit(X[9]));
}

TEST(ReadCsv, ToleratedLayout) {
  // A byte-order mark, "\r\n" line ends, spaces around cells, no final line end, empty lines
  // at the end.
  const std::string text = "\xEF\xBB\xBF" "a , target\r\n 1,2 \r\n3,\t4\r\n\r\n\n";
  const CsvData data = parse_csv(text, "t.csv");
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"a"}));
  EXPECT_EQ(data.dataset.X.to_vector(), (std::vector<double>{1, 3}));
  EXPECT_EQ(data.dataset.y.to_vector(), (std::vector<double>{2, 4}));
  EXPECT_EQ(parse_csv("a,target\n1,2", "t.csv").dataset.size(), 1);
}

TEST(ReadCsvErrors, MissingFile) {
  TempDir dir;
  const std::string path = dir.path() + "/nope.csv";
  EXPECT_EQ(error_message<tg::IoError>([&] { read_csv(path); }),
            "read_csv: cannot open " + path + ": No such file or directory");
}

TEST(ReadCsvErrors, EmptyFile) {
  EXPECT_EQ(csv_error(""), "data/iris.csv: the file is empty (expected a header row of column names)");
  EXPECT_EQ(csv_error("\n\n"), "data/iris.csv: the file is empty (expected a header row of column names)");
  TempDir dir;
  const std::string path = dir.write("empty.csv", "");
  EXPECT_EQ(error_message<tg::FormatError>([&] { read_csv(path); }),
            path + ": the file is empty (expected a header row of column names)");
}

TEST(ReadCsvErrors, HeaderWithoutRows) {
  EXPECT_EQ(csv_error("a,target\n"), "data/iris.csv: no data rows after the header");
}

TEST(ReadCsvErrors, RaggedRow) {
  EXPECT_EQ(csv_error("a,b,target\n1,2,0\n1,2\n"), "data/iris.csv:3: 2 cells, but the header has 3 columns");
  EXPECT_EQ(csv_error("a,b,target\n1,2,0,7\n"), "data/iris.csv:2: 4 cells, but the header has 3 columns");
  EXPECT_EQ(csv_error("a,b,target\n1,2,0\n\n1,2,0\n"), "data/iris.csv:3: empty line");
}

TEST(ReadCsvErrors, NonNumericCell) {
  std::string text = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target\n";
  for (int i = 0; i < 15; ++i) text += "5.1,3.5,1.4,0.2,0\n";
  EXPECT_EQ(csv_error(text + "5.1,3.5,abc,0.2,0\n"),
            "data/iris.csv:17: column 3 (petal_length_cm): 'abc' is not a number");
  EXPECT_EQ(csv_error(text + "5.1,3.5,,0.2,0\n"),
            "data/iris.csv:17: column 3 (petal_length_cm): '' is not a number");
  EXPECT_EQ(csv_error(text + "5.1,3.5,1.4,0.2,setosa\n"),
            "data/iris.csv:17: column 5 (target): 'setosa' is not a number");
  EXPECT_EQ(csv_error(text + "5.1,3.5,1.4x,0.2,0\n"),
            "data/iris.csv:17: column 3 (petal_length_cm): '1.4x' is not a number");
  EXPECT_EQ(csv_error(text + "\"5.1\",3.5,1.4,0.2,0\n"),
            "data/iris.csv:17: column 1 (sepal_length_cm): '\"5.1\"' is not a number");
  EXPECT_EQ(csv_error(text + "5.1,3.5,1.4,nan,0\n"),
            "data/iris.csv:17: column 4 (petal_width_cm): 'nan' is not a finite number");
  EXPECT_EQ(csv_error(text + "5.1,3.5,1.4,-inf,0\n"),
            "data/iris.csv:17: column 4 (petal_width_cm): '-inf' is not a finite number");
  EXPECT_EQ(csv_error(text + "5.1,1e999,1.4,0.2,0\n"),
            "data/iris.csv:17: column 2 (sepal_width_cm): '1e999' is out of the range of a double");
  EXPECT_EQ(csv_error(text + "5.1,+-3,1.4,0.2,0\n"),
            "data/iris.csv:17: column 2 (sepal_width_cm): '+-3' is not a number");
}

TEST(ReadCsvErrors, MissingTargetColumn) {
  EXPECT_EQ(csv_error("a,b,label\n1,2,3\n"),
            "data/iris.csv:1: no column named 'target' for the target (the columns are a, b, label)");
  EXPECT_EQ(csv_error("a,b,label\n1,2,3\n", "Label"),
            "data/iris.csv:1: no column named 'Label' for the target (the columns are a, b, label)");
}

TEST(ReadCsvErrors, BadHeader) {
  EXPECT_EQ(csv_error("a,,target\n1,2,3\n"), "data/iris.csv:1: column 2 has no name");
  EXPECT_EQ(csv_error("a,b,a,target\n1,2,3,4\n"),
            "data/iris.csv:1: column 3 has the same name as column 1 ('a')");
  EXPECT_EQ(csv_error("target\n1\n"), "data/iris.csv:1: no feature columns besides the target 'target'");
}

}  // namespace
