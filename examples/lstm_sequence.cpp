// An LSTM cell written from its gates, and why it uses both sigmoid and tanh.
//
//   i = sigmoid(.)  f = sigmoid(.)  o = sigmoid(.)    gates: how much to write, keep, show
//   g = tanh(.)                                       the candidate value to write
//   c' = f * c + i * g                                the cell state
//   h' = o * tanh(c')                                 the output
//
// The gates must be in (0, 1): they are soft switches that scale what passes. The candidate and
// the output are values, which must be able to be negative as well as positive, so they use tanh
// (zero-centred, bounded). The cell is checked against tg::nn::LSTMCell with the same weights, then
// trained with backpropagation through time on a delayed-recall task -- output the input of 10
// steps ago -- next to the same cell with sigmoid everywhere and with tanh everywhere. Only the
// real combination learns it: with sigmoid values the state cannot hold a sign, and a tanh gate
// is no longer a switch between closed (0) and open (1): it can be negative and flip what passes.
#include <tensorgrad/tensorgrad.h>

#include <iomanip>
#include <iostream>

#include "example_util.h"

using tg::Tensor;
using Fn = Tensor (*)(const Tensor&);

// The cell's parameters, laid out as nn::LSTMCell's: gate order i, f, g, o.
struct Cell {
  Tensor w_ih, w_hh, b_ih, b_hh;  // [4H, in], [4H, H], [4H], [4H]
  Fn gate, value;                 // sigmoid and tanh in a real LSTM

  std::pair<Tensor, Tensor> step(const Tensor& x, const Tensor& h, const Tensor& c) const {
    const int64_t n = h.size(1);
    Tensor z = x.matmul(w_ih.t()) + h.matmul(w_hh.t()) + b_ih + b_hh;  // [batch, 4H]
    Tensor i = gate(z.narrow(1, 0, n)), f = gate(z.narrow(1, n, n));
    Tensor g = value(z.narrow(1, 2 * n, n)), o = gate(z.narrow(1, 3 * n, n));
    Tensor c2 = f * c + i * g;
    return {o * value(c2), c2};
  }
  std::vector<Tensor> parameters() const { return {w_ih, w_hh, b_ih, b_hh}; }
};

Tensor sigmoid_fn(const Tensor& x) { return tg::sigmoid(x); }
Tensor tanh_fn(const Tensor& x) { return tg::tanh(x); }

// A cell with nn::LSTMCell's initialisation: U(-1/sqrt(H), 1/sqrt(H)).
Cell make_cell(int64_t in, int64_t hidden, Fn gate, Fn value) {
  const double k = 1.0 / std::sqrt(static_cast<double>(hidden));
  auto u = [k](tg::IntArrayRef shape) { return (tg::rand(shape) * (2 * k) - k).requires_grad_(); };
  return {u({4 * hidden, in}), u({4 * hidden, hidden}), u({4 * hidden}), u({4 * hidden}), gate, value};
}

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "lstm_sequence");
  tg::manual_seed(0);

  // 1. the hand-written cell computes what nn::LSTMCell computes
  tg::nn::LSTMCell reference(3, 5);
  Cell mine{reference->weight_ih, reference->weight_hh, reference->bias_ih, reference->bias_hh, sigmoid_fn, tanh_fn};
  Tensor x = tg::randn({4, 3}), h = tg::randn({4, 5}), c = tg::randn({4, 5});
  auto [h_ref, c_ref] = reference(x, std::make_tuple(h, c));
  auto [h_mine, c_mine] = mine.step(x, h, c);
  std::cout << "max |h' - nn::LSTMCell h'| = " << (h_mine - h_ref).abs().max().item<double>()
            << ", max |c' - nn::LSTMCell c'| = " << (c_mine - c_ref).abs().max().item<double>() << "\n\n";

  // 2. delayed recall: y_t = x_{t-10}, sequences of 20 steps, loss over t >= 10
  const int64_t hidden = 16, steps_per_seq = 20, lag = 10, batch = 32;
  const int iterations = args.quick ? 150 : 1500;
  struct Variant {
    const char* name;
    Fn gate, value;
  };
  const Variant variants[] = {{"sigmoid gates, tanh values (LSTM)", sigmoid_fn, tanh_fn},
                              {"sigmoid everywhere", sigmoid_fn, sigmoid_fn},
                              {"tanh everywhere", tanh_fn, tanh_fn}};
  tg::viz::Figure fig;
  std::cout << "delayed recall (output the input of " << lag << " steps ago), " << iterations
            << " Adam steps, final loss (mean of the last 20):\n";
  for (const Variant& v : variants) {
    tg::manual_seed(1);
    Cell cell = make_cell(1, hidden, v.gate, v.value);
    tg::nn::Linear readout(hidden, 1);
    std::vector<Tensor> params = cell.parameters();
    for (const auto& p : readout->parameters()) params.push_back(p);
    tg::optim::Adam opt(params, tg::optim::AdamOptions(0.01));
    std::vector<double> losses;
    for (int it = 0; it < iterations; ++it) {
      Tensor seq = tg::randn({steps_per_seq, batch, 1});
      Tensor hs = tg::zeros({batch, hidden}), cs = tg::zeros({batch, hidden});
      std::vector<Tensor> errors;
      for (int64_t t = 0; t < steps_per_seq; ++t) {
        std::tie(hs, cs) = cell.step(seq[t], hs, cs);
        if (t >= lag) errors.push_back(readout(hs) - seq[t - lag]);
      }
      Tensor loss = tg::stack(errors).pow(2).mean();
      opt.zero_grad();
      loss.backward();  // backpropagation through time: through all 20 steps of the graph
      opt.step();
      losses.push_back(loss.item<double>());
    }
    double tail = 0;
    for (size_t k = losses.size() - 20; k < losses.size(); ++k) tail += losses[k] / 20;
    std::cout << "  " << std::left << std::setw(36) << v.name << std::fixed << std::setprecision(4) << tail
              << std::defaultfloat << "\n";
    fig.axes().plot(tg::tensor(losses), v.name);
  }
  std::cout << "(a constant prediction of 0 has loss 1: the inputs have variance 1)\n";
  fig.axes()
      .set_title("LSTM on delayed recall: which activation where")
      .set_xlabel("training step")
      .set_ylabel("MSE")
      .set_yscale("log")
      .legend()
      .grid();
  example::save(fig, args, "lstm_losses.png");
}
