// Softmax turns ten raw scores (logits) into a probability distribution; sigmoid does not.
//
// softmax(s)_i = e^(s_i) / sum_j e^(s_j): every output is in (0, 1), they sum to 1, and the
// largest score gets by far the largest share (e^3.75 is 11.6 times e^1.3, the runner-up). Sigmoid squashes each
// score on its own: every output is in (0, 1) too, but nothing makes them sum to 1, so they are
// ten independent yes/no probabilities, not one choice among ten classes.
#include <tensorgrad/tensorgrad.h>

#include <iostream>

#include "example_util.h"

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "softmax_scores");
  tg::Tensor scores = tg::tensor({0.2, 0.02, 0.15, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75});

  tg::Tensor p = tg::softmax(scores, 0);
  std::cout << "scores  = " << scores << "\n\n";
  std::cout << "softmax = " << p << "\n";
  std::cout << "predicted class: " << p.argmax().item<int64_t>() << "\n";
  std::cout << "sum of the probabilities: " << p.sum() << "\n\n";

  tg::Tensor s = tg::sigmoid(scores);
  std::cout << "sigmoid = " << s << "\n";
  std::cout << "sum of the sigmoids: " << s.sum() << "  (not a distribution over the classes)\n";

  tg::Tensor classes = tg::arange(10);
  tg::viz::Figure fig(1, 2);
  fig(0, 0).plot(classes, p, "softmax", "-o").set_title("softmax: sums to 1").set_xlabel("class").set_ylim(0, 1).grid();
  fig(0, 1)
      .plot(classes, s, "sigmoid", "-o")
      .set_title("sigmoid: sums to 6.29")
      .set_xlabel("class")
      .set_ylim(0, 1)
      .grid();
  fig.suptitle("the same ten scores through softmax and through sigmoid");
  example::save(fig, args, "softmax_vs_sigmoid.png");
}
