// Compiled by the ctest value_needs_xtensor_header, which expects it to fail: value() is
// defined in tapegrad/xtensor.hpp, which the umbrella header does not include.
#include <tapegrad/tapegrad.hpp>

int main() {
  const tg::Tensor t{1.0, 2.0};
  const auto v = t.value();
  (void)v;
}
