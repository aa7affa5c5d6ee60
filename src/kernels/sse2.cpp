// The vector kernels for sse2 (compiled with its flags, see CMakeLists.txt).
#include "simd.hpp"

namespace tg::detail::kernels {

const KernelTable kSse2 = SimdKernels<xsimd::sse2>::table("sse2");

}  // namespace tg::detail::kernels
