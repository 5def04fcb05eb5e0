// The rarer losses and the distances (src/ops/loss_extra.cpp): gradcheck and gradgradcheck in
// float64 of each (for every reduction), values against hand-computed ones, every error by its
// message, the options (libtorch's names and defaults), and the modules: forward, printing, buffers,
// clone. The existing loss modules' printing and buffers (libtorch's) are checked here too. The
// values against PyTorch itself are in test_reference_losses.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace {

namespace F = tg::nn::functional;
namespace nn = tg::nn;
namespace R = tg::Reduction;
using tg::Tensor;
using tg::TensorList;
using tg_test::expect_error;
using tg_test::vals;
using Parts = std::vector<std::string>;

const tg::TensorOptions kF64 = tg::TensorOptions().dtype(tg::kFloat64);
const int64_t kReductions[] = {R::None, R::Mean, R::Sum};

Tensor f64(tg::detail::TensorDataContainer d) { return tg::tensor(std::move(d), kF64); }

// A float64 leaf requiring grad, uniform in [lo, hi) from a fixed seed.
Tensor leaf(tg::IntArrayRef shape, double lo = -1.5, double hi = 1.5) {
  static std::mt19937_64 gen(20240917);
  std::uniform_real_distribution<double> u(lo, hi);
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) x = u(gen);
  return tg::from_blob_copy(v.data(), shape, tg::kFloat64).requires_grad_(true);
}

// First and second derivatives of fn at inputs, by central differences.
void check(const tg::autograd::SingleFunction& fn, const TensorList& inputs, const std::string& what) {
  auto r = tg::autograd::gradcheck(fn, inputs);
  EXPECT_TRUE(r) << what << ": gradcheck: " << r.message;
  auto rr = tg::autograd::gradgradcheck(fn, inputs);
  EXPECT_TRUE(rr) << what << ": " << rr.message;
}

std::string printed(const nn::Module& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

void expect_values(const Tensor& t, const std::vector<double>& want, double tol = 1e-6) {
  std::vector<double> got = vals(t);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

Tensor signs(tg::IntArrayRef shape, const std::vector<double>& v) {
  return tg::from_blob_copy(v.data(), shape, tg::kFloat64);
}

// ---- gradcheck / gradgradcheck ------------------------------------------------------------------------
// Piecewise-linear losses take squared inputs, so that the second derivatives are not all zero;
// the seeded inputs keep every hinge argument well away from its kink.

TEST(LossesExtraGradcheck, SoftMarginLoss) {
  Tensor t = signs({2, 3}, {1, -1, -1, 1, 1, -1});
  for (int64_t r : kReductions)
    check([&](const TensorList& x) { return tg::soft_margin_loss(x[0], t, r); }, {leaf({2, 3})}, "soft_margin");
}

TEST(LossesExtraGradcheck, MultilabelSoftMarginLoss) {
  Tensor w = f64({0.5, 2.0, 1.5});
  for (auto red : {tg::reduction_t(tg::kNone), tg::reduction_t(tg::kMean), tg::reduction_t(tg::kSum)}) {
    check(
        [&](const TensorList& x) {
          return F::multilabel_soft_margin_loss(x[0], x[1], F::MultilabelSoftMarginLossFuncOptions().reduction(red));
        },
        {leaf({2, 3}), leaf({2, 3}, 0, 1)}, "multilabel_soft_margin");
    check(
        [&](const TensorList& x) {
          return F::multilabel_soft_margin_loss(x[0], x[1],
                                                F::MultilabelSoftMarginLossFuncOptions().weight(w).reduction(red));
        },
        {leaf({2, 3}), leaf({2, 3}, 0, 1)}, "multilabel_soft_margin weight");
  }
}

TEST(LossesExtraGradcheck, HingeEmbeddingLoss) {
  Tensor t = signs({2, 3}, {1, -1, 0, -1, 1, -1});
  Tensor x = f64({{0.3, 0.6, 1.3}, {-0.4, -1.2, 1.35}}).requires_grad_(true);  // x^2 away from margin 1
  for (int64_t r : kReductions)
    check([&](const TensorList& in) { return tg::hinge_embedding_loss(in[0].square(), t, 1.0, r); }, {x},
          "hinge_embedding");
}

TEST(LossesExtraGradcheck, MultiMarginLoss) {
  // margin - x[y]^2 + x[i]^2 away from 0 for every i != y
  Tensor x = f64({{0.3, 1.2, -0.5, 0.9}, {1.4, -0.2, 0.6, 1.1}, {-0.8, 0.4, 1.3, -0.1}}).requires_grad_(true);
  Tensor t = tg::tensor({1, 0, 2});
  Tensor w = f64({0.5, 2.0, 1.5, 0.25});
  for (int64_t r : kReductions)
    for (int p : {1, 2}) {
      check([&](const TensorList& in) { return tg::multi_margin_loss(in[0].square(), t, p, 1.0, {}, r); }, {x},
            "multi_margin p=" + std::to_string(p));
      check([&](const TensorList& in) { return tg::multi_margin_loss(in[0].square(), t, p, 0.7, w, r); }, {x},
            "multi_margin weight p=" + std::to_string(p));
    }
  Tensor x1 = f64({0.3, 1.2, -0.5, 0.9}).requires_grad_(true);
  check([&](const TensorList& in) { return tg::multi_margin_loss(in[0].square(), tg::tensor(1), 1, 1.0, {}, R::None); },
        {x1}, "multi_margin 1-D");
}

TEST(LossesExtraGradcheck, CosineEmbeddingLoss) {
  Tensor t = signs({3}, {1, -1, -1});
  for (int64_t r : kReductions) {
    check([&](const TensorList& x) { return tg::cosine_embedding_loss(x[0], x[1], t, -0.9, r); },
          {leaf({3, 4}), leaf({3, 4})}, "cosine_embedding");
    check([&](const TensorList& x) { return tg::cosine_embedding_loss(x[0], x[1], f64(1.0), 0.0, r); },
          {leaf({4}), leaf({4})}, "cosine_embedding 1-D");
  }
}

TEST(LossesExtraGradcheck, MultilabelMarginLoss) {
  Tensor x = f64({{0.3, 1.2, -0.5, 0.9}, {1.4, -0.2, 0.6, 1.1}}).requires_grad_(true);
  Tensor t = tg::tensor({{3, 0, -1, 1}, {1, 2, 0, -1}});
  for (int64_t r : kReductions)
    check([&](const TensorList& in) { return tg::multilabel_margin_loss(in[0].square(), t, r); }, {x},
          "multilabel_margin");
  Tensor x1 = f64({0.3, 1.2, -0.5, 0.9}).requires_grad_(true);
  check(
      [&](const TensorList& in) {
        return tg::multilabel_margin_loss(in[0].square(), tg::tensor({2, -1, 0, 1}), R::None);
      },
      {x1}, "multilabel_margin 1-D");
}

TEST(LossesExtraGradcheck, TripletMarginLoss) {
  for (int64_t r : kReductions)
    for (bool swap : {false, true}) {
      check([&](const TensorList& x) { return tg::triplet_margin_loss(x[0], x[1], x[2], 1.0, 2, 1e-6, swap, r); },
            {leaf({3, 4}), leaf({3, 4}), leaf({3, 4})}, "triplet_margin");
      check([&](const TensorList& x) { return tg::triplet_margin_loss(x[0], x[1], x[2], 2.0, 3, 1e-3, swap, r); },
            {leaf({3, 4}), leaf({3, 4}), leaf({3, 4})}, "triplet_margin p=3");
    }
}

TEST(LossesExtraGradcheck, TripletMarginWithDistanceLoss) {
  auto cosine = [](const Tensor& a, const Tensor& b) { return 1.0 - tg::cosine_similarity(a, b); };
  for (auto red : {tg::reduction_t(tg::kNone), tg::reduction_t(tg::kMean), tg::reduction_t(tg::kSum)}) {
    check(
        [&](const TensorList& x) {
          return F::triplet_margin_with_distance_loss(x[0], x[1], x[2],
                                                      F::TripletMarginWithDistanceLossFuncOptions().reduction(red));
        },
        {leaf({3, 4}), leaf({3, 4}), leaf({3, 4})}, "triplet_margin_with_distance");
    check(
        [&](const TensorList& x) {
          return F::triplet_margin_with_distance_loss(
              x[0], x[1], x[2],
              F::TripletMarginWithDistanceLossFuncOptions().distance_function(cosine).margin(1.5).swap(true).reduction(
                  red));
        },
        {leaf({3, 4}), leaf({3, 4}), leaf({3, 4})}, "triplet_margin_with_distance cosine");
  }
}

TEST(LossesExtraGradcheck, PoissonNllLoss) {
  for (int64_t r : kReductions) {
    check([&](const TensorList& x) { return tg::poisson_nll_loss(x[0], x[1], true, false, 1e-8, r); },
          {leaf({2, 3}), leaf({2, 3}, 0.1, 3)}, "poisson_nll");
    check([&](const TensorList& x) { return tg::poisson_nll_loss(x[0], x[1], false, true, 1e-8, r); },
          {leaf({2, 3}, 0.2, 3), f64({{0.5, 1.5, 2.5}, {3.5, 0.7, 1.2}}).requires_grad_(true)}, "poisson_nll full");
  }
}

TEST(LossesExtraGradcheck, MarginRankingLoss) {
  Tensor t = signs({4}, {1, -1, -1, 1});
  Tensor a = f64({0.3, 1.2, -0.5, 0.9}).requires_grad_(true), b = f64({1.1, -0.4, 0.2, 0.5}).requires_grad_(true);
  for (int64_t r : kReductions)
    check([&](const TensorList& x) { return tg::margin_ranking_loss(x[0].square(), x[1].square(), t, 0.3, r); }, {a, b},
          "margin_ranking");
}

TEST(LossesExtraGradcheck, CosineSimilarity) {
  check([](const TensorList& x) { return tg::cosine_similarity(x[0], x[1]); }, {leaf({3, 4}), leaf({3, 4})},
        "cosine_similarity");
  check([](const TensorList& x) { return tg::cosine_similarity(x[0], x[1], -1); }, {leaf({2, 3, 4}), leaf({4})},
        "cosine_similarity broadcast");
  // With the norms clamped at eps the gradient is not the derivative of the value (as PyTorch's,
  // the clamp is not differentiated), so gradcheck does not apply; the PyTorch fixture
  // cosine_similarity_clamped (test_reference_losses.cpp) checks that case.
}

TEST(LossesExtraGradcheck, PairwiseDistance) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double p : {2.0, 3.0, 1.5, 0.5})
    check([p](const TensorList& x) { return tg::pairwise_distance(x[0], x[1], p); }, {leaf({3, 4}), leaf({3, 4})},
          "pairwise_distance p=" + std::to_string(p));
  check([](const TensorList& x) { return tg::pairwise_distance(x[0], x[1], 2, 1e-6, true); }, {leaf({3, 4}), leaf({4})},
        "pairwise_distance keepdim broadcast");
  for (double p : {1.0, inf})
    check([p](const TensorList& x) { return tg::pairwise_distance(x[0].square(), x[1], p); },
          {leaf({3, 4}), leaf({3, 4})}, "pairwise_distance of squares p=" + std::to_string(p));
}

TEST(LossesExtraGradcheck, Pdist) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double p : {2.0, 3.0, 1.5})
    check([p](const TensorList& x) { return tg::pdist(x[0], p); }, {leaf({4, 3})}, "pdist p=" + std::to_string(p));
  for (double p : {1.0, inf})
    check([p](const TensorList& x) { return tg::pdist(x[0].square(), p); }, {leaf({4, 3})},
          "pdist of squares p=" + std::to_string(p));
}

// ---- values ----------------------------------------------------------------------------------------------

TEST(LossesExtraValues, MarginLossesByHand) {
  // soft_margin: log(1 + exp(-t x))
  expect_values(tg::soft_margin_loss(f64({2.0, -1.0}), f64({-1.0, -1.0}), R::None),
                {std::log1p(std::exp(2.0)), std::log1p(std::exp(-1.0))});
  // hinge_embedding: x where t = 1, max(0, margin - x) where t = -1, both elsewhere
  expect_values(tg::hinge_embedding_loss(f64({0.5, 0.5, 3.0, 0.5}), f64({1.0, -1.0, -1.0, 0.0}), 2.0, R::None),
                {0.5, 1.5, 0.0, 2.0});
  // multi_margin: row [0.1, 0.8, 0.3], target 1: (max(0, 1 - 0.8 + 0.1) + max(0, 1 - 0.8 + 0.3)) / 3
  expect_values(tg::multi_margin_loss(f64({{0.1, 0.8, 0.3}}), tg::tensor({1})), {(0.3 + 0.5) / 3});
  expect_values(tg::multi_margin_loss(f64({{0.1, 0.8, 0.3}}), tg::tensor({1}), 2, 1, f64({1.0, 2.0, 1.0})),
                {2 * (0.09 + 0.25) / 3});
  // multilabel_margin: targets {3, 0} of [0.1, 0.2, 0.4, 0.8]: 3.4 / 4 (libtorch's test)
  expect_values(tg::multilabel_margin_loss(f64({0.1, 0.2, 0.4, 0.8}), tg::tensor({3, 0, -1, 1})), {0.85});
  // margin_ranking: max(0, -t (a - b) + margin)
  expect_values(tg::margin_ranking_loss(f64({1.0, 1.0}), f64({2.0, 0.5}), f64({1.0, -1.0}), 0.25, R::None),
                {1.25, 0.75});
  // poisson_nll with full: exp(x) - t x + t log t - t + 0.5 log(2 pi t) where t > 1
  const double pi = 3.14159265358979323846;
  expect_values(tg::poisson_nll_loss(f64({0.5, 0.5}), f64({1.0, 3.0}), true, true, 1e-8, R::None),
                {std::exp(0.5) - 0.5, std::exp(0.5) - 1.5 + 3 * std::log(3.0) - 3 + 0.5 * std::log(2 * pi * 3)}, 1e-12);
  // target 0 with full: finite loss and gradient (the Stirling term is not evaluated at log(0))
  Tensor t0 = f64({0.0, 2.0}).requires_grad_(true);
  Tensor l0 = tg::poisson_nll_loss(f64({0.5, 0.5}), t0, true, true, 1e-8, R::Sum);
  l0.backward();
  for (double v : vals(t0.grad())) EXPECT_TRUE(std::isfinite(v));
}

TEST(LossesExtraValues, NoGradientAtTheHingeAsPyTorchsKernels) {
  // margin - x[y] + x[i] = 0 for i = 0, 2 (and 1 - x[j] + x[i] = 0 for multilabel): PyTorch's
  // kernels count only positive arguments, so the gradient is 0
  Tensor x = f64({{0.0, 1.0, 0.0}}).requires_grad_(true);
  tg::multi_margin_loss(x, tg::tensor({1})).backward();
  expect_values(x.grad(), {0.0, 0.0, 0.0}, 0.0);
  x.mutable_grad() = Tensor();
  tg::multilabel_margin_loss(x, tg::tensor({{1, -1, 0}})).backward();
  expect_values(x.grad(), {0.0, 0.0, 0.0}, 0.0);
}

TEST(LossesExtraValues, DistancesByHand) {
  expect_values(tg::pdist(f64({{0.0, 0.0}, {3.0, 4.0}, {0.0, 1.0}})), {5.0, 1.0, std::sqrt(18.0)}, 1e-12);
  expect_values(tg::pdist(f64({{0.0, 0.0}, {3.0, -4.0}}), std::numeric_limits<double>::infinity()), {4.0}, 1e-12);
  expect_values(tg::pdist(f64({{0.0, 0.0}, {3.0, 0.0}}), 0), {1.0}, 1e-12);
  EXPECT_EQ(tg::pdist(f64({{1.0, 2.0}})).sizes().vec(), std::vector<int64_t>{0});
  expect_values(tg::pairwise_distance(f64({{1.0, 2.0}}), f64({{4.0, 6.0}}), 2, 0.0), {5.0}, 1e-12);
  EXPECT_EQ(tg::pairwise_distance(f64({{1.0, 2.0}}), f64({{4.0, 6.0}}), 2, 0.0, true).sizes().vec(),
            (std::vector<int64_t>{1, 1}));
  expect_values(tg::cosine_similarity(f64({{1.0, 0.0}, {1.0, 1.0}}), f64({{0.0, 2.0}, {2.0, 2.0}})), {0.0, 1.0}, 1e-12);
  // p = 0 counts the non-zero differences and has a zero (defined) gradient; p = inf shares its
  // gradient among ties, as PyTorch's
  Tensor a = f64({{1.0, -3.0, 3.0}}).requires_grad_(true);
  Tensor d0 = tg::pairwise_distance(a, f64({{1.0, 0.0, 0.0}}), 0, 0.0);
  expect_values(d0, {2.0});
  d0.sum().backward();
  expect_values(a.grad(), {0.0, 0.0, 0.0});
  a.mutable_grad() = Tensor();
  tg::pairwise_distance(a, tg::zeros({1, 3}, kF64), std::numeric_limits<double>::infinity(), 0.0).sum().backward();
  expect_values(a.grad(), {0.0, -0.5, 0.5});
}

TEST(LossesExtraValues, IntegerInputsOfCosineEmbeddingLoss) {
  // libtorch's test: int64 inputs, a float result
  Tensor out = tg::cosine_embedding_loss(tg::tensor({{2, 3, 4}, {6, 2, 4}}), tg::tensor({{2, 3, 5}, {9, 12, 0}}),
                                         tg::tensor({1, -1}), 0.5);
  EXPECT_TRUE(out.is_floating_point());
  EXPECT_NEAR(out.item<double>(), 0.1004, 1e-4);
}

TEST(LossesExtraValues, TripletWithDistanceMatchesTriplet) {
  Tensor a = leaf({5, 4}), p = leaf({5, 4}), n = leaf({5, 4});
  for (bool swap : {false, true}) {
    Tensor want = F::triplet_margin_loss(a, p, n, F::TripletMarginLossFuncOptions().swap(swap).margin(0.5));
    Tensor got = F::triplet_margin_with_distance_loss(
        a, p, n, F::TripletMarginWithDistanceLossFuncOptions().swap(swap).margin(0.5));
    EXPECT_TRUE(got.allclose(want, 1e-12, 1e-12));
  }
}

TEST(LossesExtraValues, ShapesOfTheUnreducedLosses) {
  Tensor x = leaf({3, 4});
  EXPECT_EQ(tg::multi_margin_loss(x, tg::tensor({0, 1, 2}), 1, 1, {}, R::None).sizes().vec(), std::vector<int64_t>{3});
  EXPECT_EQ(tg::multi_margin_loss(x[0], tg::tensor(2), 1, 1, {}, R::None).dim(), 0);
  EXPECT_EQ(tg::multi_margin_loss(x[0], tg::tensor({2}), 1, 1, {}, R::None).sizes().vec(), std::vector<int64_t>{1});
  EXPECT_EQ(tg::multilabel_margin_loss(x, tg::zeros({3, 4}, tg::kInt64), R::None).sizes().vec(),
            std::vector<int64_t>{3});
  EXPECT_EQ(tg::multilabel_margin_loss(x[0], tg::zeros({4}, tg::kInt64), R::None).dim(), 0);
  EXPECT_EQ(
      F::multilabel_soft_margin_loss(x, x, F::MultilabelSoftMarginLossFuncOptions().reduction(tg::kNone)).sizes().vec(),
      std::vector<int64_t>{3});
  EXPECT_EQ(tg::cosine_embedding_loss(x, x, tg::ones({3}), 0, R::None).sizes().vec(), std::vector<int64_t>{3});
  EXPECT_EQ(tg::triplet_margin_loss(x, x, x, 1, 2, 1e-6, false, R::None).sizes().vec(), std::vector<int64_t>{3});
  // every target -1: no pair counts
  expect_values(tg::multilabel_margin_loss(x, tg::full({3, 4}, -1, tg::kInt64), R::None), {0.0, 0.0, 0.0});
}

TEST(LossesExtraValues, AllcloseBroadcastsAsTorch) {
  EXPECT_TRUE(f64(0.5).allclose(f64({0.5})));
  EXPECT_TRUE(tg::allclose(f64({{1.0, 1.0}, {1.0, 1.0}}), f64({1.0})));
  EXPECT_FALSE(f64({1.0, 2.0}).allclose(f64({1.0})));
  expect_error(
      [] {
        (void)f64({1.0, 2.0}).allclose(f64({1.0, 2.0, 3.0}));
      },
      Parts{"allclose", "The size of tensor a (2) must match the size of tensor b (3)"});
}

// ---- errors --------------------------------------------------------------------------------------------

TEST(LossesExtraErrors, Losses) {
  Tensor x = leaf({3, 4}), t = tg::tensor({0, 1, 2});
  expect_error([&] { tg::soft_margin_loss(x, x[0]); },
               Parts{"soft_margin_loss", "target size ([4])", "input size ([3, 4])"});
  expect_error([&] { tg::soft_margin_loss(x, x, 7); },
               Parts{"soft_margin_loss", "7 is not a valid value for reduction"});
  expect_error([&] { tg::hinge_embedding_loss(x, x[0]); }, Parts{"hinge_embedding_loss", "target size ([4])"});
  expect_error([&] { tg::multi_margin_loss(x, t, 3); }, Parts{"multi_margin_loss", "only p == 1 and p == 2 supported"});
  expect_error(
      [&] {
        tg::multi_margin_loss(tg::zeros({3, 0}, kF64), t);
      },
      Parts{"multi_margin_loss",
            "Expected non-empty vector or matrix with optional 0-dim batch size, but got: [3, 0]"});
  expect_error(
      [&] {
        tg::multi_margin_loss(x, tg::tensor({0, 1}));
      },
      Parts{"multi_margin_loss", "inconsistent target size, got: [2]"});
  expect_error(
      [&] {
        tg::multi_margin_loss(x, tg::tensor({0, 4, 1}));
      },
      Parts{"multi_margin_loss", "target out of range"});
  expect_error(
      [&] {
        tg::multi_margin_loss(x, tg::tensor({0, -1, 1}));
      },
      Parts{"multi_margin_loss", "target out of range"});
  expect_error(
      [&] {
        tg::multi_margin_loss(x, f64({0.0, 1.0, 2.0}));
      },
      Parts{"multi_margin_loss", "expected target of dtype int64", "float64"});
  expect_error(
      [&] {
        tg::multi_margin_loss(tg::tensor({{1, 2}}), tg::tensor({0}));
      },
      Parts{"multi_margin_loss", "expected input to be a floating-point tensor", "int64"});
  expect_error(
      [&] {
        tg::multi_margin_loss(x, t, 1, 1, tg::ones({2, 2}, kF64));
      },
      Parts{"multi_margin_loss", "weight must be one-dimensional", "[2, 2]"});
  expect_error([&] { tg::multi_margin_loss(x, t, 1, 1, tg::ones({3}, kF64)); },
               Parts{"multi_margin_loss", "a weight of 4 elements"});
  expect_error(
      [&] {
        tg::cosine_embedding_loss(x, x, tg::ones({3, 1}));
      },
      Parts{"cosine_embedding_loss", "0D or 1D target tensor expected, multi-target not supported"});
  expect_error([&] { tg::cosine_embedding_loss(x[0], x[0], tg::ones({3})); },
               Parts{"cosine_embedding_loss",
                     "1D target tensor expects 2D input tensors, but found inputs with sizes [4] and [4]."});
  expect_error([&] { tg::cosine_embedding_loss(x, x, tg::ones({})); },
               Parts{"0D target tensor expects 1D input tensors, but found inputs with sizes [3, 4] and [3, 4]."});
  expect_error(
      [&] {
        tg::cosine_embedding_loss(x, leaf({3, 5}), tg::ones({3}));
      },
      Parts{"cosine_embedding_loss", "The size of tensor a (4) must match the size of tensor b (5)"});
  expect_error(
      [&] {
        tg::multilabel_margin_loss(x, tg::zeros({3, 3}, tg::kInt64));
      },
      Parts{"multilabel_margin_loss", "inconsistent size [3, 3] for argument #2 'target'"});
  expect_error(
      [&] {
        tg::multilabel_margin_loss(x, tg::full({3, 4}, 4, tg::kInt64));
      },
      Parts{"multilabel_margin_loss", "argument #2 'target' is out of range", "got 4"});
  expect_error(
      [&] {
        tg::multilabel_margin_loss(x, tg::full({3, 4}, -2, tg::kInt64));
      },
      Parts{"argument #2 'target' is out of range"});
  expect_error(
      [&] {
        tg::multilabel_margin_loss(tg::zeros({2, 3, 4}, kF64), tg::zeros({2, 3, 4}, tg::kInt64));
      },
      Parts{"multilabel_margin_loss", "Expected non-empty vector or matrix", "[2, 3, 4]"});
  expect_error([&] { tg::triplet_margin_loss(x, x, x[0]); },
               Parts{"triplet_margin_loss", "All inputs should have same dimension but got 2D, 2D and 1D inputs."});
  expect_error([&] { tg::poisson_nll_loss(x, x[0], true, false, 1e-8, R::Mean); },
               Parts{"poisson_nll_loss", "target size ([4])"});
  expect_error(
      [&] { tg::margin_ranking_loss(x, x, x[0]); },
      Parts{"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: [3, 4], "
            "input2: [3, 4], target: [4]"});
  expect_error(
      [&] {
        tg::margin_ranking_loss(x, leaf({3, 5}), x);
      },
      Parts{"margin_ranking_loss", "The size of tensor a (4) must match the size of tensor b (5)"});
  expect_error([&] { F::multilabel_soft_margin_loss(x, x[0]); },
               Parts{"multilabel_soft_margin_loss", "target size ([4])"});
  expect_error([&] { F::multilabel_soft_margin_loss(f64(1.0), f64(1.0)); },
               Parts{"multilabel_soft_margin_loss", "expected an input with a class dimension"});
}

TEST(LossesExtraErrors, Distances) {
  Tensor x = leaf({3, 4});
  expect_error(
      [&] {
        tg::cosine_similarity(tg::tensor({{1, 2}}), tg::tensor({{3, 4}}));
      },
      Parts{"cosine_similarity", "expected common dtype to be floating point, yet common dtype is int64"});
  expect_error(
      [&] {
        tg::cosine_similarity(x, leaf({3, 5}));
      },
      Parts{"cosine_similarity", "The size of tensor a (4) must match the size of tensor b (5)"});
  expect_error(
      [&] {
        tg::pairwise_distance(x, leaf({2, 4}));
      },
      Parts{"pairwise_distance", "The size of tensor a (3) must match the size of tensor b (2)"});
  expect_error([&] { tg::pairwise_distance(x, x, -1); }, Parts{"pairwise_distance", "p must be non-negative"});
  expect_error([&] { tg::pairwise_distance(f64(1.0), f64(2.0)); },
               Parts{"pairwise_distance", "expected inputs of at least 1 dimension"});
  expect_error([&] { tg::pdist(x[0]); }, Parts{"pdist only supports 2D tensors, got: 1D"});
  expect_error([&] { tg::pdist(tg::tensor({{1, 2}})); }, Parts{"pdist only supports floating-point dtypes"});
  expect_error([&] { tg::pdist(x, -1); }, Parts{"pdist only supports non-negative p values"});
}

// ---- options ----------------------------------------------------------------------------------------------

TEST(LossesExtraOptions, DefaultsAreLibtorchs) {
  EXPECT_EQ(nn::HingeEmbeddingLossOptions().margin(), 1.0);
  EXPECT_EQ(nn::MultiMarginLossOptions().p(), 1);
  EXPECT_EQ(nn::MultiMarginLossOptions().margin(), 1.0);
  EXPECT_FALSE(nn::MultiMarginLossOptions().weight().defined());
  EXPECT_EQ(nn::CosineEmbeddingLossOptions().margin(), 0.0);
  EXPECT_EQ(nn::TripletMarginLossOptions().margin(), 1.0);
  EXPECT_EQ(nn::TripletMarginLossOptions().p(), 2.0);
  EXPECT_EQ(nn::TripletMarginLossOptions().eps(), 1e-6);
  EXPECT_FALSE(nn::TripletMarginLossOptions().swap());
  EXPECT_FALSE(nn::TripletMarginWithDistanceLossOptions().distance_function().has_value());
  EXPECT_EQ(nn::TripletMarginWithDistanceLossOptions().margin(), 1.0);
  EXPECT_TRUE(nn::PoissonNLLLossOptions().log_input());
  EXPECT_FALSE(nn::PoissonNLLLossOptions().full());
  EXPECT_EQ(nn::PoissonNLLLossOptions().eps(), 1e-8);
  EXPECT_EQ(nn::MarginRankingLossOptions().margin(), 0.0);
  EXPECT_EQ(nn::CosineSimilarityOptions().dim(), 1);
  EXPECT_EQ(nn::CosineSimilarityOptions().eps(), 1e-8);
  EXPECT_EQ(nn::PairwiseDistanceOptions().p(), 2.0);
  EXPECT_EQ(nn::PairwiseDistanceOptions().eps(), 1e-6);
  EXPECT_FALSE(nn::PairwiseDistanceOptions().keepdim());
  EXPECT_TRUE(std::holds_alternative<tg::enumtype::kMean>(nn::SoftMarginLossOptions().reduction()));
  EXPECT_TRUE(std::holds_alternative<tg::enumtype::kMean>(nn::MultiLabelSoftMarginLossOptions().reduction()));
}

TEST(LossesExtraOptions, ImplicitFromAReductionWhereLibtorchHasIt) {
  Tensor x = leaf({2, 3});
  Tensor t = signs({2, 3}, {1, -1, 1, 1, -1, -1});
  EXPECT_TRUE(tg::equal(F::soft_margin_loss(x, t, tg::kNone), tg::soft_margin_loss(x, t, R::None)));
  Tensor mt = tg::tensor({{2, 0, -1}, {1, -1, 0}});
  EXPECT_TRUE(tg::equal(F::multilabel_margin_loss(x, mt, tg::kSum), tg::multilabel_margin_loss(x, mt, R::Sum)));
  nn::MultiLabelMarginLossOptions o = tg::kNone;
  EXPECT_TRUE(std::holds_alternative<tg::enumtype::kNone>(o.reduction()));
  nn::TripletMarginWithDistanceLossOptions::reduction_t r = tg::kSum;
  EXPECT_EQ(tg::enumtype::get_enum_name(r), "kSum");
}

TEST(LossesExtraOptions, GetEnumName) {
  EXPECT_EQ(tg::enumtype::get_enum_name(nn::MSELossOptions().reduction()), "kMean");
  EXPECT_EQ(tg::enumtype::get_enum_name(nn::MSELossOptions(tg::kNone).reduction()), "kNone");
  EXPECT_EQ(tg::enumtype::get_enum_name(nn::KLDivLossOptions(tg::kBatchMean).reduction()), "kBatchMean");
  EXPECT_EQ(tg::enumtype::get_enum_name(std::variant<tg::enumtype::kReflect, tg::enumtype::kCircular>(tg::kCircular)),
            "kCircular");
}

// ---- modules ----------------------------------------------------------------------------------------------

TEST(LossesExtraModules, PrintedAsLibtorch) {
  EXPECT_EQ(printed(*nn::SoftMarginLoss()), "tg::nn::SoftMarginLoss()");
  EXPECT_EQ(printed(*nn::MultiLabelSoftMarginLoss()), "tg::nn::MultiLabelSoftMarginLoss()");
  EXPECT_EQ(printed(*nn::HingeEmbeddingLoss(nn::HingeEmbeddingLossOptions().margin(4))),
            "tg::nn::HingeEmbeddingLoss(margin=4)");
  EXPECT_EQ(printed(*nn::MultiMarginLoss()),
            "tg::nn::MultiMarginLoss(p=1, margin=1, weight=[ Tensor (undefined) ], reduction=kMean)");
  EXPECT_EQ(printed(*nn::MultiMarginLoss(nn::MultiMarginLossOptions().p(2).margin(0.5).reduction(tg::kSum))),
            "tg::nn::MultiMarginLoss(p=2, margin=0.5, weight=[ Tensor (undefined) ], reduction=kSum)");
  EXPECT_EQ(printed(*nn::CosineEmbeddingLoss(nn::CosineEmbeddingLossOptions().margin(0.25))),
            "tg::nn::CosineEmbeddingLoss(margin=0.25)");
  EXPECT_EQ(printed(*nn::MultiLabelMarginLoss()), "tg::nn::MultiLabelMarginLoss()");
  EXPECT_EQ(printed(*nn::TripletMarginLoss(nn::TripletMarginLossOptions().margin(3).p(2).eps(1e-06).swap(false))),
            "tg::nn::TripletMarginLoss(margin=3, p=2, eps=1e-06, swap=false)");
  EXPECT_EQ(printed(*nn::TripletMarginWithDistanceLoss(
                nn::TripletMarginWithDistanceLossOptions()
                    .distance_function([](const Tensor& a, const Tensor& b) { return tg::pairwise_distance(a, b); })
                    .margin(1.5)
                    .swap(true))),
            "tg::nn::TripletMarginWithDistanceLoss(margin=1.5, swap=true)");
  EXPECT_EQ(printed(*nn::PoissonNLLLoss(nn::PoissonNLLLossOptions().full(true).eps(0.42))), "tg::nn::PoissonNLLLoss()");
  EXPECT_EQ(printed(*nn::MarginRankingLoss(nn::MarginRankingLossOptions().margin(0.5))), "tg::nn::MarginRankingLoss()");
  EXPECT_EQ(printed(*nn::CosineSimilarity()), "tg::nn::CosineSimilarity(dim=1, eps=1e-08)");
  EXPECT_EQ(printed(*nn::CosineSimilarity(nn::CosineSimilarityOptions().dim(0).eps(0.5))),
            "tg::nn::CosineSimilarity(dim=0, eps=0.5)");
  EXPECT_EQ(printed(*nn::PairwiseDistance()), "tg::nn::PairwiseDistance(p=2, eps=1e-06, keepdim=false)");
  EXPECT_EQ(printed(*nn::PairwiseDistance(nn::PairwiseDistanceOptions().p(3).eps(0.5).keepdim(true))),
            "tg::nn::PairwiseDistance(p=3, eps=0.5, keepdim=true)");
  // the existing losses, as libtorch's pretty_print
  EXPECT_EQ(printed(*nn::MSELoss()), "tg::nn::MSELoss()");
  EXPECT_EQ(printed(*nn::L1Loss()), "tg::nn::L1Loss()");
  EXPECT_EQ(printed(*nn::SmoothL1Loss()), "tg::nn::SmoothL1Loss");
  EXPECT_EQ(printed(*nn::HuberLoss()), "tg::nn::HuberLoss");
  EXPECT_EQ(printed(*nn::BCELoss()), "tg::nn::BCELoss()");
  EXPECT_EQ(printed(*nn::BCEWithLogitsLoss(nn::BCEWithLogitsLossOptions().pos_weight(tg::ones({3})))),
            "tg::nn::BCEWithLogitsLoss()");
  EXPECT_EQ(printed(*nn::NLLLoss()), "tg::nn::NLLLoss()");
  EXPECT_EQ(printed(*nn::CrossEntropyLoss()), "tg::nn::CrossEntropyLoss()");
  EXPECT_EQ(printed(*nn::KLDivLoss()), "tg::nn::KLDivLoss()");
}

TEST(LossesExtraModules, ForwardIsTheFunctional) {
  Tensor x = leaf({3, 4}), y = leaf({3, 4}), z = leaf({3, 4});
  Tensor s = signs({3}, {1, -1, 1}), s34 = signs({3, 4}, {1, -1, 1, 1, -1, -1, 1, 1, -1, 1, -1, 1});
  Tensor t = tg::tensor({0, 3, 1});
  EXPECT_TRUE(tg::equal(nn::SoftMarginLoss(tg::kSum)(x, s34), tg::soft_margin_loss(x, s34, R::Sum)));
  EXPECT_TRUE(tg::equal(nn::HingeEmbeddingLoss(nn::HingeEmbeddingLossOptions().margin(0.5))(x, s34),
                        tg::hinge_embedding_loss(x, s34, 0.5)));
  EXPECT_TRUE(tg::equal(nn::MultiMarginLoss(nn::MultiMarginLossOptions().p(2))(x, t), tg::multi_margin_loss(x, t, 2)));
  EXPECT_TRUE(tg::equal(nn::CosineEmbeddingLoss()(x, y, s), tg::cosine_embedding_loss(x, y, s)));
  Tensor mt = tg::tensor({{3, 0, -1, 1}, {1, -1, 0, 0}, {2, 2, 2, 2}});
  EXPECT_TRUE(tg::equal(nn::MultiLabelMarginLoss()(x, mt), tg::multilabel_margin_loss(x, mt)));
  EXPECT_TRUE(tg::equal(nn::MultiLabelSoftMarginLoss()(x, y), F::multilabel_soft_margin_loss(x, y)));
  EXPECT_TRUE(tg::equal(nn::TripletMarginLoss()(x, y, z), tg::triplet_margin_loss(x, y, z)));
  EXPECT_TRUE(tg::equal(nn::TripletMarginWithDistanceLoss()(x, y, z), F::triplet_margin_with_distance_loss(x, y, z)));
  EXPECT_TRUE(tg::equal(nn::PoissonNLLLoss()(x, y.abs()), F::poisson_nll_loss(x, y.abs())));
  EXPECT_TRUE(tg::equal(nn::MarginRankingLoss()(x[0], y[0], s34[0]), tg::margin_ranking_loss(x[0], y[0], s34[0])));
  EXPECT_TRUE(tg::equal(nn::CosineSimilarity()(x, y), tg::cosine_similarity(x, y)));
  EXPECT_TRUE(
      tg::equal(nn::PairwiseDistance(nn::PairwiseDistanceOptions().p(1))(x, y), tg::pairwise_distance(x, y, 1)));
}

TEST(LossesExtraModules, WeightBuffersAsLibtorch) {
  Tensor w = tg::tensor({0.5, 2.0, 1.0, 1.5}), pw = tg::tensor({2.0, 1.0, 1.0, 3.0});
  auto names = [](const nn::Module& m) {
    std::vector<std::string> r;
    for (const auto& b : m.named_buffers()) r.push_back(b.key());
    return r;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(*nn::BCELoss(nn::BCELossOptions().weight(w))), V{"weight"});
  EXPECT_EQ(names(*nn::BCEWithLogitsLoss(nn::BCEWithLogitsLossOptions().weight(w).pos_weight(pw))),
            (V{"weight", "pos_weight"}));
  EXPECT_EQ(names(*nn::NLLLoss(nn::NLLLossOptions().weight(w))), V{"weight"});
  EXPECT_EQ(names(*nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().weight(w))), V{"weight"});
  EXPECT_EQ(names(*nn::MultiMarginLoss(nn::MultiMarginLossOptions().weight(w))), V{"weight"});
  EXPECT_EQ(names(*nn::MultiLabelSoftMarginLoss(nn::MultiLabelSoftMarginLossOptions().weight(w))), V{"weight"});
  // without a weight the buffer is undefined, and not listed
  EXPECT_TRUE(names(*nn::NLLLoss()).empty());
  EXPECT_TRUE(names(*nn::MSELoss()).empty());

  // NLLLoss and CrossEntropyLoss use their `weight` member, the buffer
  nn::NLLLoss nll(nn::NLLLossOptions().weight(w));
  EXPECT_TRUE(nll->weight.is_same(nll->named_buffers()["weight"]));
  nn::BCEWithLogitsLoss bcel(nn::BCEWithLogitsLossOptions().pos_weight(pw));
  EXPECT_TRUE(bcel->pos_weight.is_same(bcel->named_buffers()["pos_weight"]));
  Tensor logp = tg::log_softmax(leaf({3, 4}), 1), t = tg::tensor({0, 3, 1});
  EXPECT_TRUE(tg::equal(nll(logp, t), tg::nll_loss(logp, t, w)));
  nn::CrossEntropyLoss ce(nn::CrossEntropyLossOptions().weight(w));
  EXPECT_TRUE(tg::equal(ce(logp, t), tg::cross_entropy(logp, t, w)));

  // clone copies the buffers' values
  auto copy = std::dynamic_pointer_cast<nn::NLLLossImpl>(nll->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_TRUE(tg::equal(copy->weight, w));
  EXPECT_TRUE(tg::equal(copy->forward(logp, t), nll(logp, t)));
}

TEST(LossesExtraModules, CloneAndErrors) {
  nn::TripletMarginLoss triplet(nn::TripletMarginLossOptions().margin(0.25).swap(true));
  auto copy = std::dynamic_pointer_cast<nn::TripletMarginLossImpl>(triplet->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->options.margin(), 0.25);
  EXPECT_TRUE(copy->options.swap());
  EXPECT_EQ(printed(*copy), "tg::nn::TripletMarginLoss(margin=0.25, p=2, eps=1e-06, swap=true)");
  auto dist = std::dynamic_pointer_cast<nn::PairwiseDistanceImpl>(nn::PairwiseDistance()->clone());
  ASSERT_NE(dist, nullptr);
  EXPECT_EQ(printed(*dist), "tg::nn::PairwiseDistance(p=2, eps=1e-06, keepdim=false)");

  expect_error([] { nn::MultiMarginLoss(nn::MultiMarginLossOptions().p(3)); },
               Parts{"MultiMarginLoss", "only p == 1 and p == 2 supported"});
  expect_error(
      [] {
        nn::MultiMarginLoss(nn::MultiMarginLossOptions().weight(tg::ones({2, 2})));
      },
      Parts{"MultiMarginLoss", "weight must be one-dimensional"});
}

}  // namespace
