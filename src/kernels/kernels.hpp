// Internal: the loops a training step spends its time in, compiled for several vector widths
// (AVX-512, AVX2 with FMA, SSE2, plain scalar C++) and chosen once, at run time, for the CPU the
// program runs on (dispatch.cpp). Everything else in the library is compiled for generic
// x86-64; only these kernels use the wider instructions.
//
// What may differ between the instruction sets, and what may not:
// - tanh uses a vectorised approximation (xsimd's) when vectors are used: within 2 ulp of
//   std::tanh, and the last bit can differ between SSE2 and AVX2/AVX-512 (which use FMA);
// - every other kernel performs the same IEEE operations in the same order as the scalar
//   code, so its results are bit-identical on every instruction set.
#pragma once

#include <cstdint>

namespace tg::detail::kernels {

/// One Adam/AdamW step over a contiguous parameter (PyTorch 1.13's update, element by element).
struct AdamStep {
  double* param;
  const double* grad;
  double* exp_avg;
  double* exp_avg_sq;
  double* max_exp_avg_sq;  // nullptr unless amsgrad
  int64_t n;
  double beta1, beta2, lr, weight_decay, eps;
  double step_size;              // lr / (1 - beta1^t)
  double bias_correction2_sqrt;  // sqrt(1 - beta2^t)
  bool maximize;
  bool decoupled_weight_decay;  // AdamW
};

/// The kernels of one instruction set.
struct KernelTable {
  const char* name;  // "avx512", "avx2", "sse2" or "scalar"
  void (*tanh)(const double* x, double* y, int64_t n);
  /// gx += g ⊙ (1 - y²), where y = tanh(x)
  void (*tanh_backward)(const double* g, const double* y, double* gx, int64_t n);
  void (*adam)(const AdamStep& s);
};

/// The table in use (see tg::get_cpu_capability()).
const KernelTable& active();

// The tables, for dispatch.cpp. The vector ones exist on x86-64 builds only.
extern const KernelTable kScalar;
#if defined(TAPEGRAD_X86_KERNELS)
extern const KernelTable kSse2;
extern const KernelTable kAvx2;
extern const KernelTable kAvx512;
#endif

}  // namespace tg::detail::kernels
