// Where Adam fails on a convex problem and AMSGrad does not: the counterexamples of Reddi, Kale &
// Kumar (2018), "On the Convergence of Adam and Beyond" (docs/examples/adam_counterexample.md
// shows the output and the pictures).
//
//   1. The online problem of their Theorem 1: x in [−1, 1], f_t(x) = C·x when t mod 3 = 1 and
//      −x otherwise, C = 3. Over every three steps the losses add up to (C − 2)·x, so the best
//      fixed point is x = −1. Adam with β1 = 0, β2 = 1/(1 + C²) (the paper's setting) and
//      lr_t = α/√t drifts to x = +1 and its average regret stays at 2(C − 2)/3; AMSGrad — as
//      Adam(amsgrad = true) and as amsgrad_nobc2 — goes to −1 and its average regret goes to 0.
//   2. The paper's stochastic variant (its Section 5): f_t(x) = 1010·x with probability 0.01,
//      −10·x otherwise, whose expectation 0.2·x is smallest at x = −1; β1 = 0.9, β2 = 0.99.
//      Adam again ends near +1; AMSGrad reaches −1 only over millions of steps (10^7 here),
//      because the expected gradient is small next to the noise of the draws.
//
// After each step x is projected back onto [−1, 1]: a clamp under NoGradGuard.
//
//   adam_counterexample [DIR]   writes DIR/adam_counterexample_*.png (and .svg, .gp, _*.dat);
//                               DIR defaults to the current directory. Without gnuplot it prints
//                               how to install it and goes on.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

enum class Method { kAdam, kAdamAmsgrad, kAmsgradNobc2 };

const char* label(Method m) {
  switch (m) {
    case Method::kAdam: return "Adam";
    case Method::kAdamAmsgrad: return "Adam(amsgrad=true)";
    case Method::kAmsgradNobc2: return "amsgrad_nobc2";
  }
  return "";
}

struct Setting {
  double alpha;         // lr_t = alpha/sqrt(t)
  double beta1, beta2;
  double start;         // x_1
};

// x_t and R_t/t at the recorded steps t (x_t: the point played at step t, before its update).
struct Trace {
  std::vector<std::size_t> t;
  std::vector<double> x, regret;
  std::vector<double> lr_eff;  // effective learning rates (step_sizes()) of steps first_tracked .. + 2
  double tail_mean = 0;        // the mean of x_t over the last tenth of the steps

  std::size_t index(std::size_t step) const {
    return static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), step) - t.begin());
  }
  double x_at(std::size_t step) const { return x[index(step)]; }
  double regret_at(std::size_t step) const { return regret[index(step)]; }
};

// `steps` steps of the method on the losses f_t(x) = c(t)·x. The regret of step t is
// f_t(x_t) − f_t(−1) = c(t)·(x_t + 1), or with `expected` set E[f](x_t) − E[f](−1) =
// expected·(x_t + 1). Records every step, or those listed in `record` (increasing).
Trace play(Method method, const Setting& s, std::size_t steps, const std::function<double(std::size_t)>& c,
           const double* expected = nullptr, std::size_t first_tracked = 0, const std::vector<std::size_t>* record = nullptr) {
  tg::Tensor x = tg::full({1}, s.start, /*requires_grad=*/true);
  std::unique_ptr<tg::optim::Optimizer> opt;
  if (method == Method::kAmsgradNobc2)
    opt = std::make_unique<tg::optim::AMSGrad>(std::vector<tg::Tensor>{x},
                                               tg::optim::AMSGradOptions{.lr = s.alpha, .betas = {s.beta1, s.beta2}});
  else
    opt = std::make_unique<tg::optim::Adam>(
        std::vector<tg::Tensor>{x},
        tg::optim::AdamOptions{.lr = s.alpha, .betas = {s.beta1, s.beta2}, .amsgrad = method == Method::kAdamAmsgrad});
  // lr_t = alpha/sqrt(t): step t = 1 uses λ(0) = 1, step t uses λ(t − 1).
  tg::optim::LambdaLR schedule(*opt, [](int64_t e) { return 1.0 / std::sqrt(static_cast<double>(e + 1)); });

  Trace trace;
  double regret = 0, tail = 0;
  std::size_t next = 0;  // the next entry of `record`
  for (std::size_t t = 1; t <= steps; ++t) {
    const double xt = x.item(), ct = c(t);
    regret += (expected ? *expected : ct) * (xt + 1.0);
    if (t > steps - steps / 10) tail += xt;
    if (!record || (next < record->size() && (*record)[next] == t)) {
      trace.t.push_back(t);
      trace.x.push_back(xt);
      trace.regret.push_back(regret / static_cast<double>(t));
      ++next;
    }
    const bool tracked = first_tracked > 0 && t >= first_tracked && t < first_tracked + 3;
    opt->track_step_sizes(tracked);
    opt->zero_grad();
    (x * ct).sum().backward();
    opt->step();
    schedule.step();
    if (tracked) trace.lr_eff.push_back(opt->step_sizes()[0].item());
    {
      tg::NoGradGuard no_grad;  // the projection onto [−1, 1] is not part of the loss
      x.copy_(x.clamp(-1.0, 1.0));
    }
  }
  trace.tail_mean = tail / static_cast<double>(steps / 10);
  return trace;
}

void report(bool drawn, const std::string& base) {
  if (drawn) std::printf("  wrote %s.png\n", base.c_str());
  else std::printf("  %s (data and script written: %s_*.dat, %s.gp)\n", tg::plot::install_hint().c_str(), base.c_str(), base.c_str());
}

// The first recorded step from which the two traces play the same x_t, to within 1e-12, at every
// recorded step to the end (both recorded at the same steps); 0 if they end apart.
std::size_t equal_from(const Trace& a, const Trace& b) {
  std::size_t k = a.x.size();
  while (k > 0 && std::abs(a.x[k - 1] - b.x[k - 1]) <= 1e-12) --k;
  return k == a.x.size() ? 0 : a.t[k];
}

// The steps t = 1 mod 3 up to `last` (before a step with gradient C in the online problem), about
// 150 per decade on a logarithmic axis: all of them below 300, then each at least 1.5 % after the
// previous one.
std::vector<std::size_t> log_spaced(std::size_t last) {
  std::vector<std::size_t> ts;
  for (std::size_t t = 1; t <= last; t += 3)
    if (t < 300 || static_cast<double>(t) >= 1.015 * static_cast<double>(ts.back())) ts.push_back(t);
  return ts;
}

// x_t or R_t/t at the steps ts (all recorded), against log10(t).
tg::plot::Series at_steps(const std::string& name, const Trace& tr, bool regret, const std::vector<std::size_t>& ts) {
  tg::plot::Series s{name, {}, {}};
  for (std::size_t t : ts) {
    s.x.push_back(std::log10(static_cast<double>(t)));
    s.y.push_back(regret ? tr.regret_at(t) : tr.x_at(t));
  }
  return s;
}

const std::vector<Method> kMethods = {Method::kAdam, Method::kAdamAmsgrad, Method::kAmsgradNobc2};

// ---------------------------------------------------------------------------------------------
void online(const std::string& dir) {
  constexpr double kC = 3.0;
  constexpr std::size_t kSteps = 100000, kCycle = 99997;  // the cycle kCycle .. kCycle + 2 is shown step by step
  const Setting setting{.alpha = 0.5, .beta1 = 0.0, .beta2 = 1.0 / (1.0 + kC * kC), .start = 0.0};
  const auto c = [](std::size_t t) { return t % 3 == 1 ? kC : -1.0; };

  std::printf("1. The online problem of Theorem 1: x in [-1, 1], f_t(x) = %g*x when t mod 3 = 1, -x otherwise\n", kC);
  std::printf("   Each cycle of three steps adds up to (C - 2)*x = x: the best fixed point is x = -1.\n");
  std::printf("   beta1 = 0, beta2 = 1/(1 + C^2) = %g, lr_t = %g/sqrt(t), eps = 1e-8, x_1 = %g; x clamped to [-1, 1] after each step\n\n",
              setting.beta2, setting.alpha, setting.start);

  std::vector<Trace> traces;
  for (Method m : kMethods) traces.push_back(play(m, setting, kSteps, c, nullptr, kCycle));
  Setting from_optimum = setting;
  from_optimum.start = -1.0;
  const Trace adam_from_optimum = play(Method::kAdam, from_optimum, kSteps, c);

  const std::vector<std::size_t> at = {10, 100, 1000, 10000, 100000};
  std::printf("   %-28s x_t at t = 10, 100, 1000, 10^4, 10^5                  average regret R_t/t at the same t\n", "method");
  const auto row = [&](const std::string& name, const Trace& tr) {
    std::printf("   %-28s", name.c_str());
    for (std::size_t t : at) std::printf(" %+8.5f", tr.x_at(t));
    std::printf("   ");
    for (std::size_t t : at) std::printf(" %8.5f", tr.regret_at(t));
    std::printf("\n");
  };
  for (std::size_t i = 0; i < kMethods.size(); ++i) row(label(kMethods[i]), traces[i]);
  row("Adam, from x_1 = -1", adam_from_optimum);
  std::printf("   (x_t: the point played at step t, before its update; these t are all 1 mod 3, just before a\n"
              "   step with gradient C. R_t = sum of f_s(x_s) - f_s(-1) for s <= t. At x = +1 for ever, R_t/t\n"
              "   would tend to 2(C - 2)/3 = %.5f)\n",
              2 * (kC - 2) / 3);
  const std::size_t same = equal_from(traces[1], traces[2]);
  std::printf("   Adam(amsgrad=true) and amsgrad_nobc2 play the same x_t (to 1e-12) from step %zu on.\n", same);

  // Why: the effective learning rate over one late cycle. With beta2 = 0.1, v forgets the large
  // gradient within a step or two, and the two small gradients get large steps.
  std::printf("\n   One late cycle, t = %zu, %zu, %zu (gradients %g, -1, -1): each step's effective learning rate\n"
              "   (step_sizes()) divided by lr_t, and in brackets the move it makes, -g*lr_eff/lr_t\n",
              kCycle, kCycle + 1, kCycle + 2, kC);
  for (std::size_t i = 0; i < kMethods.size(); ++i) {
    std::printf("   %-28s", label(kMethods[i]));
    double net = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      const double lr_t = setting.alpha / std::sqrt(static_cast<double>(kCycle + k));
      const double ratio = traces[i].lr_eff[k] / lr_t, move = -c(kCycle + k) * ratio;
      net += move;
      std::printf("  %.4f (%+.4f)", ratio, move);
    }
    std::printf("   net %+.4f per cycle\n", net);
  }

  const std::vector<std::size_t> ts = log_spaced(kSteps);
  const std::string nobc2 = "amsgrad_nobc2 (on top: the same from step " + std::to_string(same) + ")";
  std::vector<tg::plot::Series> xs, rs;
  for (bool regret : {false, true}) {
    std::vector<tg::plot::Series>& out = regret ? rs : xs;
    out.push_back(at_steps("Adam", traces[0], regret, ts));
    out.push_back(at_steps("Adam, from x_1 = −1", adam_from_optimum, regret, ts));
    out.push_back(at_steps("Adam(amsgrad=true)", traces[1], regret, ts));
    out.push_back(at_steps(nobc2, traces[2], regret, ts));
  }
  std::printf("\n");
  report(tg::plot::lines(dir + "/adam_counterexample_online_x",
                         "f_t(x) = 3x if t mod 3 = 1, else −x, on [−1, 1]; best point −1. x_t at t = 1 mod 3",
                         "log₁₀ t", "x_t", xs),
         dir + "/adam_counterexample_online_x");
  report(tg::plot::lines(dir + "/adam_counterexample_online_regret", "The same problem: average regret R_t / t", "log₁₀ t",
                         "R_t / t", rs, /*log_y=*/true),
         dir + "/adam_counterexample_online_regret");
}

// ---------------------------------------------------------------------------------------------
void stochastic(const std::string& dir) {
  constexpr std::size_t kSteps = 10000000, kChunk = 1000000, kEvery = 20000;
  constexpr double kExpected = 0.01 * 1010.0 + 0.99 * -10.0;  // E[f_t](x) = 0.2 x
  const Setting setting{.alpha = 1.0, .beta1 = 0.9, .beta2 = 0.99, .start = 0.0};

  std::printf("\n2. The stochastic variant (Section 5): f_t(x) = 1010*x with probability 0.01, -10*x otherwise\n");
  std::printf("   E[f_t](x) = %.1f*x: the best point is x = -1. beta1 = %g, beta2 = %g, lr_t = %g/sqrt(t), x_1 = %g,\n"
              "   10^7 steps; the draws: tg::uniform(0, 1) after tg::manual_seed(seed), NumPy's generator\n\n",
              kExpected, setting.beta1, setting.beta2, setting.alpha, setting.start);
  std::printf("   %-5s %-19s %-45s %-11s %s\n", "seed", "method", "x_t at t = 10^3, 10^4, 10^5, 10^6, 10^7", "mean x_t,",
              "average gap (1/t) sum 0.2(x_s + 1)");
  std::printf("   %-5s %-19s %-45s %-11s %s\n", "", "", "", "last 10^6", "at t = 10^4, 10^5, 10^6, 10^7");

  // Recorded: the log-spaced steps, every kEvery-th step, and the powers of ten.
  const std::vector<std::size_t> ts = log_spaced(kSteps);
  std::vector<std::size_t> record = ts;
  for (std::size_t t = kEvery; t <= kSteps; t += kEvery) record.push_back(t);
  for (std::size_t t = 10; t <= kSteps; t *= 10) record.push_back(t);
  std::sort(record.begin(), record.end());
  record.erase(std::unique(record.begin(), record.end()), record.end());

  std::vector<Trace> pictured;
  std::vector<tg::plot::Series> gaps;
  for (uint32_t seed : {0u, 1u, 2u}) {
    tg::manual_seed(seed);
    std::vector<bool> large(kSteps);  // f_t = 1010·x at step t + 1
    std::size_t n_large = 0;
    for (std::size_t begin = 0; begin < kSteps; begin += kChunk) {  // the same stream as one draw of 10^7
      const std::vector<double> u = tg::uniform({static_cast<int64_t>(kChunk)}, 0.0, 1.0).to_vector();
      for (std::size_t k = 0; k < kChunk; ++k) {
        large[begin + k] = u[k] < 0.01;
        if (u[k] < 0.01) ++n_large;
      }
    }
    const auto c = [&large](std::size_t t) { return large[t - 1] ? 1010.0 : -10.0; };
    for (Method m : kMethods) {
      // amsgrad_nobc2 plays the same points as Adam(amsgrad=true) after the first ~10^4 steps:
      // run for seed 0 only, to save time.
      if (m == Method::kAmsgradNobc2 && seed != 0) continue;
      Trace tr = play(m, setting, kSteps, c, &kExpected, 0, &record);
      std::printf("   %-5u %-19s", seed, label(m));
      for (std::size_t t = 1000; t <= kSteps; t *= 10) std::printf(" %+8.4f", tr.x_at(t));
      std::printf("   %+8.4f   ", tr.tail_mean);
      for (std::size_t t = 10000; t <= kSteps; t *= 10) std::printf(" %7.4f", tr.regret_at(t));
      std::printf("\n");
      if (m != Method::kAmsgradNobc2)
        gaps.push_back(at_steps(std::string(label(m)) + ", seed " + std::to_string(seed), tr, true, ts));
      if (seed == 0) pictured.push_back(std::move(tr));
    }
    std::printf("   %-5s (%zu of the 10^7 gradients are 1010)\n", "", n_large);
  }
  // Adam first, then AMSGrad, each over the three seeds.
  std::vector<tg::plot::Series> ordered;
  for (std::size_t first : {0, 1})
    for (std::size_t k = first; k < gaps.size(); k += 2) ordered.push_back(gaps[k]);

  const std::size_t same = equal_from(pictured[1], pictured[2]);
  std::printf("   Seed 0: Adam(amsgrad=true) and amsgrad_nobc2 play the same x_t (to 1e-12) at every recorded step\n"
              "   from %zu on.\n", same);
  std::vector<tg::plot::Series> xs;
  for (std::size_t i = 0; i < kMethods.size(); ++i) {
    tg::plot::Series s{i == 2 ? "amsgrad_nobc2 (on top: the same from step " + std::to_string(same) + ")" : label(kMethods[i]), {}, {}};
    for (std::size_t t = kEvery; t <= kSteps; t += kEvery) {
      s.x.push_back(static_cast<double>(t) / 1e6);
      s.y.push_back(pictured[i].x_at(t));
    }
    xs.push_back(s);
  }
  std::printf("\n");
  report(tg::plot::lines(dir + "/adam_counterexample_stochastic_x",
                         "f_t(x) = 1010x with probability 0.01, else −10x, on [−1, 1]; best point −1. x_t (seed 0)",
                         "step t (millions)", "x_t", xs),
         dir + "/adam_counterexample_stochastic_x");
  report(tg::plot::lines(dir + "/adam_counterexample_stochastic_gap",
                         "The same problem: average gap (1/t) Σ E f(x_s) − E f(−1), three seeds", "log₁₀ t",
                         "average gap", ordered, /*log_y=*/true),
         dir + "/adam_counterexample_stochastic_gap");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: adam_counterexample [DIR]   (DIR: where the pictures go, default the current directory)\n");
    return 2;
  }
  const std::string dir = argc == 2 ? argv[1] : ".";
  try {
    std::filesystem::create_directories(dir);
    std::printf("Where Adam fails on a convex problem and AMSGrad does not (Reddi, Kale & Kumar 2018)\n\n");
    online(dir);
    stochastic(dir);
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "adam_counterexample: %s\n", e.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "adam_counterexample: %s\n", e.what());
    return 1;
  }
  return 0;
}
