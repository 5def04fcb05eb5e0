#pragma once
// How an op records its backward: one declaration next to its forward kernel.
//
//   Tensor mul(const Tensor& self, const Tensor& other) {
//     Tensor out = kernels::binary(...);
//     record("MulBackward0", out, inputs(self, other), save(for_grad(1, self), for_grad(0, other)),
//            [](auto& c) -> Grads {
//              auto [a, b] = c.saved();
//              return {c.needs(0) ? c.grad() * b : Tensor(), c.needs(1) ? c.grad() * a : Tensor()};
//            });
//     return out;
//   }
//
// The declaration names the node (libtorch's name), lists the forward inputs (one gradient each),
// says what the rule needs saved (inputs, the op's own output, any other tensor), and gives the
// rule: a function of the incoming gradient and the saved values, written with differentiable
// tensor ops so that create_graph works. Scalars and shapes the rule needs are captured by the
// lambda (never a Tensor: tensors go through save(), which version-checks and releases them).
// Everything else is done here once: nothing is recorded without grad mode or an input that
// requires grad; saved tensors are version-checked when unpacked and freed after backward; saving
// the output needs no care (no reference cycle, no ordering); and the engine sums each returned
// gradient to its input's shape and casts it to its dtype. See docs/architecture.md.

#include <array>
#include <type_traits>
#include <utility>

#include "autograd/graph.h"

namespace tg {
namespace autograd {

using Grads = variable_list;

// Marks a node whose inputs are a TensorList (cat, stack).
constexpr size_t kVariadic = static_cast<size_t>(-1);

// The forward inputs of a node, by reference for the duration of record().
template <size_t N>
struct Inputs {
  std::array<const Tensor*, N> t;
};
template <>
struct Inputs<kVariadic> {
  const TensorList* list;
};
template <typename... Ts>
Inputs<sizeof...(Ts)> inputs(const Ts&... ts) {
  static_assert((std::is_same<Ts, Tensor>::value && ...), "inputs() takes tensors");
  return {{{&ts...}}};
}
inline Inputs<kVariadic> inputs(const TensorList& ts) { return {&ts}; }

// One tensor the rule needs. for_grad(i, t): saved only when input i needs a gradient (a rule
// reads it only then), so that an input that is not differentiated is not kept alive.
struct SaveSpec {
  const Tensor* t;
  int for_input = -1;
};
inline SaveSpec for_grad(int input, const Tensor& t) { return {&t, input}; }
inline SaveSpec save_spec(const Tensor& t) { return {&t, -1}; }
inline SaveSpec save_spec(const SaveSpec& s) { return s; }
template <size_t N>
struct Saves {
  std::array<SaveSpec, N> s;
};
template <typename... Ts>
Saves<sizeof...(Ts)> save(const Ts&... ts) {
  return {{{save_spec(ts)...}}};
}

// What a rule sees: the incoming gradient(s), the saved tensors, and which inputs need a gradient.
template <size_t NS>
class RuleContext {
 public:
  RuleContext(Node& node, const variable_list& grads, const std::array<SavedVariable, NS>& saved)
      : node_(node), grads_(grads), saved_(saved) {}

  // The gradient w.r.t. output i of the forward (defined: a node runs only when one arrives).
  const Tensor& grad(size_t i = 0) const { return grads_[i]; }
  // True when forward input i needs a gradient; a rule computes only those. (Within
  // autograd::grad, the inputs that lead to none of its inputs are not needed.)
  bool needs(size_t input) const { return node_.task_should_compute_output(input); }
  // Saved tensor i, or all of them (auto [x, y] = c.saved();), checked against in-place changes.
  Tensor saved(size_t i) const { return saved_[i].unpack(&node_); }
  std::array<Tensor, NS> saved() const { return unpack_all(std::make_index_sequence<NS>()); }
  // Shape and dtype of forward input i (one that needs a gradient).
  IntArrayRef input_sizes(size_t i) const { return node_.input_metadata(i)->sizes; }
  ScalarType input_dtype(size_t i) const { return node_.input_metadata(i)->dtype; }
  size_t num_inputs() const { return node_.num_outputs(); }

 private:
  template <size_t... I>
  std::array<Tensor, NS> unpack_all(std::index_sequence<I...>) const {
    return {{saved(I)...}};
  }
  Node& node_;
  const variable_list& grads_;
  const std::array<SavedVariable, NS>& saved_;
};

namespace detail {

template <size_t N>
struct InputMetas {
  std::array<InputMetadata, N> m;
  void resize(size_t) {}
  InputMetadata* data() { return m.data(); }
};
template <>
struct InputMetas<kVariadic> {
  std::vector<InputMetadata> m;
  void resize(size_t n) { m.resize(n); }
  InputMetadata* data() { return m.data(); }
};

template <size_t N>
size_t count(const Inputs<N>&) { return N; }
inline size_t count(const Inputs<kVariadic>& in) { return in.list->size(); }
template <size_t N>
const Tensor& at(const Inputs<N>& in, size_t i) { return *in.t[i]; }
inline const Tensor& at(const Inputs<kVariadic>& in, size_t i) { return (*in.list)[i]; }

template <size_t N>
bool any_requires_grad(const Inputs<N>& in) {
  if (!GradMode::is_enabled()) return false;
  for (size_t i = 0; i < count(in); ++i)
    if (requires_grad_of(at(in, i))) return true;
  return false;
}

// The one node class behind every op: the rule, the saved tensors and the inputs' metadata.
template <typename Rule, size_t NIn, size_t NS>
class DeclaredNode final : public Node {
 public:
  DeclaredNode(const char* name, Rule rule) : name_(name), rule_(std::move(rule)) {}

  variable_list apply(variable_list&& grads) override {
    RuleContext<NS> c(*this, grads, saved_);
    if constexpr (std::is_same<decltype(rule_(c)), Tensor>::value) {
      // one input: its gradient goes out in the vector the incoming gradients came in
      Tensor g = rule_(c);
      grads.resize(1);
      grads[0] = std::move(g);
      return std::move(grads);
    } else {
      return rule_(c);
    }
  }
  std::string name() const override { return name_; }
  void release_variables() override {
    for (auto& s : saved_) s.reset();
  }
  std::vector<InputMetadata> saved_metadata() const override { return metadata_of(saved_); }

  void connect(const Inputs<NIn>& in) {
    const size_t n = count(in);
    next_edges_.reserve(n);
    meta_.resize(n);
    InputMetadata* m = meta_.data();
    for (size_t i = 0; i < n; ++i) {
      const Tensor& t = at(in, i);
      next_edges_.push_back(gradient_edge(t));
      if (next_edges_.back().is_valid()) {
        const TensorImpl& ti = impl_of(t);
        m[i].sizes = ti.sizes;
        m[i].dtype = ti.dtype;
      }
    }
    input_meta_ = m;
  }

  std::array<SavedVariable, NS> saved_;

 private:
  const char* name_;
  InputMetas<NIn> meta_;
  Rule rule_;
};

}  // namespace detail

// Records node `name` as the grad_fn of `out`, with edges to `in` and the rule `rule`; does
// nothing when grad mode is off or no input requires grad. `name` must be a string literal.
template <size_t NIn, size_t NS, typename Rule>
void record(const char* name, const Tensor& out, const Inputs<NIn>& in, const Saves<NS>& saves, Rule&& rule) {
  if (!detail::any_requires_grad(in)) return;
  auto node = std::make_shared<detail::DeclaredNode<std::decay_t<Rule>, NIn, NS>>(name, std::forward<Rule>(rule));
  node->connect(in);
  set_history(out, node);
  for (size_t k = 0; k < NS; ++k) {
    const SaveSpec& s = saves.s[k];
    if (s.for_input >= 0 && !node->should_compute_output(static_cast<size_t>(s.for_input))) continue;
    node->saved_[k] = s.t->is_same(out) ? SavedVariable(*s.t, 0) : SavedVariable(*s.t);
  }
}

template <size_t NIn, typename Rule>
void record(const char* name, const Tensor& out, const Inputs<NIn>& in, Rule&& rule) {
  record(name, out, in, Saves<0>{}, std::forward<Rule>(rule));
}

}  // namespace autograd
}  // namespace tg
