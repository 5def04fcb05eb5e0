#pragma once
/// \file dot.h
/// The backward graph of a tensor as Graphviz DOT text, to look at what autograd recorded:
///
///     tg::Tensor loss = tg::mse_loss(model(x), y);
///     std::string dot = tg::viz::to_dot(loss, model->named_parameters());
///     tg::viz::render_dot(dot, "out/loss_graph.png");   // needs Graphviz's `dot` (apt-get install graphviz)
///
/// Arrows follow the forward computation: from the leaves (blue, with their names and shapes) through
/// one box per grad_fn node (libtorch's node names: MulBackward0, SigmoidBackward0, ...) to the
/// tensor itself (green). libtorch has no C++ counterpart; torchviz's make_dot is the Python one.

#include <string>

#include "tensorgrad/nn/module.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace viz {

struct DotOptions {
  /// Also draw, in orange, the shape and dtype of each tensor a node saved for backward (as long
  /// as the graph holds them: a backward without retain_graph frees them).
  bool show_saved = false;
  /// Label of the root tensor's box, above its shape.
  std::string root_label = "output";
};

/// The backward graph that ends in `root`, in DOT. Nodes are numbered in breadth-first order from
/// the root, so the text is the same for the same graph. A node with inputs that do not require
/// grad lists them ("no grad: input 1"). `root` must be defined; a root without grad_fn gives a
/// graph of that one tensor.
std::string to_dot(const Tensor& root, const DotOptions& options = {});
/// As above, and the leaves found among `params` (a module's named_parameters()) are labelled
/// with their names.
std::string to_dot(const Tensor& root, const OrderedDict<std::string, Tensor>& params, const DotOptions& options = {});

/// True when Graphviz's `dot` program is on the PATH.
bool have_graphviz();
/// Writes `dot` to png_path with the extension .dot and, when Graphviz is installed, renders
/// png_path with `dot -Tpng`. Creates the directory. Returns true when the PNG was written; without
/// Graphviz it prints once (to stderr) that only the .dot file was written.
bool render_dot(const std::string& dot, const std::string& png_path);

}  // namespace viz
}  // namespace tg
