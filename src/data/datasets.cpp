#include "tapegrad/data/datasets.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "tapegrad/data/csv.hpp"
#include "tapegrad/data/split.hpp"
#include "tapegrad/error.hpp"

#ifndef TAPEGRAD_SOURCE_DATA_DIR
#define TAPEGRAD_SOURCE_DATA_DIR ""
#endif
// Where an installed tapegrad's datasets are, relative to the directory of a program installed
// in the same prefix (bin/ -> ../share/tapegrad/data).
#ifndef TAPEGRAD_INSTALLED_DATA_DIR
#define TAPEGRAD_INSTALLED_DATA_DIR ""
#endif

namespace tg::data {

namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The directory of the running program; empty if unknown.
fs::path program_directory() {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : program.parent_path();
}

}  // namespace

std::vector<std::string> dataset_search_path() {
  std::vector<std::string> out;
  if (const char* dir = std::getenv("TAPEGRAD_DATA_DIR"); dir != nullptr && *dir != '\0') out.emplace_back(dir);
  if (const fs::path program_dir = program_directory(); !program_dir.empty() && *TAPEGRAD_INSTALLED_DATA_DIR != '\0')
    out.push_back((program_dir / TAPEGRAD_INSTALLED_DATA_DIR).lexically_normal().string());
  if (*TAPEGRAD_SOURCE_DATA_DIR != '\0') out.emplace_back(TAPEGRAD_SOURCE_DATA_DIR);
  out.emplace_back("data");
  return out;
}

std::string find_dataset(const std::string& name) {
  if (name.empty()) throw ValueError("find_dataset: the name is empty");
  if (name.find('/') != std::string::npos || ends_with(name, ".csv")) {
    if (!is_file(name)) throw IoError("find_dataset: no file " + name);
    return name;
  }
  std::string tried;
  for (const std::string& dir : dataset_search_path()) {
    const fs::path path = fs::path(dir) / (name + ".csv");
    if (is_file(path)) return path.string();
    tried += (tried.empty() ? "" : ", ") + path.string();
  }
  throw IoError("find_dataset: no dataset '" + name + "'; looked for " + tried +
                " (set TAPEGRAD_DATA_DIR to the directory holding " + name + ".csv)");
}

TrainTest load_dataset(const std::string& name) {
  const std::string path = find_dataset(name);
  const std::string stem = ends_with(path, ".csv") ? path.substr(0, path.size() - 4) : path;
  const std::string split_path = stem + ".split.csv";
  const CsvData data = read_csv(path);
  return train_test_split(data.dataset, read_split(split_path, data.dataset.size()));
}

}  // namespace tg::data
