#include "tapegrad/train/progress.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "tapegrad/error.hpp"

namespace tg::train {

namespace {
int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string six_digits(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}
}  // namespace

Progress::Progress(const ProgressOptions& options)
    : options_(options), start_ns_(steady_now_ns()) {
  if (options.every < 1) throw ValueError("Progress: every must be at least 1, got " + std::to_string(options.every));
  if (options.epochs < 0) throw ValueError("Progress: epochs must be >= 0, got " + std::to_string(options.epochs));
}

double Progress::elapsed() const {
  return static_cast<double>(steady_now_ns() - start_ns_) * 1e-9;
}

std::string Progress::line(int64_t epoch, double loss, const Values& metrics, double seconds) const {
  std::string out = "epoch ";
  if (options_.epochs > 0) {
    const std::string total = std::to_string(options_.epochs);
    const std::string current = std::to_string(epoch);
    if (current.size() < total.size()) out.append(total.size() - current.size(), ' ');
    out += current + "/" + total;
  } else {
    out += std::to_string(epoch);
  }
  out += "  loss " + six_digits(loss);
  for (const auto& [name, value] : metrics) out += "  " + name + " " + six_digits(value);
  if (options_.show_time) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "  %.2f s", seconds);
    out += buffer;
  }
  return out;
}

void Progress::log(int64_t epoch, double loss, const Values& metrics) {
  if (!options_.verbose) return;
  const bool shown = epoch == 1 || epoch % options_.every == 0 || epoch == options_.epochs;
  if (!shown) return;
  std::ostream& out = options_.out != nullptr ? *options_.out : std::cout;
  out << line(epoch, loss, metrics, elapsed()) << '\n' << std::flush;
}

}  // namespace tg::train
