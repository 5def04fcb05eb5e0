// The "first neural network" demo of the tutorials, on Fashion-MNIST, and a comparison of hidden
// activations.
//  (a) Logistic regression 784 -> 10 written by hand, as the tutorial writes it in PyTorch:
//        log_softmax(x) = x - log(sum(exp(x)))     nll(p, y) = -mean(p[i, y_i])
//        loss.backward(); with no_grad: w -= lr * w.grad; w.grad.zero_()
//      then the same model with softmax, sigmoid or tanh in place of log_softmax. Only log_softmax
//      gives the cross-entropy; the others give a loss whose gradient fades as outputs saturate.
//  (b) A one-hidden-layer MLP (784 -> 128 -> 10, Adam) with each hidden activation: test accuracy,
//      time per epoch, and the training curves.
// Reads Fashion-MNIST from Debian's dataset-fashion-mnist (or --data DIR with any IDX dataset such
// as MNIST); without it, says so and uses a small synthetic dataset.
#include <tensorgrad/data/data.h>
#include <tensorgrad/tensorgrad.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "example_util.h"

using tg::Tensor;
namespace nn = tg::nn;

struct Split {
  Tensor x, y;  // float32 [n, 784] in [0, 1], int64 [n]
};

// Fashion-MNIST's train and test splits, flattened; or a synthetic stand-in.
std::pair<Split, Split> load(const example::Args& args, bool& real) {
  const std::string dir = args.data.empty() ? "/usr/share/datasets/fashion-mnist" : args.data;
  real = std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz") ||
         std::filesystem::exists(dir + "/train-images-idx3-ubyte");
  if (real) {
    tg::data::MNIST train(dir, tg::data::MNIST::Mode::kTrain), test(dir, tg::data::MNIST::Mode::kTest);
    auto flat = [](const tg::data::MNIST& d) {
      return Split{d.images().reshape({d.images().size(0), -1}), d.targets()};
    };
    return {flat(train), flat(test)};
  }
  std::cout << "Fashion-MNIST not found in " << dir << " (apt-get install dataset-fashion-mnist, or --data DIR):\n"
            << "using a synthetic dataset instead: 10 random 28x28 prototypes plus noise.\n";
  tg::manual_seed(1);
  Tensor protos = tg::rand({10, 784});
  auto make = [&](int64_t n) {
    Tensor labels = tg::randint(0, 10, {n});
    return Split{(protos.index_select(0, labels) + tg::randn({n, 784}) * 0.6).clamp(0.0, 1.0), labels};
  };
  Split train = make(6000);
  return {train, make(2000)};
}

Split head(const Split& s, int64_t n) {
  return {s.x.narrow(0, 0, std::min(n, s.x.size(0))), s.y.narrow(0, 0, std::min(n, s.y.size(0)))};
}

double accuracy(const Tensor& scores, const Tensor& labels) {
  return (scores.argmax(1) == labels).to(tg::kFloat64).mean().item<double>();
}

// ---- (a) the tutorial's hand-written logistic regression ------------------------------------

Tensor log_softmax_by_hand(const Tensor& x) { return x - x.exp().sum(-1).log().unsqueeze(-1); }
Tensor nll_by_hand(const Tensor& p, const Tensor& y) { return -p.gather(1, y.unsqueeze(1)).mean(); }

// Test accuracy after each epoch.
std::vector<double> logistic_regression(const Split& train, const Split& test,
                                        const std::function<Tensor(const Tensor&)>& out, double lr, int epochs,
                                        int64_t bs) {
  tg::manual_seed(0);
  Tensor w = (tg::randn({784, 10}) / std::sqrt(784.0)).requires_grad_();  // Xavier, as the tutorial
  Tensor b = tg::zeros({10}, tg::requires_grad());
  const int64_t n = train.x.size(0);
  std::vector<double> acc;
  for (int e = 0; e < epochs; ++e) {
    for (int64_t i = 0; i + bs <= n; i += bs) {
      Tensor xb = train.x.narrow(0, i, bs), yb = train.y.narrow(0, i, bs);
      Tensor loss = nll_by_hand(out(xb.matmul(w) + b), yb);
      loss.backward();
      tg::NoGradGuard no_grad;  // the update is not part of the graph
      w.sub_(w.grad() * lr);
      b.sub_(b.grad() * lr);
      w.grad().zero_();
      b.grad().zero_();
    }
    tg::NoGradGuard no_grad;
    acc.push_back(accuracy(test.x.matmul(w) + b, test.y));
  }
  return acc;
}

std::string percents(const std::vector<double>& v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1);
  for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << 100 * v[i];
  return s.str() + "%";
}

// ---- (b) an MLP with each hidden activation --------------------------------------------------

struct Hidden {
  const char* name;
  std::function<nn::Sequential()> make;
};

template <typename Act> nn::Sequential mlp(Act act) {
  return nn::Sequential(nn::Linear(784, 128), act, nn::Linear(128, 10));
}

int main(int argc, char** argv) {
  const example::Args args = example::parse_args(argc, argv, "activation_comparison");
  bool real = false;
  auto [train, test] = load(args, real);
  if (args.quick) {  // a subset, one epoch: the smoke test
    train = head(train, 3000);
    test = head(test, 1000);
  }
  std::cout << (real ? "Fashion-MNIST" : "synthetic data") << ": " << train.x.size(0) << " training and "
            << test.x.size(0) << " test images\n\n";

  // (a) The tutorial's lr of 0.5 was for MNIST digits. Fashion-MNIST's images have more ink, so
  // the gradients are larger, and steps of 0.5 overshoot: test accuracy stops improving after
  // the first epoch and goes up and down. 0.1 improves at every epoch (both printed below).
  const double lr = 0.1;
  const int epochs_a = args.quick ? 1 : 3;
  std::cout << "(a) logistic regression 784 -> 10, hand-written loss, SGD lr " << lr << ", " << epochs_a
            << " epoch(s), batch 64:\n";
  const std::vector<std::pair<const char*, std::function<Tensor(const Tensor&)>>> outputs = {
      {"log_softmax + nll (cross-entropy)", log_softmax_by_hand},
      {"softmax + nll", [](const Tensor& x) { return tg::softmax(x, 1); }},
      {"sigmoid + nll", [](const Tensor& x) { return tg::sigmoid(x); }},
      {"tanh + nll", [](const Tensor& x) { return tg::tanh(x); }},
  };
  std::vector<double> cross_entropy_acc;
  bool best = true;
  for (const auto& [name, f] : outputs) {
    std::vector<double> acc = logistic_regression(train, test, f, lr, epochs_a, 64);
    if (cross_entropy_acc.empty())
      cross_entropy_acc = acc;
    else
      best = best && acc.back() < cross_entropy_acc.back();
    std::cout << "  " << std::left << std::setw(36) << name << std::fixed << std::setprecision(1) << 100 * acc.back()
              << "% test accuracy\n";
  }
  std::cout << "  log_softmax (the cross-entropy) is the best of the four: " << (best ? "yes" : "no") << "\n";
  std::cout << "  after each epoch, log_softmax: lr 0.1 " << percents(cross_entropy_acc) << ", lr 0.5 (the tutorial's) "
            << percents(logistic_regression(train, test, log_softmax_by_hand, 0.5, epochs_a, 64)) << "\n\n";

  // (b)
  const std::vector<Hidden> hidden = {
      {"relu", [] { return mlp(nn::ReLU()); }},
      {"leaky_relu", [] { return mlp(nn::LeakyReLU()); }},
      {"elu", [] { return mlp(nn::ELU()); }},
      {"selu", [] { return mlp(nn::SELU()); }},
      {"prelu", [] { return mlp(nn::PReLU()); }},
      {"silu", [] { return mlp(nn::SiLU()); }},
      {"swish", [] { return mlp(nn::Swish()); }},
      {"gelu", [] { return mlp(nn::GELU()); }},
      {"softplus", [] { return mlp(nn::Softplus()); }},
      {"mish", [] { return mlp(nn::Mish()); }},
      {"squareplus", [] { return mlp(nn::Squareplus()); }},
      {"smu", [] { return mlp(nn::SMU()); }},
      {"smu1", [] { return mlp(nn::SMU1()); }},
      {"maxout", [] { return nn::Sequential(nn::Linear(784, 256), nn::Maxout(2), nn::Linear(128, 10)); }},
      {"sigmoid", [] { return mlp(nn::Sigmoid()); }},
      {"tanh", [] { return mlp(nn::Tanh()); }},
  };
  const int epochs_b = args.quick ? 1 : 2;
  const int64_t bs = 64, log_every = args.quick ? 5 : 50;
  std::cout << "(b) MLP 784 -> 128 -> 10, Adam lr 1e-3, batch " << bs << ", " << epochs_b << " epoch(s):\n";
  std::cout << "  " << std::left << std::setw(12) << "hidden" << std::setw(16) << "test accuracy"
            << "time per epoch\n";
  tg::viz::Figure fig(1, 2);
  for (size_t k = 0; k < hidden.size(); ++k) {
    tg::manual_seed(0);
    nn::Sequential net = hidden[k].make();
    tg::optim::Adam opt(net->parameters(), tg::optim::AdamOptions(1e-3));
    std::vector<double> curve;
    double running = 0, seconds = 0;
    int64_t count = 0;
    const int64_t n = train.x.size(0);
    for (int e = 0; e < epochs_b; ++e) {
      const auto start = std::chrono::steady_clock::now();
      Tensor perm = tg::randperm(n);
      for (int64_t i = 0; i + bs <= n; i += bs) {
        Tensor idx = perm.narrow(0, i, bs);
        Tensor loss = tg::cross_entropy(net->forward(train.x.index_select(0, idx)), train.y.index_select(0, idx));
        opt.zero_grad();
        loss.backward();
        opt.step();
        running += loss.item<double>();
        if (++count % log_every == 0) {
          curve.push_back(running / static_cast<double>(log_every));
          running = 0;
        }
      }
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    tg::NoGradGuard no_grad;
    net->eval();
    const double acc = accuracy(net->forward(test.x), test.y);
    std::cout << "  " << std::setw(12) << hidden[k].name << std::setw(16) << std::setprecision(1) << 100 * acc
              << std::setprecision(2) << seconds / epochs_b << " s\n";
    Tensor steps = tg::arange(1, static_cast<int64_t>(curve.size()) + 1) * log_every;
    fig.axes(k < 8 ? 0 : 1).plot(steps, tg::tensor(curve), hidden[k].name);
  }
  for (int p = 0; p < 2; ++p)
    fig.axes(p)
        .set_title("training loss (mean over " + std::to_string(log_every) + " batches)")
        .set_xlabel("batch")
        .set_ylabel("cross-entropy")
        .set_ylim(0.2, 2.0)
        .legend()
        .grid();
  example::save(fig, args, "training_curves.png");
}
