// The vector kernels for avx2 (compiled with its flags, see CMakeLists.txt).
#include "simd.hpp"

namespace tg::detail::kernels {

const KernelTable kAvx2 = SimdKernels<xsimd::fma3<xsimd::avx2>>::table("avx2");

}  // namespace tg::detail::kernels
