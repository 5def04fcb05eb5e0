// tg::viz::to_dot: the backward graph as Graphviz DOT, read through Node's public interface.
#include "tensorgrad/viz/dot.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "tensorgrad/autograd/node.h"
#include "tensorgrad/error.h"
#include "viz/util.h"

namespace tg {
namespace viz {

namespace {

// A DOT string literal.
std::string dot_string(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    if (c == '\n') {
      r += "\\n";
      continue;
    }
    r += c;
  }
  return r + "\"";
}

std::string shape_text(IntArrayRef sizes) { return to_string(sizes); }

std::string saved_text(const autograd::InputMetadata& m) {
  return std::string(dtype_name(m.dtype)) + " " + to_string(m.sizes);
}

std::string build(const Tensor& root, const OrderedDict<std::string, Tensor>* params, const DotOptions& o) {
  TG_CHECK(root.defined(), "to_dot: the root tensor is undefined");
  std::ostringstream out;
  out << "digraph backward {\n"
      << "  node [shape=box, style=filled, fontname=\"Helvetica\", fontsize=11];\n";
  out << "  root [label=" << dot_string(o.root_label + "\n" + shape_text(root.sizes()))
      << ", fillcolor=darkolivegreen1];\n";
  const auto& fn = root.grad_fn();
  if (!fn) {
    out << "}\n";
    return out.str();
  }

  // Breadth-first from the root: ids in the order nodes are first reached.
  std::map<const autograd::Node*, int> id;
  std::vector<const autograd::Node*> order;
  auto reach = [&](const autograd::Node* n) {
    if (id.emplace(n, static_cast<int>(order.size())).second) order.push_back(n);
    return id[n];
  };
  reach(fn.get());
  std::ostringstream nodes, edges;
  for (size_t k = 0; k < order.size(); ++k) {
    const autograd::Node* n = order[k];
    const std::string name = "n" + std::to_string(k);
    if (const Tensor* leaf = n->leaf()) {
      std::string label;
      if (params) {
        for (const auto& item : *params)
          if (item.value().is_same(*leaf)) label = item.key() + "\n";
      }
      nodes << "  " << name << " [label=" << dot_string(label + shape_text(leaf->sizes()))
            << ", fillcolor=lightblue];\n";
      continue;
    }
    std::string label = n->name();
    std::vector<size_t> no_grad;
    for (size_t i = 0; i < n->num_outputs(); ++i)
      if (!n->next_edge(i).is_valid()) no_grad.push_back(i);
    if (!no_grad.empty()) {
      label += "\nno grad: input";
      if (no_grad.size() > 1) label += "s";
      for (size_t j = 0; j < no_grad.size(); ++j) label += (j ? ", " : " ") + std::to_string(no_grad[j]);
    }
    nodes << "  " << name << " [label=" << dot_string(label) << ", fillcolor=lightgrey];\n";
    for (size_t i = 0; i < n->num_outputs(); ++i) {
      const auto& e = n->next_edge(i);
      if (!e.is_valid()) continue;
      edges << "  n" << reach(e.function.get()) << " -> " << name << ";\n";
    }
    if (o.show_saved) {
      const auto saved = n->saved_metadata();
      for (size_t s = 0; s < saved.size(); ++s) {
        const std::string sname = name + "_s" + std::to_string(s);
        nodes << "  " << sname << " [label=" << dot_string("saved\n" + saved_text(saved[s]))
              << ", fillcolor=orange, fontsize=9];\n";
        edges << "  " << sname << " -> " << name << " [style=dotted, arrowhead=none];\n";
      }
    }
  }
  out << nodes.str() << edges.str() << "  n0 -> root;\n}\n";
  return out.str();
}

}  // namespace

std::string to_dot(const Tensor& root, const DotOptions& options) { return build(root, nullptr, options); }

std::string to_dot(const Tensor& root, const OrderedDict<std::string, Tensor>& params, const DotOptions& options) {
  return build(root, &params, options);
}

bool have_graphviz() { return detail::have_program("dot"); }

bool render_dot(const std::string& dot, const std::string& png_path) {
  namespace fs = std::filesystem;
  const fs::path png(png_path);
  fs::path dot_path = png;
  dot_path.replace_extension(".dot");
  detail::write_text(dot_path, dot, "render_dot");
  if (!have_graphviz()) {
    detail::say_once("graphviz", "tg::viz: Graphviz's `dot` is not installed, so only " + dot_path.string() +
                                     " was written (apt-get install graphviz, or scripts/setup.sh --viz)");
    return false;
  }
  const std::string cmd =
      "dot -Tpng " + detail::shell_quote(dot_path.string()) + " -o " + detail::shell_quote(png.string());
  TG_CHECK(std::system(cmd.c_str()) == 0, "render_dot: `{}` failed", cmd);
  return true;
}

}  // namespace viz
}  // namespace tg
