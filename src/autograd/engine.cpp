// The backward engine: dependency counting and a ready stack, no recursion.
// See docs/architecture.md, "The engine".
#include "tensorgrad/autograd/engine.h"

#include <algorithm>
#include <exception>
#include <thread>

#include "autograd/graph.h"
#include "tensorgrad/autograd/anomaly_mode.h"
#include "tensorgrad/warning.h"
#include "autograd/record.h"

namespace tg {
namespace autograd {

namespace {

uint64_t next_epoch() {
  static std::atomic<uint64_t> epoch{1};
  return epoch++;
}

// Adds `g` into a node's input slot.
void accumulate_input(Node& n, uint32_t input_nr, Tensor&& g) {
  if (n.input_buffer_.size() < n.num_inputs()) n.input_buffer_.resize(n.num_inputs());
  Tensor& slot = n.input_buffer_[input_nr];
  if (!slot.defined()) {
    slot = std::move(g);
  } else {
    slot = slot + g;  // out of place: the first gradient may be someone else's tensor
  }
}

// An input of autograd::grad: the gradient arriving at (node, input_nr) is summed into `grad`.
// Captures at the same node are chained through `next` (Node::first_capture_ is the head).
struct Capture {
  Node* node;
  uint32_t input_nr;
  Tensor grad;
  int32_t next = -1;
};

// True when a tensor of shape `from` broadcasts to `to`.
bool expandable_to(IntArrayRef from, IntArrayRef to) {
  if (from.size() > to.size()) return false;
  const size_t lead = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i] != 1 && from[i] != to[lead + i]) return false;
  return true;
}

// Note [The engine undoes broadcasting]
// A backward rule returns each input's gradient in whatever shape is natural for it, usually
// the broadcast shape of the output, and in the output's dtype. Here, once for every node, each
// gradient is summed down to its input's shape (the inverse of broadcasting) and cast to its
// input's dtype; a gradient of any other shape is a bug in the rule, reported with its name.
void validate_outputs(const Node& n, variable_list& grads) {
  const edge_list& edges = n.next_edges();
  TG_CHECK(grads.size() == edges.size(), "function {} returned an incorrect number of gradients (expected {}, got {})",
           n.name(), edges.size(), grads.size());
  for (size_t i = 0; i < grads.size(); ++i) {
    Tensor& g = grads[i];
    if (!g.defined()) continue;
    if (!edges[i].is_valid()) {
      g = Tensor();
      continue;
    }
    const InputMetadata* m = n.input_metadata(i);
    if (m == nullptr) continue;
    const TensorImpl& gi = impl_of(g);
    if (gi.sizes != m->sizes) {
      TG_CHECK(expandable_to(m->sizes, gi.sizes),
               "Function {} returned an invalid gradient at index {} - got {} but expected shape compatible with {}",
               n.name(), i, to_string(gi.sizes), to_string(m->sizes));
      g = sum_to(g, m->sizes);
    }
    if (impl_of(g).dtype != m->dtype) g = g.to(m->dtype);
  }
}

// Anomaly mode: a gradient with NaN in it stops the backward at the node that produced it.
void check_for_nan(const Node& n, const variable_list& grads) {
  for (size_t i = 0; i < grads.size(); ++i) {
    const Tensor& g = grads[i];
    if (!g.defined() || !impl_of(g).is_floating()) continue;
    NoGradGuard no_grad;
    TG_CHECK(!(g != g).any().item<bool>(),
             "Function '{}' returned nan values in its {}th output. (anomaly mode: node number {} in the order nodes "
             "were created; the gradient has shape {})",
             n.name(), i, n.sequence_nr(), to_string(g.sizes()));
  }
}

// Visits every node reachable from `roots` once, counts for each the edges that lead into it, and
// returns them in post-order (every node after all the nodes it leads to).
std::vector<Node*> discover(const edge_list& roots, uint64_t epoch, bool needed) {
  std::vector<Node*> order;
  struct Frame {
    Node* node;
    size_t next;
  };
  std::vector<Frame> stack;
  auto visit = [&](Node* c) {
    if (c->visit_epoch_ == epoch) return;
    c->visit_epoch_ = epoch;
    c->dependencies_ = 0;
    c->needed_ = needed;
    c->first_capture_ = -1;
    stack.push_back({c, 0});
  };
  for (const auto& r : roots) {
    visit(r.function.get());
    while (!stack.empty()) {
      Frame& f = stack.back();
      const edge_list& edges = f.node->next_edges();
      if (f.next == edges.size()) {
        order.push_back(f.node);
        stack.pop_back();
        continue;
      }
      Node* c = edges[f.next++].function.get();
      if (c == nullptr) continue;
      visit(c);  // may invalidate f
      ++c->dependencies_;
    }
  }
  return order;
}

// Runs the graph from `roots` with `root_grads` on this thread (see run_backward).
void run_backward_here(const edge_list& roots, variable_list& root_grads, bool keep_graph, bool create_graph,
                       std::vector<Capture>* captures) {
  const uint64_t epoch = next_epoch();
  std::vector<Node*> order = discover(roots, epoch, captures == nullptr);
  if (captures) {
    for (size_t k = 0; k < captures->size(); ++k) {
      Capture& c = (*captures)[k];
      if (c.node->visit_epoch_ != epoch) continue;  // not reached: its gradient stays undefined
      c.next = c.node->first_capture_;
      c.node->first_capture_ = static_cast<int32_t>(k);
    }
    // A node is needed when it is captured or leads to a needed node (children come first).
    for (Node* n : order) {
      bool needed = n->first_capture_ >= 0;
      for (const auto& e : n->next_edges()) needed = needed || (e.function && e.function->needed_);
      n->needed_ = needed;
    }
  }

  // Afterwards no node holds gradients, and every node is needed again (RuleContext::needs
  // reads needed_, also when a node is applied by hand).
  auto clean_up = [&order] {
    for (Node* n : order) {
      n->input_buffer_.clear();
      n->needed_ = true;
    }
  };
  AutoGradMode mode(create_graph);
  try {
    // Seed the roots.
    std::vector<Node*> ready;
    for (size_t i = 0; i < roots.size(); ++i) {
      accumulate_input(*roots[i].function, roots[i].input_nr, std::move(root_grads[i]));
    }
    for (const auto& r : roots) {
      Node* n = r.function.get();
      if (n->dependencies_ == 0 && std::find(ready.begin(), ready.end(), n) == ready.end()) ready.push_back(n);
    }
    // Run nodes as their inputs complete.
    while (!ready.empty()) {
      Node* n = ready.back();
      ready.pop_back();
      variable_list inputs = std::move(n->input_buffer_);
      n->input_buffer_.clear();
      if (inputs.size() < n->num_inputs()) inputs.resize(n->num_inputs());
      variable_list outputs;
      if (n->needed_) {
        if (n->has_pre_hooks()) n->run_pre_hooks(inputs);
        bool run = true;
        if (captures) {
          // the gradient w.r.t. an input of autograd::grad arrives here
          for (int32_t k = n->first_capture_; k >= 0; k = (*captures)[k].next) {
            Capture& c = (*captures)[k];
            const Tensor& g = inputs[c.input_nr];
            if (g.defined()) c.grad = c.grad.defined() ? c.grad + g : g;
          }
          // run only what leads to a captured input; never accumulate into grad()
          run = std::any_of(n->next_edges().begin(), n->next_edges().end(),
                            [](const Edge& e) { return e.function && e.function->needed_; });
        }
        bool any = std::any_of(inputs.begin(), inputs.end(), [](const Tensor& t) { return t.defined(); });
        if (run && (any || n->runs_without_grads())) {
          CurrentNodeGuard current(n);
          try {
            outputs = n->apply(std::move(inputs));
            validate_outputs(*n, outputs);
            if (AnomalyMode::is_enabled() && AnomalyMode::should_check_nan()) check_for_nan(*n, outputs);
          } catch (...) {
            if (AnomalyMode::is_enabled()) warn_anomaly_traceback(*n);
            throw;
          }
        }
        if (!keep_graph) n->release_variables();
      }
      const auto& edges = n->next_edges();
      for (size_t i = 0; i < edges.size(); ++i) {
        Node* c = edges[i].function.get();
        if (!c) continue;
        if (i < outputs.size() && outputs[i].defined() && c->needed_) {
          accumulate_input(*c, edges[i].input_nr, std::move(outputs[i]));
        }
        if (--c->dependencies_ == 0) ready.push_back(c);
      }
    }
  } catch (...) {
    clean_up();
    throw;
  }
  clean_up();
}

// Note [Deep reentrant backward]
// A custom Function's backward may call backward() itself (a reentrant backward): one run of the
// graph nests in another on the C++ stack, and thousands of levels (libtorch's DeepReentrant test
// has 8193) would overflow it. So after kMaxReentrantDepth nested runs on one thread, the next run
// moves to a new thread, whose stack is fresh, and the calling thread waits for it: runs never
// overlap, so the graph needs no locking. The new thread takes over the caller's grad mode,
// default dtype and current node (the parent of nodes created meanwhile, for anomaly mode).
// libtorch does the same with its pool of reentrant worker threads.
constexpr int kMaxReentrantDepth = 32;
thread_local int t_reentrant_depth = 0;

// Runs the graph from `roots` with `root_grads`. With `captures` (autograd::grad), only nodes
// leading to a captured input run, AccumulateGrad nodes never run, and the gradient arriving at
// each captured (node, input_nr) is stored instead.
void run_backward(const edge_list& roots, variable_list& root_grads, bool keep_graph, bool create_graph,
                  std::vector<Capture>* captures) {
  if (t_reentrant_depth >= kMaxReentrantDepth) {
    const bool grad_mode = GradMode::is_enabled();
    const ScalarType dtype = get_default_dtype();
    Node* parent = current_node();
    std::exception_ptr error;
    std::thread worker([&] {
      GradMode::set_enabled(grad_mode);
      set_default_dtype(dtype);
      CurrentNodeGuard current(parent);
      try {
        run_backward(roots, root_grads, keep_graph, create_graph, captures);
      } catch (...) {
        error = std::current_exception();
      }
    });
    worker.join();
    if (error) std::rethrow_exception(error);
    return;
  }
  ++t_reentrant_depth;
  struct DepthGuard {
    ~DepthGuard() { --t_reentrant_depth; }
  } depth_guard;
  run_backward_here(roots, root_grads, keep_graph, create_graph, captures);
}

Tensor make_root_grad(const Tensor& out, const Tensor& given, size_t i) {
  if (given.defined()) {
    TG_CHECK(given.sizes().equals(out.sizes()),
             "Mismatch in shape: grad_output[{}] has a shape of {} and output[{}] has a shape of {}.", i,
             to_string(given.sizes()), i, to_string(out.sizes()));
    return given;
  }
  TG_CHECK(out.numel() == 1, "grad can be implicitly created only for scalar outputs (output {} has shape {})", i,
           to_string(out.sizes()));
  return ones_like(out);
}

}  // namespace

void backward(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grad_tensors,
              std::optional<bool> retain_graph, bool create_graph, const std::vector<Tensor>& inputs) {
  if (create_graph) {
    TG_WARN_ONCE("Using backward() with create_graph=True leaves in each leaf's .grad a graph that refers back to "
                 "the leaf: a reference cycle, and the memory of both is never freed. Build the graph of a gradient "
                 "with tg::autograd::grad(..., create_graph=true) instead; or, if you need backward(), reset the "
                 "leaves' grads (t.mutable_grad() = tg::Tensor()) once done with them.");
  }
  if (!inputs.empty()) {
    // Only the inputs' grad(): their gradients, as autograd::grad finds them, accumulated there.
    std::vector<Tensor> g = grad(tensors, inputs, grad_tensors, retain_graph, create_graph, /*allow_unused=*/true);
    AutoGradMode mode(create_graph);  // the accumulation is recorded only under create_graph
    for (size_t j = 0; j < inputs.size(); ++j) {
      if (!g[j].defined()) continue;
      Tensor& slot = inputs[j].mutable_grad();
      slot = slot.defined() ? slot + g[j] : (create_graph ? g[j] : g[j].detach());
    }
    return;
  }
  TG_CHECK(grad_tensors.empty() || grad_tensors.size() == tensors.size(),
           "backward: got {} tensors and {} gradients", tensors.size(), grad_tensors.size());
  edge_list roots;
  variable_list grads;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    TG_CHECK(t.defined(), "backward: tensor {} is undefined", i);
    TG_CHECK(t.requires_grad(), "element {} of tensors does not require grad and does not have a grad_fn", i);
    roots.push_back(gradient_edge(t));
    grads.push_back(make_root_grad(t, grad_tensors.empty() ? Tensor() : grad_tensors[i], i));
  }
  if (roots.empty()) return;
  run_backward(roots, grads, retain_graph.value_or(create_graph), create_graph, nullptr);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, std::optional<bool> retain_graph,
                         bool create_graph, bool allow_unused) {
  TG_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(),
           "grad: got {} outputs and {} grad_outputs", outputs.size(), grad_outputs.size());
  edge_list roots;
  variable_list grads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& t = outputs[i];
    TG_CHECK(t.defined(), "grad: output {} is undefined", i);
    TG_CHECK(t.requires_grad(), "element {} of tensors does not require grad and does not have a grad_fn", i);
    roots.push_back(gradient_edge(t));
    grads.push_back(make_root_grad(t, grad_outputs.empty() ? Tensor() : grad_outputs[i], i));
  }
  TG_CHECK(!inputs.empty(), "grad requires non-empty inputs.");
  std::vector<Capture> captures;
  std::vector<std::shared_ptr<Node>> keep_alive;
  for (size_t j = 0; j < inputs.size(); ++j) {
    const Tensor& x = inputs[j];
    TG_CHECK(x.defined(), "grad: input {} is undefined", j);
    TG_CHECK(x.requires_grad(), "One of the differentiated Tensors does not require grad (input {}, shape {})", j,
             to_string(x.sizes()));
    Edge e = gradient_edge(x);
    keep_alive.push_back(e.function);
    captures.push_back({e.function.get(), e.input_nr, Tensor()});
  }
  if (!roots.empty()) run_backward(roots, grads, retain_graph.value_or(create_graph), create_graph, &captures);
  std::vector<Tensor> result;
  for (size_t j = 0; j < inputs.size(); ++j) {
    Tensor g = captures[j].grad;
    if (!g.defined()) {
      TG_CHECK(allow_unused,
               "One of the differentiated Tensors appears to not have been used in the graph. Set "
               "allow_unused=True if this is the desired behavior. (input {}, shape {})",
               j, to_string(inputs[j].sizes()));
    } else if (!create_graph) {
      g = g.detach();
    }
    result.push_back(g);
  }
  return result;
}

}  // namespace autograd
}  // namespace tg
