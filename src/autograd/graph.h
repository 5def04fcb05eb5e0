#pragma once
// The pieces of the backward graph that every node shares: saved tensors, the edges to an input's
// node, attaching a node to its outputs, and the leaves' AccumulateGrad node. Ops do not use this
// header directly; they declare their node with autograd/record.h (docs/architecture.md).

#include <memory>
#include <vector>

#include "core/tensor_impl.h"
#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/autograd/node.h"

namespace tg {
namespace autograd {

// Note [Saving a node's own output]
// A node that saves its own output (sigmoid, tanh, exp, ...) must not keep a strong reference
// to that output's TensorImpl, which owns the node through grad_fn: that would be a cycle. It
// saves an alias of the data without autograd metadata instead, and unpack() rebuilds a tensor
// whose grad_fn is the node itself (only needed when create_graph makes the backward a graph).
class SavedVariable {
 public:
  SavedVariable() = default;
  // `t` is any tensor the rule needs (an input, or another tensor such as a target).
  explicit SavedVariable(const Tensor& t);
  // `t` is output `output_nr` of `owner`, the node that saves it.
  SavedVariable(const Tensor& t, uint32_t output_nr);
  // `owner` is the node that saved it; needed for outputs under create_graph.
  Tensor unpack(Node* owner = nullptr) const;
  void reset();
  bool defined() const { return was_defined_; }
  // The saved tensor without any check (undefined once released), for its shape and dtype only.
  const Tensor& peek() const { return data_; }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  uint32_t output_nr_ = 0;
  bool is_output_ = false;
  bool was_defined_ = false;
  bool released_ = false;
};

// Shape and dtype of each saved tensor still held (for Node::saved_metadata).
template <typename Saved>
std::vector<InputMetadata> metadata_of(const Saved& saved) {
  std::vector<InputMetadata> r;
  for (const SavedVariable& s : saved) {
    const Tensor& t = s.peek();
    if (t.defined()) r.push_back({impl_of(t).sizes, impl_of(t).dtype});
  }
  return r;
}

// Where a gradient for `t` must go: its grad_fn, its (cached) AccumulateGrad, or nowhere.
Edge gradient_edge(const Tensor& t);
// The AccumulateGrad node of a leaf that requires grad (created on first use, then cached).
std::shared_ptr<Node> grad_accumulator(const Tensor& t);

inline bool requires_grad_of(const Tensor& t) {
  const TensorImpl* p = t.unsafeGetTensorImpl();
  return p != nullptr && p->requires_grad_any();
}
// True when grad mode is on and any of the tensors requires grad: the op must record a node.
template <typename... Ts>
inline bool compute_requires_grad(const Ts&... ts) {
  return GradMode::is_enabled() && (... || requires_grad_of(ts));
}
inline bool compute_requires_grad_list(const TensorList& ts) {
  if (!GradMode::is_enabled()) return false;
  for (const auto& t : ts)
    if (requires_grad_of(t)) return true;
  return false;
}

// Makes `node` the grad_fn of `out` (output number `output_nr`).
inline void set_history(const Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr = 0) {
  TensorImpl& o = impl_of(out);
  o.grad_fn = node;
  o.output_nr = output_nr;
}

// The node of a leaf: adds incoming gradients to the leaf's grad(). libtorch names it after its
// C++ class, torch::autograd::AccumulateGrad; the same name in tensorgrad's namespace here.
class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(Tensor variable);
  variable_list apply(variable_list&& grads) override;
  std::string name() const override { return "tg::autograd::AccumulateGrad"; }
  const Tensor& variable() const { return variable_; }
  const Tensor* leaf() const override { return &variable_; }

 private:
  Tensor variable_;
};

// retain_grad(): the pre-hook on the tensor's grad_fn that keeps its gradient in grad().
void install_retain_grad_hook(const std::shared_ptr<TensorImpl>& impl);
// `t` was modified in place, and `fn` (output `output_nr`) is the node of its new value: it becomes
// t's grad_fn, a retain_grad() moves to it (t keeps the gradient of its new value, as in PyTorch),
// the version goes up, and existing views of the storage are marked stale (Note [Views of a base
// modified in place]). Used by the in-place ops and by custom functions' mark_dirty.
void rebase_history(const Tensor& t, std::shared_ptr<Node> fn, uint32_t output_nr);

// Runs the leaf's tensor hooks on `grad`.
Tensor run_tensor_hooks(const TensorImpl& impl, Tensor grad);

// Drops a reference to a node without recursing; see Note [Iterative graph destruction].
void release_node(std::shared_ptr<Node>&& node);
unsigned next_hook_handle();

/// The node whose backward the engine is running on this thread (nullptr outside a backward):
/// anomaly mode records it as the parent of nodes created meanwhile.
Node* current_node();
class CurrentNodeGuard {
 public:
  explicit CurrentNodeGuard(Node* n);
  ~CurrentNodeGuard();
  CurrentNodeGuard(const CurrentNodeGuard&) = delete;
  CurrentNodeGuard& operator=(const CurrentNodeGuard&) = delete;

 private:
  Node* prev_;
};
/// Anomaly mode: warns where `n` and its parents were created (after n's backward failed).
void warn_anomaly_traceback(const Node& n);

}  // namespace autograd
}  // namespace tg
