// Autograd step by step, as the tutorials walk through it in PyTorch:
//  1. the gradient of a mean squared error with tg::autograd::grad, and the error when the weight
//     does not require grad -- twice, because the graph is built when the loss is computed;
//  2. loss.backward(), which fills w.grad() instead of returning the gradient;
//  3. softmax's Jacobian, one row per output, with retain_graph: positive on the diagonal,
//     negative elsewhere, equal to p_i (delta_ij - p_j);
//  4. backward() on a tensor that is not a scalar, and the error it gives;
//  5. the graph of the loss, drawn with tg::viz::to_dot.
#include <tensorgrad/tensorgrad.h>
#include <tensorgrad/viz/dot.h>

#include <iostream>

#include "example_util.h"

using tg::Tensor;

// Runs f and prints the tg::Error it throws (these are the errors the tutorial shows).
template <typename F> void show_error(const char* what, F&& f) {
  try {
    f();
    std::cout << what << ": no error\n";
  } catch (const tg::Error& e) {
    std::cout << what << " -> tg::Error: " << e.what() << "\n";
  }
}

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "autograd_basics");

  std::cout << "== 1. MSE: loss = (w x + b - y)^2 with x = 1, y = 1, w = [2], b = 0\n";
  Tensor x = tg::tensor(1.0), y = tg::tensor(1.0), b = tg::tensor(0.0);
  Tensor w = tg::tensor({2.0});
  Tensor loss = tg::mse_loss(w * x + b, y.reshape({1}));
  std::cout << "loss = " << loss << "\n";
  show_error("grad(loss, w) with w.requires_grad() == false", [&] { tg::autograd::grad({loss}, {w}); });

  w.requires_grad_();  // too late for this loss: it was computed without a graph
  show_error("grad(loss, w) after w.requires_grad_(), same loss", [&] { tg::autograd::grad({loss}, {w}); });

  loss = tg::mse_loss(w * x + b, y.reshape({1}));  // computed again: now it records a graph
  std::cout << "loss = " << loss << "\n";
  Tensor dw = tg::autograd::grad({loss}, {w}, {}, /*retain_graph=*/true)[0];
  std::cout << "d loss / d w = " << dw << "   (2 (w x + b - y) x = 2)\n\n";

  std::cout << "== 2. loss.backward() fills w.grad()\n";
  loss.backward();
  std::cout << "w.grad() = " << w.grad() << "\n\n";

  std::cout << "== 3. the Jacobian of softmax, row by row\n";
  Tensor z = tg::tensor({1.0, 2.0, 0.5, -1.0}).requires_grad_();
  Tensor p = tg::softmax(z, 0);
  std::cout << "p = softmax(z) = " << p << "\n";
  const int64_t n = z.numel();
  std::vector<Tensor> rows;
  for (int64_t i = 0; i < n; ++i) {
    // d p_i / d z: one backward per output; retain_graph keeps the graph for the next row
    rows.push_back(tg::autograd::grad({p[i]}, {z}, {}, /*retain_graph=*/true)[0]);
  }
  Tensor jacobian = tg::stack(rows);
  std::cout << "J[i][j] = d p_i / d z_j =\n" << jacobian << "\n";
  {
    tg::NoGradGuard no_grad;
    Tensor pd = p.detach(), identity = tg::eye(n, z.options());
    Tensor formula = identity * pd.unsqueeze(1) - pd.unsqueeze(1) * pd.unsqueeze(0);  // p_i (delta_ij - p_j)
    std::cout << "max |J - p_i (delta_ij - p_j)| = " << (jacobian - formula).abs().max().item<double>() << "\n";
    Tensor diagonal = (jacobian * identity).sum(1);
    Tensor off_diagonal_ok = tg::where(identity > 0.5, tg::full({n, n}, -1.0), jacobian) < 0.0;
    std::cout << std::boolalpha << "diagonal > 0: " << (diagonal > 0.0).all().item<bool>()
              << ", off-diagonal < 0: " << off_diagonal_ok.all().item<bool>()
              << ", rows sum to 0: " << (jacobian.sum(1).abs() < 1e-7).all().item<bool>() << "\n\n";
  }

  std::cout << "== 4. backward() needs a scalar (or a gradient to start from)\n";
  Tensor q = tg::softmax(z, 0);
  show_error("softmax(z).backward()", [&] { q.backward(); });

  std::cout << "\n== 5. the graph of the loss\n";
  {
    Tensor l = tg::mse_loss(w * x + b, y.reshape({1}));
    tg::viz::DotOptions o;
    o.root_label = "loss";
    tg::OrderedDict<std::string, Tensor> names;  // the leaves to label by name (a module's named_parameters())
    names.insert("w", w);
    const std::string dot = tg::viz::to_dot(l, names, o);
    std::cout << dot;
    const bool png = tg::viz::render_dot(dot, (args.out / "mse_graph.png").string());
    std::cout << "  [graph] " << (args.out / (png ? "mse_graph.png" : "mse_graph.dot")).string() << "\n";
  }
}
