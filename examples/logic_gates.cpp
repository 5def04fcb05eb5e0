// Logic gates and why a network needs a nonlinearity.
//  1. One logistic neuron, sigmoid(20 a + 20 b - 30), computes AND: the tutorial's weights.
//  2. The same neuron learns AND and OR from the four examples (gradient descent on the
//     binary cross-entropy) -- and fails on XOR, which no straight line separates.
//  3. A hidden layer with tanh solves XOR and two interleaved spirals. The same stack of layers
//     without the tanh cannot: a composition of linear maps is one linear map, so a "deep" linear
//     network still draws a single straight boundary.
// Decision boundaries are drawn as heat maps of the predicted probability.
#include <tensorgrad/tensorgrad.h>

#include <cmath>
#include <iomanip>
#include <iostream>

#include "example_util.h"

using tg::Tensor;
namespace nn = tg::nn;

const Tensor kInputs = tg::tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}});

void truth_table(const std::string& title, const Tensor& out) {
  std::cout << title << "\n   a  b   output\n";
  for (int64_t i = 0; i < 4; ++i) {
    std::cout << "   " << kInputs[i][0].item<double>() << "  " << kInputs[i][1].item<double>() << "   "
              << std::setprecision(4) << std::scientific << out[i].item<double>() << std::defaultfloat << "\n";
  }
}

// The fraction of points whose predicted class (probability > 0.5) is the label.
double accuracy(const Tensor& logits, const Tensor& labels) {
  return ((logits > 0.0) == (labels > 0.5)).to(tg::kFloat64).mean().item<double>();
}

// Trains `model` on (x, labels) with Adam on the binary cross-entropy of its logits.
void train(nn::Sequential& model, const Tensor& x, const Tensor& labels, int steps, double lr) {
  tg::optim::Adam opt(model->parameters(), tg::optim::AdamOptions(lr));
  for (int s = 0; s < steps; ++s) {
    opt.zero_grad();
    tg::binary_cross_entropy_with_logits(model->forward(x), labels).backward();
    opt.step();
  }
}

// The predicted probability on a grid over [lo, hi]^2, with the points on top.
void boundary(tg::viz::Axes& ax, nn::Sequential& model, const Tensor& x, const Tensor& y, double lo, double hi,
              const std::string& title) {
  tg::NoGradGuard no_grad;
  const int64_t g = 81;
  Tensor coords = tg::linspace(lo, hi, g);
  Tensor gx = coords.unsqueeze(0).expand({g, g}), gy = coords.unsqueeze(1).expand({g, g});
  Tensor grid = tg::stack({gx.reshape({-1}), gy.reshape({-1})}, 1);
  Tensor p = tg::sigmoid(model->forward(grid)).reshape({g, g});  // row i: y = coords[i]
  ax.imshow(p, lo, hi, lo, hi)
      .scatter(x.select(1, 0), x.select(1, 1), "", y.reshape({-1}))
      .set_title(title)
      .set_xlim(lo, hi)
      .set_ylim(lo, hi)
      .set_clim(0, 1);
}

nn::Sequential mlp(bool nonlinear, int64_t width, int layers) {
  nn::Sequential m;
  int64_t in = 2;
  for (int l = 0; l < layers; ++l) {
    m->push_back(nn::Linear(in, width));
    if (nonlinear) m->push_back(nn::Tanh());
    in = width;
  }
  m->push_back(nn::Linear(in, 1));
  return m;
}

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "logic_gates");
  tg::manual_seed(0);

  // 1. the tutorial's AND neuron
  truth_table("sigmoid(20 a + 20 b - 30): AND", tg::sigmoid(kInputs.matmul(tg::tensor({20.0, 20.0})) - 30.0));

  // 2. one neuron learns AND and OR, but not XOR
  const Tensor gates[] = {tg::tensor({{0.0}, {0.0}, {0.0}, {1.0}}), tg::tensor({{0.0}, {1.0}, {1.0}, {1.0}}),
                          tg::tensor({{0.0}, {1.0}, {1.0}, {0.0}})};
  const char* names[] = {"AND", "OR", "XOR"};
  std::cout << "\none trained logistic neuron:\n";
  for (int g = 0; g < 3; ++g) {
    nn::Sequential neuron(nn::Linear(2, 1));
    train(neuron, kInputs, gates[g], args.quick ? 500 : 2000, 0.1);
    tg::NoGradGuard no_grad;
    Tensor logits = neuron->forward(kInputs);
    std::cout << "  " << names[g] << ": accuracy " << accuracy(logits, gates[g]) * 100 << "%, outputs "
              << tg::sigmoid(logits).reshape({-1}) << "\n";
  }

  // 3. a hidden layer solves XOR and the spirals; the same depth without tanh does not
  auto [sx, sy] = example::spirals(args.quick ? 100 : 200);
  const int steps = args.quick ? 1500 : 4000;
  tg::viz::Figure fig(2, 2);
  fig.suptitle("decision boundaries: predicted probability of class 1");
  std::cout << "\n"
            << std::left << std::setw(34) << "network" << std::setw(10) << "XOR"
            << "two spirals\n";
  int panel = 0;
  for (bool nonlinear : {true, false}) {
    const std::string name = nonlinear ? "2 hidden layers of 32, tanh" : "the same layers, no activation";
    nn::Sequential xor_net = mlp(nonlinear, 32, 2);
    train(xor_net, kInputs, gates[2], 500, 0.01);
    nn::Sequential spiral_net = mlp(nonlinear, 32, 2);
    train(spiral_net, sx, sy, steps, 0.01);
    tg::NoGradGuard no_grad;
    const double xor_acc = accuracy(xor_net->forward(kInputs), gates[2]);
    const double spiral_acc = accuracy(spiral_net->forward(sx), sy);
    std::cout << std::setw(34) << name << std::setw(10) << std::to_string(int(std::lround(xor_acc * 100))) + "%"
              << std::lround(spiral_acc * 100) << "%\n";
    boundary(fig.axes(panel++), xor_net, kInputs, gates[2], -0.5, 1.5, "XOR, " + name);
    boundary(fig.axes(panel++), spiral_net, sx, sy, -2.2, 2.2, "spirals, " + name);
  }
  example::save(fig, args, "decision_boundaries.png");
}
