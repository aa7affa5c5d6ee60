#include "tapegrad/random.hpp"

#include <cmath>
#include <mutex>
#include <string>

#include "core/engine.hpp"
#include "core/generator_engine.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/io/state_dict.hpp"
#include "core/tensor_access.hpp"

namespace tg {

Generator::Generator(uint32_t seed) : engine_(std::make_unique<Engine>(seed)) {}
Generator::Generator(const Generator& other)
    : engine_(std::make_unique<Engine>(*other.engine_)),
      has_spare_normal_(other.has_spare_normal_),
      spare_normal_(other.spare_normal_) {}
Generator& Generator::operator=(const Generator& other) {
  *engine_ = *other.engine_;
  has_spare_normal_ = other.has_spare_normal_;
  spare_normal_ = other.spare_normal_;
  return *this;
}
Generator::~Generator() = default;

uint32_t Generator::next_u32() { return static_cast<uint32_t>(engine_->mt()); }

void Generator::manual_seed(uint32_t seed) {
  engine_->mt.seed(seed);  // MT19937's init_genrand, as NumPy's legacy seeding of an integer
  has_spare_normal_ = false;
}

double Generator::uniform() {
  const uint32_t a = next_u32() >> 5, b = next_u32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;  // (27 bits · 2^26 + 26 bits) / 2^53
}

double Generator::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  // Marsaglia's polar method: a point uniform in the unit disc gives two normals.
  double x1, x2, r2;
  do {
    x1 = 2.0 * uniform() - 1.0;
    x2 = 2.0 * uniform() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  spare_normal_ = f * x1;
  has_spare_normal_ = true;
  return f * x2;
}

uint64_t Generator::interval(uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max;  // smallest 2^k - 1 >= max
  for (int shift = 1; shift < 64; shift <<= 1) mask |= mask >> shift;
  uint64_t value;
  if (max <= 0xffffffffULL) {
    do value = next_u32() & mask;
    while (value > max);
  } else {
    do value = ((static_cast<uint64_t>(next_u32()) << 32) | next_u32()) & mask;
    while (value > max);
  }
  return value;
}

int64_t Generator::randint(int64_t low, int64_t high) {
  if (high <= low) {
    throw ValueError("randint: the range [" + std::to_string(low) + ", " + std::to_string(high) +
                     ") is empty");
  }
  return low + static_cast<int64_t>(interval(static_cast<uint64_t>(high - low - 1)));
}

namespace {
std::mutex g_mutex;

template <class Draw>
Tensor random_tensor(const Shape& shape, bool requires_grad, Draw draw) {
  detail::TensorImpl* t = detail::new_impl(shape);
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    Generator& g = default_generator();
    for (int64_t i = 0; i < t->numel; ++i) t->data[i] = draw(g);
  }
  t->requires_grad = requires_grad;
  return tg::detail::adopt(t);
}
}  // namespace

Generator& default_generator() {
  static Generator generator(0);
  return generator;
}

void manual_seed(uint32_t seed) {
  std::lock_guard<std::mutex> lock(g_mutex);
  default_generator().manual_seed(seed);
}

StateDict get_rng_state() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return default_generator().get_state();
}

void set_rng_state(const StateDict& state) {
  std::lock_guard<std::mutex> lock(g_mutex);
  default_generator().set_state(state);
}

Tensor rand(const Shape& shape, bool requires_grad) {
  return random_tensor(shape, requires_grad, [](Generator& g) { return g.uniform(); });
}

Tensor uniform(const Shape& shape, double low, double high, bool requires_grad) {
  if (!(low <= high)) {
    throw ValueError("uniform: low (" + std::to_string(low) + ") must not exceed high (" +
                     std::to_string(high) + ")");
  }
  return random_tensor(shape, requires_grad,
                       [=](Generator& g) { return low + (high - low) * g.uniform(); });
}

Tensor randn(const Shape& shape, bool requires_grad) {
  return random_tensor(shape, requires_grad, [](Generator& g) { return g.normal(); });
}

Tensor normal(const Shape& shape, double mean, double stddev, bool requires_grad) {
  if (!(stddev >= 0.0)) throw ValueError("normal: stddev must be >= 0, got " + std::to_string(stddev));
  return random_tensor(shape, requires_grad,
                       [=](Generator& g) { return mean + stddev * g.normal(); });
}

Tensor randint(int64_t low, int64_t high, const Shape& shape) {
  if (high <= low) {
    throw ValueError("randint: the range [" + std::to_string(low) + ", " + std::to_string(high) +
                     ") is empty");
  }
  return random_tensor(shape, false,
                       [=](Generator& g) { return static_cast<double>(g.randint(low, high)); });
}

Tensor randperm(int64_t n) {
  if (n < 0) throw ValueError("randperm: n must be >= 0, got " + std::to_string(n));
  detail::TensorImpl* t = detail::new_impl(Shape{n});
  for (int64_t i = 0; i < n; ++i) t->data[i] = static_cast<double>(i);
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher–Yates, as np.random.shuffle
    const auto j = static_cast<int64_t>(default_generator().interval(static_cast<uint64_t>(i)));
    std::swap(t->data[i], t->data[j]);
  }
  return tg::detail::adopt(t);
}

}  // namespace tg
