// Chooses the kernels' instruction set once, on first use: the widest this CPU and its
// operating system support, or the one named by the environment variable
// TAPEGRAD_CPU_CAPABILITY (avx512, avx2, sse2 or scalar), or by tg::set_cpu_capability().
// A value of the variable that cannot be used is reported on stderr and ignored, as PyTorch
// does with ATEN_CPU_CAPABILITY: a program should not stop over a speed setting.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kernels.hpp"
#include "tapegrad/cpu_capability.hpp"
#include "tapegrad/error.hpp"

namespace tg {
namespace detail::kernels {
namespace {

// Widest first.
const KernelTable* const kAll[] = {
#if defined(TAPEGRAD_X86_KERNELS)
    &kAvx512, &kAvx2, &kSse2,
#endif
    &kScalar};

bool cpu_supports(const KernelTable& t) {
#if defined(TAPEGRAD_X86_KERNELS)
  __builtin_cpu_init();  // also valid before static constructors have run
  if (&t == &kAvx512) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
  }
  if (&t == &kAvx2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  (void)t;
  return true;  // SSE2 is part of x86-64; scalar runs anywhere
}

std::string known_names() {
  std::string names;
  for (const KernelTable* t : kAll) names += std::string(names.empty() ? "" : ", ") + t->name;
  return names;
}

const KernelTable& find(std::string_view name, const char* source) {
  for (const KernelTable* t : kAll) {
    if (name != t->name) continue;
    if (!cpu_supports(*t)) {
      throw ValueError(std::string(source) + ": this CPU does not support '" + std::string(name) + "'");
    }
    return *t;
  }
  throw ValueError(std::string(source) + ": unknown CPU capability '" + std::string(name) + "' (known: " +
                   known_names() + ")");
}

const KernelTable& widest_supported() {
  for (const KernelTable* t : kAll)
    if (cpu_supports(*t)) return *t;
  return kScalar;
}

std::atomic<const KernelTable*> g_active{nullptr};

const KernelTable& from_environment() {
  const char* requested = std::getenv("TAPEGRAD_CPU_CAPABILITY");
  if (!requested || !*requested) return widest_supported();
  try {
    return find(requested, "TAPEGRAD_CPU_CAPABILITY");
  } catch (const ValueError& e) {
    std::fprintf(stderr, "tapegrad: warning: ignoring %s; using %s\n", e.what(), widest_supported().name);
    return widest_supported();
  }
}

const KernelTable& choose() {
  const KernelTable* expected = nullptr;
  const KernelTable& chosen = from_environment();
  // Another thread may have chosen meanwhile (and warned): keep the first choice.
  if (!g_active.compare_exchange_strong(expected, &chosen, std::memory_order_relaxed)) return *expected;
  return chosen;
}

}  // namespace

const KernelTable& active() {
  if (const KernelTable* t = g_active.load(std::memory_order_relaxed)) [[likely]]
    return *t;
  return choose();
}

}  // namespace detail::kernels

std::string get_cpu_capability() { return detail::kernels::active().name; }

void set_cpu_capability(std::string_view name) {
  detail::kernels::g_active.store(&detail::kernels::find(name, "set_cpu_capability"), std::memory_order_relaxed);
}

std::vector<std::string> supported_cpu_capabilities() {
  std::vector<std::string> names;
  for (const detail::kernels::KernelTable* t : detail::kernels::kAll)
    if (detail::kernels::cpu_supports(*t)) names.emplace_back(t->name);
  return names;
}

}  // namespace tg
