// The tape: the list of operations recorded, in execution order, for reverse-mode
// differentiation. Each thread has its own tape; see docs/tape.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "tapegrad/shape.hpp"

namespace tg {

class Tensor;

namespace detail {
struct Node;
struct InputRef;
struct PendingLeafGrad;
class Engine;
}  // namespace detail

/// One input of a recorded node, as seen by Tape::nodes().
struct InputInfo {
  enum class Kind { node, leaf, constant };
  Kind kind;
  int64_t node = -1;   // producing node (Kind::node)
  std::string name;    // the tensor's label, if set
  Shape shape;
};

/// One recorded operation, as seen by Tape::nodes().
struct NodeInfo {
  int64_t index;
  std::string op;
  Shape shape;                  // shape of the output
  std::vector<InputInfo> inputs;
  std::string name;             // label of the output, if set
};

/// How much the tape holds, for watching memory stay flat over a training run.
struct TapeStats {
  std::size_t live_nodes;      // nodes backward() could still use
  std::size_t stored_nodes;    // slots in use, including finished nodes not yet reclaimed
  std::size_t node_capacity;   // slots allocated (kept between steps)
  std::size_t grad_arena;      // doubles allocated for the gradients of node outputs
};

class Tape {
 public:
  /// The calling thread's tape.
  static Tape& current();

  /// Number of recorded nodes that backward() could still use.
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  TapeStats stats() const;
  /// The live nodes in execution order.
  std::vector<NodeInfo> nodes() const;
  /// One line per live node: "#3 mul (2, 3) <- #1, w (3,)".
  std::string str() const;
  /// The live graph in Graphviz DOT: ops as boxes, parameters as green ellipses.
  std::string to_dot() const;

  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;
  ~Tape();

 private:
  friend class detail::Engine;
  Tape();

  std::vector<detail::Node> nodes_;        // append-only during a step, reused between steps
  std::vector<detail::InputRef> inputs_;   // the inputs of all nodes, node after node
  std::vector<int64_t> aux_;               // integer arguments of nodes that need more than two
  std::vector<double> grad_arena_;         // gradients of node outputs during backward()
  std::size_t grad_top_ = 0;               // doubles of grad_arena_ in use by live nodes
  std::vector<detail::PendingLeafGrad> pending_leaf_grads_;  // of hooked leaves, in backward()
  std::size_t live_ = 0;                   // live nodes
  bool popping_ = false;
  bool in_backward_ = false;
};

std::ostream& operator<<(std::ostream& os, const Tape& tape);

/// Whether operations are recorded on this thread (true unless a NoGradGuard is active).
bool is_grad_enabled();
void set_grad_enabled(bool enabled);

/// Stops recording on this thread for its lifetime (optimizer updates run under it).
class NoGradGuard {
 public:
  NoGradGuard() : previous_(is_grad_enabled()) { set_grad_enabled(false); }
  ~NoGradGuard() { set_grad_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

/// With anomaly detection on, backward() checks every gradient it computes and throws
/// tg::AnomalyError naming the operation whose derivative produced a NaN or Inf.
void set_detect_anomaly(bool enabled);
bool is_anomaly_enabled();

}  // namespace tg
