// The vectorised kernels (tanh, its derivative, Adam) on every instruction set this CPU has,
// against the scalar code: tanh within 2 ulp of std::tanh, everything else bit for bit.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "message_of.hpp"

namespace {

// Restores the instruction set chosen when the test started.
class CpuCapability : public ::testing::Test {
 protected:
  void TearDown() override { tg::set_cpu_capability(initial_); }
  const std::string initial_ = tg::get_cpu_capability();
};

// Distance in units in the last place between two finite doubles of the same sign.
int64_t ulp_distance(double a, double b) {
  const auto ordered = [](double x) {
    const auto bits = std::bit_cast<int64_t>(x);
    return bits < 0 ? std::numeric_limits<int64_t>::min() - bits : bits;
  };
  return std::llabs(ordered(a) - ordered(b));
}

bool same_bits(const tg::Tensor& a, const tg::Tensor& b) {
  if (a.numel() != b.numel()) return false;
  for (int64_t i = 0; i < a.numel(); ++i)
    if (std::bit_cast<uint64_t>(a.data()[i]) != std::bit_cast<uint64_t>(b.data()[i])) return false;
  return true;
}

TEST_F(CpuCapability, DefaultIsTheWidestSupported) {
  const std::vector<std::string> supported = tg::supported_cpu_capabilities();
  ASSERT_FALSE(supported.empty());
  EXPECT_EQ(supported.back(), "scalar");
  if (std::getenv("TAPEGRAD_CPU_CAPABILITY") == nullptr) {
    EXPECT_EQ(initial_, supported.front());
  }
  for (const std::string& name : supported) {
    tg::set_cpu_capability(name);
    EXPECT_EQ(tg::get_cpu_capability(), name);
  }
}

// Run by ctest with TAPEGRAD_CPU_CAPABILITY set to a known and to an unknown name (see
// tests/CMakeLists.txt); the variable is read when the kernels are first used. A name that
// cannot be used is reported on stderr and the widest capability is used instead.
TEST(CpuCapabilityEnvironment, IsFollowedOrReportedAndIgnored) {
  const char* requested = std::getenv("TAPEGRAD_CPU_CAPABILITY");
  if (requested == nullptr) GTEST_SKIP() << "TAPEGRAD_CPU_CAPABILITY is not set";
  const std::vector<std::string> supported = tg::supported_cpu_capabilities();
  ::testing::internal::CaptureStderr();
  const std::string chosen = tg::get_cpu_capability();
  const std::string warning = ::testing::internal::GetCapturedStderr();
  if (std::find(supported.begin(), supported.end(), requested) != supported.end()) {
    EXPECT_EQ(chosen, requested);
    EXPECT_EQ(warning, "");
    return;
  }
  EXPECT_EQ(chosen, supported.front());
  const std::string start =
      "tapegrad: warning: ignoring TAPEGRAD_CPU_CAPABILITY: unknown CPU capability '" + std::string(requested) + "'";
  const std::string end = "scalar); using " + supported.front() + "\n";  // after the list of known names
  EXPECT_EQ(warning.rfind(start, 0), 0u) << warning;
  EXPECT_TRUE(warning.size() > end.size() && warning.ends_with(end)) << warning;
  EXPECT_NEAR(tg::tanh(tg::tensor(0.5)).item(), std::tanh(0.5), 1e-15);  // the kernels run
}

TEST_F(CpuCapability, UnknownNameIsRefused) {
  const std::string message = message_of<tg::ValueError>([] { tg::set_cpu_capability("avx1024"); });
  EXPECT_NE(message.find("unknown CPU capability 'avx1024'"), std::string::npos) << message;
  EXPECT_NE(message.find("scalar"), std::string::npos) << message;  // lists the known ones
  EXPECT_EQ(tg::get_cpu_capability(), initial_);
}

// x86-64 builds know all four names; one this CPU lacks is refused by name.
TEST_F(CpuCapability, UnsupportedNameIsRefused) {
  const std::vector<std::string> supported = tg::supported_cpu_capabilities();
  for (const char* name : {"avx512", "avx2", "sse2"}) {
    if (std::find(supported.begin(), supported.end(), name) != supported.end()) continue;
    const std::string message = message_of<tg::ValueError>([&] { tg::set_cpu_capability(name); });
    EXPECT_NE(message.find("does not support '" + std::string(name) + "'"), std::string::npos) << message;
  }
}

// Values across tanh's range: both branches of the approximation (|x| < 0.625 and above),
// tiny and huge inputs, signed zeros, infinities; lengths that leave every possible tail.
std::vector<double> tanh_inputs() {
  std::vector<double> x = {0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-8, 0.3, 0.6249999, 0.625, 0.6250001,
                           1.0, -1.0, 2.5, 9.0, 19.0, 20.0, 22.0, 40.0, 710.0, 1e300, -1e300,
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (int i = -4000; i <= 4000; ++i) x.push_back(i * 0.00537);
  return x;
}

TEST_F(CpuCapability, TanhIsWithinTwoUlpOfStdTanh) {
  const std::vector<double> values = tanh_inputs();
  for (const std::string& name : tg::supported_cpu_capabilities()) {
    tg::set_cpu_capability(name);
    for (std::size_t n : {values.size(), std::size_t{1}, std::size_t{7}, std::size_t{9}, std::size_t{15}}) {
      const std::vector<double> part(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
      const tg::Tensor y = tg::tanh(tg::tensor(part, {static_cast<int64_t>(n)}));
      for (std::size_t i = 0; i < n; ++i) {
        const double expected = std::tanh(part[i]);
        const double got = y.data()[i];
        EXPECT_EQ(std::signbit(got), std::signbit(expected)) << name << " tanh(" << part[i] << ")";
        EXPECT_LE(ulp_distance(got, expected), name == "scalar" ? 0 : 2)
            << name << " tanh(" << part[i] << ") = " << got << ", std::tanh gives " << expected;
      }
    }
    EXPECT_TRUE(std::isnan(tg::tanh(tg::tensor({1.0, NAN, 2.0})).data()[1])) << name;
  }
}

// d tanh = g(1 - y²) on the tape: exactly that formula, accumulated onto the existing gradient.
TEST_F(CpuCapability, TanhBackwardIsExact) {
  tg::manual_seed(3);
  for (const std::string& name : tg::supported_cpu_capabilities()) {
    tg::set_cpu_capability(name);
    for (int64_t n : {1, 5, 8, 13, 64, 101}) {
      const tg::Tensor x = tg::randn({n}, true);
      const tg::Tensor g = tg::randn({n});
      const tg::Tensor y = tg::tanh(x);
      (y * 1.0).backward(g);  // also through a second path, so the kernel adds to a gradient
      tg::tanh(x).backward(g);
      for (int64_t i = 0; i < n; ++i) {
        const double yi = y.data()[i];
        const double once = g.data()[i] * (1.0 - yi * yi);
        EXPECT_EQ(x.grad().data()[i], once + once) << name << " n=" << n << " i=" << i;
      }
    }
  }
}

struct AdamCase {
  const char* label;
  tg::optim::AdamOptions options;
  bool adamw;
};

// Ten Adam or AdamW steps on a parameter of n elements, with fixed pseudo-random gradients.
std::vector<tg::Tensor> run_adam(const AdamCase& c, int64_t n) {
  tg::manual_seed(11);
  tg::Tensor p = tg::randn({n}, true);
  std::vector<tg::Tensor> grads;
  for (int k = 0; k < 10; ++k) grads.push_back(tg::randn({n}) * (k % 3 == 2 ? 0.01 : 1.0));
  std::unique_ptr<tg::optim::Optimizer> opt;
  if (c.adamw) {
    tg::optim::AdamWOptions o;
    o.lr = c.options.lr;
    o.betas = c.options.betas;
    o.eps = c.options.eps;
    o.weight_decay = c.options.weight_decay;
    o.amsgrad = c.options.amsgrad;
    o.maximize = c.options.maximize;
    opt = std::make_unique<tg::optim::AdamW>(std::vector<tg::Tensor>{p}, o);
  } else {
    opt = std::make_unique<tg::optim::Adam>(std::vector<tg::Tensor>{p}, c.options);
  }
  std::vector<tg::Tensor> trajectory;
  for (const tg::Tensor& g : grads) {
    opt->zero_grad();
    (p * g).sum().backward();
    opt->step();
    trajectory.push_back(p.detach().clone());
  }
  return trajectory;
}

TEST_F(CpuCapability, AdamIsBitIdenticalToTheScalarUpdate) {
  const std::vector<AdamCase> cases = {
      {"adam", {.lr = 1e-2}, false},
      {"adam weight_decay", {.lr = 1e-2, .weight_decay = 0.1}, false},
      {"adam amsgrad", {.lr = 1e-2, .amsgrad = true}, false},
      {"adam maximize", {.lr = 1e-2, .betas = {0.8, 0.99}, .eps = 1e-6, .maximize = true}, false},
      {"adamw", {.lr = 1e-2, .weight_decay = 0.05}, true},
      {"adamw amsgrad maximize", {.lr = 3e-3, .weight_decay = 0.01, .amsgrad = true, .maximize = true}, true},
  };
  for (const AdamCase& c : cases) {
    for (int64_t n : {1, 3, 8, 11, 16, 37, 1000}) {
      tg::set_cpu_capability("scalar");
      const std::vector<tg::Tensor> reference = run_adam(c, n);
      for (const std::string& name : tg::supported_cpu_capabilities()) {
        tg::set_cpu_capability(name);
        const std::vector<tg::Tensor> trajectory = run_adam(c, n);
        for (std::size_t k = 0; k < reference.size(); ++k) {
          EXPECT_TRUE(same_bits(trajectory[k], reference[k]))
              << c.label << " on " << name << ", n=" << n << ", step " << k + 1 << ": " << trajectory[k]
              << " vs scalar " << reference[k];
        }
      }
    }
  }
}

}  // namespace
