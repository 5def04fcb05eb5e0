// A program written as a libtorch program is, with tg:: where libtorch has torch::: a custom
// autograd Function, Python-style indexing, and a small classifier trained with nn modules, F::
// losses and an optimizer. docs/libtorch.md lists what else moves over by the same swap.
//
//   libtorch_style [--quick] [--out DIR]
#include <iostream>

#include "example_util.h"
#include "tensorgrad/tensorgrad.h"

namespace F = tg::nn::functional;
using namespace tg::indexing;
using tg::autograd::AutogradContext;
using tg::autograd::variable_list;

// y = x^3 with its derivative written by hand: 3 x^2, itself differentiable.
struct Cube : public tg::autograd::Function<Cube> {
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto x = ctx->get_saved_variables()[0];
    return {grad_outputs[0] * 3 * x * x};
  }
};

struct NetImpl : tg::nn::Cloneable<NetImpl> {
  NetImpl() { reset(); }
  void reset() override {
    fc1 = register_module("fc1", tg::nn::Linear(2, 16));
    fc2 = register_module("fc2", tg::nn::Linear(16, 3));
  }
  tg::Tensor forward(tg::Tensor x) { return fc2(F::relu(fc1(x))); }
  tg::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(Net);

int main(int argc, char** argv) {
  const auto args = example::parse_args(argc, argv, "libtorch_style");
  tg::manual_seed(0);

  // ---- a custom Function, first and second derivatives ----
  auto x = tg::tensor({-1.0, 0.5, 2.0}, tg::dtype(tg::kFloat64).requires_grad(true));
  auto y = Cube::apply(x);
  auto dy = tg::autograd::grad({y.sum()}, {x}, {}, true, true)[0];
  auto d2y = tg::autograd::grad({dy.sum()}, {x})[0];
  std::cout << "Cube node: " << y.grad_fn()->name() << "\n";
  std::cout << "dy/dx = " << dy << "  (3x^2)\n";
  std::cout << "d2y/dx2 = " << d2y << "  (6x)\n";
  auto cube = [](const std::vector<tg::Tensor>& in) { return Cube::apply(in[0]); };
  std::cout << "gradcheck: " << std::boolalpha << bool(tg::autograd::gradcheck(cube, {x}))
            << ", gradgradcheck: " << bool(tg::autograd::gradgradcheck(cube, {x})) << "\n";

  // ---- indexing ----
  auto m = tg::arange(12, tg::kFloat32).reshape({3, 4});
  std::cout << "m.index({Slice(), 1}) = " << m.index({Slice(), 1}) << "\n";
  std::cout << "m.index({Slice(None, None, 2), Slice(1, 3)}) = " << m.index({Slice(None, None, 2), Slice(1, 3)})
            << "\n";
  auto rows = tg::tensor({0, 2, 2}, tg::kLong), cols = tg::tensor({3, 0, 1}, tg::kLong);
  std::cout << "m.index({rows, cols}) = " << m.index({rows, cols}) << "\n";
  std::cout << "m.masked_select(m > 8) = " << m.masked_select(m > 8) << "\n";
  m.index_put_({m > 8}, -1.0);
  std::cout << "entries above 8 set to -1: " << m << "\n";

  // ---- a classifier: three Gaussian blobs, Sequential-free module, F:: loss, SGD ----
  const int64_t per_class = 40;
  auto centers = tg::tensor({{0.0, 2.0}, {-2.0, -1.0}, {2.0, -1.0}});
  auto labels = tg::cat(
      {tg::full({per_class}, 0, tg::kLong), tg::full({per_class}, 1, tg::kLong), tg::full({per_class}, 2, tg::kLong)});
  auto inputs = centers.index({labels}) + 0.6 * tg::randn({3 * per_class, 2});

  Net net;
  tg::optim::SGD optimizer(net->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
  const int epochs = args.quick ? 60 : 200;
  float first_loss = 0, last_loss = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    optimizer.zero_grad();
    auto loss = F::cross_entropy(net(inputs), labels);
    loss.backward();
    optimizer.step();
    if (epoch == 0) first_loss = loss.item<float>();
    last_loss = loss.item<float>();
  }
  tg::Tensor accuracy;
  {
    tg::NoGradGuard no_grad;
    accuracy = (net(inputs).argmax(1) == labels).to(tg::kFloat32).mean();
  }
  std::cout << "cross-entropy: " << first_loss << " -> " << last_loss << " after " << epochs << " epochs\n";
  std::cout << "training accuracy: " << accuracy.item<float>() << "\n";

  // ---- clone: the same network, parameters of its own ----
  auto copy = std::dynamic_pointer_cast<NetImpl>(net->clone());
  {
    tg::NoGradGuard no_grad;
    std::cout << "clone gives the same outputs: " << tg::equal(copy->forward(inputs), net(inputs)) << "\n";
    copy->fc2->bias.add_(10.0);
    std::cout << "and changing it leaves the original alone: " << !tg::equal(copy->forward(inputs), net(inputs))
              << "\n";
  }
  std::cout << "the model:\n" << *net << "\n";
  return 0;
}
