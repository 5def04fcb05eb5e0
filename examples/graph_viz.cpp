// The computation graph autograd records for a small MLP's loss, drawn with tg::viz::to_dot.
//
// Every op on tensors that require grad adds a node (named as libtorch names it); the leaves are
// the parameters, labelled with their names from named_parameters(). loss.backward() walks
// exactly this graph from the bottom up. With show_saved, the orange boxes are the tensors each
// node keeps for its backward: the memory a graph costs until backward frees it.
#include <tensorgrad/tensorgrad.h>
#include <tensorgrad/viz/dot.h>

#include <iostream>

#include "example_util.h"

struct MlpImpl : tg::nn::Module {
  MlpImpl() : fc1(register_module("fc1", tg::nn::Linear(2, 8))), fc2(register_module("fc2", tg::nn::Linear(8, 1))) {}
  tg::Tensor forward(const tg::Tensor& x) { return fc2(tg::tanh(fc1(x))); }
  tg::nn::Linear fc1, fc2;
};
TG_MODULE(Mlp);

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "graph_viz");
  tg::manual_seed(0);
  Mlp model;
  tg::Tensor x = tg::randn({16, 2}), y = tg::randn({16, 1});
  tg::Tensor loss = tg::mse_loss(model->forward(x), y);
  std::cout << "loss = " << loss << "\n\n";

  tg::viz::DotOptions options;
  options.root_label = "loss";
  const std::string dot = tg::viz::to_dot(loss, model->named_parameters(), options);
  std::cout << dot << "\n";
  const bool png = tg::viz::render_dot(dot, (args.out / "mlp_graph.png").string());
  std::cout << "  [graph] " << (args.out / (png ? "mlp_graph.png" : "mlp_graph.dot")).string() << "\n";

  options.show_saved = true;  // the same graph with what each node saved for backward
  const bool png2 = tg::viz::render_dot(tg::viz::to_dot(loss, model->named_parameters(), options),
                                        (args.out / "mlp_graph_saved.png").string());
  std::cout << "  [graph] " << (args.out / (png2 ? "mlp_graph_saved.png" : "mlp_graph_saved.dot")).string() << "\n";

  loss.backward();  // the walk the graph describes; afterwards every parameter has its gradient
  for (const auto& p : model->named_parameters())
    std::cout << p.key() << ".grad() has shape " << tg::to_string(p.value().grad().sizes()) << "\n";
}
