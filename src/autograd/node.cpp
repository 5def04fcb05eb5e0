// Node bookkeeping, iterative graph destruction, saved variables and AccumulateGrad.
#include <atomic>
#include <cstdlib>

#if __has_include(<execinfo.h>)
#include <cxxabi.h>
#include <execinfo.h>
#define TG_HAVE_BACKTRACE 1
#endif

#include "autograd/graph.h"
#include "tensorgrad/autograd/anomaly_mode.h"
#include "tensorgrad/warning.h"

namespace tg {
namespace autograd {

namespace {
std::atomic<uint64_t> g_next_sequence_nr{0};
std::atomic<unsigned> g_next_hook_handle{1};
thread_local bool t_in_release_loop = false;
thread_local std::vector<std::shared_ptr<Node>>* t_pending = nullptr;
thread_local Node* t_current_node = nullptr;

// The C++ call stack of the caller, one frame per line, innermost first, with demangled names
// where the binary exports them (link with -rdynamic for the names of the program's own functions).
std::string capture_backtrace() {
#ifdef TG_HAVE_BACKTRACE
  void* frames[64];
  const int n = ::backtrace(frames, 64);
  char** symbols = ::backtrace_symbols(frames, n);
  if (symbols == nullptr) return "  (no stack available)\n";
  std::string out;
  for (int i = 2; i < n; ++i) {  // skip this function and Node::Node
    std::string line = symbols[i];
    // "module(mangled+0x12) [0x...]": demangle the name between '(' and '+'
    const auto open = line.find('('), plus = line.find('+', open);
    if (open != std::string::npos && plus != std::string::npos && plus > open + 1) {
      const std::string mangled = line.substr(open + 1, plus - open - 1);
      int status = 0;
      char* demangled = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
      if (status == 0 && demangled) line = line.substr(0, open + 1) + demangled + line.substr(plus);
      std::free(demangled);
    }
    out += "  #" + std::to_string(i - 2) + " " + line + "\n";
  }
  std::free(symbols);
  return out;
#else
  return "  (no stack available on this platform)\n";
#endif
}
}  // namespace

Node* current_node() { return t_current_node; }
CurrentNodeGuard::CurrentNodeGuard(Node* n) : prev_(t_current_node) { t_current_node = n; }
CurrentNodeGuard::~CurrentNodeGuard() { t_current_node = prev_; }

void warn_anomaly_traceback(const Node& n) {
  const AnomalyMetadata* m = n.anomaly_metadata();
  TG_WARN("Error detected in ", n.name(), " (node number ", n.sequence_nr(),
          "). Traceback of forward call that caused the error:\n",
          m ? m->traceback : std::string("  (the node was created while anomaly mode was off)\n"));
  for (const Node* p = m ? m->parent.get() : nullptr; p != nullptr;) {
    const AnomalyMetadata* pm = p->anomaly_metadata();
    TG_WARN("\n\nPrevious calculation was induced by ", p->name(), " (node number ", p->sequence_nr(),
            "). Traceback of forward call that induced the previous calculation:\n",
            pm ? pm->traceback : std::string("  (the node was created while anomaly mode was off)\n"));
    p = pm ? pm->parent.get() : nullptr;
  }
}

unsigned next_hook_handle() { return g_next_hook_handle++; }

Node::Node() : sequence_nr_(g_next_sequence_nr++) {
  if (AnomalyMode::is_enabled()) {
    anomaly_ = std::make_unique<AnomalyMetadata>();
    anomaly_->traceback = capture_backtrace();
    if (t_current_node != nullptr) anomaly_->parent = t_current_node->shared_from_this();
  }
}

// Note [Iterative graph destruction]
// A chain of a million nodes, each owning the next through its edges (and through the tensors it
// saved), would be destroyed by a million nested destructor calls and overflow the stack. So the
// last reference to a node is never dropped inside another node's destructor: release_node()
// parks it on a thread-local list, and the outermost release_node() call destroys the parked
// nodes one at a time in a loop. A destructor running in that loop parks its own children.
void release_node(std::shared_ptr<Node>&& node) {
  if (!node) return;
  if (node.use_count() != 1) {
    node.reset();
    return;
  }
  if (t_in_release_loop) {
    t_pending->push_back(std::move(node));
    return;
  }
  std::vector<std::shared_ptr<Node>> pending;
  t_pending = &pending;
  t_in_release_loop = true;
  node.reset();
  while (!pending.empty()) {
    std::shared_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    n.reset();
  }
  t_in_release_loop = false;
  t_pending = nullptr;
}

Node::~Node() {
  for (auto& e : next_edges_) release_node(std::move(e.function));
}

unsigned Node::add_pre_hook(uint32_t output_nr, PreHook hook) {
  if (!pre_hooks_) pre_hooks_ = std::make_unique<std::vector<HookEntry>>();
  unsigned h = next_hook_handle();
  pre_hooks_->push_back({h, output_nr, std::move(hook)});
  return h;
}

bool Node::remove_pre_hook(unsigned handle) {
  if (!pre_hooks_) return false;
  auto& v = *pre_hooks_;
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i].handle == handle) {
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  return false;
}

void Node::run_pre_hooks(variable_list& grads) {
  if (!pre_hooks_) return;
  // Copy: a hook may register or remove hooks.
  auto hooks = *pre_hooks_;
  for (auto& h : hooks) {
    if (h.output_nr >= grads.size() || !grads[h.output_nr].defined()) continue;
    Tensor r = h.fn(grads[h.output_nr]);
    if (r.defined()) grads[h.output_nr] = r;
  }
}

// ---- SavedVariable ------------------------------------------------------------------------

SavedVariable::SavedVariable(const Tensor& t) {
  if (!t.defined()) return;
  was_defined_ = true;
  saved_version_ = impl_of(t).storage->version;
  data_ = t;
}

SavedVariable::SavedVariable(const Tensor& t, uint32_t output_nr) {
  was_defined_ = true;
  is_output_ = true;
  output_nr_ = output_nr;
  saved_version_ = impl_of(t).storage->version;
  data_ = t.detach();  // see Note [Saving a node's own output]
}

void SavedVariable::reset() {
  if (was_defined_) {
    data_ = Tensor();
    released_ = true;
  }
}

Tensor SavedVariable::unpack(Node* owner) const {
  if (!was_defined_) return Tensor();
  if (released_) {
    TG_ERROR(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have "
        "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
        "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if "
        "you need to access saved tensors after calling backward.");
  }
  const TensorImpl& ti = impl_of(data_);
  if (ti.storage->version != saved_version_) {
    std::string origin;
    if (is_output_ && owner) {
      origin = fmt::format(", which is output {} of {},", output_nr_, owner->name());
    } else if (ti.grad_fn) {
      origin = fmt::format(", which is output {} of {},", ti.output_nr, ti.grad_fn->name());
    }
    TG_ERROR(
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        "[{} {}]{} is at version {}; expected version {} instead. Hint: the tensor was changed in place after it "
        "was saved for backward; use an out-of-place op (or .clone()) instead.",
        dtype_name(ti.dtype), to_string(ti.sizes), origin, ti.storage->version, saved_version_);
  }
  if (is_output_ && owner && GradMode::is_enabled()) {
    // Rebuild the output's place in the graph so that double backward can flow through it.
    Tensor t = data_.detach();
    TensorImpl& o = impl_of(t);
    o.grad_fn = owner->shared_from_this();
    o.output_nr = output_nr_;
    return t;
  }
  return data_;
}

// ---- gradient edges -----------------------------------------------------------------------

std::shared_ptr<Node> grad_accumulator(const Tensor& t) {
  TensorImpl& ti = impl_of(t);
  if (auto acc = ti.grad_accumulator.lock()) return acc;
  auto acc = std::make_shared<AccumulateGrad>(t);
  ti.grad_accumulator = acc;
  return acc;
}

// Note [Views of a base modified in place]
// PyTorch rewrites the history of every view of a tensor that an in-place op modifies while
// recording a graph. tensorgrad does not track views' bases, so such a view's grad_fn would
// describe its old values and its gradient would be silently wrong. Instead, using such a view
// in a graph (or calling backward on it) is an error that says what to do.
Edge gradient_edge(const Tensor& t) {
  if (!t.defined()) return Edge();
  TensorImpl& ti = impl_of(t);
  if (ti.grad_fn) {
    TG_CHECK(!(ti.is_view && ti.storage->history_rewrite_version > ti.view_version),
             "a view of shape {} was created before an in-place operation on its base recorded a graph; tensorgrad "
             "does not rewrite the history of existing views, so its gradient would be wrong. Create the view after "
             "the in-place operation, or clone() the base before modifying it.",
             to_string(ti.sizes));
    return Edge(ti.grad_fn, ti.output_nr);
  }
  if (ti.requires_grad) return Edge(grad_accumulator(t), 0);
  return Edge();
}

// ---- AccumulateGrad -----------------------------------------------------------------------

AccumulateGrad::AccumulateGrad(Tensor variable) : variable_(std::move(variable)) { num_inputs_ = 1; }

Tensor run_tensor_hooks(const TensorImpl& impl, Tensor grad) {
  if (!impl.hooks) return grad;
  auto hooks = *impl.hooks;
  for (auto& h : hooks) {
    Tensor r = h.fn(grad);
    if (r.defined()) grad = r;
  }
  return grad;
}

variable_list AccumulateGrad::apply(variable_list&& grads) {
  Tensor g = std::move(grads[0]);
  if (!g.defined()) return {};
  TensorImpl& vi = impl_of(variable_);
  g = run_tensor_hooks(vi, std::move(g));
  TG_CHECK(g.sizes().equals(vi.sizes), "AccumulateGrad: gradient of shape {} does not match the leaf's shape {}",
           to_string(g.sizes()), to_string(vi.sizes));
  if (g.dtype() != vi.dtype) g = g.to(vi.dtype);
  Tensor& slot = vi.grad;
  if (!GradMode::is_enabled()) {
    if (!slot.defined()) {
      // Steal the buffer when nobody else can see it; copy otherwise, so that a later in-place
      // change of grad() cannot alter another tensor (or the reverse).
      const TensorImpl& gi = impl_of(g);
      bool stealable = g.use_count() == 1 && gi.storage.use_count() == 1 && gi.is_contiguous() && !gi.grad_fn;
      slot = stealable ? g : g.detach().clone();
      impl_of(slot).requires_grad = false;
    } else {
      slot.add_(g);
    }
  } else {
    // create_graph: the gradient stays a graph, so that it can be differentiated again.
    slot = slot.defined() ? slot + g : g;
  }
  return {};
}

}  // namespace autograd
}  // namespace tg
