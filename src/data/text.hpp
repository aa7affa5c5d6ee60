// Text helpers of the data readers: lines and comma-separated cells, file reading, messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tg::data::detail {

struct Line {
  int64_t number = 0;     // from 1
  std::string_view text;  // without the line end
};

/// The lines of `text`: '\n' or "\r\n" ends, a leading UTF-8 byte-order mark skipped, empty
/// lines at the end dropped (other empty lines are kept, for the caller to refuse).
std::vector<Line> lines(std::string_view text);

/// The cells of a line split at commas, spaces and tabs around each cell removed.
std::vector<std::string_view> cells(std::string_view line);

/// The whole content of a file; tg::IoError "function: cannot open PATH: reason" otherwise.
std::string read_text(const char* function, const std::string& path);

/// A number in a message: printf's %g ("0.2", "1e-08", "3").
std::string number(double value);

/// "source:line: " — the prefix of a message about one line.
std::string where(const std::string& source, int64_t line);

}  // namespace tg::data::detail
