// The derivative rules (vector–Jacobian products) of all operations, one function each.
// op_table.cpp maps every OpCode to its rule; each rule is defined next to its operation.
#pragma once

namespace tg::detail {

class BackwardContext;

// arithmetic.cpp
void add_backward(BackwardContext&);
void sub_backward(BackwardContext&);
void mul_backward(BackwardContext&);
void div_backward(BackwardContext&);
void pow_backward(BackwardContext&);
void neg_backward(BackwardContext&);
void square_backward(BackwardContext&);
void pow_scalar_backward(BackwardContext&);
void rpow_scalar_backward(BackwardContext&);
void add_scalar_backward(BackwardContext&);
void sub_scalar_backward(BackwardContext&);
void rsub_scalar_backward(BackwardContext&);
void mul_scalar_backward(BackwardContext&);
void div_scalar_backward(BackwardContext&);
void rdiv_scalar_backward(BackwardContext&);
// functions.cpp
void sqrt_backward(BackwardContext&);
void exp_backward(BackwardContext&);
void log_backward(BackwardContext&);
void abs_backward(BackwardContext&);
void sign_backward(BackwardContext&);
void sin_backward(BackwardContext&);
void cos_backward(BackwardContext&);
void tanh_backward(BackwardContext&);
void sigmoid_backward(BackwardContext&);
void relu_backward(BackwardContext&);
void leaky_relu_backward(BackwardContext&);
void elu_backward(BackwardContext&);
void softplus_backward(BackwardContext&);
void clamp_backward(BackwardContext&);
void maximum_backward(BackwardContext&);
void minimum_backward(BackwardContext&);
void where_backward(BackwardContext&);
// reduce.cpp
void sum_backward(BackwardContext&);
void mean_backward(BackwardContext&);
void extreme_backward(BackwardContext&);
void var_backward(BackwardContext&);
void norm_backward(BackwardContext&);
// matmul.cpp
void matmul_backward(BackwardContext&);
// linear.cpp
void linear_backward(BackwardContext&);
// shape_ops.cpp
void reshape_backward(BackwardContext&);
void permute_backward(BackwardContext&);
void broadcast_to_backward(BackwardContext&);
// join.cpp
void join_backward(BackwardContext&);
// indexing.cpp
void select_backward(BackwardContext&);
void index_select_backward(BackwardContext&);
void narrow_backward(BackwardContext&);
void gather_backward(BackwardContext&);
// softmax.cpp
void softmax_backward(BackwardContext&);
void log_softmax_backward(BackwardContext&);
void logsumexp_backward(BackwardContext&);

}  // namespace tg::detail
