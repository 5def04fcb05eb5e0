// Trains a multilayer perceptron on Fashion-MNIST (or any IDX dataset such as MNIST), prints
// progress, a per-epoch summary and the test set's confusion matrix, and saves the model.
//
//   fashion_mnist [--epochs 2] [--hidden 256] [--activation relu] [--lr 1e-3] [--batch-size 64]
//                 [--data /usr/share/datasets/fashion-mnist] [--save model.safetensors]
//                 [--load model.safetensors]
//
// With --load and --epochs 0 it only evaluates a saved model. When the dataset is missing it says
// how to install it and trains on a small synthetic dataset instead.
#include <tensorgrad/data/data.h>
#include <tensorgrad/nn/modules.h>
#include <tensorgrad/nn/serialize.h>
#include <tensorgrad/optim/optim.h>
#include <tensorgrad/tensorgrad.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

struct Args {
  int epochs = 2;
  int64_t hidden = 256;
  std::string activation = "relu";
  double lr = 1e-3;
  int64_t batch_size = 64;
  std::string data = "/usr/share/datasets/fashion-mnist";
  std::string save = "fashion_mnist.safetensors";
  std::string load;
};

void usage() {
  std::cout << "usage: fashion_mnist [--epochs N] [--hidden N] [--activation NAME] [--lr X] [--batch-size N]\n"
               "                     [--data DIR] [--save FILE] [--load FILE]\n"
               "activations: relu, leaky_relu, elu, selu, gelu, silu, mish, tanh, sigmoid, softplus, squareplus\n";
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw tg::Error("missing value for " + k);
      return argv[++i];
    };
    if (k == "--epochs") a.epochs = std::stoi(next());
    else if (k == "--hidden") a.hidden = std::stoll(next());
    else if (k == "--activation") a.activation = next();
    else if (k == "--lr") a.lr = std::stod(next());
    else if (k == "--batch-size") a.batch_size = std::stoll(next());
    else if (k == "--data") a.data = next();
    else if (k == "--save") a.save = next();
    else if (k == "--load") a.load = next();
    else if (k == "--help" || k == "-h") { usage(); std::exit(0); }
    else { usage(); throw tg::Error("unknown option " + k); }
  }
  return a;
}

tg::Tensor activate(const std::string& name, const tg::Tensor& x) {
  if (name == "relu") return tg::relu(x);
  if (name == "leaky_relu") return tg::leaky_relu(x);
  if (name == "elu") return tg::elu(x);
  if (name == "selu") return tg::selu(x);
  if (name == "gelu") return tg::gelu(x);
  if (name == "silu") return tg::silu(x);
  if (name == "mish") return tg::mish(x);
  if (name == "tanh") return tg::tanh(x);
  if (name == "sigmoid") return tg::sigmoid(x);
  if (name == "softplus") return tg::softplus(x);
  if (name == "squareplus") return tg::squareplus(x);
  throw tg::Error("unknown activation '" + name + "'");
}

struct MLPImpl : tg::nn::Module {
  MLPImpl(int64_t in, int64_t hidden, int64_t classes, std::string act)
      : tg::nn::Module("MLP"),
        fc1(register_module("fc1", tg::nn::Linear(in, hidden))),
        fc2(register_module("fc2", tg::nn::Linear(hidden, classes))),
        activation(std::move(act)) {}
  tg::Tensor forward(const tg::Tensor& x) { return fc2(activate(activation, fc1(x.flatten(1)))); }
  tg::nn::Linear fc1, fc2;
  std::string activation;
};
TG_MODULE(MLP);

// A small stand-in when the real data is absent: 10 classes, each a fixed random 28x28
// prototype, examples are prototypes plus noise.
std::pair<tg::data::TensorDataset, tg::data::TensorDataset> synthetic() {
  tg::manual_seed(1);
  auto protos = tg::rand({10, 1, 28, 28});
  auto make = [&](int64_t n) {
    auto labels = tg::randint(0, 10, {n});
    auto images = (protos.index_select(0, labels) + tg::randn({n, 1, 28, 28}) * 0.35).clamp(0.0, 1.0);
    return tg::data::TensorDataset(images, labels);
  };
  return {make(6000), make(1000)};
}

// Accuracy and confusion matrix of `model` on `ds`.
double evaluate(MLP& model, tg::data::TensorDataset& ds, int64_t batch_size, std::vector<std::vector<int64_t>>* confusion) {
  tg::NoGradGuard g;
  model->eval();
  tg::data::DataLoader loader(ds, tg::data::DataLoaderOptions(batch_size).shuffle(false));
  int64_t correct = 0, total = 0;
  if (confusion) confusion->assign(10, std::vector<int64_t>(10, 0));
  for (auto& batch : loader) {
    auto pred = model(batch.data).argmax(1);
    auto p = pred.tolist<int64_t>(), t = batch.target.tolist<int64_t>();
    for (size_t i = 0; i < p.size(); ++i) {
      correct += p[i] == t[i];
      if (confusion && t[i] >= 0 && t[i] < 10 && p[i] >= 0 && p[i] < 10) (*confusion)[t[i]][p[i]]++;
    }
    total += static_cast<int64_t>(p.size());
  }
  model->train();
  return total ? static_cast<double>(correct) / static_cast<double>(total) : 0.0;
}

const char* kFashionNames[10] = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat",
                                 "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Boot"};

void print_confusion(const std::vector<std::vector<int64_t>>& c, bool fashion) {
  std::printf("\nconfusion matrix of the test set (rows: true class, columns: predicted class)\n%10s", "");
  for (int j = 0; j < 10; ++j) std::printf("%6d", j);
  std::printf("\n");
  for (int i = 0; i < 10; ++i) {
    std::printf("%2d %-7s", i, fashion ? kFashionNames[i] : "");
    for (int j = 0; j < 10; ++j) std::printf("%6lld", static_cast<long long>(c[i][j]));
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) try {
  Args args = parse(argc, argv);
  tg::manual_seed(0);

  bool have_data = std::filesystem::exists(args.data + "/train-images-idx3-ubyte.gz") ||
                   std::filesystem::exists(args.data + "/train-images-idx3-ubyte");
  std::unique_ptr<tg::data::TensorDataset> train, test;
  bool fashion = args.data.find("fashion") != std::string::npos;
  if (have_data) {
    std::cout << "loading " << args.data << "\n";
    train = std::make_unique<tg::data::MNIST>(args.data, tg::data::MNIST::Mode::kTrain);
    test = std::make_unique<tg::data::MNIST>(args.data, tg::data::MNIST::Mode::kTest);
  } else {
    std::cout << "No dataset found in " << args.data << ".\n"
              << "Install Fashion-MNIST with:  sudo apt-get install dataset-fashion-mnist\n"
              << "(or pass --data DIR with train-/t10k- IDX files). Training on a small synthetic dataset instead.\n";
    auto [tr, te] = synthetic();
    train = std::make_unique<tg::data::TensorDataset>(tr);
    test = std::make_unique<tg::data::TensorDataset>(te);
    fashion = false;
  }
  int64_t features = train->data().numel() / train->data().size(0);
  std::cout << "train: " << train->size() << " examples, test: " << test->size() << " examples, " << features
            << " features\n";

  MLP model(features, args.hidden, 10, args.activation);
  if (!args.load.empty()) {
    tg::load(model, args.load);
    std::cout << "loaded " << args.load << "\n";
  }
  std::cout << *model << "\n";
  tg::optim::Adam optimizer(model->parameters(), tg::optim::AdamOptions(args.lr));
  tg::data::DataLoader loader(*train, tg::data::DataLoaderOptions(args.batch_size).shuffle(true).seed(0));

  for (int epoch = 1; epoch <= args.epochs; ++epoch) {
    auto t0 = std::chrono::steady_clock::now();
    double loss_sum = 0;
    int64_t correct = 0, seen = 0, b = 0;
    size_t batches = loader.size();
    for (auto& batch : loader) {
      auto logits = model(batch.data);
      auto loss = tg::cross_entropy(logits, batch.target);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      int64_t n = batch.target.size(0);
      loss_sum += loss.item<double>() * static_cast<double>(n);
      correct += (logits.argmax(1) == batch.target).sum().item<int64_t>();
      seen += n;
      ++b;
      if (b % 50 == 0 || b == static_cast<int64_t>(batches)) {
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("\repoch %d  batch %4lld/%zu  loss %.4f  accuracy %5.2f%%  %7.0f samples/s", epoch,
                    static_cast<long long>(b), batches, loss_sum / static_cast<double>(seen),
                    100.0 * static_cast<double>(correct) / static_cast<double>(seen), static_cast<double>(seen) / secs);
        std::fflush(stdout);
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double test_acc = evaluate(model, *test, 1000, nullptr);
    std::printf("\nepoch %d done in %.1fs: train loss %.4f, train accuracy %.2f%%, test accuracy %.2f%%\n", epoch, secs,
                loss_sum / static_cast<double>(seen), 100.0 * static_cast<double>(correct) / static_cast<double>(seen),
                100.0 * test_acc);
  }

  std::vector<std::vector<int64_t>> confusion;
  double acc = evaluate(model, *test, 1000, &confusion);
  print_confusion(confusion, fashion);
  std::printf("\ntest accuracy: %.2f%%\n", 100.0 * acc);
  if (args.epochs > 0 && !args.save.empty()) {
    tg::save(model, args.save);
    std::cout << "saved the model to " << args.save << " (evaluate it again with --load " << args.save
              << " --epochs 0 --hidden " << args.hidden << " --activation " << args.activation << ")\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
