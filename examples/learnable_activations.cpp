// Activations with a learnable parameter: PReLU's slope, Swish's beta, SMU's and SMU-1's mu.
//
// Each is an ordinary parameter of its module, so the optimizer updates it with the weights:
// backward fills its gradient like any other. A small MLP (2 hidden layers of 32) learns two
// interleaved spirals with each activation, next to the same network with a fixed ReLU; the
// parameters' trajectories are drawn. First, SMU's starting point: with mu = 1e6 (the paper's
// initial value), erf(mu (1 - alpha) x) is sign(x) for all but tiny x, and SMU is Leaky ReLU with
// slope alpha.
#include <tensorgrad/tensorgrad.h>

#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>

#include "example_util.h"

using tg::Tensor;
namespace nn = tg::nn;

struct Variant {
  const char* name;
  std::function<nn::Sequential()> make;  // the network
  const char* param;                     // the learnable activation parameter's name, or nullptr
};

template <typename Act> nn::Sequential mlp(Act a1, Act a2) {
  return nn::Sequential(nn::Linear(2, 32), a1, nn::Linear(32, 32), a2, nn::Linear(32, 1));
}

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "learnable_activations");

  {
    tg::NoGradGuard no_grad;
    Tensor x = tg::linspace(-5, 5, 1001);
    const double alpha = 0.25;
    Tensor diff = (tg::smu(x, tg::full({1}, 1e6), alpha) - tg::leaky_relu(x, alpha)).abs();
    std::cout << "SMU with mu = 1e6 against Leaky ReLU with slope 0.25 on [-5, 5]: max |difference| = "
              << diff.max().item<double>() << "\n\n";
  }

  const std::vector<Variant> variants = {
      {"relu (fixed)", [] { return mlp(nn::ReLU(), nn::ReLU()); }, nullptr},
      {"prelu", [] { return mlp(nn::PReLU(), nn::PReLU()); }, "weight"},
      {"swish", [] { return mlp(nn::Swish(), nn::Swish()); }, "beta"},
      {"smu", [] { return mlp(nn::SMU(), nn::SMU()); }, "mu"},
      {"smu1", [] { return mlp(nn::SMU1(), nn::SMU1()); }, "mu"},
  };
  tg::manual_seed(0);
  auto [x, y] = example::spirals(args.quick ? 100 : 200);
  const int steps = args.quick ? 600 : 3000;

  tg::viz::Figure fig(2, 2);
  fig.suptitle("learnable activation parameters during training (two spirals, Adam, lr 0.01)");
  int panel = 0;
  std::cout << std::left << std::setw(14) << "activation" << std::setw(10) << "accuracy"
            << "parameter: initial -> final (layer 1, layer 2)\n";
  for (const Variant& v : variants) {
    tg::manual_seed(1);
    nn::Sequential net = v.make();
    tg::optim::Adam opt(net->parameters(), tg::optim::AdamOptions(0.01));
    // the activation parameters: "1.<param>" and "3.<param>" in the Sequential
    std::vector<Tensor> acts;
    if (v.param)
      for (const char* layer : {"1.", "3."}) acts.push_back(net->named_parameters()[std::string(layer) + v.param]);
    std::vector<std::vector<double>> trajectory(acts.size());
    std::vector<double> initial;
    for (const auto& a : acts) initial.push_back(a.item<double>());
    for (int s = 0; s < steps; ++s) {
      opt.zero_grad();
      tg::binary_cross_entropy_with_logits(net->forward(x), y).backward();
      opt.step();
      for (size_t k = 0; k < acts.size(); ++k) trajectory[k].push_back(acts[k].item<double>());
    }
    tg::NoGradGuard no_grad;
    const double acc = ((net->forward(x) > 0.0) == (y > 0.5)).to(tg::kFloat64).mean().item<double>();
    std::cout << std::setw(14) << v.name << std::setw(10) << (std::to_string(std::lround(acc * 100)) + "%");
    for (size_t k = 0; k < acts.size(); ++k)
      std::cout << (k ? ", " : "") << v.param << " " << std::setprecision(7) << initial[k] << " -> "
                << trajectory[k].back();
    std::cout << "\n";
    if (acts.empty()) continue;
    tg::viz::Axes& ax = fig.axes(panel++);
    for (size_t k = 0; k < acts.size(); ++k) ax.plot(tg::tensor(trajectory[k]), "layer " + std::to_string(k + 1));
    ax.set_title(std::string(v.name) + ": " + v.param).set_xlabel("step").legend().grid();
  }
  // Why SMU's mu did not move: near 1e6 consecutive float32 numbers are 0.0625 apart, and Adam's
  // steps are about lr = 0.01, so every update rounds back to 1e6 (its gradient is ~0 there anyway:
  // erf is flat at large arguments).
  std::cout << "float32 spacing at 1e6: " << std::nextafter(1e6f, 2e6f) - 1e6f
            << " (Adam's step is about 0.01, so SMU's mu stays at 1e6 in float32)\n";
  example::save(fig, args, "parameter_trajectories.png");
}
