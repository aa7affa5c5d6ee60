// A line-by-line port of torch/optim/lbfgs.py (PyTorch 1.13): LBFGS.step, _strong_wolfe and
// _cubic_interpolate, on flat std::vector<double> copies of the parameters and gradients.
#include "tapegrad/optim/lbfgs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <optional>
#include <utility>

#include "rule.hpp"
#include "tapegrad/error.hpp"

namespace tg::optim {

namespace {

using Vec = std::vector<double>;

double dot(const Vec& a, const Vec& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

double abs_max(const Vec& a) {
  double m = 0.0;
  for (double x : a) m = std::max(m, std::fabs(x));
  return m;
}

Vec negated(const Vec& a) {
  Vec out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = -a[i];
  return out;
}

Vec to_vec(const Tensor& t) { return t.defined() ? t.to_vector() : Vec(); }
Tensor to_tensor(const Vec& v) { return tg::tensor(v, {static_cast<int64_t>(v.size())}); }

// The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
// the bounds (default: the interval between x1 and x2); their midpoint if it has none.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         std::optional<std::pair<double, double>> bounds = std::nullopt) {
  double xmin_bound, xmax_bound;
  if (bounds) {
    std::tie(xmin_bound, xmax_bound) = *bounds;
  } else {
    xmin_bound = std::min(x1, x2);
    xmax_bound = std::max(x1, x2);
  }
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square >= 0) {
    const double d2 = std::sqrt(d2_square);
    const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return std::min(std::max(min_pos, xmin_bound), xmax_bound);
  }
  return (xmin_bound + xmax_bound) / 2.;
}

struct LineSearch {
  double f;
  Vec g;
  double t;
  int64_t evals;
};

// f and the flat gradient at θ + t·d (θ left unchanged).
using Objective = std::function<std::pair<double, Vec>(double t)>;

// A step length t along d satisfying the strong Wolfe conditions.
LineSearch strong_wolfe(const Objective& obj_func, double t, const Vec& d, double f, const Vec& g, double gtd,
                        double c1 = 1e-4, double c2 = 0.9, double tolerance_change = 1e-9, int max_ls = 25) {
  const double d_norm = abs_max(d);
  auto [f_new, g_new] = obj_func(t);
  int64_t ls_func_evals = 1;
  double gtd_new = dot(g_new, d);

  // bracket an interval containing a point satisfying the Wolfe criteria
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Vec g_prev = g;
  bool done = false;
  int ls_iter = 0;
  std::array<double, 2> bracket{}, bracket_f{}, bracket_gtd{};
  std::array<Vec, 2> bracket_g;
  std::size_t bracket_size = 2;
  while (ls_iter < max_ls) {
    if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = {t_prev, t};
      bracket_f = {f_prev, f_new};
      bracket_g = {g_prev, g_new};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::fabs(gtd_new) <= -c2 * gtd) {
      bracket[0] = t, bracket_f[0] = f_new, bracket_g[0] = g_new;
      bracket_size = 1;
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {t_prev, t};
      bracket_f = {f_prev, f_new};
      bracket_g = {g_prev, g_new};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    // interpolate
    const double min_step = t + 0.01 * (t - t_prev);
    const double max_step = t * 10;
    const double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, std::pair{min_step, max_step});
    // next step
    t_prev = tmp, f_prev = f_new, g_prev = g_new, gtd_prev = gtd_new;
    std::tie(f_new, g_new) = obj_func(t);
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;
  }
  if (ls_iter == max_ls) {
    bracket = {0, t};
    bracket_f = {f, f_new};
    bracket_g = {g, g_new};
  }

  // zoom phase: refine the bracket until a point satisfies the criteria
  bool insuf_progress = false;
  std::size_t low_pos = 0, high_pos = 1;
  if (!(bracket_f[0] <= bracket_f[bracket_size - 1])) low_pos = 1, high_pos = 0;
  while (!done && ls_iter < max_ls) {
    if (std::fabs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    // a trial point close to an end of the bracket (twice in a row, or beyond it) moves to
    // 0.1 of the bracket's length away from that end
    const double b_max = std::max(bracket[0], bracket[1]), b_min = std::min(bracket[0], bracket[1]);
    const double eps = 0.1 * (b_max - b_min);
    if (std::min(b_max - t, t - b_min) < eps) {
      if (insuf_progress || t >= b_max || t <= b_min) {
        t = std::fabs(t - b_max) < std::fabs(t - b_min) ? b_max - eps : b_min + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    std::tie(f_new, g_new) = obj_func(t);
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;

    if (f_new > (f + c1 * t * gtd) || f_new >= bracket_f[low_pos]) {
      // Armijo condition not satisfied or not lower than the lowest point
      bracket[high_pos] = t, bracket_f[high_pos] = f_new, bracket_g[high_pos] = g_new;
      bracket_gtd[high_pos] = gtd_new;
      if (bracket_f[0] <= bracket_f[1]) low_pos = 0, high_pos = 1;
      else low_pos = 1, high_pos = 0;
    } else {
      if (std::fabs(gtd_new) <= -c2 * gtd) {
        done = true;  // the Wolfe conditions hold
      } else if (gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0) {
        // the old high becomes the new low
        bracket[high_pos] = bracket[low_pos], bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos], bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      bracket[low_pos] = t, bracket_f[low_pos] = f_new, bracket_g[low_pos] = g_new;
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  return {bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals};
}

}  // namespace

void check_line_search_fn(const char* optimizer, const char* option, const std::string& value) {
  if (!value.empty() && value != "strong_wolfe") {
    throw ValueError(std::string(optimizer) + ": invalid " + option + " = '" + value + "' (expected '' or 'strong_wolfe')");
  }
}

LBFGS::LBFGS(std::vector<ParamGroup> groups) : BasicOptimizer(kName, std::move(groups)) {
  if (groups_.size() != 1) {
    throw ValueError("lbfgs: one parameter group only (got " + std::to_string(groups_.size()) +
                     "); it works on all parameters at once");
  }
  if (groups_[0].params.empty()) throw ValueError("lbfgs: the parameter list is empty");
}

void LBFGS::update(Tensor&, const Tensor&, LBFGSState&, const LBFGSOptions&) {
  throw ValueError("lbfgs: the update works on all parameters at once, through step(closure)");
}

void LBFGS::check_loaded_state(const CheckpointReader& in, std::size_t group, std::size_t index, LBFGSState& loaded,
                               const LBFGSOptions&) {
  const detail::StateSite site{in, group, index, groups_[group].params[index].shape()};
  const detail::StateLayout saved = detail::layout_of(loaded);
  detail::check_numbers(site, saved);
  LBFGSState expected;  // empty for all parameters but the first
  if (index == 0) {
    int64_t n = 0;
    for (const Tensor& p : groups_[group].params) n += p.numel();
    const std::size_t history = loaded.old_dirs.size();
    if (loaded.old_stps.size() != history) throw detail::count_error(site, "old_stps.count", loaded.old_stps.size(), history);
    if (loaded.ro.size() != history) throw detail::count_error(site, "ro.count", loaded.ro.size(), history);
    if (loaded.n_iter > 0) {
      // the next iteration reads the last direction and gradient
      for (const auto& [name, tensor] : {std::pair{"d", &loaded.d}, std::pair{"prev_flat_grad", &loaded.prev_flat_grad}}) {
        if (!tensor->defined()) {
          throw detail::state_error(site, name, "is missing from the checkpoint, but n_iter = " +
                                                    std::to_string(loaded.n_iter) + " needs it");
        }
      }
    }
    const Tensor flat = tg::zeros({n});
    expected.d = expected.prev_flat_grad = flat;
    expected.old_dirs.assign(history, flat);
    expected.old_stps.assign(history, flat);
    expected.ro.assign(history, tg::tensor(0.0));
  }
  detail::check_shapes(site, saved, detail::layout_of(expected));
}

Tensor LBFGS::step(const Closure& closure) {
  if (!closure) {
    throw ValueError("lbfgs: step() needs a closure (it clears the gradients, computes the loss, calls "
                     "backward() and returns the loss), since one step evaluates the loss several times");
  }
  if (groups_.size() != 1) {
    throw ValueError("lbfgs: one parameter group only (got " + std::to_string(groups_.size()) + ")");
  }
  const LBFGSOptions& o = groups_[0].options;
  const std::vector<Tensor>& params = groups_[0].params;
  if (state_[0].size() < params.size()) state_[0].resize(params.size());
  LBFGSState& state = state_[0][0];
  const int64_t max_eval = o.max_eval > 0 ? o.max_eval.get() : o.max_iter * 5 / 4;

  auto gather_flat_grad = [&] {
    Vec flat;
    for (const Tensor& p : params) {
      const Tensor g = p.grad();
      if (g.defined()) {
        flat.insert(flat.end(), g.data(), g.data() + g.numel());
      } else {
        flat.insert(flat.end(), static_cast<std::size_t>(p.numel()), 0.0);
      }
    }
    return flat;
  };
  auto add_grad = [&](double step_size, const Vec& update) {
    std::size_t offset = 0;
    for (const Tensor& p : params) {
      double* x = detail::write(p);
      for (int64_t i = 0; i < p.numel(); ++i) x[i] = x[i] + step_size * update[offset++];
    }
  };
  auto clone_param = [&] {
    std::vector<Vec> xs;
    for (const Tensor& p : params) xs.push_back(p.to_vector());
    return xs;
  };
  auto set_param = [&](const std::vector<Vec>& xs) {
    for (std::size_t k = 0; k < params.size(); ++k) std::copy(xs[k].begin(), xs[k].end(), detail::write(params[k]));
  };

  // evaluate the initial f(x) and df/dx
  Tensor orig_loss = evaluate(closure);
  double loss = orig_loss.item();
  int64_t current_evals = 1;
  state.func_evals += 1;

  std::vector<Tensor> start_grads;
  if (track_step_sizes_) {
    begin_step();
    for (std::size_t k = 0; k < params.size(); ++k) {
      before_update(k, params[k]);
      const Tensor g = params[k].grad();
      start_grads.push_back(g.defined() ? g.clone() : Tensor());
    }
  }
  auto finish = [&] {
    for (std::size_t k = 0; k < start_grads.size(); ++k)
      if (start_grads[k].defined()) after_update(k, params[k], start_grads[k]);
    return orig_loss;
  };

  Vec flat_grad = gather_flat_grad();
  bool opt_cond = abs_max(flat_grad) <= o.tolerance_grad;
  if (opt_cond) return finish();

  Vec d = to_vec(state.d);
  double t = state.t;
  std::vector<Vec> old_dirs, old_stps;
  Vec ro;
  for (const Tensor& y : state.old_dirs) old_dirs.push_back(y.to_vector());
  for (const Tensor& s : state.old_stps) old_stps.push_back(s.to_vector());
  for (const Tensor& r : state.ro) ro.push_back(r.item());
  double H_diag = state.H_diag;
  Vec prev_flat_grad = to_vec(state.prev_flat_grad);
  double prev_loss = state.prev_loss;

  int64_t n_iter = 0;
  while (n_iter < o.max_iter) {
    n_iter += 1;
    state.n_iter += 1;

    // the descent direction
    if (state.n_iter == 1) {
      d = negated(flat_grad);
      old_dirs.clear(), old_stps.clear(), ro.clear();
      H_diag = 1;
    } else {
      // update the memory
      Vec y(flat_grad.size()), s(d.size());
      for (std::size_t i = 0; i < y.size(); ++i) y[i] = flat_grad[i] - prev_flat_grad[i];
      for (std::size_t i = 0; i < s.size(); ++i) s[i] = d[i] * t;
      const double ys = dot(y, s);
      if (ys > 1e-10) {
        if (static_cast<int64_t>(old_dirs.size()) == o.history_size) {
          old_dirs.erase(old_dirs.begin()), old_stps.erase(old_stps.begin()), ro.erase(ro.begin());
        }
        old_dirs.push_back(y), old_stps.push_back(s), ro.push_back(1. / ys);
        H_diag = ys / dot(y, y);  // the scale of the initial inverse Hessian
      }
      // d = −H·g by the two-loop recursion
      const std::size_t num_old = old_dirs.size();
      Vec al(num_old);
      Vec q = negated(flat_grad);
      for (std::size_t i = num_old; i-- > 0;) {
        al[i] = dot(old_stps[i], q) * ro[i];
        for (std::size_t k = 0; k < q.size(); ++k) q[k] = q[k] + (-al[i]) * old_dirs[i][k];
      }
      Vec r(q.size());
      for (std::size_t k = 0; k < q.size(); ++k) r[k] = q[k] * H_diag;
      for (std::size_t i = 0; i < num_old; ++i) {
        const double be_i = dot(old_dirs[i], r) * ro[i];
        for (std::size_t k = 0; k < r.size(); ++k) r[k] = r[k] + (al[i] - be_i) * old_stps[i][k];
      }
      d = std::move(r);
    }
    prev_flat_grad = flat_grad;
    prev_loss = loss;

    // the step length
    if (state.n_iter == 1) {
      double abs_sum = 0.0;
      for (double g : flat_grad) abs_sum += std::fabs(g);
      t = std::min(1., 1. / abs_sum) * o.lr;
    } else {
      t = o.lr;
    }
    const double gtd = dot(flat_grad, d);  // the directional derivative
    if (gtd > -o.tolerance_change) break;

    int64_t ls_func_evals = 0;
    if (o.line_search_fn.get() == "strong_wolfe") {
      const std::vector<Vec> x_init = clone_param();
      const Objective obj_func = [&](double step) {
        add_grad(step, d);
        const double f = evaluate(closure).item();
        Vec g = gather_flat_grad();
        set_param(x_init);
        return std::pair{f, std::move(g)};
      };
      LineSearch ls = strong_wolfe(obj_func, t, d, loss, flat_grad, gtd);
      loss = ls.f, flat_grad = std::move(ls.g), t = ls.t, ls_func_evals = ls.evals;
      add_grad(t, d);
      opt_cond = abs_max(flat_grad) <= o.tolerance_grad;
    } else {
      // a fixed step; the function is re-evaluated unless this is the last iteration
      add_grad(t, d);
      if (n_iter != o.max_iter) {
        loss = evaluate(closure).item();
        flat_grad = gather_flat_grad();
        opt_cond = abs_max(flat_grad) <= o.tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    state.func_evals += ls_func_evals;

    // the conditions to stop
    if (n_iter == o.max_iter) break;
    if (current_evals >= max_eval) break;
    if (opt_cond) break;
    double step_max = 0.0;  // lack of progress
    for (double di : d) step_max = std::max(step_max, std::fabs(di * t));
    if (step_max <= o.tolerance_change) break;
    if (std::fabs(loss - prev_loss) < o.tolerance_change) break;
  }

  state.d = to_tensor(d);
  state.t = t;
  state.old_dirs.clear(), state.old_stps.clear(), state.ro.clear();
  for (const Vec& y : old_dirs) state.old_dirs.push_back(to_tensor(y));
  for (const Vec& s : old_stps) state.old_stps.push_back(to_tensor(s));
  for (double r : ro) state.ro.push_back(tg::tensor(r));
  state.H_diag = H_diag;
  state.prev_flat_grad = to_tensor(prev_flat_grad);
  state.prev_loss = prev_loss;
  return finish();
}

template class BasicOptimizer<LBFGSOptions, LBFGSState>;

}  // namespace tg::optim
