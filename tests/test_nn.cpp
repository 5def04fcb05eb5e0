// Tests of tg::nn: the Module API (registration, names, traversal, train/eval, zero_grad, to,
// printing), module holders and TG_MODULE, Sequential, the layers' behaviour (Dropout,
// BatchNorm1d, MaxoutLinear, ...), the activation modules, tg::nn::init, a small end-to-end
// training, and the error messages. Numerical agreement with PyTorch is in test_nn_reference.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <tensorgrad/nn/functional.h>
#include <tensorgrad/nn/init.h>
#include <tensorgrad/nn/module.h>
#include <tensorgrad/nn/modules.h>
#include <tensorgrad/tensorgrad.h>

// A user module, as the README shows it (global namespace, so that it prints as "NetImpl").
struct NetImpl : tg::nn::Module {
  NetImpl()
      : fc1(register_module("fc1", tg::nn::Linear(4, 8))),
        bn(register_module("bn", tg::nn::BatchNorm1d(8))),
        seq(register_module("seq", tg::nn::Sequential(tg::nn::Linear(8, 8), tg::nn::ReLU(), tg::nn::Dropout(0.25)))),
        fc2(register_module("fc2", tg::nn::Linear(tg::nn::LinearOptions(8, 2).bias(false)))) {}
  tg::Tensor forward(const tg::Tensor& x) { return fc2(seq(bn(fc1(x)))); }
  tg::nn::Linear fc1;
  tg::nn::BatchNorm1d bn;
  tg::nn::Sequential seq;
  tg::nn::Linear fc2;
};
TG_MODULE(Net);

// A user module that assigns an empty holder in its constructor body, and owns a parameter and
// a buffer of its own.
struct ScaleImpl : tg::nn::Module {
  ScaleImpl() {
    fc = register_module("fc", tg::nn::Linear(3, 2));
    scale = register_parameter("scale", tg::ones({2}));
    count = register_buffer("count", tg::zeros({1}));
  }
  tg::Tensor forward(const tg::Tensor& x) { return fc(x) * scale; }
  tg::nn::Linear fc{nullptr};
  tg::Tensor scale, count;
};
TG_MODULE(Scale);

namespace {

using tg::Tensor;
namespace nn = tg::nn;
namespace init = tg::nn::init;

std::vector<double> vals(const Tensor& t) { return t.to(tg::kFloat64).contiguous().tolist<double>(); }
double max_abs(const Tensor& t) {
  double m = 0;
  for (double v : vals(t)) m = std::max(m, std::abs(v));
  return m;
}
double mean_of(const Tensor& t) {
  double s = 0;
  auto v = vals(t);
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}
double std_of(const Tensor& t) {
  double m = mean_of(t), s = 0;
  auto v = vals(t);
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}
std::vector<int64_t> shape_of(const Tensor& t) { return std::vector<int64_t>(t.sizes().begin(), t.sizes().end()); }

/// Runs f, which must throw tg::Error whose message contains every one of `parts`.
void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
  } catch (const tg::Error& e) {
    std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "message '" << msg << "' lacks '" << p << "'";
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a non-tg::Error: " << e.what();
    return;
  }
  ADD_FAILURE() << "did not throw";
}

std::string print(const nn::Module& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

// ---- registration and names ------------------------------------------------------------------

TEST(Module, RegisterModuleReturnsTheHolderItWasGiven) {
  struct M : nn::Module {
    M() {
      nn::Linear given(2, 3);
      nn::Linear got = register_module("fc", given);
      EXPECT_EQ(got.ptr(), given.ptr());
      auto raw = std::make_shared<nn::LinearImpl>(3, 1);
      auto got_raw = register_module("raw", raw);
      EXPECT_EQ(got_raw, raw);
    }
  };
  auto m = std::make_shared<M>();
  auto ch = m->named_children();
  ASSERT_EQ(ch.size(), 2u);
  EXPECT_EQ(ch.keys(), (std::vector<std::string>{"fc", "raw"}));
}

TEST(Module, RegisterParameterAndBuffer) {
  nn::Module m;
  Tensor w = tg::randn({2, 3});
  Tensor& stored = m.register_parameter("w", w);
  EXPECT_TRUE(stored.is_same(w));  // shares the tensor, as libtorch
  EXPECT_TRUE(stored.requires_grad());
  EXPECT_TRUE(stored.is_leaf());
  Tensor& frozen = m.register_parameter("frozen", tg::zeros({2}), /*requires_grad=*/false);
  EXPECT_FALSE(frozen.requires_grad());
  Tensor& b = m.register_buffer("stat", tg::zeros({3}));
  EXPECT_FALSE(b.requires_grad());
  EXPECT_EQ(m.named_parameters().keys(), (std::vector<std::string>{"w", "frozen"}));
  EXPECT_EQ(m.named_buffers().keys(), (std::vector<std::string>{"stat"}));
  EXPECT_EQ(m.parameters().size(), 2u);
  EXPECT_EQ(m.buffers().size(), 1u);

  // a non-leaf becomes a leaf parameter
  Tensor a = tg::ones({2}, tg::requires_grad());
  Tensor& p = m.register_parameter("derived", a * 2);
  EXPECT_TRUE(p.is_leaf());
  EXPECT_TRUE(p.requires_grad());
  EXPECT_EQ(vals(p), (std::vector<double>{2, 2}));
}

TEST(Module, NamedParametersUseDottedNamesInRegistrationOrder) {
  Net net;
  EXPECT_EQ(net->named_parameters().keys(), (std::vector<std::string>{"fc1.weight", "fc1.bias", "bn.weight", "bn.bias",
                                                                      "seq.0.weight", "seq.0.bias", "fc2.weight"}));
  EXPECT_EQ(net->named_buffers().keys(),
            (std::vector<std::string>{"bn.running_mean", "bn.running_var", "bn.num_batches_tracked"}));
  // parameters() is the same tensors in the same order
  auto params = net->parameters();
  ASSERT_EQ(params.size(), 7u);
  EXPECT_TRUE(params[0].is_same(net->fc1->weight));
  EXPECT_TRUE(params[1].is_same(net->fc1->bias));
  EXPECT_TRUE(params[2].is_same(net->bn->weight));
  EXPECT_TRUE(params[4].is_same(net->seq->at<nn::LinearImpl>(0).weight));
  EXPECT_TRUE(params[6].is_same(net->fc2->weight));
  EXPECT_TRUE(net->named_parameters()["seq.0.bias"].is_same(net->seq->at<nn::LinearImpl>(0).bias));
  // not recursive: the net has none of its own
  EXPECT_TRUE(net->parameters(false).empty());
  EXPECT_TRUE(net->named_buffers(false).is_empty());

  Scale s;
  EXPECT_EQ(s->named_parameters().keys(), (std::vector<std::string>{"scale", "fc.weight", "fc.bias"}));
  EXPECT_EQ(s->named_parameters(false).keys(), (std::vector<std::string>{"scale"}));
  EXPECT_EQ(s->named_buffers().keys(), (std::vector<std::string>{"count"}));
}

TEST(Module, ChildrenAndModules) {
  Net net;
  auto children = net->children();
  ASSERT_EQ(children.size(), 4u);
  EXPECT_EQ(children[0], std::static_pointer_cast<nn::Module>(net->fc1.ptr()));
  EXPECT_EQ(children[1], std::static_pointer_cast<nn::Module>(net->bn.ptr()));
  EXPECT_EQ(children[2], std::static_pointer_cast<nn::Module>(net->seq.ptr()));
  EXPECT_EQ(children[3], std::static_pointer_cast<nn::Module>(net->fc2.ptr()));
  EXPECT_EQ(net->named_children().keys(), (std::vector<std::string>{"fc1", "bn", "seq", "fc2"}));

  auto all = net->modules();
  std::vector<std::string> names;
  for (auto& m : all) names.push_back(m->name());
  EXPECT_EQ(names, (std::vector<std::string>{"NetImpl", "tg::nn::Linear", "tg::nn::BatchNorm1d", "tg::nn::Sequential",
                                             "tg::nn::Linear", "tg::nn::ReLU", "tg::nn::Dropout", "tg::nn::Linear"}));
  EXPECT_EQ(all[0].get(), net.get());
  EXPECT_EQ(net->modules(/*include_self=*/false).size(), 7u);
  EXPECT_EQ(net->modules(false)[0].get(), net->fc1.get());

  // a module on the stack can list its submodules, but cannot return itself as a shared_ptr
  nn::Module plain;
  plain.register_module("fc", nn::Linear(2, 2));
  EXPECT_EQ(plain.modules(/*include_self=*/false).size(), 1u);
  expect_error([&] { plain.modules(); }, {"std::shared_ptr", "include_self"});
}

TEST(Module, ReplaceModuleKeepsThePosition) {
  Net net;
  nn::Linear wider = net->replace_module("fc1", nn::Linear(4, 8));
  EXPECT_EQ(net->named_children().keys(), (std::vector<std::string>{"fc1", "bn", "seq", "fc2"}));
  EXPECT_EQ(net->children()[0], std::static_pointer_cast<nn::Module>(wider.ptr()));
  EXPECT_TRUE(net->named_parameters()["fc1.weight"].is_same(wider->weight));
}

TEST(Module, TrainEvalPropagate) {
  Net net;
  EXPECT_TRUE(net->is_training());
  for (auto& m : net->modules()) EXPECT_TRUE(m->is_training());
  net->eval();
  EXPECT_FALSE(net->is_training());
  for (auto& m : net->modules()) EXPECT_FALSE(m->is_training()) << m->name();
  net->train();
  for (auto& m : net->modules()) EXPECT_TRUE(m->is_training()) << m->name();
  net->train(false);
  EXPECT_FALSE(net->seq[2]->is_training());
  // a submodule can be switched alone
  net->train();
  net->bn->eval();
  EXPECT_TRUE(net->is_training());
  EXPECT_FALSE(net->bn->is_training());
}

TEST(Module, ZeroGrad) {
  tg::manual_seed(3);
  Net net;
  Tensor x = tg::randn({5, 4});
  net(x).sum().backward();
  for (auto& p : net->named_parameters()) ASSERT_TRUE(p.value().grad().defined()) << p.key();

  net->zero_grad(/*set_to_none=*/false);
  for (auto& p : net->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_EQ(max_abs(p.value().grad()), 0.0) << p.key();
  }
  // gradients accumulate into the zeroed tensors
  net(x).sum().backward();
  EXPECT_GT(max_abs(net->fc1->weight.grad()), 0.0);

  net->zero_grad();  // set_to_none by default, as libtorch
  for (auto& p : net->named_parameters()) EXPECT_FALSE(p.value().grad().defined()) << p.key();
  // and a module whose parameters never had gradients is fine
  nn::Linear fresh(2, 2);
  fresh->zero_grad();
  fresh->zero_grad(false);
  EXPECT_FALSE(fresh->weight.grad().defined());
}

TEST(Module, ToConvertsParametersAndBuffersInPlace) {
  tg::manual_seed(4);
  Net net;
  Tensor w_before = net->fc1->weight.to(tg::kFloat64);
  Tensor w = net->fc1->weight;              // a handle taken before the conversion
  net(tg::randn({5, 4})).sum().backward();  // updates the running statistics, makes gradients
  Tensor rm_before = net->bn->running_mean.to(tg::kFloat64);
  ASSERT_EQ(net->fc1->weight.grad().dtype(), tg::kFloat32);

  net->to(tg::kFloat64);
  for (auto& p : net->named_parameters()) EXPECT_EQ(p.value().dtype(), tg::kFloat64) << p.key();
  for (auto& p : net->parameters()) EXPECT_TRUE(p.requires_grad() && p.is_leaf());
  EXPECT_EQ(net->bn->running_mean.dtype(), tg::kFloat64);
  EXPECT_EQ(net->bn->running_var.dtype(), tg::kFloat64);
  EXPECT_EQ(net->bn->num_batches_tracked.dtype(), tg::kInt64);  // integer buffers stay
  // the holders' members and earlier handles see the change: it happened in place
  EXPECT_EQ(net->fc1->weight.dtype(), tg::kFloat64);
  EXPECT_EQ(net->seq->at<nn::LinearImpl>(0).weight.dtype(), tg::kFloat64);
  EXPECT_EQ(w.dtype(), tg::kFloat64);
  EXPECT_TRUE(tg::equal(net->fc1->weight, w_before));
  EXPECT_TRUE(tg::equal(net->bn->running_mean, rm_before));
  EXPECT_EQ(net->fc1->weight.grad().dtype(), tg::kFloat64);

  // training in float64 works, and updates the same tensors
  net->zero_grad();
  Tensor out = net(tg::randn({5, 4}, tg::kFloat64));
  EXPECT_EQ(out.dtype(), tg::kFloat64);
  out.sum().backward();
  EXPECT_EQ(net->fc1->weight.grad().dtype(), tg::kFloat64);
  EXPECT_EQ(net->bn->num_batches_tracked.item<int64_t>(), 2);

  net->to(tg::kFloat32);
  EXPECT_EQ(net->fc2->weight.dtype(), tg::kFloat32);
  EXPECT_TRUE(tg::allclose(net->fc1->weight.to(tg::kFloat64), w_before, 1e-6, 1e-7));

  expect_error([&] { net->to(tg::kInt64); }, {"Module::to", "int64"});
}

// ---- printing ------------------------------------------------------------------------------------

TEST(Module, PrintsTheModuleTree) {
  Net net;
  EXPECT_EQ(print(*net),
            "NetImpl(\n"
            "  (fc1): tg::nn::Linear(in_features=4, out_features=8, bias=true)\n"
            "  (bn): tg::nn::BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)\n"
            "  (seq): tg::nn::Sequential(\n"
            "    (0): tg::nn::Linear(in_features=8, out_features=8, bias=true)\n"
            "    (1): tg::nn::ReLU()\n"
            "    (2): tg::nn::Dropout(p=0.25, inplace=false)\n"
            "  )\n"
            "  (fc2): tg::nn::Linear(in_features=8, out_features=2, bias=false)\n"
            ")");
  std::ostringstream os;
  os << net;  // the holder prints its module
  EXPECT_EQ(os.str(), print(*net));
  EXPECT_EQ(print(*nn::Linear(3, 1)), "tg::nn::Linear(in_features=3, out_features=1, bias=true)");
  EXPECT_EQ(print(*nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2))), "tg::nn::LeakyReLU(negative_slope=0.2)");
  EXPECT_EQ(print(*nn::Sequential()), "tg::nn::Sequential");
}

// ---- holders -----------------------------------------------------------------------------------

TEST(ModuleHolder, EmptyHolderThrowsOnUse) {
  nn::Linear fc{nullptr};
  EXPECT_TRUE(fc.is_empty());
  EXPECT_FALSE(static_cast<bool>(fc));
  expect_error([&] { fc->forward(tg::ones({1, 2})); }, {"Accessing empty ModuleHolder"});
  expect_error([&] { fc(tg::ones({1, 2})); }, {"Accessing empty ModuleHolder"});
  expect_error([&] { (void)*fc; }, {"Accessing empty ModuleHolder"});
  fc = nn::Linear(2, 3);
  EXPECT_FALSE(fc.is_empty());
  EXPECT_EQ(shape_of(fc(tg::ones({1, 2}))), (std::vector<int64_t>{1, 3}));
}

TEST(ModuleHolder, CallOperatorCallsForwardAndCopiesShare) {
  nn::Linear fc(3, 2);
  Tensor x = tg::randn({4, 3});
  EXPECT_TRUE(tg::equal(fc(x), fc->forward(x)));
  EXPECT_TRUE(tg::equal(fc(x), tg::linear(x, fc->weight, fc->bias)));
  nn::Linear alias = fc;  // holders share their module, as shared_ptr
  EXPECT_EQ(alias.get(), fc.get());
  EXPECT_EQ(alias->options.in_features(), 3);
  EXPECT_EQ((*fc).options.out_features(), 2);
  // a holder from a shared_ptr
  auto impl = std::make_shared<nn::LinearImpl>(nn::LinearOptions(3, 2).bias(false));
  nn::Linear from_ptr(impl);
  EXPECT_EQ(from_ptr.get(), impl.get());
  EXPECT_FALSE(from_ptr->bias.defined());
}

TEST(ModuleHolder, UserModuleThroughMakeSharedAndTgModule) {
  tg::manual_seed(5);
  auto raw = std::make_shared<NetImpl>();
  Tensor x = tg::randn({6, 4});
  EXPECT_EQ(shape_of(raw->forward(x)), (std::vector<int64_t>{6, 2}));
  Net net(raw);
  EXPECT_EQ(net.get(), raw.get());
  Net other;  // default-constructs a NetImpl
  EXPECT_NE(other.get(), raw.get());
  EXPECT_EQ(shape_of(other(x)), (std::vector<int64_t>{6, 2}));
  Net empty{nullptr};
  EXPECT_TRUE(empty.is_empty());
  expect_error([&] { empty(x); }, {"Accessing empty ModuleHolder"});

  // a user module holding another user module
  struct Outer : nn::Module {
    Outer() : inner(register_module("inner", std::make_shared<NetImpl>())) {}
    std::shared_ptr<NetImpl> inner;
  };
  auto outer = std::make_shared<Outer>();
  EXPECT_EQ(outer->named_parameters().keys()[4], "inner.seq.0.weight");
  Scale s;
  EXPECT_EQ(shape_of(s(tg::randn({2, 3}))), (std::vector<int64_t>{2, 2}));
}

// ---- Sequential --------------------------------------------------------------------------------

TEST(Sequential, VariadicPushBackIndexingAndAt) {
  tg::manual_seed(6);
  nn::Sequential seq(nn::Linear(3, 5), nn::Tanh(), nn::Linear(5, 2));
  EXPECT_EQ(seq->size(), 3u);
  Tensor x = tg::randn({4, 3});
  auto& l0 = seq->at<nn::LinearImpl>(0);
  auto& l2 = seq->at<nn::LinearImpl>(2);
  Tensor expected = tg::linear(tg::tanh(tg::linear(x, l0.weight, l0.bias)), l2.weight, l2.bias);
  EXPECT_TRUE(tg::equal(seq(x), expected));
  EXPECT_TRUE(tg::equal(seq->forward(x), expected));
  EXPECT_EQ(seq[1]->name(), "tg::nn::Tanh");
  EXPECT_EQ((*seq)[2].get(), &l2);
  EXPECT_EQ(seq->ptr(0).get(), &l0);

  // push_back: a holder, a shared_ptr, a module value
  seq->push_back(nn::ReLU());
  seq->push_back(std::make_shared<nn::LinearImpl>(2, 3));
  seq->push_back(nn::SigmoidImpl());
  EXPECT_EQ(seq->size(), 6u);
  EXPECT_EQ(seq->named_children().keys(), (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
  auto& l4 = seq->at<nn::LinearImpl>(4);
  Tensor expected2 = tg::sigmoid(tg::linear(tg::relu(expected), l4.weight, l4.bias));
  EXPECT_TRUE(tg::equal(seq(x), expected2));
  EXPECT_EQ(seq->named_parameters().keys(),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}));

  // empty, then built up; nested Sequentials
  nn::Sequential empty;
  EXPECT_TRUE(empty->is_empty());
  // as libtorch's: an empty Sequential has no result to return
  expect_error([&] { empty(x); }, {"Cannot call forward() on an empty Sequential"});
  nn::Sequential outer(seq, nn::Identity());
  EXPECT_TRUE(tg::equal(outer(x), expected2));
  EXPECT_EQ(outer->named_parameters().keys()[0], "0.0.weight");
}

// ---- layers ------------------------------------------------------------------------------------

TEST(Layers, FlattenAndIdentity) {
  Tensor x = tg::randn({2, 3, 4, 5});
  EXPECT_EQ(shape_of(nn::Flatten()(x)), (std::vector<int64_t>{2, 60}));
  EXPECT_EQ(shape_of(nn::Flatten(nn::FlattenOptions().start_dim(2))(x)), (std::vector<int64_t>{2, 3, 20}));
  EXPECT_EQ(shape_of(nn::Flatten(nn::FlattenOptions().start_dim(0).end_dim(1))(x)), (std::vector<int64_t>{6, 4, 5}));
  EXPECT_TRUE(tg::equal(nn::Flatten()(x), x.reshape({2, 60})));
  EXPECT_TRUE(nn::Identity()(x).is_same(x));
  EXPECT_TRUE(nn::Flatten()->parameters().empty());
}

TEST(Layers, LinearShapesAndNoBias) {
  nn::Linear fc(4, 3);
  EXPECT_EQ(shape_of(fc->weight), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(shape_of(fc->bias), (std::vector<int64_t>{3}));
  EXPECT_EQ(fc->weight.dtype(), tg::kFloat32);
  EXPECT_EQ(shape_of(fc(tg::randn({2, 5, 4}))), (std::vector<int64_t>{2, 5, 3}));
  EXPECT_EQ(shape_of(fc(tg::randn({4}))), (std::vector<int64_t>{3}));
  nn::Linear nob(nn::LinearOptions(4, 3).bias(false));
  EXPECT_FALSE(nob->bias.defined());
  EXPECT_EQ(nob->parameters().size(), 1u);
  Tensor x = tg::randn({2, 4});
  EXPECT_TRUE(tg::equal(nob(x), tg::matmul(x, nob->weight.t())));

  // zero-sized layers are valid, as in PyTorch: Linear(0, 3) maps to its bias (which is 0)
  nn::Linear none_in(0, 3);
  EXPECT_EQ(shape_of(none_in->weight), (std::vector<int64_t>{3, 0}));
  Tensor y0 = none_in(tg::zeros({2, 0}));
  EXPECT_EQ(shape_of(y0), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(max_abs(y0), 0.0);
  nn::Linear none_out(3, 0);
  EXPECT_EQ(shape_of(none_out(tg::ones({2, 3}))), (std::vector<int64_t>{2, 0}));
  Tensor e = tg::empty({0, 5});
  EXPECT_TRUE(init::kaiming_uniform_(e).is_same(e));
  EXPECT_TRUE(init::kaiming_normal_(e).is_same(e));
}

TEST(Layers, DropoutTrainStatisticsAndEvalIdentity) {
  tg::manual_seed(7);
  const int64_t n = 200000;
  for (double p : {0.3, 0.5, 0.8}) {
    SCOPED_TRACE("p = " + std::to_string(p));
    nn::Dropout drop(p);
    EXPECT_TRUE(drop->is_training());
    Tensor x = tg::ones({n}, tg::requires_grad());
    Tensor y = drop(x);
    auto v = vals(y);
    int64_t zeros = 0;
    const double scale = 1.0 / (1.0 - p);
    for (double e : v) {
      if (e == 0) {
        ++zeros;
      } else {
        ASSERT_NEAR(e, scale, 1e-6 * scale);  // kept values are scaled by 1/(1-p)
      }
    }
    double frac = static_cast<double>(zeros) / static_cast<double>(n);
    // standard error sqrt(p(1-p)/n) <= 0.0012: 0.01 is more than 8 of them
    EXPECT_NEAR(frac, p, 0.01);
    // the mean is preserved in expectation
    EXPECT_NEAR(mean_of(y), 1.0, 0.03);
    // gradient: the same mask and scale
    y.sum().backward();
    EXPECT_TRUE(tg::equal(x.grad(), y.detach()));
    // two calls draw different masks
    EXPECT_FALSE(tg::equal(drop(x), y));

    drop->eval();
    Tensor z = tg::randn({1000});
    EXPECT_TRUE(tg::equal(drop(z), z));
  }
  nn::Dropout none(0.0);
  Tensor z = tg::randn({100});
  EXPECT_TRUE(tg::equal(none(z), z));
  nn::Dropout all(1.0);
  EXPECT_EQ(max_abs(all(z)), 0.0);
  // the default is p = 0.5
  EXPECT_EQ(nn::Dropout()->options.p(), 0.5);
}

TEST(Layers, BatchNorm1dTrainUsesBatchStatisticsAndUpdatesBuffers) {
  tg::manual_seed(8);
  nn::BatchNorm1d bn(3);
  EXPECT_EQ(vals(bn->weight), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(vals(bn->bias), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(vals(bn->running_mean), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(vals(bn->running_var), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 0);
  bn->to(tg::kFloat64);

  const int64_t N = 64;
  Tensor x = tg::randn({N, 3}, tg::kFloat64) * 2 + 5;
  Tensor y = bn(x);
  Tensor m = x.mean({0});
  Tensor d = x - m;
  Tensor var_b = (d * d).mean({0});
  Tensor var_u = var_b * (static_cast<double>(N) / (N - 1));
  // normalised with the batch mean and the biased variance
  EXPECT_TRUE(tg::allclose(y, d / tg::sqrt(var_b + 1e-5), 1e-12, 1e-12));
  EXPECT_LT(max_abs(y.mean({0})), 1e-12);
  // running statistics: momentum 0.1, unbiased variance
  EXPECT_TRUE(tg::allclose(bn->running_mean, m * 0.1, 1e-12, 1e-12));
  EXPECT_TRUE(tg::allclose(bn->running_var, var_u * 0.1 + 0.9, 1e-12, 1e-12));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 1);

  // eval: the running statistics, and the buffers stay
  bn->eval();
  Tensor rm = bn->running_mean.clone(), rv = bn->running_var.clone();
  Tensor x2 = tg::randn({5, 3}, tg::kFloat64);
  {
    tg::NoGradGuard g;
    bn->weight.copy_(tg::tensor({0.5, 2.0, -1.0}, tg::kFloat64));
    bn->bias.copy_(tg::tensor({0.1, 0.2, 0.3}, tg::kFloat64));
  }
  Tensor y2 = bn(x2);
  EXPECT_TRUE(tg::allclose(y2, (x2 - rm) / tg::sqrt(rv + 1e-5) * bn->weight + bn->bias, 1e-12, 1e-12));
  EXPECT_TRUE(tg::equal(bn->running_mean, rm));
  EXPECT_TRUE(tg::equal(bn->running_var, rv));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 1);
  // eval works with a batch of one
  EXPECT_EQ(shape_of(bn(tg::randn({1, 3}, tg::kFloat64))), (std::vector<int64_t>{1, 3}));

  // reset_running_stats
  bn->reset_running_stats();
  EXPECT_EQ(vals(bn->running_mean), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(vals(bn->running_var), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 0);
}

TEST(Layers, BatchNorm1dOnNCLAndOptions) {
  tg::manual_seed(9);
  nn::BatchNorm1d bn(nn::BatchNormOptions(2).momentum(0.5));
  bn->to(tg::kFloat64);
  Tensor x = tg::randn({4, 2, 6}, tg::kFloat64) + 1;
  Tensor y = bn(x);
  Tensor m = x.mean({0, 2}, true);
  Tensor var_b = ((x - m) * (x - m)).mean({0, 2}, true);
  EXPECT_TRUE(tg::allclose(y, (x - m) / tg::sqrt(var_b + 1e-5), 1e-12, 1e-12));
  EXPECT_TRUE(tg::allclose(bn->running_mean, m.reshape({2}) * 0.5, 1e-12, 1e-12));
  EXPECT_TRUE(tg::allclose(bn->running_var, var_b.reshape({2}) * (24.0 / 23.0) * 0.5 + 0.5, 1e-12, 1e-12));

  // no affine parameters
  nn::BatchNorm1d plain(nn::BatchNormOptions(2).affine(false));
  EXPECT_TRUE(plain->parameters().empty());
  EXPECT_EQ(plain->buffers().size(), 3u);
  // no running statistics: no buffers, and batch statistics in eval too
  nn::BatchNorm1d nostats(nn::BatchNormOptions(2).track_running_stats(false));
  EXPECT_TRUE(nostats->buffers().empty());
  nostats->to(tg::kFloat64);
  nostats->eval();
  EXPECT_TRUE(tg::allclose(nostats(x), (x - m) / tg::sqrt(var_b + 1e-5), 1e-12, 1e-12));
}

TEST(Layers, LayerNormEmbeddingCells) {
  tg::manual_seed(10);
  nn::LayerNorm ln(nn::LayerNormOptions({4}));
  EXPECT_EQ(ln->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  Tensor x = tg::randn({3, 4}, tg::kFloat64) * 3 + 1;
  ln->to(tg::kFloat64);
  Tensor y = ln(x);
  EXPECT_LT(max_abs(y.mean({1})), 1e-12);
  EXPECT_NEAR(mean_of((y * y).mean({1})), 1.0, 1e-4);
  nn::LayerNorm plain(nn::LayerNormOptions({3, 4}).elementwise_affine(false));
  EXPECT_TRUE(plain->parameters().empty());
  Tensor x34 = tg::randn({2, 3, 4}, tg::kFloat64);
  Tensor m34 = x34.mean({1, 2}, true);
  Tensor v34 = ((x34 - m34) * (x34 - m34)).mean({1, 2}, true);
  EXPECT_TRUE(tg::allclose(plain(x34), (x34 - m34) / tg::sqrt(v34 + 1e-5), 1e-12, 1e-12));

  nn::Embedding emb(10, 3);
  EXPECT_EQ(shape_of(emb->weight), (std::vector<int64_t>{10, 3}));
  Tensor idx = tg::tensor({{1, 2, 3}, {9, 9, 0}});
  Tensor e = emb(idx);
  EXPECT_EQ(shape_of(e), (std::vector<int64_t>{2, 3, 3}));
  EXPECT_TRUE(tg::equal(e[1][0], emb->weight[9]));

  nn::LSTMCell lstm(3, 5);
  auto [h, c] = lstm(tg::randn({2, 3}));
  EXPECT_EQ(shape_of(h), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(shape_of(c), (std::vector<int64_t>{2, 5}));
  EXPECT_LT(max_abs(h), 1.0);  // o * tanh(c'), both in (-1, 1)
  EXPECT_EQ(shape_of(lstm->weight_ih), (std::vector<int64_t>{20, 3}));
  EXPECT_EQ(shape_of(lstm->weight_hh), (std::vector<int64_t>{20, 5}));
  EXPECT_LE(max_abs(lstm->weight_hh), 1.0 / std::sqrt(5.0));
  nn::LSTMCell nob(nn::LSTMCellOptions(3, 5).bias(false));
  EXPECT_EQ(nob->parameters().size(), 2u);
  auto [h2, c2] = nob(tg::randn({2, 3}), std::make_tuple(h, c));
  EXPECT_EQ(shape_of(c2), (std::vector<int64_t>{2, 5}));

  nn::GRUCell gru(3, 4);
  Tensor hg = gru(tg::randn({2, 3}));
  EXPECT_EQ(shape_of(hg), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(shape_of(gru->weight_ih), (std::vector<int64_t>{12, 3}));
  EXPECT_EQ(shape_of(gru(tg::randn({2, 3}), hg)), (std::vector<int64_t>{2, 4}));
}

TEST(Layers, MaxoutLinear) {
  tg::manual_seed(11);
  nn::MaxoutLinear m(4, 3, 2);
  EXPECT_EQ(m->named_parameters().keys(), (std::vector<std::string>{"linear.weight", "linear.bias"}));
  EXPECT_EQ(shape_of(m->linear->weight), (std::vector<int64_t>{6, 4}));
  Tensor x = tg::randn({5, 4});
  Tensor y = m(x);
  EXPECT_EQ(shape_of(y), (std::vector<int64_t>{5, 3}));
  Tensor z = m->linear(x);
  // the maximum over groups of 2 consecutive outputs
  EXPECT_TRUE(tg::equal(y, tg::maximum(z.reshape({5, 3, 2}).select(2, 0), z.reshape({5, 3, 2}).select(2, 1))));
  y.sum().backward();
  EXPECT_TRUE(m->linear->weight.grad().defined());
  EXPECT_EQ(shape_of(nn::MaxoutLinear(4, 3, 1)(x)), (std::vector<int64_t>{5, 3}));
}

// ---- activation modules ----------------------------------------------------------------------

TEST(Activations, EveryModuleEqualsItsFunctionalOp) {
  tg::manual_seed(12);
  Tensor x = tg::randn({3, 4, 6}) * 3;
  auto same = [&](const std::string& what, const Tensor& a, const Tensor& b) { EXPECT_TRUE(tg::equal(a, b)) << what; };
  same("ReLU", nn::ReLU()(x), tg::relu(x));
  same("ReLU6", nn::ReLU6()(x), tg::relu6(x));
  same("SELU", nn::SELU()(x), tg::selu(x));
  same("SiLU", nn::SiLU()(x), tg::silu(x));
  same("Mish", nn::Mish()(x), tg::mish(x));
  same("Sigmoid", nn::Sigmoid()(x), tg::sigmoid(x));
  same("Tanh", nn::Tanh()(x), tg::tanh(x));
  same("Hardsigmoid", nn::Hardsigmoid()(x), tg::hardsigmoid(x));
  same("Hardswish", nn::Hardswish()(x), tg::hardswish(x));
  same("LogSigmoid", nn::LogSigmoid()(x), tg::logsigmoid(x));
  same("Softsign", nn::Softsign()(x), tg::softsign(x));
  same("LeakyReLU", nn::LeakyReLU()(x), tg::leaky_relu(x, 0.01));
  same("LeakyReLU(0.2)", nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2))(x), tg::leaky_relu(x, 0.2));
  same("ELU", nn::ELU()(x), tg::elu(x));
  same("ELU(0.5)", nn::ELU(nn::ELUOptions().alpha(0.5))(x), tg::elu(x, 0.5));
  same("CELU(2)", nn::CELU(nn::CELUOptions().alpha(2.0))(x), tg::celu(x, 2.0));
  same("GELU", nn::GELU()(x), tg::gelu(x));
  same("GELU(tanh)", nn::GELU(nn::GELUOptions().approximate("tanh"))(x), tg::gelu(x, "tanh"));
  same("Softplus", nn::Softplus()(x), tg::softplus(x));
  same("Softplus(2, 5)", nn::Softplus(nn::SoftplusOptions().beta(2).threshold(5))(x), tg::softplus(x, 2, 5));
  same("Hardtanh", nn::Hardtanh(nn::HardtanhOptions().min_val(-2).max_val(3))(x), tg::hardtanh(x, -2, 3));
  same("Squareplus", nn::Squareplus()(x), tg::squareplus(x));
  same("Squareplus(1)", nn::Squareplus(nn::SquareplusOptions().b(1))(x), tg::squareplus(x, 1));
  same("Softmax", nn::Softmax(1)(x), tg::softmax(x, 1));
  same("LogSoftmax", nn::LogSoftmax(-1)(x), tg::log_softmax(x, -1));
  same("Maxout", nn::Maxout(3)(x), tg::maxout(x, 3));
  same("Maxout(dim 1)", nn::Maxout(2, 1)(x), tg::maxout(x, 2, 1));
  same("Identity", nn::Identity()(x), x);

  nn::PReLU prelu;
  same("PReLU", prelu(x), tg::prelu(x, prelu->weight));
  EXPECT_EQ(vals(prelu->weight), (std::vector<double>{0.25}));
  nn::PReLU prelu4(nn::PReLUOptions().num_parameters(4).init(0.1));
  same("PReLU(4)", prelu4(x), tg::prelu(x, prelu4->weight));
  EXPECT_EQ(shape_of(prelu4->weight), (std::vector<int64_t>{4}));
  nn::Swish swish(nn::SwishOptions().beta(1.5));
  same("Swish", swish(x), tg::swish(x, swish->beta));
  EXPECT_TRUE(tg::allclose(swish(x), x * tg::sigmoid(x * 1.5), 1e-6, 1e-6));
  nn::SMU smu;
  same("SMU", smu(x), tg::smu(x, smu->mu));
  EXPECT_EQ(vals(smu->mu), (std::vector<double>{1e6}));
  nn::SMU1 smu1;
  same("SMU1", smu1(x), tg::smu1(x, smu1->mu));
  EXPECT_NEAR(vals(smu1->mu)[0], 4.352665993287951e-9, 1e-15);

  // parameterless modules have no parameters
  EXPECT_TRUE(nn::ReLU()->parameters().empty());
  EXPECT_TRUE(nn::GELU()->parameters().empty());
  EXPECT_TRUE(nn::Softmax(0)->parameters().empty());
}

TEST(Activations, LearnableModulesGetGradients) {
  tg::manual_seed(13);
  Tensor x = tg::randn({4, 3, 5}, tg::kFloat64) * 2;
  auto check = [&](const std::string& what, nn::Module& m, const std::function<Tensor(const Tensor&)>& fwd,
                   const std::string& pname) {
    SCOPED_TRACE(what);
    m.to(tg::kFloat64);
    EXPECT_EQ(m.named_parameters().keys(), std::vector<std::string>{pname});
    Tensor p = m.named_parameters()[pname];
    EXPECT_TRUE(p.requires_grad());
    fwd(x).sum().backward();
    ASSERT_TRUE(p.grad().defined());
    EXPECT_EQ(shape_of(p.grad()), shape_of(p));
    EXPECT_GT(max_abs(p.grad()), 0.0);
    // and it trains: one SGD step changes the parameter
    Tensor before = p.clone();
    {
      tg::NoGradGuard g;
      p.sub_(p.grad(), 0.1);
    }
    EXPECT_FALSE(tg::equal(before, p));
  };
  nn::PReLU prelu;
  check(
      "PReLU", *prelu, [&](const Tensor& t) { return prelu(t); }, "weight");
  nn::PReLU prelu3(nn::PReLUOptions().num_parameters(3));
  check(
      "PReLU(3)", *prelu3, [&](const Tensor& t) { return prelu3(t); }, "weight");
  // per channel: d/dw_c = sum of x over the negative entries of channel c
  {
    Tensor neg = tg::where(x.le(tg::zeros_like(x)), x, tg::zeros_like(x)).sum({0, 2});
    EXPECT_TRUE(tg::allclose(prelu3->weight.grad(), neg, 1e-12, 1e-12));
  }
  nn::Swish swish;
  check(
      "Swish", *swish, [&](const Tensor& t) { return swish(t); }, "beta");
  nn::SMU smu(nn::SMUOptions().mu(1.0));
  check(
      "SMU", *smu, [&](const Tensor& t) { return smu(t); }, "mu");
  nn::SMU1 smu1(nn::SMUOptions().mu(0.5));
  check(
      "SMU1", *smu1, [&](const Tensor& t) { return smu1(t); }, "mu");

  // a non-learnable Swish keeps beta fixed
  nn::Swish fixed(nn::SwishOptions().learnable(false));
  EXPECT_FALSE(fixed->beta.requires_grad());
}

// ---- init --------------------------------------------------------------------------------------

TEST(Init, CalculateGain) {
  EXPECT_EQ(init::calculate_gain(tg::kLinear), 1.0);
  EXPECT_EQ(init::calculate_gain(init::Nonlinearity::Conv2D), 1.0);
  EXPECT_EQ(init::calculate_gain(tg::kSigmoid), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(tg::kTanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain(tg::kReLU), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(init::calculate_gain(tg::kLeakyReLU), std::sqrt(2.0 / (1 + 0.01 * 0.01)));
  EXPECT_DOUBLE_EQ(init::calculate_gain(tg::kLeakyReLU, 0.2), std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(init::calculate_gain(tg::kSELU), 0.75);
}

TEST(Init, FanInFanOut) {
  auto [in2, out2] = init::_calculate_fan_in_and_fan_out(tg::empty({7, 5}));
  EXPECT_EQ(in2, 5);
  EXPECT_EQ(out2, 7);
  auto [in3, out3] = init::_calculate_fan_in_and_fan_out(tg::empty({16, 8, 5}));
  EXPECT_EQ(in3, 40);
  EXPECT_EQ(out3, 80);
  expect_error([] { init::_calculate_fan_in_and_fan_out(tg::empty({5})); },
               {"Fan in and fan out can not be computed", "[5]"});
  expect_error([] { init::xavier_uniform_(tg::empty({5})); }, {"fewer than 2 dimensions"});
}

// Checks a uniform sample: within +-bound, reaching near it, standard deviation bound / sqrt(3).
void expect_uniform(const Tensor& t, double bound) {
  EXPECT_LE(max_abs(t), bound);
  EXPECT_GT(max_abs(t), 0.99 * bound);
  EXPECT_NEAR(mean_of(t), 0.0, 0.02 * bound);
  EXPECT_NEAR(std_of(t), bound / std::sqrt(3.0), 0.02 * bound / std::sqrt(3.0));
}
void expect_normal(const Tensor& t, double mean, double std) {
  EXPECT_NEAR(mean_of(t), mean, 0.02 * std);
  EXPECT_NEAR(std_of(t), std, 0.02 * std);
  // a normal sample of 60000 values reaches beyond 3 std, a uniform one would not
  EXPECT_GT(max_abs(t - mean), 3.5 * std);
}

TEST(Init, XavierAndKaimingStatistics) {
  tg::manual_seed(14);
  // 60000 values: the sample std is within 0.3% of the true one (1 standard error); the checks
  // allow 2%.
  Tensor w = tg::empty({200, 300}, tg::kFloat64);
  Tensor r = init::xavier_uniform_(w);
  EXPECT_TRUE(r.is_same(w));
  expect_uniform(w, std::sqrt(6.0 / 500.0));
  init::xavier_uniform_(w, 2.0);
  expect_uniform(w, 2.0 * std::sqrt(6.0 / 500.0));
  init::xavier_normal_(w);
  expect_normal(w, 0.0, std::sqrt(2.0 / 500.0));
  init::xavier_normal_(w, init::calculate_gain(tg::kTanh));
  expect_normal(w, 0.0, 5.0 / 3.0 * std::sqrt(2.0 / 500.0));

  // kaiming: default a = 0, fan_in, leaky_relu -> gain sqrt(2)
  init::kaiming_uniform_(w);
  expect_uniform(w, std::sqrt(2.0) * std::sqrt(3.0 / 300.0));
  init::kaiming_uniform_(w, 0, tg::kFanOut, tg::kReLU);
  expect_uniform(w, std::sqrt(2.0) * std::sqrt(3.0 / 200.0));
  init::kaiming_uniform_(w, std::sqrt(5.0));  // Linear's: 1 / sqrt(fan_in)
  expect_uniform(w, 1.0 / std::sqrt(300.0));
  init::kaiming_normal_(w);
  expect_normal(w, 0.0, std::sqrt(2.0) / std::sqrt(300.0));
  init::kaiming_normal_(w, 0.2, tg::kFanOut, tg::kLeakyReLU);
  expect_normal(w, 0.0, std::sqrt(2.0 / 1.04) / std::sqrt(200.0));
  init::kaiming_normal_(w, 0, tg::kFanIn, tg::kTanh);
  expect_normal(w, 0.0, 5.0 / 3.0 / std::sqrt(300.0));

  // 3-D weights use the receptive field
  Tensor conv = tg::empty({64, 32, 30}, tg::kFloat64);
  init::kaiming_uniform_(conv, 0, tg::kFanIn, tg::kReLU);
  expect_uniform(conv, std::sqrt(2.0) * std::sqrt(3.0 / (32.0 * 30.0)));
  init::xavier_normal_(conv);
  expect_normal(conv, 0.0, std::sqrt(2.0 / (32.0 * 30.0 + 64.0 * 30.0)));
}

TEST(Init, UniformNormalConstant) {
  tg::manual_seed(15);
  Tensor t = tg::empty({60000});
  init::uniform_(t, -2, 3);
  auto v = vals(t);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), -2.0);
  EXPECT_LT(*std::max_element(v.begin(), v.end()), 3.0);
  EXPECT_NEAR(mean_of(t), 0.5, 0.03);
  EXPECT_NEAR(std_of(t), 5.0 / std::sqrt(12.0), 0.03);
  init::normal_(t, 1.5, 0.5);
  expect_normal(t, 1.5, 0.5);
  init::normal_(t);
  expect_normal(t, 0.0, 1.0);

  Tensor c = tg::empty({3, 2});
  EXPECT_TRUE(init::constant_(c, 2.5).is_same(c));
  EXPECT_EQ(vals(c), std::vector<double>(6, 2.5));
  init::zeros_(c);
  EXPECT_EQ(vals(c), std::vector<double>(6, 0.0));
  init::ones_(c);
  EXPECT_EQ(vals(c), std::vector<double>(6, 1.0));

  // initialisers fill parameters in place, without recording a graph
  nn::Linear fc(3, 2);
  Tensor w = fc->weight;
  init::constant_(fc->weight, 0.5);
  init::zeros_(fc->bias);
  init::xavier_uniform_(fc->weight);
  EXPECT_TRUE(fc->weight.is_same(w));
  EXPECT_TRUE(fc->weight.is_leaf());
  EXPECT_TRUE(fc->weight.requires_grad());
  EXPECT_EQ(fc->weight.grad_fn(), nullptr);
  EXPECT_EQ(vals(fc->bias), (std::vector<double>{0, 0}));
  expect_error([] { init::uniform_(tg::empty({2}), 1, 0); }, {"uniform_", "a <= b"});
  expect_error([] { init::normal_(tg::empty({2}), 0, -1); }, {"normal_", "std"});
}

TEST(Init, LinearAndCellDefaults) {
  tg::manual_seed(16);
  nn::Linear fc(50, 400);  // 20000 weights
  double bound = 1.0 / std::sqrt(50.0);
  expect_uniform(fc->weight, bound);
  EXPECT_LE(max_abs(fc->bias), bound);
  EXPECT_GT(max_abs(fc->bias), 0.9 * bound);
  fc->reset_parameters();
  expect_uniform(fc->weight, bound);

  nn::Linear wide(1000, 2);
  EXPECT_LE(max_abs(wide->weight), 1.0 / std::sqrt(1000.0));
  EXPECT_LE(max_abs(wide->bias), 1.0 / std::sqrt(1000.0));

  nn::GRUCell gru(10, 100);
  EXPECT_LE(max_abs(gru->weight_hh), 0.1);
  EXPECT_GT(max_abs(gru->weight_hh), 0.099);
  EXPECT_LE(max_abs(gru->bias_ih), 0.1);

  nn::Embedding emb(1000, 50);
  expect_normal(emb->weight, 0.0, 1.0);
}

// ---- end to end ----------------------------------------------------------------------------------

TEST(Training, XorWithLinearTanhAndManualSgd) {
  tg::manual_seed(17);
  nn::Sequential net(nn::Linear(2, 8), nn::Tanh(), nn::Linear(8, 1));
  Tensor x = tg::tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}});
  Tensor y = tg::tensor({{0.0}, {1.0}, {1.0}, {0.0}});
  double first = 0, last = 0;
  for (int step = 0; step < 2000; ++step) {
    Tensor loss = ((net(x) - y) * (net(x) - y)).mean();
    if (step == 0) first = loss.item<double>();
    last = loss.item<double>();
    net->zero_grad();
    loss.backward();
    tg::NoGradGuard g;
    for (auto& p : net->parameters()) p.sub_(p.grad(), 0.2);
  }
  EXPECT_GT(first, 0.1);
  EXPECT_LT(last, 0.01);
  Tensor pred = net(x);
  auto p = vals(pred);
  EXPECT_LT(p[0], 0.3);
  EXPECT_GT(p[1], 0.7);
  EXPECT_GT(p[2], 0.7);
  EXPECT_LT(p[3], 0.3);
}

TEST(Training, RegressionWithUserModuleBatchNormAndEval) {
  tg::manual_seed(18);
  struct RegImpl : nn::Module {
    RegImpl()
        : fc1(register_module("fc1", nn::Linear(1, 16))),
          bn(register_module("bn", nn::BatchNorm1d(16))),
          fc2(register_module("fc2", nn::Linear(16, 1))) {}
    Tensor forward(const Tensor& x) { return fc2(tg::tanh(bn(fc1(x)))); }
    nn::Linear fc1;
    nn::BatchNorm1d bn;
    nn::Linear fc2;
  };
  auto net = std::make_shared<RegImpl>();
  Tensor x = tg::linspace(-2, 2, 64).reshape({64, 1});
  Tensor y = tg::sin(x * 1.5);
  double last = 1e9;
  for (int step = 0; step < 1500; ++step) {
    Tensor loss = tg::mse_loss(net->forward(x), y);
    last = loss.item<double>();
    net->zero_grad();
    loss.backward();
    tg::NoGradGuard g;
    for (auto& p : net->parameters()) p.sub_(p.grad(), 0.05);
  }
  EXPECT_LT(last, 0.01);
  // in eval mode (running statistics) the fit is still good on the training inputs
  net->eval();
  tg::NoGradGuard g;
  EXPECT_LT(tg::mse_loss(net->forward(x), y).item<double>(), 0.05);
}

// ---- errors ------------------------------------------------------------------------------------

TEST(Errors, Registration) {
  nn::Module m;
  m.register_parameter("w", tg::zeros({2}));
  expect_error([&] { m.register_parameter("w", tg::zeros({2})); }, {"parameter 'w' already defined"});
  m.register_buffer("b", tg::zeros({2}));
  expect_error([&] { m.register_buffer("b", tg::zeros({2})); }, {"buffer 'b' already defined"});
  expect_error([&] { m.register_parameter("fc.w", tg::zeros({2})); }, {"must not contain a dot", "fc.w"});
  expect_error([&] { m.register_buffer("a.b", tg::zeros({2})); }, {"must not contain a dot", "a.b"});
  expect_error([&] { m.register_parameter("", tg::zeros({2})); }, {"must not be empty"});
  expect_error([&] { m.register_module("x.y", nn::Linear(1, 1)); }, {"must not contain a dot", "x.y"});
  nn::Linear empty{nullptr};
  expect_error([&] { m.register_module("fc", empty); }, {"submodule 'fc' is empty"});
  m.register_module("fc", nn::Linear(1, 1));
  expect_error([&] { m.register_module("fc", nn::Linear(1, 1)); }, {"submodule 'fc' already defined"});
}

TEST(Errors, Layers) {
  nn::Linear fc(5, 2);
  expect_error([&] { fc(tg::zeros({4, 3})); }, {"[4, 3]", "[2, 5]"});
  nn::BatchNorm1d bn(4);
  expect_error([&] { bn(tg::zeros({2, 3})); }, {"4 channels", "[2, 3]"});
  expect_error([&] { bn(tg::zeros({2})); }, {"2D or 3D", "[2]"});
  expect_error([&] { bn(tg::zeros({1, 4})); }, {"Expected more than 1 value per channel when training"});
  nn::LayerNorm ln(nn::LayerNormOptions({5}));
  expect_error([&] { ln(tg::zeros({3, 4})); }, {"normalized_shape=[5]", "[3, 4]"});
  nn::LayerNorm ln2(nn::LayerNormOptions({3, 4}));
  expect_error([&] { ln2(tg::zeros({4, 3})); }, {"normalized_shape=[3, 4]", "[4, 3]"});
  nn::Sequential seq{nn::ReLU(), nn::Tanh()};
  expect_error([&] { (void)seq[5]; }, {"Sequential: Index out of range: index 5 of a Sequential of 2 modules", "2 modules"});
  expect_error([&] { seq->at<nn::LinearImpl>(0); }, {"Sequential::at: Attempted to cast module of type tg::nn::ReLUImpl to type tg::nn::LinearImpl"});
  expect_error([&] { seq->at<nn::ReLUImpl>(2); }, {"out of range"});
  expect_error([] { nn::Dropout(1.5); }, {"dropout probability has to be between 0 and 1, but got 1.5"});
  nn::Embedding emb(4, 2);
  expect_error([&] { emb(tg::zeros({3})); }, {"int64", "float32"});
  expect_error([&] { emb(tg::tensor({1, 4})); }, {"index out of range", "4"});
  expect_error([&] { emb(tg::tensor({{0, -1}})); }, {"index out of range", "-1"});
  EXPECT_EQ(shape_of(emb(tg::zeros({0}, tg::kInt64))), (std::vector<int64_t>{0, 2}));
  nn::LSTMCell lstm(3, 4);
  expect_error([&] { lstm(tg::zeros({2, 5})); }, {"[2, 5]", "input_size"});
  expect_error([&] { lstm(tg::zeros({2, 3}), std::make_tuple(tg::zeros({2, 5}), tg::zeros({2, 4}))); }, {"[2, 5]"});
  nn::GRUCell gru(3, 4);
  expect_error([&] { gru(tg::zeros({2, 3}), tg::zeros({3, 4})); }, {"[3, 4]", "[2, 4]"});
  expect_error([] { nn::MaxoutLinear(3, 2, 0); }, {"pieces"});
  nn::Maxout mo(4);
  expect_error([&] { mo(tg::zeros({2, 6})); }, {"4"});
  nn::PReLU prelu(nn::PReLUOptions().num_parameters(3));
  expect_error([&] { prelu(tg::zeros({2, 4})); }, {"3"});
}

}  // namespace
