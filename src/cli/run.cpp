// One optimizer on one test function: the loop shared by `optimize` and `race`.
#include <cmath>
#include <limits>
#include <regex>

#include "cli.hpp"
#include "tapegrad/creation.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/optim/registry.hpp"
#include "tapegrad/tape.hpp"

namespace tg::cli {

namespace {

bool all_finite(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

}  // namespace

RunResult run_optimizer(const functions::TestFunction& f, const std::string& optimizer,
                        const optim::OptionList& options, const std::vector<double>& start, int64_t steps,
                        bool with_grad_norm, const std::function<void(const Row&)>& sink) {
  Tensor p = tg::tensor(start, f.shape, /*requires_grad=*/true);
  const std::unique_ptr<optim::Optimizer> opt = optim::make_optimizer(optimizer, {p}, options);
  const optim::Closure closure = [&] {
    opt->zero_grad();
    Tensor loss = f(p);
    loss.backward();
    return loss;
  };

  RunResult result;
  // Records row `step` from the current parameters; false if it is not finite.
  auto observe = [&](int64_t step) {
    Row row;
    row.step = step;
    row.params = p.to_vector();
    if (with_grad_norm) {
      Tensor q = p.detach();
      q.set_requires_grad(true);
      const Tensor loss = f(q);
      loss.backward();
      row.loss = loss.item();
      double sum = 0;
      for (double g : q.grad().to_vector()) sum += g * g;
      row.grad_norm = std::sqrt(sum);
    } else {
      NoGradGuard no_grad;
      row.loss = f(p).item();
    }
    if (!std::isfinite(row.loss) || !all_finite(row.params)) {
      result.diverged = true;
      result.diverged_at = step;
      result.diverged_loss = row.loss;
      return false;
    }
    if (sink) sink(row);
    result.rows.push_back(std::move(row));
    return true;
  };

  if (!observe(0)) return result;
  for (int64_t step = 1; step <= steps; ++step) {
    try {
      opt->step(closure);
    } catch (const tg::Error& e) {
      result.diverged = true;
      result.diverged_at = step;
      result.diverged_loss = std::numeric_limits<double>::quiet_NaN();
      result.failure = one_line(e.what());
      return result;
    }
    if (!observe(step)) return result;
  }
  return result;
}

// The options `name` cannot do without: make_optimizer with the defaults names the first one
// missing ("sgd: option lr is required ..."); given a placeholder, it names the next. Asking
// the optimizer itself finds what a run demands — sgd's lr, demon_sgdm's T (whose default 0
// means "not given") — and leaves out adafactor's lr, unused with its default relative_step.
std::string csv_header(int64_t dim) {
  std::string h = "step,loss";
  for (int64_t i = 0; i < dim; ++i) h += ",p" + std::to_string(i);
  return h;
}

std::string csv_row(const Row& row) {
  std::string s = std::to_string(row.step) + "," + format_exact(row.loss);
  for (double v : row.params) s += "," + format_exact(v);
  return s;
}

std::vector<std::string> required_options(const std::string& name) {
  static const std::regex missing("option (\\w+) is required");
  optim::OptionList given;
  std::vector<std::string> required;
  while (true) {
    try {
      optim::make_optimizer(name, {tg::zeros(Shape{2}, true)}, given);
      return required;
    } catch (const tg::ValueError& e) {
      std::smatch m;
      const std::string message = e.what();
      if (!std::regex_search(message, m, missing) || given.size() > 8) return required;
      required.push_back(m[1]);
      given.emplace_back(m[1], "1");
    }
  }
}

double distance_to_nearest_minimum(const functions::TestFunction& f, const std::vector<double>& x,
                                   std::size_t* nearest) {
  double best = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < f.points.size(); ++i) {
    const functions::Point& m = f.points[i];
    if (m.kind.find("minimum") == std::string::npos || m.x.size() != x.size()) continue;
    double sum = 0;
    for (std::size_t k = 0; k < x.size(); ++k) sum += (x[k] - m.x[k]) * (x[k] - m.x[k]);
    const double d = std::sqrt(sum);
    if (std::isnan(best) || d < best) {
      best = d;
      if (nearest) *nearest = i;
    }
  }
  return best;
}

double global_minimum_value(const functions::TestFunction& f) {
  double best = std::numeric_limits<double>::quiet_NaN();
  for (const functions::Point& m : f.points) {
    if (m.kind == "global minimum" && (std::isnan(best) || m.value < best)) best = m.value;
  }
  return best;
}

}  // namespace tg::cli
