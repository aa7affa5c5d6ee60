// History: the exact CSV text (header, 17 significant digits, empty cells for missing values,
// parameter columns), values that read back exactly, atomic writing, and the refused names.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <tapegrad/tapegrad.hpp>
#include <vector>

#include "data/error_message.hpp"
#include "data/temp_dir.hpp"

namespace {

using tg::train::History;

TEST(History, CsvText) {
  History history("epoch");
  history.record(1, {{"loss", 0.5}, {"accuracy", 0.25}});
  history.record(2, {{"loss", 0.1}, {"accuracy", 1.0}}, {{"w", tg::tensor({1.5, -2.0})}, {"b", tg::tensor(0.1)}});
  history.record(3, {{"loss", 1e-20}});
  EXPECT_EQ(history.csv(),
            "epoch,loss,accuracy,w[0],w[1],b\n"
            "1,0.5,0.25,,,\n"
            "2,0.10000000000000001,1,1.5,-2,0.10000000000000001\n"
            "3,9.9999999999999995e-21,,,,\n");
  EXPECT_EQ(history.size(), 3);
  EXPECT_EQ(history.columns(), (std::vector<std::string>{"loss", "accuracy", "w[0]", "w[1]", "b"}));
  EXPECT_EQ(history.index(), (std::vector<int64_t>{1, 2, 3}));
}

TEST(History, EmptyHistoryIsAHeader) {
  EXPECT_EQ(History("step").csv(), "step\n");
}

TEST(History, MatrixParametersAndSpecialValues) {
  History history("step");
  history.record(0, {{"loss", NAN}, {"grad_norm", INFINITY}}, {{"W", tg::tensor({{1, 2, 3}, {4, 5, 6}})}});
  EXPECT_EQ(history.csv(),
            "step,loss,grad_norm,W[0][0],W[0][1],W[0][2],W[1][0],W[1][1],W[1][2]\n"
            "0,nan,inf,1,2,3,4,5,6\n");
}

TEST(History, ColumnsAndLastValues) {
  History history;
  history.record(1, {{"loss", 3}});
  history.record(2, {{"loss", 2}, {"val_loss", 2.5}});
  history.record(3, {{"loss", 1}});
  EXPECT_EQ(history.column("loss"), (std::vector<double>{3, 2, 1}));
  const std::vector<double> val = history.column("val_loss");
  EXPECT_TRUE(std::isnan(val[0]) && val[1] == 2.5 && std::isnan(val[2]));
  EXPECT_EQ(history.last("loss"), 1.0);
  EXPECT_EQ(history.last("val_loss"), 2.5);
  EXPECT_TRUE(history.has("val_loss"));
  EXPECT_FALSE(history.has("accuracy"));
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.column("acc"); }),
            "History: no column 'acc' (the columns are loss, val_loss)");
}

// %.17g reads back as the same double.
TEST(History, ValuesReadBackExactly) {
  tg::manual_seed(3);
  const std::vector<double> values = (tg::randn({200}) * 1e3).exp().to_vector();
  History history("i");
  for (std::size_t i = 0; i < values.size(); ++i) history.record(static_cast<int64_t>(i), {{"v", values[i]}});
  const std::string text = history.csv();
  std::size_t at = text.find('\n') + 1;
  for (const double expected : values) {
    const std::size_t comma = text.find(',', at), end = text.find('\n', at);
    double parsed = 0;
    std::from_chars(text.data() + comma + 1, text.data() + end, parsed);
    EXPECT_EQ(parsed, expected);
    at = end + 1;
  }
}

TEST(History, WriteCsvAtomically) {
  TempDir dir;
  const std::string path = dir.path() + "/history.csv";
  History history("epoch");
  history.record(1, {{"loss", 0.75}});
  history.write_csv(path);
  history.record(2, {{"loss", 0.5}});
  history.write_csv(path);  // replaces the file
  EXPECT_EQ(tg::io::read_file(path), "epoch,loss\n1,0.75\n2,0.5\n");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) files += entry.is_regular_file();
  EXPECT_EQ(files, 1) << "no temporary file left behind";
  const std::string bad = dir.path() + "/missing/history.csv";
  EXPECT_TRUE(error_message<tg::IoError>([&] { history.write_csv(bad); }).find(bad) != std::string::npos);
}

TEST(History, RefusedNames) {
  History history("epoch");
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.record(1, {{"loss", 1}, {"loss", 2}}); }),
            "History::record: 'loss' is given twice");
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.record(1, {{"w", 1}}, {{"w", tg::tensor(2.0)}}); }),
            "History::record: 'w' is given twice");
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.record(1, {{"epoch", 1}}); }),
            "History::record: 'epoch' is the name of the index column");
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.record(1, {{"a,b", 1}}); }),
            "History::record: the name 'a,b' must be non-empty, without ',', '\"' or line breaks");
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.record(1, {{"", 1}}); }),
            "History::record: the name '' must be non-empty, without ',', '\"' or line breaks");
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.record(1, {}, {{"w", tg::Tensor()}}); }),
            "History::record: parameter 'w' is undefined");
  EXPECT_EQ(error_message<tg::ValueError>([] { History("a\nb"); }),
            "History: the index name 'a\nb' must be non-empty, without ',', '\"' or line breaks");
  EXPECT_EQ(history.size(), 0) << "a refused record adds nothing";
  EXPECT_EQ(error_message<tg::ValueError>([&] { history.last("loss"); }),
            "History: no column 'loss' (no columns yet)");
}

}  // namespace
