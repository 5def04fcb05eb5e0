// tg::nn::functional (F::) and the loss modules, used as libtorch programs use torch::nn::functional:
// each F:: function with its *FuncOptions equals the tensorgrad op it calls, reductions are chosen
// with tg::kMean / kSum / kNone, `inplace` writes into the input, and errors are PyTorch's.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace {

using tg_test::expect_error;
using tg_test::vals;

namespace F = tg::nn::functional;
namespace nn = tg::nn;
using tg::Tensor;


Tensor x34() {
  tg::manual_seed(3);
  return tg::randn({3, 4}, tg::kFloat64) * 2;
}

TEST(Functional, ActivationsWithTheirOptions) {
  Tensor x = x34();
  EXPECT_TRUE(tg::equal(F::relu(x), tg::relu(x)));
  EXPECT_TRUE(tg::equal(F::relu6(x), tg::relu6(x)));
  EXPECT_TRUE(tg::equal(F::selu(x), tg::selu(x)));
  EXPECT_TRUE(tg::equal(F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)), tg::leaky_relu(x, 0.2)));
  EXPECT_TRUE(tg::equal(F::elu(x, F::ELUFuncOptions().alpha(0.5)), tg::elu(x, 0.5)));
  EXPECT_TRUE(tg::equal(F::celu(x, F::CELUFuncOptions().alpha(2.0)), tg::celu(x, 2.0)));
  EXPECT_TRUE(tg::equal(F::gelu(x, F::GELUFuncOptions().approximate("tanh")), tg::gelu(x, "tanh")));
  EXPECT_TRUE(tg::equal(F::softplus(x, F::SoftplusFuncOptions().beta(2).threshold(5)), tg::softplus(x, 2, 5)));
  EXPECT_TRUE(tg::equal(F::hardtanh(x, F::HardtanhFuncOptions().min_val(-2).max_val(3)), tg::hardtanh(x, -2, 3)));
  EXPECT_TRUE(tg::equal(F::softshrink(x, F::SoftshrinkFuncOptions(1.5)), tg::softshrink(x, 1.5)));
  EXPECT_TRUE(tg::equal(F::threshold(x, F::ThresholdFuncOptions(0.5, -1.0)), tg::threshold(x, 0.5, -1.0)));
  EXPECT_TRUE(tg::equal(F::silu(x), tg::silu(x)));
  EXPECT_TRUE(tg::equal(F::mish(x), tg::mish(x)));
  EXPECT_TRUE(tg::equal(F::logsigmoid(x), tg::logsigmoid(x)));
  EXPECT_TRUE(tg::equal(F::softsign(x), tg::softsign(x)));
  EXPECT_TRUE(tg::equal(F::tanhshrink(x), x - tg::tanh(x)));
  EXPECT_TRUE(tg::equal(F::softmax(x, F::SoftmaxFuncOptions(1)), tg::softmax(x, 1)));
  EXPECT_TRUE(tg::equal(F::log_softmax(x, F::LogSoftmaxFuncOptions(0)), tg::log_softmax(x, 0)));
  EXPECT_TRUE(tg::equal(F::softmin(x, F::SoftminFuncOptions(1)), tg::softmax(-x, 1)));
  Tensor f32 = F::softmax(x, F::SoftmaxFuncOptions(1).dtype(tg::kFloat32));
  EXPECT_EQ(f32.dtype(), tg::kFloat32);
  Tensor w = tg::full({1}, 0.25, tg::kFloat64);
  EXPECT_TRUE(tg::equal(F::prelu(x, w), tg::prelu(x, w)));
}

TEST(Functional, SoftminAndTanhshrinkGradcheck) {
  Tensor x = x34().requires_grad_();
  auto softmin = [](const tg::TensorList& in) { return F::softmin(in[0], F::SoftminFuncOptions(1)); };
  auto tanhshrink = [](const tg::TensorList& in) { return F::tanhshrink(in[0]); };
  EXPECT_TRUE(tg::autograd::gradcheck(softmin, {x}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(softmin, {x}));
  EXPECT_TRUE(tg::autograd::gradcheck(tanhshrink, {x}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(tanhshrink, {x}));
}

TEST(Functional, InplaceWritesIntoTheInput) {
  Tensor leaf = tg::tensor({-1.0, 2.0, -3.0}, tg::requires_grad());
  Tensor h = leaf * 1;
  Tensor r = F::relu(h, F::ReLUFuncOptions().inplace(true));
  EXPECT_TRUE(r.is_same(h));
  EXPECT_TRUE(tg::equal(h, tg::tensor({0.0, 2.0, 0.0})));
  h.sum().backward();
  EXPECT_TRUE(tg::equal(leaf.grad(), tg::tensor({0.0, 1.0, 0.0})));
  Tensor g = tg::tensor({-1.0, 2.0});
  F::leaky_relu(g, F::LeakyReLUFuncOptions().negative_slope(0.5).inplace(true));
  EXPECT_TRUE(tg::equal(g, tg::tensor({-0.5, 2.0})));
  // as PyTorch, a leaf that requires grad cannot be overwritten
  expect_error([&] { F::relu(leaf, F::ReLUFuncOptions(true)); },
               "a leaf Variable that requires grad is being used in an in-place operation");
  nn::LeakyReLU m(nn::LeakyReLUOptions().negative_slope(0.1).inplace(true));
  Tensor k = tg::tensor({-2.0, 1.0});
  m(k);
  EXPECT_TRUE(tg::allclose(k, tg::tensor({-0.2, 1.0})));
  std::ostringstream os;
  os << *m;
  EXPECT_EQ(os.str(), "tg::nn::LeakyReLU(negative_slope=0.1, inplace=true)");
}

TEST(Functional, LinearAndDropout) {
  Tensor x = x34(), w = tg::ones({2, 4}, tg::kFloat64), b = tg::ones({2}, tg::kFloat64);
  EXPECT_TRUE(tg::equal(F::linear(x, w, b), tg::linear(x, w, b)));
  EXPECT_TRUE(tg::equal(F::dropout(x, F::DropoutFuncOptions().p(0.5).training(false)), x));
  tg::manual_seed(1);
  Tensor d = F::dropout(x, F::DropoutFuncOptions().p(0.5));  // training is true by default, as libtorch
  const int64_t zeros = (d == 0.0).sum().item<int64_t>();
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, 12);
}

TEST(Functional, LossesWithReductions) {
  tg::manual_seed(4);
  Tensor a = tg::randn({3, 4}, tg::kFloat64), b = tg::randn({3, 4}, tg::kFloat64);
  using R = tg::Reduction::Reduction;
  EXPECT_TRUE(tg::equal(F::mse_loss(a, b), tg::mse_loss(a, b)));
  EXPECT_TRUE(tg::equal(F::mse_loss(a, b, F::MSELossFuncOptions().reduction(tg::kSum)), tg::mse_loss(a, b, R::Sum)));
  EXPECT_TRUE(tg::equal(F::mse_loss(a, b, F::MSELossFuncOptions(tg::kNone)), tg::mse_loss(a, b, R::None)));
  EXPECT_TRUE(tg::equal(F::l1_loss(a, b, F::L1LossFuncOptions(tg::kSum)), tg::l1_loss(a, b, R::Sum)));
  EXPECT_TRUE(tg::equal(F::smooth_l1_loss(a, b, F::SmoothL1LossFuncOptions().beta(0.5)),
                        tg::smooth_l1_loss(a, b, R::Mean, 0.5)));
  EXPECT_TRUE(tg::equal(F::huber_loss(a, b, F::HuberLossFuncOptions(tg::kNone).delta(2.0)),
                        tg::huber_loss(a, b, R::None, 2.0)));
  Tensor p = tg::sigmoid(a), y = (b > 0.0).to(tg::kFloat64), w = tg::rand({4}, tg::kFloat64);
  EXPECT_TRUE(tg::equal(F::binary_cross_entropy(p, y, F::BinaryCrossEntropyFuncOptions().weight(w)),
                        tg::binary_cross_entropy(p, y, w)));
  EXPECT_TRUE(
      tg::equal(F::binary_cross_entropy_with_logits(a, y, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(w)),
                tg::binary_cross_entropy_with_logits(a, y, {}, w)));
  Tensor labels = tg::tensor({1, 3, -100});
  EXPECT_TRUE(tg::equal(F::nll_loss(tg::log_softmax(a, 1), labels), tg::nll_loss(tg::log_softmax(a, 1), labels)));
  EXPECT_TRUE(tg::equal(F::cross_entropy(a, labels, F::CrossEntropyFuncOptions().label_smoothing(0.1)),
                        tg::cross_entropy(a, labels, {}, R::Mean, -100, 0.1)));
  EXPECT_TRUE(tg::equal(F::nll_loss(tg::log_softmax(a, 1), tg::tensor({1, 3, 0}),
                                    F::NLLLossFuncOptions().ignore_index(0).reduction(tg::kSum)),
                        tg::nll_loss(tg::log_softmax(a, 1), tg::tensor({1, 3, 0}), {}, R::Sum, 0)));
  // kl_div: batchmean is the sum over the batch divided by its size
  Tensor lp = tg::log_softmax(a, 1), q = tg::softmax(b, 1);
  EXPECT_TRUE(tg::allclose(F::kl_div(lp, q, F::KLDivFuncOptions(tg::kBatchMean)), tg::kl_div(lp, q, R::Sum) / 3.0));
  EXPECT_TRUE(tg::equal(F::kl_div(lp, q.log(), F::KLDivFuncOptions().log_target(true)),
                        tg::kl_div(lp, q.log(), R::Mean, true)));
  expect_error([&] { F::kl_div(tg::tensor(0.5), tg::tensor(0.5), F::KLDivFuncOptions(tg::kBatchMean)); },
               "kl_div: reduction 'batchmean' needs an input with a batch dimension, got shape []");
}

TEST(LossModules, ForwardAndPrinting) {
  tg::manual_seed(5);
  Tensor a = tg::randn({3, 4}, tg::kFloat64), b = tg::randn({3, 4}, tg::kFloat64);
  nn::MSELoss mse(nn::MSELossOptions(tg::kSum));
  EXPECT_TRUE(tg::equal(mse(a, b), F::mse_loss(a, b, F::MSELossFuncOptions(tg::kSum))));
  nn::CrossEntropyLoss ce(nn::CrossEntropyLossOptions().label_smoothing(0.2));
  Tensor labels = tg::tensor({0, 2, 3});
  EXPECT_TRUE(tg::equal(ce(a, labels), F::cross_entropy(a, labels, F::CrossEntropyFuncOptions().label_smoothing(0.2))));
  EXPECT_TRUE(tg::equal(nn::L1Loss()(a, b), tg::l1_loss(a, b)));
  EXPECT_TRUE(tg::equal(nn::HuberLoss()(a, b), tg::huber_loss(a, b)));
  EXPECT_TRUE(tg::equal(nn::SmoothL1Loss()(a, b), tg::smooth_l1_loss(a, b)));
  EXPECT_TRUE(tg::equal(nn::NLLLoss()(tg::log_softmax(a, 1), labels), tg::nll_loss(tg::log_softmax(a, 1), labels)));
  Tensor y = (b > 0.0).to(tg::kFloat64);
  EXPECT_TRUE(tg::equal(nn::BCELoss()(tg::sigmoid(a), y), tg::binary_cross_entropy(tg::sigmoid(a), y)));
  EXPECT_TRUE(tg::equal(nn::BCEWithLogitsLoss()(a, y), tg::binary_cross_entropy_with_logits(a, y)));
  EXPECT_TRUE(tg::equal(nn::KLDivLoss()(tg::log_softmax(a, 1), tg::softmax(b, 1)),
                        tg::kl_div(tg::log_softmax(a, 1), tg::softmax(b, 1))));
  std::ostringstream os;
  os << *ce;
  EXPECT_EQ(os.str(), "tg::nn::CrossEntropyLoss()");
  // a loss module trains like any other: no parameters, a graph through forward
  Tensor x = a.clone().requires_grad_();
  mse(x, b).backward();
  EXPECT_TRUE(tg::allclose(x.grad(), 2 * (a - b)));
  EXPECT_TRUE(mse->parameters().empty());
}

}  // namespace
