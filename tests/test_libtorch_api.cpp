// libtorch spellings that a program moved from torch:: to tg:: relies on, each used the way
// libtorch code uses it: Variable, TORCH_MODULE / TORCH_ARG, optional, set_requires_grad, alias,
// backward's inputs, grad's empty inputs, Scalar's to* methods, printing sizes and dtypes.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"

namespace {

using tg::Tensor;

void expect_error(const std::function<void()>& fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one containing '" << part << "'";
  } catch (const tg::Error& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

std::vector<double> vals(const Tensor& t) {
  Tensor c = t.to(tg::kFloat64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

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

}  // namespace
