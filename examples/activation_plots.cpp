// Every activation function of tensorgrad: its curve and its derivative on [-10, 10].
//
// The derivative is not written by hand: it comes from autograd, the way the tutorials get it in
// PyTorch:
//     x = torch.linspace(-10, 10, 401, requires_grad=True)
//     torch.sigmoid(x).sum().backward()      # x.grad now holds sigmoid'(x)
// Summing first is what makes this work: d(sum_i f(x_i)) / dx_j = f'(x_j), because each output
// depends only on its own input.
//
// Writes one figure per activation (curve | derivative) and an overview grid, and prints each
// derivative's maximum and where the function saturates (where |f'| < 0.01).
#include <tensorgrad/tensorgrad.h>

#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <vector>

#include "example_util.h"

using tg::Tensor;

struct Activation {
  const char* name;
  std::function<Tensor(const Tensor&)> f;
};

// A coordinate for printing: 2 decimals, and no "-0.00".
std::string coord(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << (std::abs(v) < 0.005 ? 0.0 : v);
  return s.str();
}

// Where |f'| < 0.01 at the ends of the range, e.g. "x <= -4.60 and x >= 4.60", or "nowhere".
std::string saturation(const std::vector<double>& x, const std::vector<double>& d) {
  const double eps = 0.01;
  size_t left = 0, right = x.size();  // [left, right): where |f'| >= eps, from the ends inwards
  while (left < x.size() && std::abs(d[left]) < eps) ++left;
  if (left == x.size()) return "everywhere";
  while (right > 0 && std::abs(d[right - 1]) < eps) --right;
  if (left == 0 && right == x.size()) return "nowhere";
  std::string s;
  if (left > 0) s = "x <= " + coord(x[left - 1]);
  if (right < x.size()) s += (left > 0 ? " and " : "") + std::string("x >= ") + coord(x[right]);
  return s;
}

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "activation_plots");
  const Tensor slope = tg::full({1}, 0.25);  // PReLU's learnable slope at its initial value
  const Tensor mu_smu = tg::full({1}, 1e6);  // SMU's mu, as the tutorial initialises it
  const Tensor mu_smu1 = tg::full({1}, 4.352665993287951e-9);
  const std::vector<Activation> activations = {
      {"sigmoid", [](const Tensor& x) { return tg::sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return tg::tanh(x); }},
      {"relu", [](const Tensor& x) { return tg::relu(x); }},
      {"leaky_relu", [](const Tensor& x) { return tg::leaky_relu(x, 0.1); }},
      {"prelu", [&](const Tensor& x) { return tg::prelu(x, slope); }},
      {"elu", [](const Tensor& x) { return tg::elu(x); }},
      {"selu", [](const Tensor& x) { return tg::selu(x); }},
      {"celu", [](const Tensor& x) { return tg::celu(x, 2.0); }},
      {"silu", [](const Tensor& x) { return tg::silu(x); }},
      {"swish_beta_4", [](const Tensor& x) { return tg::swish(x, 4.0); }},
      {"gelu", [](const Tensor& x) { return tg::gelu(x); }},
      {"gelu_tanh", [](const Tensor& x) { return tg::gelu(x, "tanh"); }},
      {"softplus", [](const Tensor& x) { return tg::softplus(x); }},
      {"mish", [](const Tensor& x) { return tg::mish(x); }},
      {"squareplus", [](const Tensor& x) { return tg::squareplus(x); }},
      {"smu", [&](const Tensor& x) { return tg::smu(x, mu_smu); }},
      {"smu1", [&](const Tensor& x) { return tg::smu1(x, mu_smu1); }},
      {"hardtanh", [](const Tensor& x) { return tg::hardtanh(x); }},
      {"relu6", [](const Tensor& x) { return tg::relu6(x); }},
      {"hardsigmoid", [](const Tensor& x) { return tg::hardsigmoid(x); }},
      {"hardswish", [](const Tensor& x) { return tg::hardswish(x); }},
      {"logsigmoid", [](const Tensor& x) { return tg::logsigmoid(x); }},
      {"softsign", [](const Tensor& x) { return tg::softsign(x); }},
      {"softshrink", [](const Tensor& x) { return tg::softshrink(x, 1.0); }},
      {"erf", [](const Tensor& x) { return tg::erf(x); }},
  };

  const int64_t points = args.quick ? 201 : 401;
  tg::viz::Figure grid(5, 5);
  grid.suptitle("activations (solid) and their derivatives from autograd (dashed) on [-10, 10]");
  grid.set_size(1920, 1440);

  std::cout << std::left << std::setw(14) << "activation" << std::setw(16) << "max f'(x)" << std::setw(10) << "at x"
            << "saturates (|f'| < 0.01)\n";
  for (size_t i = 0; i < activations.size(); ++i) {
    const Activation& a = activations[i];
    Tensor x = tg::linspace(-10, 10, points, tg::requires_grad());
    Tensor y = a.f(x);
    y.sum().backward();  // x.grad() = f'(x), one entry per point
    Tensor d = x.grad();

    // the derivative's maximum and where it is reached
    const int64_t at = d.argmax().item<int64_t>();
    std::vector<double> xs(points), ds(points);
    for (int64_t k = 0; k < points; ++k) {
      xs[k] = x[k].item<double>();
      ds[k] = d[k].item<double>();
    }
    std::cout << std::setw(14) << a.name << std::setw(16) << std::setprecision(4) << std::fixed << ds[at]
              << std::setw(10) << coord(xs[at]) << saturation(xs, ds) << "\n";

    Tensor xd = x.detach(), yd = y.detach();
    tg::viz::Figure fig(1, 2);
    fig.set_size(960, 340);
    fig(0, 0).plot(xd, yd, a.name).set_title(std::string(a.name) + "(x)").set_xlabel("x").grid();
    fig(0, 1)
        .plot(xd, d, std::string(a.name) + "'")
        .set_title(std::string(a.name) + "'(x), from autograd")
        .set_xlabel("x")
        .grid();
    example::save(fig, args, std::string(a.name) + ".png");
    grid.axes(static_cast<int>(i)).plot(xd, yd).plot(xd, d, "", "--").set_title(a.name).grid().set_xlim(-10, 10);
  }
  example::save(grid, args, "overview.png");

  // The tutorials' numbers: sigmoid' is at most 1/4 and tanh' at most 1, and sigmoid is nearly
  // flat outside [-6, 6]: its outputs there differ from 0 or 1 by less than 0.0025.
  tg::NoGradGuard no_grad;
  Tensor six = tg::tensor({-6.0, 6.0});
  std::cout << "\nsigmoid(-6), sigmoid(6) = " << tg::sigmoid(six) << "\n";
  std::cout << "sigmoid'(0) = " << tg::sigmoid(tg::tensor(0.0)) * (1 - tg::sigmoid(tg::tensor(0.0)))
            << "  tanh'(0) = " << 1 - tg::tanh(tg::tensor(0.0)).pow(2) << "\n";
}
