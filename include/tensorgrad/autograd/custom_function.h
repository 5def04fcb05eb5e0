#pragma once
/// \file custom_function.h
/// Custom autograd functions, as libtorch's torch::autograd::Function: a class with a static
/// forward and a static backward, used through apply().
///
///     struct MulConstant : tg::autograd::Function<MulConstant> {
///       static tg::Tensor forward(tg::autograd::AutogradContext* ctx, tg::Tensor x, double c) {
///         ctx->saved_data["c"] = c;         // non-tensor data
///         ctx->save_for_backward({x});      // tensors, version-checked when read back
///         return x * c;
///       }
///       static tg::autograd::variable_list backward(tg::autograd::AutogradContext* ctx,
///                                                   tg::autograd::variable_list grad_outputs) {
///         double c = ctx->saved_data["c"].toDouble();
///         return {grad_outputs[0] * c, tg::Tensor()};  // one per forward argument after ctx
///       }
///     };
///     tg::Tensor y = MulConstant::apply(x, 2.0);
///
/// forward runs without recording a graph and returns a Tensor or a variable_list. Its tensor
/// arguments (Tensor, std::optional<Tensor> holding a tensor, and each tensor of a TensorList) are
/// the node's inputs; other arguments, std::vector<Tensor> included, are not (as in libtorch).
/// backward receives one gradient per output (zeros for an output that got none, unless
/// set_materialize_grads(false)) and returns one per input slot: per Tensor argument, per tensor
/// of a TensorList, and one (undefined) per other argument. backward is run with grad
/// mode on under create_graph, so a backward written with tensor ops gives second derivatives.
/// The node is named after its class, as in libtorch: "tg::autograd::CppNode<MulConstant>".

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/autograd/node.h"
#include "tensorgrad/ivalue.h"

namespace tg {
namespace autograd {

namespace detail {
class CppNodeBase;
}

/// A range [first, second) of input indices, as libtorch's IndexRange.
using IndexRange = std::pair<size_t, size_t>;

/// What forward leaves for backward.
class AutogradContext {
 public:
  AutogradContext();
  ~AutogradContext();
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;

  /// Non-tensor values for backward (numbers, strings, shapes; tensors that should not be
  /// version-checked).
  std::unordered_map<std::string, IValue> saved_data;

  /// Tensors backward needs: inputs, outputs or others. They are checked against in-place
  /// changes when read back, and freed after backward (unless retain_graph).
  void save_for_backward(variable_list to_save);
  /// Declares inputs that forward modified in place; they become outputs of this node (their old
  /// history is replaced), as an in-place op's result. A leaf that requires grad is refused.
  void mark_dirty(const variable_list& inputs);
  /// Declares outputs that are not differentiable: they do not require grad, and backward always
  /// receives zeros (or undefined) for them.
  void mark_non_differentiable(const variable_list& outputs);
  /// With false, backward receives undefined tensors for outputs that got no gradient, instead of
  /// zeros of their shape. Default true.
  void set_materialize_grads(bool value);
  /// The tensors saved with save_for_backward, in order. An error after they were freed, or when
  /// one of them was modified in place since.
  variable_list get_saved_variables() const;
  /// True when input `index` (counting tensor inputs only) needs a gradient.
  bool needs_input_grad(size_t index) const;
  /// True when any input in any of the ranges [first, second) needs a gradient.
  bool needs_input_grad(std::initializer_list<IndexRange> ranges) const;

 private:
  friend class detail::CppNodeBase;
  struct Saved;
  variable_list to_save_;
  std::vector<const void*> dirty_, non_differentiable_;  // TensorImpl identities
  bool materialize_grads_ = true;
  std::unique_ptr<Saved> saved_;
  std::weak_ptr<Node> grad_fn_;
};

namespace detail {

/// What every custom function's node does; CppNode<T> adds the call to T::backward.
class CppNodeBase : public Node {
 public:
  variable_list apply(variable_list&& grads) override;
  std::string name() const override;
  void release_variables() override;
  std::vector<InputMetadata> saved_metadata() const override;
  bool runs_without_grads() const override { return true; }

  // Used by Function<T>::apply.
  void add_argument(const Tensor& t);                 // a tensor argument (an input if defined)
  void add_argument(const std::optional<Tensor>& t);  // an input if it holds a defined tensor
  void add_non_tensor_argument() { is_variable_input_.push_back(false); }
  // Connects the inputs; true when a node is recorded (grad mode on, an input requires grad).
  bool connect();
  // Attaches the outputs of forward (see custom_function.cpp) and saves ctx's tensors.
  variable_list wrap_outputs(variable_list outputs, bool executable);

  AutogradContext ctx_;

 protected:
  virtual variable_list call_backward(AutogradContext* ctx, variable_list grads) = 0;

 private:
  variable_list inputs_;  // the tensor inputs, until wrap_outputs
  std::vector<bool> is_variable_input_;
  std::vector<InputMetadata> input_info_, output_info_;
  std::vector<bool> output_defined_;
};

template <typename T> inline void add_argument(CppNodeBase& node, const T& arg) {
  using D = std::decay_t<T>;
  if constexpr (std::is_same<D, Tensor>::value || std::is_same<D, std::optional<Tensor>>::value) {
    node.add_argument(arg);
  } else if constexpr (std::is_same<D, TensorList>::value) {
    for (const Tensor& t : arg) node.add_argument(t);  // each tensor of a TensorList is an input
  } else {
    node.add_non_tensor_argument();
  }
}

inline variable_list to_list(Tensor t) { return {std::move(t)}; }
inline variable_list to_list(variable_list v) { return v; }
template <typename R> R from_list(variable_list v) {
  if constexpr (std::is_same<R, Tensor>::value) {
    return v.empty() ? Tensor() : std::move(v[0]);
  } else {
    return v;
  }
}

}  // namespace detail

/// The node of a custom function T.
template <class T> class CppNode final : public detail::CppNodeBase {
 protected:
  variable_list call_backward(AutogradContext* ctx, variable_list grads) override {
    return T::backward(ctx, std::move(grads));
  }
};

template <typename X, typename... Args> using forward_t = decltype(X::forward(nullptr, std::declval<Args>()...));

/// The base of a custom autograd function T (see the top of this file).
template <class T> struct Function {
  template <typename X = T, typename... Args>
  static auto apply(Args&&... args) -> std::enable_if_t<std::is_same<X, T>::value, forward_t<X, Args...>> {
    using R = forward_t<X, Args...>;
    static_assert(std::is_same<R, Tensor>::value || std::is_same<R, variable_list>::value,
                  "a custom Function's forward must return a Tensor or a variable_list");
    auto node = std::make_shared<CppNode<T>>();
    (detail::add_argument(*node, args), ...);
    const bool executable = node->connect();
    variable_list outputs;
    {
      AutoGradMode no_grad(false);
      outputs = detail::to_list(T::forward(&node->ctx_, std::forward<Args>(args)...));
    }
    return detail::from_list<R>(node->wrap_outputs(std::move(outputs), executable));
  }
};

}  // namespace autograd
}  // namespace tg
