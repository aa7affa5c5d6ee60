// Per-parameter optimizer state by name, for checkpoints: every State struct lists its fields
// once, in a visit() member, as the options structs do.
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/tensor.hpp"

namespace tg::optim {

class StateVisitor {
 public:
  virtual ~StateVisitor() = default;
  virtual void field(const char* name, Tensor& value) = 0;
  virtual void field(const char* name, std::vector<Tensor>& value) = 0;
  virtual void field(const char* name, int64_t& value) = 0;
  virtual void field(const char* name, double& value) = 0;
  template <class T>
  void operator()(const char* name, T& value) {
    field(name, value);
  }
};

}  // namespace tg::optim
