// Internal: every operation the tape can record, listed once. The OpCode enum, the table of
// names and derivative rules (op_table.cpp) and the declarations of the rules all come from
// these lists, so an operation's code, name and rule cannot drift apart.
//
// Elementwise operations are structs tg::detail::op::NAME (elementwise_ops.hpp) that give
// their value and derivative; the loops around them (elementwise.hpp) are shared. The
// plain ones are listed publicly in tapegrad/elementwise_list.hpp, which also declares them;
// here are added those that take numbers besides tensors, and binary_cross_entropy, the
// elementwise part of the loss of that name (nn/loss.cpp). Every other operation is listed
// with its derivative rule, a function defined next to the operation, and what that rule
// reads, so that backward() can refuse inputs or outputs changed in place since recording.
// Next to each rule RULE is RULE_graph, the same derivative written with tapegrad operations,
// which backward(create_graph = true) records so that gradients can be differentiated again.
#pragma once

#include "tapegrad/elementwise_list.hpp"

// clang-format off
#define TAPEGRAD_UNARY_OPS(X)                                                              \
  TAPEGRAD_UNARY_FUNCTIONS(X)                                                              \
  X(pow_scalar) X(rpow_scalar)                                                             \
  X(add_scalar) X(sub_scalar) X(rsub_scalar) X(mul_scalar) X(div_scalar) X(rdiv_scalar)    \
  X(leaky_relu) X(elu) X(softplus) X(clamp) X(hardtanh) X(gelu)

#define TAPEGRAD_BINARY_OPS(X) TAPEGRAD_BINARY_FUNCTIONS(X) X(pow) X(binary_cross_entropy)

//  NAME           derivative rule        what the rule reads
#define TAPEGRAD_OTHER_OPS(X)                                                              \
  X(where,         where_backward,         reads_inputs)                                   \
  X(sum,           sum_backward,           reads_nothing)                                  \
  X(sum_axis,      sum_backward,           reads_nothing)                                  \
  X(mean,          mean_backward,          reads_nothing)                                  \
  X(mean_axis,     mean_backward,          reads_nothing)                                  \
  X(max,           extreme_backward,       reads_both)                                     \
  X(max_axis,      extreme_backward,       reads_both)                                     \
  X(min,           extreme_backward,       reads_both)                                     \
  X(min_axis,      extreme_backward,       reads_both)                                     \
  X(var,           var_backward,           reads_inputs)                                   \
  X(var_axis,      var_backward,           reads_inputs)                                   \
  X(norm,          norm_backward,          reads_both)                                     \
  X(norm_axis,     norm_backward,          reads_both)                                     \
  X(matmul,        matmul_backward,        reads_inputs)                                   \
  X(linear,        linear_backward,        reads_inputs)                                   \
  X(permute,       permute_backward,       reads_nothing)                                  \
  X(reshape,       reshape_backward,       reads_nothing)                                  \
  X(flatten,       reshape_backward,       reads_nothing)                                  \
  X(squeeze,       reshape_backward,       reads_nothing)                                  \
  X(unsqueeze,     reshape_backward,       reads_nothing)                                  \
  X(broadcast_to,  broadcast_to_backward,  reads_nothing)                                  \
  X(concat,        join_backward,          reads_nothing)                                  \
  X(stack,         join_backward,          reads_nothing)                                  \
  X(select,        select_backward,        reads_nothing)                                  \
  X(index_select,  index_select_backward,  reads_nothing)                                  \
  X(narrow,        narrow_backward,        reads_nothing)                                  \
  X(gather,        gather_backward,        reads_nothing)                                  \
  X(scatter_add,   scatter_add_backward,   reads_nothing)                                  \
  X(clone,         reshape_backward,       reads_nothing)                                  \
  X(softmax,       softmax_backward,       reads_output)                                   \
  X(log_softmax,   log_softmax_backward,   reads_output)                                   \
  X(logsumexp,     logsumexp_backward,     reads_both)                                     \
  X(sort,          gather_backward,        reads_nothing)                                  \
  X(topk,          gather_backward,        reads_nothing)                                  \
  X(sum_axes,      sum_axes_backward,      reads_nothing)                                  \
  X(mean_axes,     mean_axes_backward,     reads_nothing)                                  \
  X(var_axes,      var_axes_backward,      reads_inputs)                                   \
  X(std,           std_backward,           reads_both)                                     \
  X(norm_axes,     norm_axes_backward,     reads_both)                                     \
  X(amax,          extreme_axes_backward,  reads_both)                                     \
  X(amin,          extreme_axes_backward,  reads_both)                                     \
  X(prod,          prod_backward,          reads_both)                                     \
  X(prod_axis,     prod_backward,          reads_both)                                     \
  X(cumsum,        cumsum_backward,        reads_nothing)                                  \
  X(cumprod,       cumprod_backward,       reads_both)                                     \
  X(flip,          flip_backward,          reads_nothing)                                  \
  X(repeat,        repeat_backward,        reads_nothing)                                  \
  X(tril,          triangle_backward,      reads_nothing)                                  \
  X(triu,          triangle_backward,      reads_nothing)                                  \
  X(masked_fill,   masked_fill_backward,   reads_inputs)                                   \
  X(custom_function, custom_function_backward, reads_nothing)                              \
  X(function_output, function_output_backward, reads_nothing)                              \
  X(not_differentiable, not_differentiable_backward, reads_nothing)
// clang-format on
