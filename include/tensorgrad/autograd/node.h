#pragma once
/// \file node.h
/// A node of the backward graph. Every differentiable op creates one node per call; the node
/// knows its backward rule (apply) and the edges to the nodes of its inputs. Ops do not subclass
/// Node: they declare their rule (docs/architecture.md, "The life of an op").

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tensorgrad/tensor.h"

namespace tg {
namespace autograd {

class Node;

/// Points at input `input_nr` of node `function` (an invalid edge has no function).
struct Edge {
  Edge() = default;
  Edge(std::shared_ptr<Node> fn, uint32_t nr) : function(std::move(fn)), input_nr(nr) {}
  bool is_valid() const { return function != nullptr; }
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
};

/// libtorch's name for a tensor in autograd code (there, a Variable is a Tensor too).
using Variable = Tensor;
using variable_list = std::vector<Tensor>;
/// libtorch's other name for variable_list.
using tensor_list = std::vector<Tensor>;
using edge_list = std::vector<Edge>;

/// The shape and dtype of one forward input, kept by the node that consumed it. After a backward
/// rule runs, the engine sums each gradient to its input's shape (undoing broadcasting) and casts
/// it to its input's dtype.
struct InputMetadata {
  Shape sizes;
  ScalarType dtype = kFloat32;
};

/// Where a node was created, recorded in anomaly mode only (tensorgrad/autograd/anomaly_mode.h):
/// the C++ call stack at its creation, and the node whose backward created it, if any.
struct AnomalyMetadata {
  std::string traceback;
  std::shared_ptr<Node> parent;
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// The backward rule: gradients w.r.t. this node's forward outputs in, gradients w.r.t. its
  /// forward inputs out (one per next edge; undefined where an input needs none).
  virtual variable_list apply(variable_list&& grads) = 0;
  /// libtorch's name for the node: "SigmoidBackward0", "AddBackward1",
  /// "tg::autograd::AccumulateGrad", ...
  virtual std::string name() const = 0;
  /// Frees the tensors saved for backward (after a backward without retain_graph).
  virtual void release_variables() {}
  /// Shape and dtype of each tensor this node saved for backward and still holds (none once
  /// released), for tools that show the graph (tg::viz::to_dot).
  virtual std::vector<InputMetadata> saved_metadata() const { return {}; }
  /// Whether the engine runs apply() when every incoming gradient is undefined. Only custom
  /// Functions do (their backward receives zeros, or undefined tensors after
  /// set_materialize_grads(false), as in libtorch); other nodes are skipped and pass nothing on.
  virtual bool runs_without_grads() const { return false; }
  /// The leaf tensor of an AccumulateGrad node; nullptr for every other node.
  virtual const Tensor* leaf() const { return nullptr; }

  variable_list operator()(variable_list&& grads) { return apply(std::move(grads)); }

  const edge_list& next_edges() const { return next_edges_; }
  edge_list& next_edges() { return next_edges_; }
  const Edge& next_edge(size_t i) const { return next_edges_[i]; }
  size_t num_outputs() const { return next_edges_.size(); }
  /// Number of forward outputs, i.e. gradients this node receives.
  uint32_t num_inputs() const { return num_inputs_; }
  void set_num_inputs(uint32_t n) { num_inputs_ = n; }
  /// True when gradient i is wanted: its edge leads somewhere.
  bool should_compute_output(size_t i) const { return i < next_edges_.size() && next_edges_[i].is_valid(); }
  /// As should_compute_output, and within autograd::grad only when the edge leads to one of its
  /// inputs: what a backward rule asks before computing gradient i.
  bool task_should_compute_output(size_t i) const {
    return should_compute_output(i) && next_edges_[i].function->needed_;
  }
  uint64_t sequence_nr() const { return sequence_nr_; }
  /// Where this node was created, when anomaly mode was on then; nullptr otherwise.
  const AnomalyMetadata* anomaly_metadata() const { return anomaly_.get(); }
  /// Shape and dtype of forward input i, or nullptr when the node keeps none for it (an input that
  /// needs no gradient, or a node without inputs such as AccumulateGrad).
  const InputMetadata* input_metadata(size_t i) const {
    return input_meta_ != nullptr && i < next_edges_.size() && next_edges_[i].is_valid() ? &input_meta_[i] : nullptr;
  }

  /// Hooks run on the gradient arriving for forward output `output_nr` before apply().
  using PreHook = std::function<Tensor(const Tensor&)>;
  unsigned add_pre_hook(uint32_t output_nr, PreHook hook);
  /// False when no hook has this handle.
  bool remove_pre_hook(unsigned handle);
  bool has_pre_hooks() const { return pre_hooks_ != nullptr && !pre_hooks_->empty(); }
  void run_pre_hooks(variable_list& grads);

  // Engine scratch space (valid during one backward call), but needed_, which is true outside
  // autograd::grad: whether a gradient for this node is wanted.
  int64_t dependencies_ = 0;
  uint64_t visit_epoch_ = 0;
  bool needed_ = true;
  int32_t first_capture_ = -1;  // autograd::grad: the first input captured at this node, or -1
  variable_list input_buffer_;

 protected:
  edge_list next_edges_;
  const InputMetadata* input_meta_ = nullptr;  // one per next edge (set by the node's owner), or null
  uint32_t num_inputs_ = 1;
  uint64_t sequence_nr_;

 private:
  struct HookEntry {
    unsigned handle;
    uint32_t output_nr;
    PreHook fn;
  };
  std::unique_ptr<std::vector<HookEntry>> pre_hooks_;
  std::unique_ptr<AnomalyMetadata> anomaly_;
};

}  // namespace autograd
}  // namespace tg
