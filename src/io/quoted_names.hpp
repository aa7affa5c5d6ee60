// "'a', 'b', 'c'": names as the messages about StateDict keys list them.
#pragma once

#include <string>
#include <vector>

namespace tg::detail {

inline std::string quoted_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "'" : ", '") + name + "'";
  return out;
}

}  // namespace tg::detail
