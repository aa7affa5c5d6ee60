// Random tensors from one global generator, so that a run is reproduced by tg::manual_seed.
// The generator is NumPy's legacy one (np.random.seed / RandomState): the 32-bit Mersenne
// Twister with NumPy's conversions to doubles, normals and integers, so that
//   tg::manual_seed(42); tg::uniform({100}, -5, 5);
// gives the same numbers as
//   np.random.seed(42); np.random.uniform(-5, 5, 100)
// on every compiler and platform (the standard library's distributions are not portable).
#pragma once

#include <cstdint>
#include <memory>

#include "tapegrad/shape.hpp"
#include "tapegrad/tensor.hpp"

namespace tg {

class StateDict;

/// Reseeds the global generator, as np.random.seed(seed) (at program start: manual_seed(0)).
void manual_seed(uint32_t seed);

/// A generator of its own, for code that must not disturb the global stream.
class Generator {
 public:
  explicit Generator(uint32_t seed = 0);
  /// Copies draw the same numbers as the original from here on.
  Generator(const Generator& other);
  Generator& operator=(const Generator& other);
  ~Generator();
  /// As np.random.seed(seed).
  void manual_seed(uint32_t seed);
  /// Next 32 random bits.
  uint32_t next_u32();
  /// Uniform on [0, 1) from 53 random bits (np.random.random_sample).
  double uniform();
  /// Standard normal by Marsaglia's polar method (np.random.standard_normal).
  double normal();
  /// Uniform integer in [low, high) by masked rejection (np.random.randint).
  int64_t randint(int64_t low, int64_t high);
  /// Uniform integer in [0, max] (the draw behind np.random.shuffle).
  uint64_t interval(uint64_t max);

  /// Everything the next draws depend on (the Mersenne Twister's 624 words and position, and
  /// the normal kept from the last pair), as torch.Generator.get_state(); set_state() puts it
  /// back, so the same numbers follow. A state that is not one get_state() made is a
  /// tg::ValueError naming what is wrong, and leaves the generator unchanged.
  StateDict get_state() const;
  void set_state(const StateDict& state);
  /// The same, under the names every other object's state goes by.
  StateDict state_dict() const;
  void load_state_dict(const StateDict& state) { set_state(state); }

 private:
  struct Engine;  // std::mt19937, kept in src/ so that this header does not need <random>
  std::unique_ptr<Engine> engine_;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

/// The global generator (locked internally by the functions below).
Generator& default_generator();

/// The global generator's state, as torch.get_rng_state() / torch.set_rng_state().
StateDict get_rng_state();
void set_rng_state(const StateDict& state);

/// Uniform on [0, 1).
Tensor rand(const Shape& shape, bool requires_grad = false);
/// Uniform on [low, high).
Tensor uniform(const Shape& shape, double low, double high, bool requires_grad = false);
/// Standard normal.
Tensor randn(const Shape& shape, bool requires_grad = false);
/// Normal with the given mean and standard deviation.
Tensor normal(const Shape& shape, double mean, double stddev, bool requires_grad = false);
/// Integers uniform in [low, high), stored as doubles.
Tensor randint(int64_t low, int64_t high, const Shape& shape);
/// A random permutation of 0..n-1, as doubles (np.random.permutation).
Tensor randperm(int64_t n);

}  // namespace tg
