// A shape error inside a model names the layer's place in the tree, not only its type.
#include <gtest/gtest.h>

#include <tapegrad/tapegrad.hpp>

#include "message_of.hpp"

namespace {

// A model of its own holding an MLP under "body".
class Net : public tg::nn::Module {
 public:
  Net() { body_ = &register_module("body", std::make_shared<tg::nn::MLP>(std::vector<int64_t>{4, 3, 2})); }
  tg::Tensor forward(const tg::Tensor& x) override { return (*body_)(x); }
  std::string type_name() const override { return "Net"; }

 private:
  tg::nn::MLP* body_;
};

}  // namespace

TEST(LayerPathErrors, ALayerCalledAloneKeepsItsMessage) {
  tg::nn::Linear linear(3, 1);
  EXPECT_EQ(message_of<tg::ShapeError>([&] { (void)linear(tg::zeros({5, 4})); }),
            "Linear(in_features=3): the input has shape (5, 4); its last dimension must be 3");
}

TEST(LayerPathErrors, SequentialNamesTheLayer) {
  tg::nn::Sequential model(tg::nn::Linear(2, 4), tg::nn::Tanh(), tg::nn::Linear(3, 1));
  EXPECT_EQ(message_of<tg::ShapeError>([&] { (void)model(tg::zeros({5, 2})); }),
            "Sequential: 2 (Linear(in_features=3, out_features=1, bias=True)): Linear(in_features=3): the input has shape "
            "(5, 4); its last dimension must be 3");
}

TEST(LayerPathErrors, NestedModelsGiveTheDottedPath) {
  tg::nn::MLP mlp({4, 3, 2});
  EXPECT_EQ(message_of<tg::ShapeError>([&] { (void)mlp(tg::zeros({5, 3})); }),
            "MLP: layers.0 (Linear(in_features=4, out_features=3, bias=True)): Linear(in_features=4): the input has shape "
            "(5, 3); its last dimension must be 4");
  Net net;
  EXPECT_EQ(message_of<tg::ShapeError>([&] { (void)net(tg::zeros({5, 3})); }),
            "Net: body.layers.0 (Linear(in_features=4, out_features=3, bias=True)): Linear(in_features=4): the input has "
            "shape (5, 3); its last dimension must be 4");
}

TEST(LayerPathErrors, OtherErrorsPassUnchanged) {
  tg::nn::Sequential model(tg::nn::Linear(2, 2));
  model.register_forward_pre_hook([](tg::nn::Module&, const tg::Tensor&) -> tg::Tensor { throw tg::ValueError("hook says no"); });
  EXPECT_EQ(message_of<tg::ValueError>([&] { (void)model(tg::zeros({1, 2})); }), "hook says no");
}
