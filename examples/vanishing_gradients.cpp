// Vanishing gradients and dead ReLUs.
//  1. A 10-layer MLP, one backward pass: the norm of each layer's weight gradient, for six
//     activations, with nn::Linear's default initialisation and with the initialisation made for
//     the activation (Xavier for sigmoid and tanh, Kaiming for the ReLU family, LeCun for SELU).
//     Backpropagation multiplies by f'(z) once per layer, and sigmoid' <= 1/4, so with sigmoid
//     the gradient shrinks about fourfold per layer on the way down: the first layers barely learn.
//  2. Dead ReLUs: trained with a learning rate that is too high, many ReLU units end up negative
//     for every input; their gradient is then exactly 0 and they never come back (the flat line of
//     dead_relus.png). Leaky ReLU's units go dormant just as often, but its small negative slope
//     keeps a gradient flowing, so they keep moving and come back (its wobbling line).
#include <tensorgrad/tensorgrad.h>

#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>

#include "example_util.h"

using tg::Tensor;
namespace nn = tg::nn;
namespace init = tg::nn::init;

struct Activation {
  const char* name;
  std::function<Tensor(const Tensor&)> f;
  std::function<void(const Tensor&)> init;  // the initialisation made for it
};

// A plain MLP: `depth` layers of `width`, `f` after each hidden layer.
struct Mlp {
  std::vector<nn::Linear> layers;
  Mlp(int64_t in, int64_t width, int64_t out, int depth) {
    for (int l = 0; l < depth; ++l) layers.emplace_back(l == 0 ? in : width, l == depth - 1 ? out : width);
  }
  Tensor forward(Tensor h, const std::function<Tensor(const Tensor&)>& f) {
    for (size_t l = 0; l < layers.size(); ++l) {
      h = layers[l]->forward(h);
      if (l + 1 < layers.size()) h = f(h);
    }
    return h;
  }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> ps;
    for (const auto& l : layers)
      for (const auto& p : l->parameters()) ps.push_back(p);
    return ps;
  }
};

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "vanishing_gradients");
  const int depth = 10;
  const int64_t width = 64;
  auto xavier = [](double gain) { return [gain](const Tensor& w) { init::xavier_uniform_(w, gain); }; };
  auto kaiming = [](init::Nonlinearity nl, double a) {
    return [nl, a](const Tensor& w) { init::kaiming_normal_(w, a, tg::nn::init::FanMode::FanIn, nl); };
  };
  const std::vector<Activation> acts = {
      {"sigmoid", [](const Tensor& x) { return tg::sigmoid(x); }, xavier(1.0)},
      {"tanh", [](const Tensor& x) { return tg::tanh(x); }, xavier(5.0 / 3.0)},
      {"relu", [](const Tensor& x) { return tg::relu(x); }, kaiming(init::Nonlinearity::ReLU, 0)},
      {"leaky_relu", [](const Tensor& x) { return tg::leaky_relu(x, 0.01); },
       kaiming(init::Nonlinearity::LeakyReLU, 0.01)},
      {"elu", [](const Tensor& x) { return tg::elu(x); }, kaiming(init::Nonlinearity::ReLU, 0)},
      {"selu", [](const Tensor& x) { return tg::selu(x); }, kaiming(init::Nonlinearity::Linear, 0)},  // LeCun normal
  };

  // ---- 1. gradient norms per layer after one backward ----------------------------------------
  tg::viz::Figure fig(1, 2);
  for (bool tuned : {false, true}) {
    const std::string scheme =
        tuned ? "Xavier / Kaiming / LeCun initialisation" : "nn::Linear's default initialisation";
    std::cout << "weight-gradient norm per layer, " << scheme << " (layer 1 is next to the input):\n";
    std::cout << std::setw(7) << "layer";
    for (const auto& a : acts) std::cout << std::setw(12) << a.name;
    std::cout << "\n";
    std::vector<std::vector<double>> norms(acts.size());
    for (size_t k = 0; k < acts.size(); ++k) {
      tg::manual_seed(1);
      Mlp net(width, width, 1, depth);
      if (tuned) {
        tg::NoGradGuard no_grad;
        for (auto& l : net.layers) {
          acts[k].init(l->weight);
          l->bias.zero_();
        }
      }
      Tensor x = tg::randn({128, width}), y = tg::randn({128, 1});
      tg::mse_loss(net.forward(x, acts[k].f), y).backward();
      for (const auto& l : net.layers) norms[k].push_back(l->weight.grad().norm().item<double>());
    }
    for (int l = 0; l < depth; ++l) {
      std::cout << std::setw(7) << l + 1;
      for (size_t k = 0; k < acts.size(); ++k)
        std::cout << std::setw(12) << std::setprecision(2) << std::scientific << norms[k][l];
      std::cout << std::defaultfloat << "\n";
    }
    std::cout << "layer 1 / layer 10:";
    for (size_t k = 0; k < acts.size(); ++k)
      std::cout << "  " << acts[k].name << " " << std::setprecision(2) << std::scientific
                << norms[k][0] / norms[k][depth - 1];
    std::cout << std::defaultfloat << "\n";
    // where sigmoid's gradient has shrunk below 1% of the last layer's, counting from the top
    int below = 0;
    for (int l = depth - 1; l >= 0; --l)
      if (norms[0][l] < 0.01 * norms[0][depth - 1]) ++below;
    std::cout << "sigmoid: " << below << " of the " << depth - 1
              << " lower layers get less than 1% of the top layer's gradient\n\n";

    tg::viz::Axes& ax = fig.axes(tuned ? 1 : 0);
    Tensor layer = tg::arange(1, depth + 1);
    for (size_t k = 0; k < acts.size(); ++k) ax.plot(layer, tg::tensor(norms[k]), acts[k].name, "-o");
    ax.set_yscale("log")
        .set_title(scheme)
        .set_xlabel("layer (1 = next to the input)")
        .set_ylabel("|dL/dW| after one backward")
        .legend()
        .grid();
  }
  example::save(fig, args, "gradient_norms.png");

  // ---- 2. dead ReLUs at a high learning rate ------------------------------------------------
  // Regression of sum_i sin(x_i) over 8 inputs with 3 hidden layers of 64, plain SGD at lr 1.0
  // (gradients clipped to norm 5, so that the steps are large but finite). A unit is dormant when
  // its input is <= 0 for every example of a fixed batch: a dormant ReLU outputs 0 and has
  // gradient 0 everywhere -- it is dead. A dormant Leaky ReLU still passes 0.01 of its gradient.
  const int steps = args.quick ? 200 : 600;
  tg::viz::Figure dead_fig;
  std::cout << "dormant hidden units while training (SGD, lr 1.0):\n";
  for (const char* name : {"relu", "leaky_relu"}) {
    const bool leaky = std::string(name) == "leaky_relu";
    auto f = [leaky](const Tensor& x) { return leaky ? tg::leaky_relu(x, 0.01) : tg::relu(x); };
    tg::manual_seed(2);
    Mlp net(8, width, 1, 4);
    tg::optim::SGD opt(net.parameters(), tg::optim::SGDOptions(1.0));
    Tensor probe = tg::randn({512, 8});
    // The dormant units of each hidden layer on the probe batch, as a 0/1 mask per layer.
    auto dormant = [&] {
      tg::NoGradGuard no_grad;
      std::vector<Tensor> masks;
      Tensor h = probe;
      for (size_t l = 0; l + 1 < net.layers.size(); ++l) {
        Tensor z = net.layers[l]->forward(h);
        masks.push_back(std::get<0>(z.max(0)) <= 0.0);
        h = f(z);
      }
      return masks;
    };
    std::vector<double> fraction;
    for (int s = 0;; ++s) {
      if (s % 10 == 0) {
        int64_t n = 0, units = 0;
        for (const Tensor& m : dormant()) {
          n += m.sum().item<int64_t>();
          units += m.numel();
        }
        fraction.push_back(static_cast<double>(n) / static_cast<double>(units));
      }
      if (s == steps) break;
      Tensor x = tg::randn({64, 8});
      opt.zero_grad();
      tg::mse_loss(net.forward(x, f), x.sin().sum(1, true)).backward();
      tg::nn::utils::clip_grad_norm_(net.parameters(), 5.0);
      opt.step();
    }
    // Do the dormant units still get a gradient? One backward on the probe batch.
    opt.zero_grad();
    tg::mse_loss(net.forward(probe, f), probe.sin().sum(1, true)).backward();
    const std::vector<Tensor> masks = dormant();
    int64_t n_dormant = 0, with_gradient = 0;
    for (size_t l = 0; l < masks.size(); ++l) {
      Tensor row_grad = net.layers[l]->weight.grad().abs().sum(1);  // one entry per unit
      n_dormant += masks[l].sum().item<int64_t>();
      with_gradient += (masks[l] & (row_grad > 0.0)).sum().item<int64_t>();
    }
    std::cout << "  " << std::setw(11) << name << " " << std::lround(fraction.front() * 100)
              << "% dormant at the start, " << std::lround(fraction.back() * 100) << "% after " << steps
              << " steps, and " << with_gradient << " of " << n_dormant << " dormant units still get a gradient ("
              << (n_dormant ? std::lround(100.0 * with_gradient / n_dormant) : 0) << "%)\n";
    dead_fig.axes().plot(tg::arange(0, static_cast<int64_t>(fraction.size())) * 10, tg::tensor(fraction), name);
  }
  dead_fig.axes()
      .set_title("dormant hidden units (input <= 0 for every example), SGD at lr 1.0")
      .set_xlabel("step")
      .set_ylabel("fraction of hidden units")
      .set_ylim(0, 1)
      .legend()
      .grid();
  example::save(dead_fig, args, "dead_relus.png");
}
