// Any optimizer by name, with its required options given when it needs some: the ones whose
// default is "nan" (they have none) get lr = 0.01 or 10, and Demon's step count T (default 0:
// not given) gets 10.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tapegrad/error.hpp"
#include "tapegrad/optim/registry.hpp"

namespace tg::fuzz {

inline std::unique_ptr<optim::Optimizer> make_any_optimizer(const std::string& name, const std::vector<Tensor>& params) {
  try {
    return optim::make_optimizer(name, params);
  } catch (const ValueError&) {
    optim::OptionList required;
    for (const optim::OptimizerInfo& info : optim::optimizers()) {
      if (info.name != name) continue;
      for (const auto& [option, value] : info.defaults) {
        if (value == "nan" || (option == "T" && value == "0")) {
          required.emplace_back(option, option == "lr" ? "0.01" : "10");
        }
      }
    }
    return optim::make_optimizer(name, params, required);  // still a ValueError for an unknown name
  }
}

}  // namespace tg::fuzz
