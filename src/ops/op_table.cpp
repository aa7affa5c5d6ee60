// Every operation the tape can record: its name, its derivative rule, and what that rule
// reads (so that backward() can refuse inputs changed in place since they were recorded).
#include "engine.hpp"
#include "rules.hpp"

namespace tg::detail {

namespace {
constexpr bool kReadsInputs = true;
constexpr bool kReadsOutput = true;
constexpr bool kNo = false;
}  // namespace

constexpr OpInfo kOpTable[] = {
    // arithmetic
    {"add", add_backward, kNo, kNo},
    {"sub", sub_backward, kNo, kNo},
    {"mul", mul_backward, kReadsInputs, kNo},
    {"div", div_backward, kReadsInputs, kNo},
    {"neg", neg_backward, kNo, kNo},
    {"pow", pow_backward, kReadsInputs, kReadsOutput},
    {"pow_scalar", pow_scalar_backward, kReadsInputs, kNo},
    {"rpow_scalar", rpow_scalar_backward, kReadsInputs, kReadsOutput},
    {"square", square_backward, kReadsInputs, kNo},
    {"add_scalar", add_scalar_backward, kNo, kNo},
    {"sub_scalar", sub_scalar_backward, kNo, kNo},
    {"rsub_scalar", rsub_scalar_backward, kNo, kNo},
    {"mul_scalar", mul_scalar_backward, kNo, kNo},
    {"div_scalar", div_scalar_backward, kNo, kNo},
    {"rdiv_scalar", rdiv_scalar_backward, kReadsInputs, kNo},
    // elementwise functions
    {"sqrt", sqrt_backward, kNo, kReadsOutput},
    {"exp", exp_backward, kNo, kReadsOutput},
    {"log", log_backward, kReadsInputs, kNo},
    {"abs", abs_backward, kReadsInputs, kNo},
    {"sign", sign_backward, kNo, kNo},
    {"sin", sin_backward, kReadsInputs, kNo},
    {"cos", cos_backward, kReadsInputs, kNo},
    {"tanh", tanh_backward, kNo, kReadsOutput},
    {"sigmoid", sigmoid_backward, kNo, kReadsOutput},
    {"relu", relu_backward, kReadsInputs, kNo},
    {"leaky_relu", leaky_relu_backward, kReadsInputs, kNo},
    {"elu", elu_backward, kReadsInputs, kNo},
    {"softplus", softplus_backward, kReadsInputs, kNo},
    {"clamp", clamp_backward, kReadsInputs, kNo},
    {"maximum", maximum_backward, kReadsInputs, kNo},
    {"minimum", minimum_backward, kReadsInputs, kNo},
    {"where", where_backward, kReadsInputs, kNo},
    // reductions
    {"sum", sum_backward, kNo, kNo},
    {"sum_axis", sum_backward, kNo, kNo},
    {"mean", mean_backward, kNo, kNo},
    {"mean_axis", mean_backward, kNo, kNo},
    {"max", extreme_backward, kReadsInputs, kReadsOutput},
    {"max_axis", extreme_backward, kReadsInputs, kReadsOutput},
    {"min", extreme_backward, kReadsInputs, kReadsOutput},
    {"min_axis", extreme_backward, kReadsInputs, kReadsOutput},
    {"var", var_backward, kReadsInputs, kNo},
    {"var_axis", var_backward, kReadsInputs, kNo},
    {"norm", norm_backward, kReadsInputs, kReadsOutput},
    {"norm_axis", norm_backward, kReadsInputs, kReadsOutput},
    // linear algebra and shape
    {"matmul", matmul_backward, kReadsInputs, kNo},
    {"linear", linear_backward, kReadsInputs, kNo},
    {"permute", permute_backward, kNo, kNo},
    {"reshape", reshape_backward, kNo, kNo},
    {"flatten", reshape_backward, kNo, kNo},
    {"squeeze", reshape_backward, kNo, kNo},
    {"unsqueeze", reshape_backward, kNo, kNo},
    {"broadcast_to", broadcast_to_backward, kNo, kNo},
    {"concat", join_backward, kNo, kNo},
    {"stack", join_backward, kNo, kNo},
    {"select", select_backward, kNo, kNo},
    {"index_select", index_select_backward, kNo, kNo},
    {"narrow", narrow_backward, kNo, kNo},
    {"gather", gather_backward, kNo, kNo},
    {"clone", reshape_backward, kNo, kNo},
    // softmax family
    {"softmax", softmax_backward, kNo, kReadsOutput},
    {"log_softmax", log_softmax_backward, kNo, kReadsOutput},
    {"logsumexp", logsumexp_backward, kReadsInputs, kReadsOutput},
};

static_assert(sizeof(kOpTable) / sizeof(kOpTable[0]) == static_cast<std::size_t>(OpCode::Count),
              "every OpCode needs exactly one entry, in enum order");

}  // namespace tg::detail
