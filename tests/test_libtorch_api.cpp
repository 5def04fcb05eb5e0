// libtorch spellings that a program moved from torch:: to tg:: relies on, each used the way
// libtorch code uses it: Variable, TORCH_MODULE / TORCH_ARG, optional, set_requires_grad, alias,
// backward's inputs, grad's empty inputs, Scalar's to* methods, printing sizes and dtypes.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace {

using tg_test::expect_error;
using tg_test::vals;

using tg::Tensor;



struct NetOptions {
  NetOptions(int64_t in) : in_(in) {}  // NOLINT
  TORCH_ARG(int64_t, in);
  TORCH_ARG(int64_t, out) = 1;
};

struct NetImpl : tg::nn::Module {
  explicit NetImpl(const NetOptions& o) : fc(register_module("fc", tg::nn::Linear(o.in(), o.out()))) {}
  Tensor forward(const Tensor& x) { return fc(x); }
  tg::nn::Linear fc;
};
TORCH_MODULE(Net);

TEST(LibtorchSpelling, TorchModuleAndTorchArg) {
  Net net(NetOptions(3).out(2));
  EXPECT_EQ(net->forward(tg::ones({4, 3})).sizes().vec(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(NetOptions(5).in(), 5);
}

TEST(LibtorchSpelling, VariableOptionalAndSetRequiresGrad) {
  tg::autograd::Variable v = tg::ones({2});
  tg::optional<int64_t> none = tg::nullopt;
  EXPECT_FALSE(none.has_value());
  const Tensor& same = v.set_requires_grad(true);
  EXPECT_TRUE(same.is_same(v));
  EXPECT_TRUE(v.requires_grad());
  v.set_requires_grad(false);
  EXPECT_FALSE(v.requires_grad());
}

TEST(LibtorchSpelling, AliasIsAViewWithItsOwnNode) {
  Tensor x = tg::tensor({1.0, 2.0, 3.0}, tg::requires_grad());
  Tensor a = x.alias();
  EXPECT_EQ(a.data_ptr(), x.data_ptr());
  ASSERT_NE(a.grad_fn(), nullptr);
  EXPECT_EQ(a.grad_fn()->name(), "AliasBackward0");
  (a * a).sum().backward();
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{2.0, 4.0, 6.0}));
  auto f = [](const tg::TensorList& in) { return in[0].t().alias() * in[0].t(); };
  Tensor y = tg::randn({2, 3}, tg::kFloat64).requires_grad_();
  EXPECT_TRUE(tg::autograd::gradcheck(f, {y}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(f, {y}));
}

TEST(LibtorchSpelling, BackwardWithInputsFillsOnlyThose) {
  // a.grad() only, as torch::Tensor::backward(grad, retain_graph, create_graph, inputs)
  Tensor a = tg::ones({2}, tg::requires_grad()), b = tg::ones({2}, tg::requires_grad());
  Tensor y = (a * b * 3).sum();
  y.backward({}, true, false, tg::TensorList{a});
  EXPECT_EQ(vals(a.grad()), (std::vector<double>{3.0, 3.0}));
  EXPECT_FALSE(b.grad().defined());
  y.backward({}, false, false, tg::TensorList{a});  // accumulates
  EXPECT_EQ(vals(a.grad()), (std::vector<double>{6.0, 6.0}));
  // a non-leaf input gets its gradient too
  Tensor m = a * 2;
  (m * 3).sum().backward({}, std::nullopt, false, tg::TensorList{m});
  EXPECT_EQ(vals(m.grad()), (std::vector<double>{3.0, 3.0}));
  expect_error([&] { (a * 2).sum().backward({}, std::nullopt, false, tg::TensorList{}); },
               "'inputs' argument to backward() cannot be empty.");
}

TEST(LibtorchSpelling, GradRequiresNonEmptyInputs) {
  Tensor x = tg::ones({2}, tg::requires_grad());
  expect_error([&] { tg::autograd::grad({(x * 2).sum()}, {}); }, "grad requires non-empty inputs.");
}

TEST(LibtorchSpelling, ItemAsScalar) {
  tg::Scalar s = tg::tensor(2.5).item();
  EXPECT_EQ(s.toDouble(), 2.5);
  EXPECT_EQ(s.toFloat(), 2.5f);
  EXPECT_EQ(s.toInt(), 2);
  EXPECT_EQ(tg::tensor(int64_t{7}).item().toLong(), 7);
  EXPECT_TRUE(tg::Scalar(true).isBoolean());
  EXPECT_TRUE(tg::Scalar(true).isIntegral(/*include_bool=*/true));
  EXPECT_FALSE(tg::Scalar(true).isIntegral(false));
  EXPECT_TRUE(s.isFloatingPoint());
}

TEST(LibtorchSpelling, PrintingSizesAndDtypes) {
  std::ostringstream os;
  Tensor x = tg::ones({2, 3});
  // libtorch prints these as "[2, 3] float double long int bool"
  os << x.sizes() << " " << x.dtype() << " " << tg::kFloat64 << " " << tg::kInt64 << " " << tg::kBool;
  EXPECT_EQ(os.str(), "[2, 3] float double long int bool");
}

TEST(LibtorchSpelling, MethodFormsAndPredicates) {
  Tensor x = tg::tensor({{1.0, -2.0, 0.5}, {3.0, 0.0, -1.0}});
  EXPECT_TRUE(tg::equal(x.softmax(1), tg::softmax(x, 1)));
  EXPECT_TRUE(tg::equal(x.log_softmax(0), tg::log_softmax(x, 0)));
  EXPECT_EQ(x.softmax(1, tg::kFloat64).dtype(), tg::kFloat64);
  EXPECT_TRUE(tg::equal(x.erf(), tg::erf(x)));
  Tensor y = tg::tensor({1.0, NAN, INFINITY, -INFINITY});
  EXPECT_TRUE(tg::equal(y.isnan(), tg::tensor({false, true, false, false})));
  EXPECT_TRUE(tg::equal(y.isinf(), tg::tensor({false, false, true, true})));
  EXPECT_TRUE(tg::equal(y.isfinite(), tg::tensor({true, false, false, false})));
  EXPECT_TRUE(tg::equal(tg::isnan(tg::tensor({1, 2})), tg::tensor({false, false})));
  EXPECT_TRUE(tg::equal(tg::isfinite(tg::tensor({1, 2})), tg::tensor({true, true})));
}

TEST(LibtorchSpelling, MaskedFill) {
  Tensor x = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, tg::requires_grad());
  Tensor mask = tg::tensor({true, false, true});
  Tensor y = x.masked_fill(mask, -1.0);  // the mask broadcasts over the rows
  EXPECT_TRUE(tg::equal(y.detach(), tg::tensor({{-1.0, 2.0, -1.0}, {-1.0, 5.0, -1.0}})));
  EXPECT_EQ(y.grad_fn()->name(), "MaskedFillBackward0");
  y.sum().backward();
  EXPECT_TRUE(tg::equal(x.grad(), tg::tensor({{0.0, 1.0, 0.0}, {0.0, 1.0, 0.0}})));
  EXPECT_EQ(tg::tensor({1, 2}).masked_fill(tg::tensor({true, false}), 7.9).dtype(), tg::kInt64);  // self's dtype
  auto f = [&](const tg::TensorList& in) { return in[0].masked_fill(mask, 2.0) * in[0]; };
  Tensor z = tg::randn({2, 3}, tg::kFloat64).requires_grad_();
  EXPECT_TRUE(tg::autograd::gradcheck(f, {z}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(f, {z}));
  // in place, on a non-leaf
  Tensor h = x * 1;
  h.masked_fill_(mask, 0.0);
  EXPECT_TRUE(tg::equal(h.detach(), tg::tensor({{0.0, 2.0, 0.0}, {0.0, 5.0, 0.0}})));
  // torch: "masked_fill_ only supports boolean masks, but got mask with dtype float"
  expect_error([&] { x.masked_fill(tg::ones({3}), 1.0); },
               "masked_fill_ only supports boolean masks, but got mask with dtype float32 (self [float32 [2, 3]], mask "
               "[float32 [3]])");
  expect_error(
      [&] {
        x.masked_fill(tg::tensor({true, false}), 1.0);
      },
      "masked_fill: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1 "
      "(shapes [2, 3] and [2])");
  expect_error(
      [&] {
        x.masked_fill(tg::ones({4, 2, 3}) > 0.0, 1.0);
      },
      "masked_fill: the mask of shape [4, 2, 3] cannot be broadcast to self's shape [2, 3]");
}

TEST(LibtorchSpelling, RandomFillsInPlace) {
  tg::manual_seed(9);
  Tensor u = tg::empty({20000});
  u.uniform_(-2, 3);
  EXPECT_GE(u.min().item<double>(), -2.0);
  EXPECT_LT(u.max().item<double>(), 3.0);
  EXPECT_NEAR(u.mean().item<double>(), 0.5, 0.05);
  Tensor n = tg::empty({20000}, tg::kFloat64);
  n.normal_(1.0, 2.0);
  EXPECT_NEAR(n.mean().item<double>(), 1.0, 0.06);
  EXPECT_NEAR((n - 1.0).pow(2).mean().sqrt().item<double>(), 2.0, 0.06);
  Tensor r = tg::empty({1000}, tg::kInt64);
  r.random_(3, 7);
  EXPECT_EQ(r.min().item<int64_t>(), 3);
  EXPECT_EQ(r.max().item<int64_t>(), 6);
  Tensor leaf = tg::empty({3}, tg::requires_grad());
  expect_error([&] { leaf.uniform_(); }, "a leaf Variable that requires grad is being used in an in-place operation");
  {
    tg::NoGradGuard no_grad;  // the usual way to re-initialise a parameter
    leaf.normal_();
  }
  expect_error([&] { u.uniform_(1, 0); }, "uniform_ expects to return a [from, to) range, but found from=1 > to=0");
  expect_error([&] { r.random_(5, 5); }, "random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
  expect_error([&] { n.normal_(0, -1); }, "normal_ expects std >= 0.0, but found std -1");
}

// x.retain_grad(), then x modified in place: x.grad() is the gradient of x's new value, as in
// PyTorch (torch gives [1., 1.] and leaf.grad [5., 5.] for the second case).
TEST(LibtorchSpelling, RetainGradFollowsAnInPlaceChange) {
  Tensor leaf = tg::ones({2}, tg::requires_grad());
  Tensor x = leaf * 1;
  x.retain_grad();
  x.mul_(2);
  x.sum().backward();
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(vals(leaf.grad()), (std::vector<double>{2.0, 2.0}));
  Tensor leaf2 = tg::ones({2}, tg::requires_grad());
  Tensor x2 = leaf2 * 1;
  x2.retain_grad();
  Tensor y = x2 * 3;  // uses the old value
  x2.mul_(2);
  (y.sum() + x2.sum()).backward();
  EXPECT_EQ(vals(x2.grad()), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(vals(leaf2.grad()), (std::vector<double>{5.0, 5.0}));
}

// torch.autograd.detect_anomaly() on sqrt(x * 0).sum().backward() at x = [0, 1]:
// "Function 'MulBackward0' returned nan values in its 0th output." (Python's x * 0 multiplies by a
// tensor; C++'s x * 0 by a Scalar, whose node libtorch names MulBackward1.)
TEST(LibtorchSpelling, AnomalyModeStopsAtTheNodeThatMadeANan) {
  Tensor x = tg::tensor({0.0, 1.0}, tg::requires_grad());
  tg::sqrt(x * 0).sum().backward();  // without anomaly mode the NaN reaches x.grad()
  EXPECT_TRUE(x.grad().isnan().any().item<bool>());
  EXPECT_FALSE(tg::autograd::AnomalyMode::is_enabled());
  {
    tg::autograd::DetectAnomalyGuard detect;
    EXPECT_TRUE(tg::autograd::AnomalyMode::is_enabled());
    Tensor y = tg::sqrt(x * 0).sum();
    expect_error([&] { y.backward(); }, "Function 'MulBackward1' returned nan values in its 0th output.");
    Tensor ok = (x * 2).sum();
    ok.backward();  // no NaN: no error
  }
  EXPECT_FALSE(tg::autograd::AnomalyMode::is_enabled());
}

TEST(LibtorchSpelling, ModuleListAndFunctional) {
  tg::nn::ModuleList list(tg::nn::Linear(3, 4), tg::nn::ReLU());
  list->push_back(tg::nn::Linear(4, 2));
  EXPECT_EQ(list->size(), 3u);
  EXPECT_EQ(list->named_parameters().keys(), (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  Tensor x = tg::ones({5, 3});
  for (const auto& m : *list) {
    if (auto* lin = dynamic_cast<tg::nn::LinearImpl*>(m.get())) x = lin->forward(x);
  }
  EXPECT_EQ(x.sizes().vec(), (std::vector<int64_t>{5, 2}));
  EXPECT_EQ(list->at<tg::nn::LinearImpl>(2).weight.sizes().vec(), (std::vector<int64_t>{2, 4}));
  EXPECT_NE(list[1], nullptr);
  expect_error([&] { list->ptr(3); }, "ModuleList: Index out of range: index 3 of a ModuleList of 3 modules");
  expect_error([&] { list->at<tg::nn::LinearImpl>(1); },
               "ModuleList::at: the module at index 1 is a tg::nn::ReLUImpl, not a tg::nn::LinearImpl");

  tg::nn::Sequential seq(tg::nn::Linear(3, 3), tg::nn::Functional(tg::relu),
                         tg::nn::Functional(tg::leaky_relu, tg::Scalar(0.5)));
  Tensor y = seq->forward(tg::tensor({{-1.0, 2.0, 3.0}}));
  EXPECT_EQ(y.sizes().vec(), (std::vector<int64_t>{1, 3}));
  tg::nn::Functional f(tg::leaky_relu, tg::Scalar(0.5));
  EXPECT_TRUE(tg::equal(f(tg::tensor({-2.0, 1.0})), tg::tensor({-1.0, 1.0})));
  std::ostringstream os;
  os << *f;
  EXPECT_EQ(os.str(), "tg::nn::Functional()");
}

}  // namespace
