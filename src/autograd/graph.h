#pragma once
// The pieces of the backward graph that every node shares: saved tensors, the edges to an input's
// node, attaching a node to its outputs, and the leaves' AccumulateGrad node. Ops do not use this
// header directly; they declare their node with autograd/record.h (docs/architecture.md).

#include <memory>

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
// After an in-place op gave `t` a new grad_fn: a tensor that retains its gradient keeps the
// gradient of its new value, as in PyTorch (the hook moves from old_grad_fn to the new one).
void move_retain_grad_hook(const Tensor& t, Node* old_grad_fn);

// Runs the leaf's tensor hooks on `grad`.
Tensor run_tensor_hooks(const TensorImpl& impl, Tensor grad);

// Drops a reference to a node without recursing; see Note [Iterative graph destruction].
void release_node(std::shared_ptr<Node>&& node);
unsigned next_hook_handle();

}  // namespace autograd
}  // namespace tg
