// The vector kernels, written once over xsimd's batch of doubles and compiled once per
// instruction set: avx512.cpp, avx2.cpp and sse2.cpp include this file with that set's
// compiler flags and instantiate it. Not included anywhere else.
//
// Each loop takes whole batches, then runs the last n mod W elements through a zero-padded
// batch, so that every element goes through the same arithmetic wherever it sits. The
// arithmetic is written exactly as in scalar.cpp (these files are compiled with
// -ffp-contract=off, so no multiply-add is fused behind our back): results are bit-identical to
// the scalar kernels, except tanh, which is xsimd's approximation.
#pragma once

#include <xsimd/xsimd.hpp>

#include <cstddef>
#include <cstdint>

#include "kernels.hpp"
#include "optim/adam_rule.hpp"

namespace tg::detail::kernels {

template <class Arch>
struct SimdKernels {
  using Batch = xsimd::batch<double, Arch>;
  static constexpr int64_t W = static_cast<int64_t>(Batch::size);

  // The first `count` (< W) values at p, zero-padded to a batch; and the way back.
  static Batch load_part(const double* p, int64_t count) {
    alignas(64) double buffer[W] = {};
    for (int64_t i = 0; i < count; ++i) buffer[i] = p[i];
    return Batch::load_aligned(buffer);
  }
  static void store_part(double* p, const Batch& v, int64_t count) {
    alignas(64) double buffer[W];
    v.store_aligned(buffer);
    for (int64_t i = 0; i < count; ++i) p[i] = buffer[i];
  }

  static void tanh(const double* x, double* y, int64_t n) {
    int64_t i = 0;
    for (; i + W <= n; i += W) xsimd::tanh(Batch::load_unaligned(x + i)).store_unaligned(y + i);
    if (i < n) store_part(y + i, xsimd::tanh(load_part(x + i, n - i)), n - i);
  }

  // gx += g ⊙ (1 - y²)
  static Batch tanh_grad(const Batch& g, const Batch& y, const Batch& gx) {
    return gx + g * (Batch(1.0) - y * y);
  }
  static void tanh_backward(const double* g, const double* y, double* gx, int64_t n) {
    int64_t i = 0;
    for (; i + W <= n; i += W) {
      const Batch r = tanh_grad(Batch::load_unaligned(g + i), Batch::load_unaligned(y + i),
                                Batch::load_unaligned(gx + i));
      r.store_unaligned(gx + i);
    }
    if (i < n) {
      const int64_t k = n - i;
      store_part(gx + i, tanh_grad(load_part(g + i, k), load_part(y + i, k), load_part(gx + i, k)), k);
    }
  }

  // One Adam step (src/optim/adam_rule.hpp), a batch of elements at a time.
  struct AdamLanes {
    Batch p, g, m, v, vmax;
  };
  static void adam(const AdamStep& s) {
    const bool ams = s.max_exp_avg_sq != nullptr;
    int64_t i = 0;
    for (; i + W <= s.n; i += W) {
      AdamLanes l{Batch::load_unaligned(s.param + i), Batch::load_unaligned(s.grad + i),
                  Batch::load_unaligned(s.exp_avg + i), Batch::load_unaligned(s.exp_avg_sq + i),
                  ams ? Batch::load_unaligned(s.max_exp_avg_sq + i) : Batch(0.0)};
      optim::detail::adam_rule(s, l.p, l.g, l.m, l.v, l.vmax);
      l.p.store_unaligned(s.param + i);
      l.m.store_unaligned(s.exp_avg + i);
      l.v.store_unaligned(s.exp_avg_sq + i);
      if (ams) l.vmax.store_unaligned(s.max_exp_avg_sq + i);
    }
    if (i < s.n) {
      const int64_t k = s.n - i;
      AdamLanes l{load_part(s.param + i, k), load_part(s.grad + i, k), load_part(s.exp_avg + i, k),
                  load_part(s.exp_avg_sq + i, k), ams ? load_part(s.max_exp_avg_sq + i, k) : Batch(0.0)};
      optim::detail::adam_rule(s, l.p, l.g, l.m, l.v, l.vmax);
      store_part(s.param + i, l.p, k);
      store_part(s.exp_avg + i, l.m, k);
      store_part(s.exp_avg_sq + i, l.v, k);
      if (ams) store_part(s.max_exp_avg_sq + i, l.vmax, k);
    }
  }

  static constexpr KernelTable table(const char* name) { return {name, tanh, tanh_backward, adam}; }
};

}  // namespace tg::detail::kernels
