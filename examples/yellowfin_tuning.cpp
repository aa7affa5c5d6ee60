// YellowFin tunes its own learning rate and momentum: at every step it measures the curvature
// range [h_min, h_max] of the last curv_win_width steps, the gradient variance C and the
// distance to the optimum D, and picks the momentum μ and lr of the momentum step from them.
// This program runs it with the authors' defaults on the ravine x² + 10y² from (1, 1) and
// prints what it chose, read through tuned_lr(), tuned_momentum() and yellowfin_state().
//
//   ./build/examples/yellowfin_tuning [--function NAME] [--steps N] [--every K]
#include <cstdio>
#include <cstdlib>
#include <string>

#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
  std::string function = "ravine";
  int steps = 300, every = 25;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--function") function = argv[i + 1];
    else if (flag == "--steps") steps = std::atoi(argv[i + 1]);
    else if (flag == "--every") every = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "yellowfin_tuning: unknown option %s (--function, --steps, --every)\n", argv[i]);
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr, "yellowfin_tuning: %s needs a value\n", argv[argc - 1]);
    return 2;
  }
  if (steps < 1 || every < 1) {
    std::fprintf(stderr, "yellowfin_tuning: --steps and --every take a count of at least 1\n");
    return 2;
  }
  try {
    const tg::functions::TestFunction& f = tg::functions::get(function);
    tg::Tensor p = f.start().detach();
    p.requires_grad_(true);
    tg::optim::YellowFin opt({p});  // lr = 1e-4, mu = 0 at step 0; beta = 0.999, curv_win_width = 20
    std::string start;
    for (double x : p.to_vector()) start += (start.empty() ? "" : ", ") + tg::optim::format_value(x);
    std::printf("YellowFin on %s from (%s), the authors' defaults\n", function.c_str(), start.c_str());
    std::printf("%5s  %-12s  %-12s  %-8s  %-12s  %-12s\n", "step", "loss", "lr", "mu", "h_min", "h_max");
    for (int step = 1; step <= steps; ++step) {
      opt.zero_grad();
      const tg::Tensor loss = f(p);
      loss.backward();
      opt.step();
      if (step % every == 0 || step <= 3) {
        const tg::optim::YellowFinState& s = opt.yellowfin_state();
        tg::NoGradGuard no_grad;
        std::printf("%5d  %-12.6g  %-12.6g  %-8.4f  %-12.6g  %-12.6g\n", step, f(p).item(), opt.tuned_lr(),
                    opt.tuned_momentum(), s.h_min, s.h_max);
      }
    }
  } catch (const tg::Error& e) {
    std::fprintf(stderr, "yellowfin_tuning: %s\n", e.what());
    return 1;
  }
  return 0;
}
