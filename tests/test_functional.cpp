// tg::nn::functional (F::) and the loss modules, used as libtorch programs use torch::nn::functional:
// each F:: function with its *FuncOptions equals the tensorgrad op it calls, reductions are chosen
// with tg::kMean / kSum / kNone, `inplace` writes into the input, and errors are PyTorch's.
#include <gtest/gtest.h>

#include <cmath>
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


// ---- layers and activations added for libtorch's functional API ---------------------------------

using Parts = std::vector<std::string>;
using V = std::vector<double>;

Tensor t64(const V& v) { return tg::tensor(v, tg::kFloat64); }

TEST(FunctionalLayers, HardshrinkGluAndLog1pExpm1Values) {
  EXPECT_EQ(vals(F::hardshrink(t64({-1.0, -0.5, 0.2, 0.5, 0.7}))), V({-1.0, 0.0, 0.0, 0.0, 0.7}));
  EXPECT_EQ(vals(F::hardshrink(t64({-2.0, 1.0, 1.6}), F::HardshrinkFuncOptions().lambda(1.5))), V({-2.0, 0.0, 1.6}));
  Tensor g = F::glu(t64({1.0, 2.0, 0.0, -1.0}));  // [1 * sigmoid(0), 2 * sigmoid(-1)]
  EXPECT_NEAR(vals(g)[0], 0.5, 1e-15);
  EXPECT_NEAR(vals(g)[1], 2.0 / (1.0 + std::exp(1.0)), 1e-15);
  EXPECT_EQ(F::glu(tg::zeros({2, 6, 3}), 1).sizes(), tg::IntArrayRef({2, 3, 3}));
  // accurate near 0, where log(1 + x) and exp(x) - 1 lose every digit
  EXPECT_EQ(vals(tg::log1p(t64({1e-18})))[0], 1e-18);
  EXPECT_EQ(vals(t64({1e-18}).expm1())[0], 1e-18);
  expect_error([] { F::glu(tg::zeros({3, 5})); }, Parts{"glu", "Halving dimension must be even", "size 5"});
  expect_error([] { F::glu(tg::zeros({4}), 1); }, Parts{"glu", "Dimension out of range"});
  expect_error([] { F::glu(tg::tensor(1.0)); }, Parts{"glu", "does not support scalars"});
}

TEST(FunctionalLayers, VarAndStd) {
  Tensor x = t64({1.0, 2.0, 4.0, 7.0});  // mean 3.5, squared deviations sum 21
  EXPECT_DOUBLE_EQ(x.var().item<double>(), 7.0);
  EXPECT_DOUBLE_EQ(tg::var(x, false).item<double>(), 5.25);
  EXPECT_DOUBLE_EQ(x.std().item<double>(), std::sqrt(7.0));
  EXPECT_EQ(x.reshape({2, 2}).var({1}, true, true).sizes(), tg::IntArrayRef({2, 1}));
  EXPECT_TRUE(std::isnan(t64({3.0}).var().item<double>()));  // n - 1 = 0, as PyTorch
  expect_error([] { tg::arange(4).var(); }, Parts{"var", "floating-point", "int64"});
}

TEST(FunctionalLayers, Remainder) {
  EXPECT_TRUE(tg::equal(tg::tensor({-4, -1, 0, 5}, tg::kInt64) % 3, tg::tensor({2, 2, 0, 2}, tg::kInt64)));
  EXPECT_TRUE(tg::equal(tg::tensor({-4, 5}, tg::kInt64) % -3, tg::tensor({-1, -1}, tg::kInt64)));
  Tensor x = t64({-1.5, 2.5}).requires_grad_();
  Tensor r = tg::remainder(x, 2.0);
  EXPECT_EQ(vals(r), V({0.5, 0.5}));
  r.sum().backward();
  EXPECT_EQ(vals(x.grad()), V({1.0, 1.0}));
  expect_error([] { tg::arange(3) % 0; }, Parts{"remainder", "ZeroDivisionError"});
}

TEST(FunctionalLayers, RReLUTrainingAndEvaluation) {
  tg::manual_seed(0);
  Tensor x = tg::randn({200}, tg::kFloat64).requires_grad_();
  Tensor y = F::rrelu(x, F::RReLUFuncOptions().lower(0.1).upper(0.3).training(true));
  y.sum().backward();
  auto xv = vals(x), yv = vals(y), gv = vals(x.grad());
  for (size_t i = 0; i < xv.size(); ++i) {
    if (xv[i] > 0) {
      EXPECT_EQ(yv[i], xv[i]);
      EXPECT_EQ(gv[i], 1.0);
    } else {
      double a = yv[i] / xv[i];
      EXPECT_GE(a, 0.1);
      EXPECT_LE(a, 0.3);
      EXPECT_NEAR(gv[i], a, 1e-12);  // the gradient is the slope drawn
    }
  }
  Tensor e = t64({-2.0, 3.0});
  EXPECT_TRUE(tg::allclose(F::rrelu(e), tg::leaky_relu(e, (1.0 / 8 + 1.0 / 3) / 2)));
  nn::RReLU m(nn::RReLUOptions().lower(0.2).upper(0.2));
  EXPECT_TRUE(tg::allclose(m(e), t64({-0.4, 3.0})));  // training mode: a slope drawn from [0.2, 0.2]
  expect_error([] { F::rrelu(tg::zeros({2}), F::RReLUFuncOptions().lower(0.5).upper(0.1)); },
               Parts{"rrelu", "Lower bound should be less than or equal to the upper bound"});
}

TEST(FunctionalLayers, GumbelSoftmax) {
  tg::manual_seed(1);
  Tensor logits = tg::randn({4, 5}, tg::kFloat64).requires_grad_();
  Tensor soft = F::gumbel_softmax(logits, F::GumbelSoftmaxFuncOptions().tau(0.5));
  EXPECT_TRUE(tg::allclose(soft.sum({1}), tg::ones({4}, tg::kFloat64)));
  Tensor hard = F::gumbel_softmax(logits, F::GumbelSoftmaxFuncOptions().hard(true).dim(1));
  EXPECT_TRUE(tg::equal(hard.sum({1}), tg::ones({4}, tg::kFloat64)));
  EXPECT_TRUE(tg::equal((hard == 1.0).sum().to(tg::kInt64), tg::tensor(int64_t{4})));
  // straight-through: the hard sample's gradient is the soft sample's
  (hard * tg::arange(5, tg::kFloat64)).sum().backward();
  EXPECT_TRUE(logits.grad().defined());
  EXPECT_GT(logits.grad().abs().sum().item<double>(), 0.0);
}

TEST(FunctionalLayers, OneHot) {
  Tensor y = F::one_hot(tg::tensor({0, 2, 1}, tg::kInt64));
  EXPECT_EQ(y.sizes(), tg::IntArrayRef({3, 3}));
  EXPECT_EQ(y.dtype(), tg::kInt64);
  EXPECT_TRUE(tg::equal(y, tg::tensor({{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}, tg::kInt64)));
  EXPECT_EQ(F::one_hot(tg::arange(6).view({3, 2}) % 3, 5).sizes(), tg::IntArrayRef({3, 2, 5}));
  EXPECT_EQ(F::one_hot(tg::zeros({0}, tg::kInt64), 4).sizes(), tg::IntArrayRef({0, 4}));
  expect_error([] { F::one_hot(tg::tensor({-1, 0}, tg::kInt64)); }, Parts{"one_hot", "Class values must be non-negative"});
  expect_error([] { F::one_hot(tg::tensor({3, 0}, tg::kInt64), 3); },
               Parts{"one_hot", "Class values must be smaller than num_classes"});
  expect_error([] { F::one_hot(tg::zeros({0}, tg::kInt64)); }, Parts{"one_hot", "Can not infer total number of classes"});
  expect_error([] { F::one_hot(tg::zeros({2})); }, Parts{"one_hot", "only applicable to index tensor", "float32"});
}

TEST(FunctionalLayers, PadModes) {
  Tensor x = t64({1.0, 2.0, 3.0}).view({1, 1, 3});
  EXPECT_EQ(vals(F::pad(x, F::PadFuncOptions({2, 1}))), V({0, 0, 1, 2, 3, 0}));
  EXPECT_EQ(vals(F::pad(x, F::PadFuncOptions({1, 1}).value(9))), V({9, 1, 2, 3, 9}));
  EXPECT_EQ(vals(F::pad(x, F::PadFuncOptions({-1, 1}))), V({2, 3, 0}));
  EXPECT_EQ(vals(F::pad(x, F::PadFuncOptions({2, 1}).mode(tg::kReflect))), V({3, 2, 1, 2, 3, 2}));
  EXPECT_EQ(vals(F::pad(x, F::PadFuncOptions({2, 1}).mode(tg::kReplicate))), V({1, 1, 1, 2, 3, 3}));
  EXPECT_EQ(vals(F::pad(x, F::PadFuncOptions({1, 2}).mode(tg::kCircular))), V({3, 1, 2, 3, 1, 2}));
  Tensor img = tg::arange(4, tg::kFloat64).view({1, 2, 2});
  EXPECT_EQ(vals(F::pad(img, F::PadFuncOptions({1, 0, 0, 1}).mode(tg::kReplicate))), V({0, 0, 1, 2, 2, 3, 2, 2, 3}));
  Tensor c = F::pad(x, F::PadFuncOptions({0, 0}));
  EXPECT_FALSE(c.is_same(x));  // a copy, as PyTorch's
  expect_error([&] { F::pad(x, F::PadFuncOptions({1})); }, Parts{"pad", "Padding length must be divisible by 2"});
  expect_error([&] { F::pad(x, F::PadFuncOptions({1, 1, 1, 1, 1, 1, 1, 1})); }, Parts{"pad", "Padding length too large"});
  expect_error([&] { F::pad(x, F::PadFuncOptions({3, 0}).mode(tg::kReflect)); },
               Parts{"pad", "Padding size should be less than the corresponding input dimension", "(3, 0)"});
  expect_error([&] { F::pad(x, F::PadFuncOptions({1, 1}).mode(tg::kReflect).value(2)); },
               Parts{"pad", "Padding mode \"reflect\" doesn't take in value argument"});
  expect_error([&] { F::pad(t64({1.0, 2.0}).view({1, 2}), F::PadFuncOptions({1, 1}).mode(tg::kCircular)); },
               Parts{"pad", "Invalid padding size, expected 0 but got 2"});
  expect_error([&] { F::pad(x, F::PadFuncOptions({4, 0}).mode(tg::kCircular)); },
               Parts{"pad", "Padding value causes wrapping around more than once"});
  expect_error([&] { F::pad(x.view({3}), F::PadFuncOptions({1, 1}).mode(tg::kReplicate)); },
               Parts{"pad", "Only 2D, 3D, 4D, 5D padding with non-constant padding"});
  expect_error([&] { F::pad(x, F::PadFuncOptions({-2, -2})); },
               Parts{"constant_pad_nd", "resulted in a negative output size", "dimension 2"});
}

TEST(FunctionalLayers, NormalizeLayerNormBatchNorm) {
  Tensor x = t64({3.0, 4.0, 0.0, 0.0}).view({2, 2});
  EXPECT_EQ(vals(F::normalize(x)), V({0.6, 0.8, 0.0, 0.0}));  // the zero row stays 0 (eps)
  Tensor by_columns = F::normalize(x, F::NormalizeFuncOptions().p(1).dim(0));
  EXPECT_TRUE(tg::equal(by_columns, tg::tensor({{1.0, 1.0}, {0.0, 0.0}}, tg::kFloat64))) << by_columns;
  Tensor out = tg::empty({0}, tg::kFloat64);
  F::normalize(x, F::NormalizeFuncOptions().out(out));
  EXPECT_EQ(vals(out), V({0.6, 0.8, 0.0, 0.0}));
  tg::manual_seed(2);
  Tensor in = tg::randn({2, 3, 2, 2}, tg::kFloat64);
  EXPECT_TRUE(tg::equal(F::layer_norm(in, F::LayerNormFuncOptions({2, 2}).eps(2e-5)), tg::layer_norm(in, {2, 2}, {}, {}, 2e-5)));
  Tensor rm = tg::zeros({3}, tg::kFloat64), rv = tg::ones({3}, tg::kFloat64);
  Tensor y = F::batch_norm(in, rm, rv, F::BatchNormFuncOptions().training(true).momentum(0.5));
  Tensor m = in.mean({0, 2, 3});
  EXPECT_TRUE(tg::allclose(y.mean({0, 2, 3}), tg::zeros({3}, tg::kFloat64), 1e-12, 1e-12));
  EXPECT_TRUE(tg::allclose(rm, m * 0.5));
  EXPECT_TRUE(tg::allclose(rv, 0.5 + 0.5 * tg::var(in.transpose(0, 1).reshape({3, -1}), {1})));
  Tensor ev = F::batch_norm(in, rm, rv);  // evaluation: the running statistics
  EXPECT_TRUE(tg::allclose(ev, (in - rm.view({1, 3, 1, 1})) / tg::sqrt(rv.view({1, 3, 1, 1}) + 1e-5)));
  expect_error([&] { F::batch_norm(in, rm, rv, F::BatchNormFuncOptions().momentum(std::nullopt)); },
               Parts{"batch_norm", "momentum"});
  expect_error([&] { F::batch_norm(tg::zeros({1, 3}), {}, {}, F::BatchNormFuncOptions().training(true)); },
               Parts{"batch_norm", "Expected more than 1 value per channel when training", "[1, 3]"});
}

TEST(FunctionalLayers, EmbeddingOptions) {
  Tensor w = tg::arange(8, tg::kFloat64).view({4, 2}).requires_grad_();
  Tensor idx = tg::tensor({{0, 2}, {2, 3}}, tg::kInt64);
  Tensor y = F::embedding(idx, w, F::EmbeddingFuncOptions().padding_idx(2));
  EXPECT_TRUE(tg::equal(y, tg::embedding(w, idx)));
  y.sum().backward();
  EXPECT_EQ(vals(w.grad()), V({1, 1, 0, 0, 0, 0, 1, 1}));  // the padding row gets none
  w.mutable_grad() = Tensor();
  F::embedding(idx, w, F::EmbeddingFuncOptions().padding_idx(-1)).sum().backward();  // row 3
  EXPECT_EQ(vals(w.grad()), V({1, 1, 0, 0, 2, 2, 0, 0}));
  w.mutable_grad() = Tensor();
  F::embedding(idx, w, F::EmbeddingFuncOptions().scale_grad_by_freq(true)).sum().backward();
  EXPECT_EQ(vals(w.grad()), V({1, 1, 0, 0, 1, 1, 1, 1}));  // row 2, looked up twice, counts once
  Tensor w2 = tg::tensor({{3.0, 4.0}, {0.3, 0.4}}, tg::kFloat64);
  F::embedding(tg::tensor({0, 1}, tg::kInt64), w2, F::EmbeddingFuncOptions().max_norm(1.0));
  EXPECT_TRUE(tg::allclose(w2, tg::tensor({{0.6, 0.8}, {0.3, 0.4}}, tg::kFloat64), 1e-6, 1e-6));  // renormalised in place
  expect_error([&] { F::embedding(idx, w, F::EmbeddingFuncOptions().padding_idx(4)); },
               Parts{"embedding", "Padding_idx must be within num_embeddings"});
  expect_error([&] { F::embedding(idx, w, F::EmbeddingFuncOptions().sparse(true)); },
               Parts{"embedding", "sparse gradients are not supported"});
  // ATen's form: padding_idx -1 is none, scale_grad_by_freq as the option
  w.mutable_grad() = Tensor();
  tg::embedding(w, idx, 2, true, false).sum().backward();
  EXPECT_EQ(vals(w.grad()), V({1, 1, 0, 0, 0, 0, 1, 1}));
  w.mutable_grad() = Tensor();
  tg::embedding(w, idx, -1, true).sum().backward();
  EXPECT_EQ(vals(w.grad()), V({1, 1, 0, 0, 1, 1, 1, 1}));
  expect_error([&] { tg::embedding(w, idx, -1, false, true); }, Parts{"embedding", "sparse gradients"});
  expect_error([&] { tg::embedding(w, idx, 7); }, Parts{"embedding", "Padding_idx must be within num_embeddings"});
  nn::Embedding e(nn::EmbeddingOptions(5, 3).padding_idx(1).max_norm(2.0));
  EXPECT_EQ(vals(e->weight.select(0, 1)), V({0, 0, 0}));
  std::ostringstream s;
  s << *e;
  EXPECT_EQ(s.str(), "tg::nn::Embedding(num_embeddings=5, embedding_dim=3, padding_idx=1, max_norm=2)");
  nn::Embedding pre = nn::Embedding::from_pretrained(tg::ones({2, 3}));
  EXPECT_FALSE(pre->weight.requires_grad());
  EXPECT_TRUE(nn::Embedding::from_pretrained(tg::ones({2, 3}), nn::EmbeddingFromPretrainedOptions().freeze(false))
                  ->weight.requires_grad());
}

TEST(FunctionalLayers, ActivationModulesPrintAsLibtorch) {
  auto printed = [](const auto& m) {
    std::ostringstream s;
    s << *m;
    return s.str();
  };
  EXPECT_EQ(printed(nn::ReLU()), "tg::nn::ReLU()");
  EXPECT_EQ(printed(nn::ReLU(true)), "tg::nn::ReLU(inplace=true)");
  EXPECT_EQ(printed(nn::ReLU6(nn::ReLU6Options().inplace(true))), "tg::nn::ReLU6(inplace=true)");
  EXPECT_EQ(printed(nn::SELU()), "tg::nn::SELU()");
  EXPECT_EQ(printed(nn::Softmin(1)), "tg::nn::Softmin(dim=1)");
  EXPECT_EQ(printed(nn::Softmax(nn::SoftmaxOptions(-1))), "tg::nn::Softmax(dim=-1)");
  EXPECT_EQ(printed(nn::Softmax2d()), "tg::nn::Softmax2d()");
  EXPECT_EQ(printed(nn::Hardshrink(0.42)), "tg::nn::Hardshrink(0.42)");
  EXPECT_EQ(printed(nn::Softshrink()), "tg::nn::Softshrink(0.5)");
  EXPECT_EQ(printed(nn::Tanhshrink()), "tg::nn::Tanhshrink()");
  EXPECT_EQ(printed(nn::Threshold(0.1, 20)), "tg::nn::Threshold(threshold=0.1, value=20)");
  EXPECT_EQ(printed(nn::GLU()), "tg::nn::GLU(dim=-1)");
  EXPECT_EQ(printed(nn::RReLU()), "tg::nn::RReLU(lower=0.125, upper=0.333333)");
  EXPECT_EQ(printed(nn::GELU()), "tg::nn::GELU()");
  Tensor x = t64({-1.0, 0.5, 2.0});
  EXPECT_TRUE(tg::equal(nn::Softmin(0)(x), tg::softmax(-x, 0)));
  EXPECT_TRUE(tg::equal(nn::Tanhshrink()(x), x - tg::tanh(x)));
  EXPECT_TRUE(tg::equal(nn::Threshold(0.6, -3)(x), t64({-3.0, -3.0, 2.0})));
  Tensor y = x.clone();
  nn::ReLU(true)(y);
  EXPECT_EQ(vals(y), V({0.0, 0.5, 2.0}));  // in place
  expect_error([] { nn::Softmax2d()(tg::zeros({2, 2})); }, Parts{"Softmax2d", "3D or 4D", "[2, 2]"});
}

}  // namespace

TEST(FunctionalLayers, CellsIdentityAndHardtanhAsLibtorch) {
  EXPECT_EQ(tg::str(nn::LSTMCell(20, 10)), "tg::nn::LSTMCell(20, 10)");
  EXPECT_EQ(tg::str(nn::GRUCell(nn::GRUCellOptions(3, 4).bias(false))), "tg::nn::GRUCell(3, 4, bias=false)");
  EXPECT_EQ(tg::str(nn::Identity()), "tg::nn::Identity()");
  expect_error([] { nn::Hardtanh(nn::HardtanhOptions().min_val(0.5).max_val(0.5)); },
               Parts{"Hardtanh: max_val must be greater than min_val", "min_val=0.5, max_val=0.5"});
  EXPECT_NO_THROW(nn::Hardtanh(nn::HardtanhOptions().min_val(-2).max_val(2)));
}

namespace {
// The largest / smallest value of each slice t[i0, ..., i_{from-1}, :, ...].
Tensor plane_max(const Tensor& t, int64_t from) { return std::get<0>(t.flatten(from).max(-1)); }
Tensor plane_min(const Tensor& t, int64_t from) { return std::get<0>(t.flatten(from).min(-1)); }
}  // namespace

TEST(FunctionalLayers, ChannelAndAlphaDropout) {
  tg::manual_seed(11);
  // dropout2d: each (sample, channel) plane is kept whole (scaled by 1 / (1 - p)) or zeroed
  Tensor x = tg::ones({40, 50, 2, 2}, tg::requires_grad());
  Tensor y = F::dropout2d(x, F::Dropout2dFuncOptions().p(0.5));
  Tensor hi = plane_max(y, 2), lo = plane_min(y, 2);
  EXPECT_TRUE(tg::equal(hi, lo));
  EXPECT_TRUE(((hi == 0) | (hi == 2.0)).all().item<bool>());
  double kept = (hi > 0).to(tg::kFloat64).mean().item<double>();
  EXPECT_GT(kept, 0.4);  // 2000 draws: 0.5 +- 0.011 (one sigma)
  EXPECT_LT(kept, 0.6);
  y.sum().backward();
  EXPECT_TRUE(tg::equal(x.grad(), y.detach()));  // the gradient is the mask times the scale
  // one sample without the batch dim: [C, H, W]
  Tensor one = F::dropout2d(tg::ones({30, 3, 3}), F::Dropout2dFuncOptions().p(0.3));
  EXPECT_EQ(one.sizes(), tg::IntArrayRef({30, 3, 3}));
  EXPECT_TRUE(tg::equal(plane_max(one, 1), plane_min(one, 1)));
  Tensor vol = F::dropout3d(tg::ones({4, 6, 2, 2, 2}), F::Dropout3dFuncOptions().p(0.5));
  EXPECT_TRUE(tg::equal(plane_max(vol, 2), plane_min(vol, 2)));
  // not training: the identity
  Tensor z = tg::randn({2, 3, 4, 4});
  EXPECT_TRUE(tg::equal(F::dropout2d(z, F::Dropout2dFuncOptions().training(false)), z));

  // alpha_dropout keeps a standard normal input's mean 0 and variance 1
  Tensor n = tg::randn({200000}, tg::kFloat64);
  const double p = 0.2;
  Tensor a = F::alpha_dropout(n, F::AlphaDropoutFuncOptions().p(p).training(true));
  EXPECT_NEAR(a.mean().item<double>(), 0.0, 0.01);  // sigma of the mean: 0.0022
  EXPECT_NEAR(a.std().item<double>(), 1.0, 0.01);
  // a dropped element takes the constant -lambda alpha scaled and shifted: -alpha' a (1 - p)
  const double sat = 1.7580993408473766, scale = 1.0 / std::sqrt((sat * sat * p + 1) * (1 - p));
  double dropped = (a - (-sat * scale * (1 - p))).abs().lt(1e-12).to(tg::kFloat64).mean().item<double>();
  EXPECT_NEAR(dropped, p, 0.01);
  EXPECT_TRUE(tg::equal(F::alpha_dropout(n), n));  // training is false by default, as libtorch's
  Tensor fa = F::feature_alpha_dropout(tg::ones({20, 30, 3}), F::FeatureAlphaDropoutFuncOptions().p(0.5).training(true));
  EXPECT_TRUE(tg::equal(plane_max(fa, 2), plane_min(fa, 2)));

  expect_error([&] { F::dropout2d(x, F::Dropout2dFuncOptions().p(1.5)); },
               Parts{"feature_dropout", "dropout probability has to be between 0 and 1, but got 1.5"});
  expect_error([&] { tg::feature_alpha_dropout(tg::ones({5}), 0.5, true); },
               Parts{"feature_alpha_dropout", "requires at least 2 dimensions", "[5]"});
  expect_error([&] { tg::alpha_dropout(tg::ones({5}), -0.1, true); },
               Parts{"alpha_dropout", "between 0 and 1, but got -0.1"});
}

TEST(FunctionalLayers, DropoutModules) {
  tg::manual_seed(12);
  EXPECT_EQ(tg::str(nn::Dropout()), "tg::nn::Dropout(p=0.5, inplace=false)");
  EXPECT_EQ(tg::str(nn::Dropout2d(0.42)), "tg::nn::Dropout2d(p=0.42, inplace=false)");
  EXPECT_EQ(tg::str(nn::Dropout3d(nn::Dropout3dOptions(0.1).inplace(true))), "tg::nn::Dropout3d(p=0.1, inplace=true)");
  EXPECT_EQ(tg::str(nn::AlphaDropout(0.2)), "tg::nn::AlphaDropout(p=0.2, inplace=false)");
  EXPECT_EQ(tg::str(nn::FeatureAlphaDropout()), "tg::nn::FeatureAlphaDropout(p=0.5, inplace=false)");
  // training mode drops; eval mode is the identity
  nn::AlphaDropout alpha(0.5);
  Tensor x = tg::randn({1000});
  EXPECT_FALSE(tg::equal(alpha(x), x));
  alpha->eval();
  EXPECT_TRUE(tg::equal(alpha(x), x));
  // inplace writes the result into the input
  nn::Dropout drop(nn::DropoutOptions(0.5).inplace(true));
  Tensor ones = tg::ones({100});
  Tensor out = drop(ones);
  EXPECT_TRUE(tg::equal(out, ones));
  EXPECT_TRUE(((ones == 0) | (ones == 2.0)).all().item<bool>());  // dropped, or kept and scaled
  EXPECT_TRUE((ones == 0).any().item<bool>());
  nn::Dropout2d d2(0.5);
  Tensor planes = d2(tg::ones({8, 16, 2, 2}));
  EXPECT_TRUE(tg::equal(plane_max(planes, 2), plane_min(planes, 2)));
  expect_error([] { nn::Dropout(1.2); }, "Dropout: dropout probability has to be between 0 and 1, but got 1.2");
  expect_error([] { nn::FeatureAlphaDropout(-1.0); },
               "FeatureAlphaDropout: dropout probability has to be between 0 and 1, but got -1");
}

TEST(PaddingModules, PadAsFPadAndPrintAsLibtorch) {
  Tensor x = tg::arange(8, tg::kFloat64).reshape({1, 2, 4});
  nn::ReflectionPad1d reflect(nn::ReflectionPad1dOptions({3, 1}));
  EXPECT_EQ(vals(reflect(x).select(1, 0)), V({3, 2, 1, 0, 1, 2, 3, 2}));
  nn::ReplicationPad1d replicate(2);
  EXPECT_EQ(vals(replicate(x).select(1, 1)), V({4, 4, 4, 5, 6, 7, 7, 7}));
  Tensor img = tg::arange(4, tg::kFloat64).reshape({1, 1, 2, 2});
  nn::ZeroPad2d zero(nn::ZeroPad2dOptions({1, 0, 0, 1}));
  EXPECT_EQ(vals(zero(img)), V({0, 0, 1, 0, 2, 3, 0, 0, 0}));
  nn::ConstantPad2d constant(nn::ConstantPad2dOptions(1, -1.0));
  EXPECT_EQ(constant(img).sizes(), tg::IntArrayRef({1, 1, 4, 4}));
  EXPECT_EQ(constant(img).sum().item<double>(), 6.0 - 12.0);
  nn::ReflectionPad3d r3(1);
  EXPECT_EQ(r3(tg::ones({1, 1, 2, 2, 2})).sizes(), tg::IntArrayRef({1, 1, 4, 4, 4}));
  nn::ReplicationPad2d r2(nn::ReplicationPad2dOptions({1, 1, 2, 0}));
  EXPECT_TRUE(tg::equal(r2(img), F::pad(img, F::PadFuncOptions({1, 1, 2, 0}).mode(tg::kReplicate))));
  // gradients flow as through F::pad
  Tensor leaf = tg::arange(4, tg::kFloat64).reshape({1, 1, 4}).requires_grad_();
  reflect(leaf).sum().backward();
  EXPECT_EQ(vals(leaf.grad()), V({1, 2, 3, 2}));  // output x3 x2 x1 x0 x1 x2 x3 x2

  EXPECT_EQ(tg::str(nn::ReflectionPad2d(2)), "tg::nn::ReflectionPad2d(padding=[2, 2, 2, 2])");
  EXPECT_EQ(tg::str(nn::ReplicationPad3d(nn::ReplicationPad3dOptions({1, 2, 1, 2, 1, 2}))),
            "tg::nn::ReplicationPad3d(padding=[1, 2, 1, 2, 1, 2])");
  EXPECT_EQ(tg::str(nn::ZeroPad2d(2)), "tg::nn::ZeroPad2d(padding=[2, 2, 2, 2])");
  EXPECT_EQ(tg::str(nn::ConstantPad1d(nn::ConstantPad1dOptions({3, 1}, 3.5))),
            "tg::nn::ConstantPad1d(padding=[3, 1], value=3.5)");
  expect_error([] { nn::ReflectionPad2d(nn::ReflectionPad2dOptions({1, 2})); },
               "ExpandingArray: expected 4 values, but instead got 2");
  expect_error([&] { reflect(tg::ones({1, 2, 2})); },  // F::pad's error: a reflection wider than the dim
               Parts{"pad", "Padding size should be less than the corresponding input dimension", "[1, 2, 2]"});
}

TEST(ExpandingArrayTest, FromOneOrMany) {
  tg::ExpandingArray<3> a(2);
  EXPECT_EQ(*a, (std::array<int64_t, 3>{2, 2, 2}));
  tg::ExpandingArray<2> b({4, 5});
  EXPECT_EQ(b->size(), 2u);
  tg::IntArrayRef r = b;
  EXPECT_EQ(r[1], 5);
  EXPECT_EQ(tg::str(b), "[4, 5]");
  expect_error([] { tg::ExpandingArray<2> c({1, 2, 3}); }, "ExpandingArray: expected 2 values, but instead got 3");
}
