// Which vector instructions tapegrad's hot loops (tanh and its derivative, the Adam update) use.
//
// By default the widest the CPU supports: "avx512", "avx2" (with FMA), "sse2" (every x86-64
// CPU), or "scalar" (plain C++, the only one on other CPUs). The environment variable
// TAPEGRAD_CPU_CAPABILITY, read on first use, or set_cpu_capability() choose another, like
// PyTorch's ATEN_CPU_CAPABILITY (a value of the variable that cannot be used is reported on
// stderr and ignored). All give the same results bit for bit except tanh, which the
// vector versions compute within 2 ulp of std::tanh ("scalar" uses std::tanh itself).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tg {

/// The instruction set in use.
std::string get_cpu_capability();
/// Uses `name` from now on, in every thread; ValueError if it is unknown or this CPU lacks it.
void set_cpu_capability(std::string_view name);
/// The instruction sets this CPU supports, widest first.
std::vector<std::string> supported_cpu_capabilities();

}  // namespace tg
