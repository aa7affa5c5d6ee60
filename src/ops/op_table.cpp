// The table of every operation the tape can record: its name, its derivative rule, and what
// that rule reads. Made from the lists in op_list.hpp, so its rows stand in OpCode order.
#include "elementwise_ops.hpp"
#include "core/engine.hpp"

namespace tg::detail {

constexpr OpInfo kOpTable[] = {
#define TAPEGRAD_UNARY_ROW(NAME) \
  {#NAME, unary_backward<op::NAME>, unary_graph_backward<op::NAME>, op::NAME::reads_input, op::NAME::reads_output},
    TAPEGRAD_UNARY_OPS(TAPEGRAD_UNARY_ROW)
#undef TAPEGRAD_UNARY_ROW
#define TAPEGRAD_BINARY_ROW(NAME) \
  {#NAME, binary_backward<op::NAME>, binary_graph_backward<op::NAME>, op::NAME::reads_inputs, op::NAME::reads_output},
    TAPEGRAD_BINARY_OPS(TAPEGRAD_BINARY_ROW)
#undef TAPEGRAD_BINARY_ROW
#define TAPEGRAD_OTHER_ROW(NAME, RULE, READS) \
  {#NAME, RULE, RULE##_graph, ((READS) & reads_inputs) != 0, ((READS) & reads_output) != 0},
    TAPEGRAD_OTHER_OPS(TAPEGRAD_OTHER_ROW)
#undef TAPEGRAD_OTHER_ROW
};

static_assert(sizeof(kOpTable) / sizeof(kOpTable[0]) == static_cast<std::size_t>(OpCode::count),
              "one row per listed operation");

}  // namespace tg::detail
