// The backward engine: dependency counting and a ready stack, no recursion.
#include "tensorgrad/autograd/engine.h"

#include <algorithm>
#include <unordered_map>

#include "autograd/function_impl.h"

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

struct Capture {
  Node* node;
  uint32_t input_nr;
  Tensor grad;
};

// Runs the graph from `roots` with `root_grads`. With `captures` (autograd::grad), only nodes
// leading to a captured input run, AccumulateGrad nodes never run, and the gradient arriving at
// each captured (node, input_nr) is stored instead.
void run_backward(const edge_list& roots, variable_list& root_grads, bool keep_graph, bool create_graph,
                  std::vector<Capture>* captures) {
  const uint64_t epoch = next_epoch();
  // 1. Discover the graph and count, for every node, the edges that lead into it.
  std::vector<Node*> order;  // every reached node, in discovery order
  std::vector<Node*> stack;
  for (const auto& r : roots) {
    Node* n = r.function.get();
    if (n->visit_epoch_ != epoch) {
      n->visit_epoch_ = epoch;
      n->dependencies_ = 0;
      n->needed_ = captures == nullptr;
      stack.push_back(n);
      order.push_back(n);
    }
  }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const auto& e : n->next_edges()) {
      Node* c = e.function.get();
      if (!c) continue;
      if (c->visit_epoch_ != epoch) {
        c->visit_epoch_ = epoch;
        c->dependencies_ = 0;
        c->needed_ = captures == nullptr;
        stack.push_back(c);
        order.push_back(c);
      }
      ++c->dependencies_;
    }
  }
  if (captures) {
    // A node is needed when it is captured or leads to a needed node. `order` lists parents before
    // their children only partially, so iterate to a fixed point over the reversed list.
    for (auto& c : *captures) c.node->needed_ = true;
    bool changed = true;
    while (changed) {
      changed = false;
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node* n = *it;
        if (n->needed_) continue;
        for (const auto& e : n->next_edges())
          if (e.function && e.function->needed_) {
            n->needed_ = true;
            changed = true;
            break;
          }
      }
    }
  }

  // 2. Seed the roots.
  std::vector<Node*> ready;
  for (size_t i = 0; i < roots.size(); ++i) {
    accumulate_input(*roots[i].function, roots[i].input_nr, std::move(root_grads[i]));
  }
  for (const auto& r : roots) {
    Node* n = r.function.get();
    if (n->dependencies_ == 0 && std::find(ready.begin(), ready.end(), n) == ready.end()) ready.push_back(n);
  }

  // 3. Run nodes as their inputs complete.
  AutoGradMode mode(create_graph);
  try {
    while (!ready.empty()) {
      Node* n = ready.back();
      ready.pop_back();
      variable_list inputs = std::move(n->input_buffer_);
      n->input_buffer_.clear();
      if (inputs.size() < n->num_inputs()) inputs.resize(n->num_inputs());
      variable_list outputs;
      if (n->needed_) {
        if (n->has_pre_hooks()) n->run_pre_hooks(inputs);
        bool captured = false;
        if (captures) {  // the gradient w.r.t. an input of autograd::grad arrives here
          for (auto& c : *captures)
            if (c.node == n) {
              const Tensor& g = inputs[c.input_nr];
              if (g.defined()) c.grad = c.grad.defined() ? c.grad + g : g;
              captured = true;
            }
        }
        (void)captured;
        bool run = true;
        if (captures) {  // run only what leads to a captured input; never accumulate into grad()
          run = false;
          for (const auto& e : n->next_edges())
            if (e.function && e.function->needed_) run = true;
        }
        bool any = std::any_of(inputs.begin(), inputs.end(), [](const Tensor& t) { return t.defined(); });
        if (run && any) outputs = n->apply(std::move(inputs));
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
    for (Node* n : order) n->input_buffer_.clear();
    throw;
  }
  for (Node* n : order) n->input_buffer_.clear();
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
              std::optional<bool> retain_graph, bool create_graph) {
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
