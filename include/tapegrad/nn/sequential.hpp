// tg::nn::Sequential (torch.nn.Sequential): submodules named "0", "1", ..., applied in order.
//
//   tg::nn::Sequential model(tg::nn::Linear(2, 64), tg::nn::Tanh(), tg::nn::Linear(64, 1));
//   model.push_back(tg::nn::Sigmoid());
//
// The modules are moved in (a Module cannot be copied); a shared_ptr can be pushed to share
// one module between containers. Sequential(std::move(other)) moves `other`, as any C++
// move constructor; to nest a single Sequential inside another, push_back it.
#pragma once

#include <concepts>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include "tapegrad/nn/module.hpp"

namespace tg::nn {

class Sequential : public Module {
 public:
  Sequential() = default;
  template <class... Ms>
    requires(sizeof...(Ms) > 0 && (std::derived_from<Ms, Module> && ...))
  explicit Sequential(Ms... modules) {
    (push_back(std::move(modules)), ...);
  }

  /// Appends a module, moved in, under the name std::to_string(size()).
  template <class M>
    requires std::derived_from<std::remove_cvref_t<M>, Module> && (!std::is_lvalue_reference_v<M>)
  Sequential& push_back(M&& module) {
    return push_back(std::make_shared<std::remove_cvref_t<M>>(std::move(module)));
  }
  template <class M>
    requires std::derived_from<M, Module>
  Sequential& push_back(std::shared_ptr<M> module) {
    register_module(std::to_string(size_), std::move(module));
    ++size_;
    return *this;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// The i-th module (tg::IndexError outside 0..size()-1).
  Module& operator[](std::size_t index) const;

  /// Applies the modules in order; the input itself when empty.
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Sequential"; }

 private:
  std::size_t size_ = 0;
};

}  // namespace tg::nn
