// tg::nn modules against torch.nn: with the same parameters and input, the same output, the
// same gradients (of the parameters and of the input) and the same printout. The numbers were
// generated once by reference/make_nn_reference.py.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tapegrad/tapegrad.hpp>

namespace {

struct RefParam {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<double> values;
  std::vector<double> grad;
};
struct RefArray {
  std::vector<int64_t> shape;
  std::vector<double> values;
};
struct NnCase {
  const char* name;
  std::function<std::shared_ptr<tg::nn::Module>()> make;
  std::string repr;
  std::vector<RefParam> params;
  RefArray input;
  RefArray output;
  std::vector<double> weight;
  std::vector<double> input_grad;
};

const std::vector<NnCase>& cases() {
  static const std::vector<NnCase> all = {
#include "reference/nn_reference.inc"
  };
  return all;
}

void expect_close(const std::vector<double>& actual, const std::vector<double>& expected, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], 1e-13 + 1e-12 * std::fabs(expected[i])) << what << " element " << i;
  }
}

// The module with the reference's parameter values copied in.
std::shared_ptr<tg::nn::Module> build(const NnCase& c) {
  auto module = c.make();
  const auto params = module->named_parameters();
  EXPECT_EQ(params.size(), c.params.size());
  tg::NoGradGuard no_grad;
  for (std::size_t k = 0; k < params.size() && k < c.params.size(); ++k) {
    tg::Tensor p = params[k].second;
    p.copy_(tg::tensor(c.params[k].values, tg::Shape(c.params[k].shape)));
  }
  return module;
}

class NnReference : public ::testing::TestWithParam<std::size_t> {};

TEST_P(NnReference, ParameterNamesAndShapesMatchPyTorch) {
  const NnCase& c = cases()[GetParam()];
  const auto params = c.make()->named_parameters();
  ASSERT_EQ(params.size(), c.params.size());
  for (std::size_t k = 0; k < params.size(); ++k) {
    EXPECT_EQ(params[k].first, c.params[k].name);
    EXPECT_EQ(params[k].second.shape(), tg::Shape(c.params[k].shape)) << c.params[k].name;
    EXPECT_TRUE(params[k].second.requires_grad()) << c.params[k].name;
  }
}

TEST_P(NnReference, PrintsAsPyTorch) {
  const NnCase& c = cases()[GetParam()];
  EXPECT_EQ(c.make()->str(), c.repr);
}

TEST_P(NnReference, OutputMatchesPyTorch) {
  const NnCase& c = cases()[GetParam()];
  auto module = build(c);
  const tg::Tensor y = (*module)(tg::tensor(c.input.values, tg::Shape(c.input.shape)));
  EXPECT_EQ(y.shape(), tg::Shape(c.output.shape));
  expect_close(y.to_vector(), c.output.values, "output");
}

TEST_P(NnReference, GradientsMatchPyTorch) {
  const NnCase& c = cases()[GetParam()];
  auto module = build(c);
  const tg::Tensor x = tg::tensor(c.input.values, tg::Shape(c.input.shape), true);
  const tg::Tensor y = (*module)(x);
  (y * tg::tensor(c.weight, y.shape())).sum().backward();
  expect_close(x.grad().to_vector(), c.input_grad, "input gradient");
  const auto params = module->named_parameters();
  ASSERT_EQ(params.size(), c.params.size());
  for (std::size_t k = 0; k < params.size(); ++k) {
    ASSERT_TRUE(params[k].second.grad().defined()) << c.params[k].name;
    expect_close(params[k].second.grad().to_vector(), c.params[k].grad, c.params[k].name + " gradient");
  }
}

INSTANTIATE_TEST_SUITE_P(Modules, NnReference, ::testing::Range<std::size_t>(0, cases().size()),
                         [](const auto& info) {
                           std::string name = cases()[info.param].name;
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
