// Trains a 2-layer network on XOR with tg::sigmoid and prints the loss falling.
#include <tensorgrad/tensorgrad.h>

#include <iostream>

int main() {
  tg::manual_seed(0);
  auto x = tg::tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}});
  auto y = tg::tensor({{0.0}, {1.0}, {1.0}, {0.0}});
  auto w1 = (tg::randn({2, 8}) * 1.0).requires_grad_();
  auto b1 = tg::zeros({8}, tg::requires_grad());
  auto w2 = (tg::randn({8, 1}) * 1.0).requires_grad_();
  auto b2 = tg::zeros({1}, tg::requires_grad());
  const double lr = 1.0;
  for (int epoch = 0; epoch <= 2000; ++epoch) {
    auto h = tg::sigmoid(x.matmul(w1) + b1);
    auto p = tg::sigmoid(h.matmul(w2) + b2);
    auto loss = (p - y).pow(2).mean();
    loss.backward();
    {
      tg::NoGradGuard g;
      for (auto* w : {&w1, &b1, &w2, &b2}) {
        w->sub_(w->grad() * lr);
        w->grad().zero_();
      }
    }
    if (epoch % 200 == 0) std::cout << "epoch " << epoch << "  loss " << loss.item<float>() << "\n";
  }
  tg::NoGradGuard g;
  auto p = tg::sigmoid(tg::sigmoid(x.matmul(w1) + b1).matmul(w2) + b2);
  std::cout << "predictions: " << p << "\n";
}
