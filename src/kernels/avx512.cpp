// The vector kernels for avx512 (compiled with its flags, see CMakeLists.txt).
#include "simd.hpp"

namespace tg::detail::kernels {

const KernelTable kAvx512 = SimdKernels<xsimd::avx512bw>::table("avx512");

}  // namespace tg::detail::kernels
