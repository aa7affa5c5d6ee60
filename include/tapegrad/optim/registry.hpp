// Every optimizer by its canonical name, for programs that choose one at run time (the
// command line, the conformance tests).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tapegrad/optim/optimizer.hpp"

namespace tg::optim {

struct OptimizerInfo {
  std::string name;      // canonical name ("adam", "heavy_ball", ...)
  std::string summary;   // one line
  OptionList defaults;   // every option and its default ("nan" where it must be given)
};

/// All optimizers: the PyTorch forms first, then the momentum family and the adaptive paper
/// forms, then the layer-wise, factored and second-order methods.
std::vector<OptimizerInfo> optimizers();

/// The optimizers built from a model rather than a parameter list, because they precondition
/// its layers (K-FAC: tg::optim::KFAC(model, options)). They cannot run on a test function;
/// make_optimizer refuses them with a tg::ValueError that says so.
std::vector<OptimizerInfo> model_optimizers();

/// Builds optimizer `name` over `params`; options not given keep their defaults. Throws
/// tg::ValueError for an unknown name, an unknown option, or an invalid value.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, std::vector<Tensor> params,
                                          const OptionList& options = {});

}  // namespace tg::optim
