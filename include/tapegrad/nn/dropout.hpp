// tg::nn::Dropout (torch.nn.Dropout): in training mode, each element is zeroed with
// probability p and the survivors are scaled by 1/(1−p), so that the expected output equals
// the input; in evaluation mode (after eval()) the input passes unchanged. The mask is drawn
// from the global generator (reproducible with tg::manual_seed); the gradient flows through
// the kept elements, scaled by the same 1/(1−p), and is zero for the dropped ones.
#pragma once

#include <string>

#include "tapegrad/nn/module.hpp"

namespace tg::nn {

class Dropout : public Module {
 public:
  /// p in [0, 1) (tg::ValueError otherwise).
  explicit Dropout(double p = 0.5);
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Dropout"; }
  std::string extra_repr() const override;
  double p() const { return p_; }

 private:
  double p_;
};

}  // namespace tg::nn
