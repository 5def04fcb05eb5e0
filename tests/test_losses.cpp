// Losses (ops/loss.h):
//  - gradcheck and gradgradcheck (float64, central differences) of every loss for each reduction
//    (None, Mean, Sum), w.r.t. the input and, where the loss is differentiable in it, the target;
//    with class weights, weight / pos_weight, ignore_index, label_smoothing, class-probability
//    targets and [C], [N, C], [N, C, d], [N, C, d1, d2] inputs; inputs sampled away from kinks;
//  - extreme logits give finite losses, gradients and second derivatives in float32 and float64
//    (binary_cross_entropy_with_logits at +-100 and +-1000, cross_entropy at +-1000), with the
//    values the formulas give;
//  - nll_loss / cross_entropy when every target is ignored (PyTorch: Mean is nan, the gradient 0);
//  - cross_entropy(logits, t) == nll_loss(log_softmax(logits, 1), t), values and gradients;
//  - every error path, by its message.
// Agreement with PyTorch's values to 1e-10 is tested by test_reference_losses.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/ops/activation.h"
#include "tensorgrad/ops/loss.h"
#include "tensorgrad/tensorgrad.h"

namespace {

using tg::Shape;
using tg::Tensor;
using TL = std::vector<Tensor>;
using tg::autograd::gradcheck;
using tg::autograd::gradgradcheck;
namespace R = tg::Reduction;

tg::TensorOptions f64() { return tg::TensorOptions().dtype(tg::kFloat64); }

int64_t numel_of(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// A tensor of `shape` and dtype holding `values` (given as doubles).
Tensor make(const std::vector<double>& values, const Shape& shape, tg::ScalarType dtype = tg::kFloat64,
            bool requires_grad = false) {
  Tensor t = tg::from_blob_copy(values.data(), shape, tg::kFloat64, f64());
  if (dtype != tg::kFloat64) t = t.to(dtype);
  if (requires_grad) t.requires_grad_(true);
  return t;
}

// Deterministic uniform values in [lo, hi), kept at least `margin` away from each of `avoid`.
std::vector<double> uniform_values(int64_t n, double lo, double hi, uint32_t seed,
                                   const std::vector<double>& avoid = {}, double margin = 0.05) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(static_cast<size_t>(n));
  for (auto& x : v) {
    for (;;) {
      x = dist(gen);
      bool ok = true;
      for (double a : avoid) ok = ok && std::fabs(x - a) >= margin;
      if (ok) break;
    }
  }
  return v;
}

Tensor uniform(const Shape& shape, double lo, double hi, uint32_t seed, bool requires_grad = true) {
  return make(uniform_values(numel_of(shape), lo, hi, seed), shape, tg::kFloat64, requires_grad);
}

// input - d, with d in [lo, hi) away from the kinks `avoid` (so input - target avoids them).
Tensor target_away(const Tensor& input, const std::vector<double>& avoid, double lo, double hi, uint32_t seed) {
  Tensor d = make(uniform_values(input.numel(), lo, hi, seed, avoid), input.sizes());
  Tensor t = input.detach() - d;
  return t.requires_grad_(true);
}

// Class probabilities along dim 1 (dim 0 for 1-D): softmax of uniform values.
Tensor probs(const Shape& shape, uint32_t seed) {
  Tensor u = uniform(shape, -2.0, 2.0, seed, false);
  return tg::softmax(u, shape.size() == 1 ? 0 : 1).detach().requires_grad_(true);
}

Tensor f64t(tg::detail::TensorDataContainer d) { return tg::tensor(std::move(d), f64()); }

std::vector<double> values_of(const Tensor& t) { return t.to(tg::kFloat64).contiguous().tolist<double>(); }

bool all_finite(const Tensor& t) {
  for (double v : values_of(t))
    if (!std::isfinite(v)) return false;
  return true;
}

const char* reduction_name(int64_t r) { return r == R::None ? "none" : r == R::Mean ? "mean" : "sum"; }

// ---- gradcheck and gradgradcheck of every loss and reduction ------------------------------------

struct LossCase {
  std::string name;
  std::function<TL()> inputs;                                  // fresh inputs (float64)
  std::function<Tensor(const TL& x, int64_t reduction)> loss;  // the loss of those inputs
};

// Class-index targets and class weights (int64 / float64 constants).
Tensor t5() { return tg::tensor({1, 0, 3, 3, 2}); }
Tensor t5_ign() { return tg::tensor({1, -100, 3, 3, -100}); }
Tensor t23() { return tg::tensor({{1, 0, 3}, {2, 2, 1}}); }
Tensor t23_ign() { return tg::tensor({{1, -100, 3}, {2, 2, -100}}); }
Tensor t222() { return tg::tensor({{{0, 2}, {1, 1}}, {{2, 0}, {0, 1}}}); }
Tensor w4() { return f64t({0.5, 2.0, 1.5, 0.25}); }
Tensor w3() { return f64t({0.7, 1.3, 2.0}); }
Tensor bw34() { return f64t({{0.5, 1.5, 2.0, 0.25}, {1.0, 0.75, 3.0, 0.1}, {2.5, 0.6, 1.2, 0.9}}); }
Tensor pw4() { return f64t({0.5, 2.0, 3.0, 1.0}); }

std::vector<LossCase> loss_cases() {
  std::vector<LossCase> c;
  auto add = [&](std::string name, std::function<TL()> in, std::function<Tensor(const TL&, int64_t)> f) {
    c.push_back({std::move(name), std::move(in), std::move(f)});
  };
  // elementwise losses: input and target both differentiable
  add("mse", [] { return TL{uniform({3, 4}, -1, 1, 1), uniform({3, 4}, -1, 1, 2)}; },
      [](const TL& x, int64_t r) { return tg::mse_loss(x[0], x[1], r); });
  add("mse_0d", [] { return TL{f64t(0.3).requires_grad_(true), f64t(-0.8).requires_grad_(true)}; },
      [](const TL& x, int64_t r) { return tg::mse_loss(x[0], x[1], r); });
  add("l1",
      [] {
        Tensor x = uniform({3, 4}, -2, 2, 3);
        return TL{x, target_away(x, {0.0}, -2, 2, 4)};
      },
      [](const TL& x, int64_t r) { return tg::l1_loss(x[0], x[1], r); });
  for (double beta : {0.0, 0.5, 1.0, 2.0}) {
    add("smooth_l1_beta" + std::to_string(static_cast<int>(beta * 10)),
        [beta] {
          Tensor x = uniform({3, 4}, -2, 2, 5);
          double span = beta > 0 ? 3 * beta : 2.0;
          return TL{x, target_away(x, {-beta, 0.0, beta}, -span, span, 6)};
        },
        [beta](const TL& x, int64_t r) { return tg::smooth_l1_loss(x[0], x[1], r, beta); });
  }
  for (double delta : {0.5, 1.0, 2.5}) {
    add("huber_delta" + std::to_string(static_cast<int>(delta * 10)),
        [delta] {
          Tensor x = uniform({2, 3, 2}, -2, 2, 7);
          return TL{x, target_away(x, {-delta, 0.0, delta}, -3 * delta, 3 * delta, 8)};
        },
        [delta](const TL& x, int64_t r) { return tg::huber_loss(x[0], x[1], r, delta); });
  }
  add("bce", [] { return TL{uniform({3, 4}, 0.1, 0.9, 9), uniform({3, 4}, 0.0, 1.0, 10)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy(x[0], x[1], {}, r); });
  add("bce_weight", [] { return TL{uniform({3, 4}, 0.1, 0.9, 11), uniform({3, 4}, 0.0, 1.0, 12)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy(x[0], x[1], bw34(), r); });
  add("bce_weight_row", [] { return TL{uniform({3, 4}, 0.1, 0.9, 13), uniform({3, 4}, 0.0, 1.0, 14)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy(x[0], x[1], w4(), r); });
  add("bcel", [] { return TL{uniform({3, 4}, -4, 4, 15), uniform({3, 4}, 0.0, 1.0, 16)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy_with_logits(x[0], x[1], {}, {}, r); });
  add("bcel_weight", [] { return TL{uniform({3, 4}, -4, 4, 17), uniform({3, 4}, 0.0, 1.0, 18)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy_with_logits(x[0], x[1], bw34(), {}, r); });
  add("bcel_pos_weight", [] { return TL{uniform({3, 4}, -4, 4, 19), uniform({3, 4}, 0.0, 1.0, 20)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy_with_logits(x[0], x[1], {}, pw4(), r); });
  add("bcel_weight_pos_weight", [] { return TL{uniform({3, 4}, -4, 4, 21), uniform({3, 4}, 0.0, 1.0, 22)}; },
      [](const TL& x, int64_t r) { return tg::binary_cross_entropy_with_logits(x[0], x[1], bw34(), pw4(), r); });
  // nll_loss: the input only
  add("nll", [] { return TL{uniform({5, 4}, -3, 0, 23)}; },
      [](const TL& x, int64_t r) { return tg::nll_loss(x[0], t5(), {}, r); });
  add("nll_weight_ignore", [] { return TL{uniform({5, 4}, -3, 0, 24)}; },
      [](const TL& x, int64_t r) { return tg::nll_loss(x[0], t5_ign(), w4(), r); });
  add("nll_ignore_index_3", [] { return TL{uniform({5, 4}, -3, 0, 25)}; },
      [](const TL& x, int64_t r) { return tg::nll_loss(x[0], t5(), w4(), r, 3); });
  add("nll_1d", [] { return TL{uniform({4}, -3, 0, 26)}; },
      [](const TL& x, int64_t r) { return tg::nll_loss(x[0], tg::tensor(2), w4(), r); });
  add("nll_3d", [] { return TL{uniform({2, 4, 3}, -3, 0, 27)}; },
      [](const TL& x, int64_t r) { return tg::nll_loss(x[0], t23_ign(), w4(), r); });
  add("nll_4d", [] { return TL{uniform({2, 3, 2, 2}, -3, 0, 28)}; },
      [](const TL& x, int64_t r) { return tg::nll_loss(x[0], t222(), w3(), r); });
  // cross_entropy: class indices
  add("ce", [] { return TL{uniform({5, 4}, -3, 3, 29)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], t5(), {}, r); });
  add("ce_weight_ignore", [] { return TL{uniform({5, 4}, -3, 3, 30)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], t5_ign(), w4(), r); });
  add("ce_1d", [] { return TL{uniform({4}, -3, 3, 31)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], tg::tensor(1), {}, r); });
  add("ce_3d", [] { return TL{uniform({2, 4, 3}, -3, 3, 32)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], t23(), {}, r); });
  add("ce_4d_weight", [] { return TL{uniform({2, 3, 2, 2}, -3, 3, 33)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], t222(), w3(), r); });
  add("ce_label_smoothing", [] { return TL{uniform({5, 4}, -3, 3, 34)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], t5(), {}, r, -100, 0.1); });
  add("ce_label_smoothing_weight_ignore", [] { return TL{uniform({5, 4}, -3, 3, 35)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy_loss(x[0], t5_ign(), w4(), r, -100, 0.3); });
  add("ce_label_smoothing_3d", [] { return TL{uniform({2, 4, 3}, -3, 3, 36)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], t23_ign(), w4(), r, -100, 0.2); });
  // cross_entropy: class probabilities (target differentiable)
  add("ce_prob", [] { return TL{uniform({5, 4}, -3, 3, 37), probs({5, 4}, 38)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], x[1], {}, r); });
  add("ce_prob_weight_label_smoothing", [] { return TL{uniform({5, 4}, -3, 3, 39), probs({5, 4}, 40)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], x[1], w4(), r, -100, 0.15); });
  add("ce_prob_1d", [] { return TL{uniform({4}, -3, 3, 41), probs({4}, 42)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], x[1], {}, r); });
  add("ce_prob_3d", [] { return TL{uniform({2, 4, 3}, -3, 3, 43), probs({2, 4, 3}, 44)}; },
      [](const TL& x, int64_t r) { return tg::cross_entropy(x[0], x[1], w4(), r); });
  // kl_div
  add("kl", [] { return TL{uniform({3, 4}, -3, 0, 45), uniform({3, 4}, 0.05, 1.0, 46)}; },
      [](const TL& x, int64_t r) { return tg::kl_div(x[0], x[1], r); });
  add("kl_zero_targets", [] { return TL{uniform({3, 4}, -3, 0, 47)}; },
      [](const TL& x, int64_t r) {
        return tg::kl_div(x[0], f64t({{0.0, 0.2, 0.5, 0.3}, {0.0, 0.0, 1.0, 0.0}, {0.25, 0.25, 0.0, 0.5}}), r);
      });
  add("kl_log_target", [] { return TL{uniform({3, 4}, -3, 0, 48), uniform({3, 4}, -3, 0, 49)}; },
      [](const TL& x, int64_t r) { return tg::kl_div(x[0], x[1], r, true); });
  return c;
}

struct GradcheckParam {
  LossCase c;
  int64_t reduction;
};

std::vector<GradcheckParam> gradcheck_params() {
  std::vector<GradcheckParam> p;
  for (const auto& c : loss_cases())
    for (int64_t r : {R::None, R::Mean, R::Sum}) p.push_back({c, r});
  return p;
}

// For gtest's messages (instead of the bytes of the struct).
void PrintTo(const GradcheckParam& p, std::ostream* os) { *os << p.c.name << " " << reduction_name(p.reduction); }

class LossGradcheck : public ::testing::TestWithParam<GradcheckParam> {};

TEST_P(LossGradcheck, GradcheckAndGradgradcheck) {
  const GradcheckParam& p = GetParam();
  TL inputs = p.c.inputs();
  auto fn = [&p](const TL& x) { return p.c.loss(x, p.reduction); };
  Tensor out = fn(inputs);
  ASSERT_TRUE(out.requires_grad());
  ASSERT_TRUE(all_finite(out)) << out;
  auto r = gradcheck(fn, inputs);
  EXPECT_TRUE(r) << "gradcheck: " << r.message;
  auto rr = gradgradcheck(fn, inputs);
  EXPECT_TRUE(rr) << "gradgradcheck: " << rr.message;
}

std::string gradcheck_name(const ::testing::TestParamInfo<GradcheckParam>& info) {
  return info.param.c.name + "_" + reduction_name(info.param.reduction);
}

INSTANTIATE_TEST_SUITE_P(Losses, LossGradcheck, ::testing::ValuesIn(gradcheck_params()), gradcheck_name);

// The default reduction is Mean.
TEST(Losses, DefaultReductionIsMean) {
  Tensor x = uniform({3, 4}, -1, 1, 50), t = uniform({3, 4}, -1, 1, 51);
  EXPECT_EQ(tg::mse_loss(x, t).item<double>(), tg::mse_loss(x, t, R::Mean).item<double>());
  EXPECT_EQ(tg::l1_loss(x, t).item<double>(), tg::l1_loss(x, t, R::Mean).item<double>());
  EXPECT_EQ(tg::smooth_l1_loss(x, t).item<double>(), tg::smooth_l1_loss(x, t, R::Mean, 1.0).item<double>());
  EXPECT_EQ(tg::huber_loss(x, t).item<double>(), tg::huber_loss(x, t, R::Mean, 1.0).item<double>());
  Tensor lp = uniform({5, 4}, -3, 0, 52);
  EXPECT_EQ(tg::nll_loss(lp, t5()).item<double>(), tg::nll_loss(lp, t5(), {}, R::Mean, -100).item<double>());
  EXPECT_EQ(tg::cross_entropy(lp, t5()).item<double>(),
            tg::cross_entropy_loss(lp, t5(), {}, R::Mean, -100, 0.0).item<double>());
  Tensor p = uniform({3, 4}, 0.1, 0.9, 53), q = uniform({3, 4}, 0, 1, 54);
  EXPECT_EQ(tg::binary_cross_entropy(p, q).item<double>(), tg::binary_cross_entropy(p, q, {}, R::Mean).item<double>());
  EXPECT_EQ(tg::binary_cross_entropy_with_logits(x, q).item<double>(),
            tg::binary_cross_entropy_with_logits(x, q, {}, {}, R::Mean).item<double>());
  EXPECT_EQ(tg::kl_div(lp, lp.exp()).item<double>(), tg::kl_div(lp, lp.exp(), R::Mean, false).item<double>());
  // Mean is Sum / numel for the elementwise losses
  EXPECT_NEAR(tg::mse_loss(x, t).item<double>(), tg::mse_loss(x, t, R::Sum).item<double>() / 12, 1e-15);
}

// ---- extreme logits: finite losses, gradients and second derivatives ----------------------------

struct Derivs {
  Tensor out;
  TL grads, gradgrads;
};

// out = fn(inputs); first derivatives of out.sum() with create_graph, then second derivatives of
// the sum of every first derivative.
Derivs derivatives(const std::function<Tensor(const TL&)>& fn, const TL& inputs) {
  Derivs d;
  d.out = fn(inputs);
  d.grads = tg::autograd::grad({d.out.sum()}, inputs, {}, std::nullopt, /*create_graph=*/true);
  Tensor s;
  for (const auto& g : d.grads) s = s.defined() ? s + g.sum() : g.sum();
  if (s.requires_grad()) d.gradgrads = tg::autograd::grad({s}, inputs, {}, std::nullopt, false, /*allow_unused=*/true);
  return d;
}

void expect_all_finite(const Derivs& d, const std::string& what) {
  EXPECT_TRUE(all_finite(d.out)) << what << ": loss " << d.out;
  for (size_t i = 0; i < d.grads.size(); ++i)
    EXPECT_TRUE(d.grads[i].defined() && all_finite(d.grads[i])) << what << ": grad " << i << " " << d.grads[i];
  for (size_t i = 0; i < d.gradgrads.size(); ++i)
    EXPECT_TRUE(!d.gradgrads[i].defined() || all_finite(d.gradgrads[i]))
        << what << ": second derivative " << i << " " << d.gradgrads[i];
}

class ExtremeLogits : public ::testing::TestWithParam<tg::ScalarType> {};

TEST_P(ExtremeLogits, BinaryCrossEntropyWithLogits) {
  const tg::ScalarType dt = GetParam();
  const std::string dname = tg::dtype_name(dt);
  // logits x and targets t; per element, the loss (1 - t) x + softplus(-x) is finite for any x
  const std::vector<double> xs = {-1000, -100, 100, 1000, -1000, -100, 100, 1000};
  const std::vector<double> ts = {0, 0, 0, 0, 1, 1, 1, 1};
  const std::vector<double> tsoft = {0.3, 0.7, 0.2, 0.9, 0.5, 0.1, 0.6, 0.4};
  for (const auto* tv : {&ts, &tsoft}) {
    for (int variant = 0; variant < 4; ++variant) {
      SCOPED_TRACE(dname + (tv == &ts ? " binary targets" : " soft targets") + " variant " + std::to_string(variant));
      Tensor x = make(xs, {2, 4}, dt, true);
      Tensor t = make(*tv, {2, 4}, dt, true);
      Tensor w = variant & 1 ? make({0.5, 1.5, 2.0, 0.25, 1.0, 0.75, 3.0, 0.1}, {2, 4}, dt) : Tensor();
      Tensor pw = variant & 2 ? make({0.5, 2.0, 3.0, 1.0}, {4}, dt) : Tensor();
      for (int64_t r : {R::None, R::Mean, R::Sum}) {
        Derivs d = derivatives(
            [&](const TL& in) { return tg::binary_cross_entropy_with_logits(in[0], in[1], w, pw, r); }, {x, t});
        expect_all_finite(d, reduction_name(r));
        EXPECT_EQ(d.out.dtype(), dt);
      }
      // the values: l = w ((1 - t) x + (1 + (pw - 1) t) softplus(-x)); softplus(-x) = max(-x, 0) + log1p(e^-|x|)
      std::vector<double> got = values_of(tg::binary_cross_entropy_with_logits(x, t, w, pw, R::None));
      std::vector<double> wv = w.defined() ? values_of(w) : std::vector<double>(8, 1.0);
      std::vector<double> pv = pw.defined() ? values_of(pw) : std::vector<double>(4, 1.0);
      for (size_t i = 0; i < 8; ++i) {
        double xi = xs[i], ti = (*tv)[i];
        double sp = std::max(-xi, 0.0) + std::log1p(std::exp(-std::fabs(xi)));
        double want = wv[i] * ((1 - ti) * xi + (1 + (pv[i % 4] - 1) * ti) * sp);
        double tol = dt == tg::kFloat32 ? 1e-5 * std::fabs(want) + 1e-6 : 1e-12 * std::fabs(want) + 1e-12;
        EXPECT_NEAR(got[i], want, tol) << "element " << i << " (x " << xi << ", t " << ti << ")";
      }
      // the gradient w.r.t. x: w ((1 + (pw - 1) t) sigmoid(x) - pw t)
      Tensor xg = make(xs, {2, 4}, dt, true);
      tg::binary_cross_entropy_with_logits(xg, t.detach(), w, pw, R::Sum).backward();
      std::vector<double> gx = values_of(xg.grad());
      for (size_t i = 0; i < 8; ++i) {
        double xi = xs[i], ti = (*tv)[i], p = pv[i % 4];
        double sig = 1 / (1 + std::exp(-xi));
        double want = wv[i] * ((1 + (p - 1) * ti) * sig - p * ti);
        EXPECT_NEAR(gx[i], want, dt == tg::kFloat32 ? 1e-5 : 1e-12) << "element " << i;
      }
    }
  }
}

TEST_P(ExtremeLogits, CrossEntropy) {
  const tg::ScalarType dt = GetParam();
  const std::string dname = tg::dtype_name(dt);
  const std::vector<double> xs = {-1000, 0, 1000, 999,           //
                                  -1000, -1000, -999.5, -1001,  //
                                  1000, 1000, 1000, 1000,       //
                                  1000, -1000, -1000, -1000};
  Tensor t = tg::tensor({0, 3, 1, 1});
  for (double ls : {0.0, 0.1}) {
    for (bool weighted : {false, true}) {
      for (int64_t r : {R::None, R::Mean, R::Sum}) {
        SCOPED_TRACE(dname + " label_smoothing " + std::to_string(ls) + (weighted ? " weighted " : " ") +
                     reduction_name(r));
        Tensor x = make(xs, {4, 4}, dt, true);
        Tensor w = weighted ? make({0.5, 2.0, 1.5, 0.25}, {4}, dt) : Tensor();
        Derivs d = derivatives([&](const TL& in) { return tg::cross_entropy(in[0], t, w, r, -100, ls); }, {x});
        expect_all_finite(d, "class indices");
        EXPECT_EQ(d.out.dtype(), dt);
        // probabilities as targets, differentiable
        Tensor p = make({0.1, 0.2, 0.3, 0.4, 1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0.5, 0.5}, {4, 4}, dt, true);
        Derivs dp = derivatives([&](const TL& in) { return tg::cross_entropy(in[0], in[1], w, r, -100, ls); }, {x, p});
        expect_all_finite(dp, "class probabilities");
      }
    }
  }
  // the values without smoothing: logsumexp(row) - row[t]
  Tensor x = make(xs, {4, 4}, dt);
  std::vector<double> got = values_of(tg::cross_entropy(x, t, {}, R::None));
  const double want[] = {
      2000.0 + std::log1p(std::exp(-1.0)),                               // 1000 + log(1 + e^-1) + 1000
      -999.5 + std::log(1 + 2 * std::exp(-0.5) + std::exp(-1.5)) + 1001,  // target -1001
      std::log(4.0),                                                      // four equal logits
      2000.0};                                                            // 1000 - (-1000)
  for (size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(got[i], want[i], (dt == tg::kFloat32 ? 1e-6 : 1e-13) * std::fabs(want[i]) + 1e-12) << "row " << i;
  // gradient: softmax(row) - onehot(t)
  Tensor xg = make(xs, {4, 4}, dt, true);
  tg::cross_entropy(xg, t, {}, R::Sum).backward();
  std::vector<double> g = values_of(xg.grad());
  const double tol = dt == tg::kFloat32 ? 1e-6 : 1e-12;
  // row 0: softmax = (0, 0, 1/(1+e^-1), e^-1/(1+e^-1)), target 0
  EXPECT_NEAR(g[0], -1.0, tol);
  EXPECT_NEAR(g[2], 1 / (1 + std::exp(-1.0)), tol);
  // row 2: uniform softmax, target 1
  EXPECT_NEAR(g[8], 0.25, tol);
  EXPECT_NEAR(g[9], -0.75, tol);
  // row 3: softmax = onehot(0), target 1
  EXPECT_NEAR(g[12], 1.0, tol);
  EXPECT_NEAR(g[13], -1.0, tol);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, ExtremeLogits, ::testing::Values(tg::kFloat32, tg::kFloat64),
                         [](const ::testing::TestParamInfo<tg::ScalarType>& info) {
                           return std::string(tg::dtype_name(info.param));
                         });

// binary_cross_entropy at probabilities 0 and 1: PyTorch clamps the logs at -100 (a finite loss)
// and the gradient's denominator x (1 - x) at 1e-12 (a finite, non-zero gradient).
TEST(Losses, BinaryCrossEntropyAtZeroAndOne) {
  for (tg::ScalarType dt : {tg::kFloat32, tg::kFloat64}) {
    SCOPED_TRACE(tg::dtype_name(dt));
    Tensor x = make({0.0, 1.0, 0.0, 1.0}, {4}, dt, true);
    Tensor t = make({1.0, 0.0, 0.0, 1.0}, {4}, dt);
    Tensor l = tg::binary_cross_entropy(x, t, {}, R::None);
    std::vector<double> lv = values_of(l);
    EXPECT_EQ(lv[0], 100.0);
    EXPECT_EQ(lv[1], 100.0);
    EXPECT_EQ(lv[2], 0.0);
    EXPECT_EQ(lv[3], 0.0);
    l.sum().backward();
    std::vector<double> g = values_of(x.grad());
    // (x - t) / max(x (1 - x), 1e-12f)
    const double eps = static_cast<double>(1e-12f);
    EXPECT_NEAR(g[0], -1 / eps, 1e-6 / eps);
    EXPECT_NEAR(g[1], 1 / eps, 1e-6 / eps);
    EXPECT_EQ(g[2], 0.0);
    EXPECT_EQ(g[3], 0.0);
  }
}

// ---- every target ignored ---------------------------------------------------------------------------

TEST(Losses, AllTargetsIgnored) {
  Tensor t = tg::tensor({-100, -100, -100});
  for (double ls : {0.0, 0.2}) {
    for (bool weighted : {false, true}) {
      SCOPED_TRACE("label_smoothing " + std::to_string(ls) + (weighted ? " weighted" : ""));
      Tensor w = weighted ? f64t({0.5, 2.0, 1.5, 0.25}) : Tensor();
      for (int64_t r : {R::None, R::Mean, R::Sum}) {
        SCOPED_TRACE(reduction_name(r));
        Tensor x = uniform({3, 4}, -3, 0, 60);
        // nll_loss and cross_entropy: PyTorch's Mean is 0 / 0 = nan, Sum 0, None zeros; the gradient is 0.
        for (bool ce : {false, true}) {
          if (!ce && ls > 0) continue;
          Tensor l = ce ? tg::cross_entropy(x, t, w, r, -100, ls) : tg::nll_loss(x, t, w, r);
          for (double v : values_of(l)) {
            if (r == R::Mean) EXPECT_TRUE(std::isnan(v)) << v;
            else EXPECT_EQ(v, 0.0);
          }
          Tensor g = tg::autograd::grad({l}, {x}, {tg::ones_like(l)})[0];
          for (double v : values_of(g)) EXPECT_EQ(v, 0.0) << (ce ? "cross_entropy" : "nll_loss");
        }
      }
    }
  }
}

// An ignored row contributes nothing, even where it holds -inf (log of a zero probability).
TEST(Losses, IgnoredRowMayHoldMinusInfinity) {
  const double inf = std::numeric_limits<double>::infinity();
  Tensor x = make({-inf, -inf, -0.5, -1.5, -0.2, -2.0}, {3, 2}, tg::kFloat64, true);
  Tensor t = tg::tensor({-100, 0, 1});
  for (int64_t r : {R::None, R::Mean, R::Sum}) {
    SCOPED_TRACE(reduction_name(r));
    Tensor l = tg::nll_loss(x, t, {}, r);
    EXPECT_TRUE(all_finite(l)) << l;
    Tensor g = tg::autograd::grad({l}, {x}, {tg::ones_like(l)})[0];
    EXPECT_TRUE(all_finite(g)) << g;
  }
  EXPECT_DOUBLE_EQ(tg::nll_loss(x, t, {}, R::Sum).item<double>(), 0.5 + 2.0);
  EXPECT_DOUBLE_EQ(tg::nll_loss(x, t, {}, R::Mean).item<double>(), (0.5 + 2.0) / 2);
}

// ---- cross_entropy is nll_loss of log_softmax ------------------------------------------------------

TEST(Losses, CrossEntropyIsNllOfLogSoftmax) {
  struct Cfg {
    Shape shape;
    Tensor target;
    Tensor weight;
    int64_t ignore_index;
  };
  const std::vector<Cfg> cfgs = {
      {{5, 4}, t5(), Tensor(), -100},
      {{5, 4}, t5(), w4(), -100},
      {{5, 4}, t5_ign(), w4(), -100},
      {{5, 4}, t5(), w4(), 3},
      {{2, 4, 3}, t23_ign(), w4(), -100},
      {{2, 3, 2, 2}, t222(), w3(), -100},
  };
  uint32_t seed = 70;
  for (const auto& c : cfgs) {
    for (int64_t r : {R::None, R::Mean, R::Sum}) {
      SCOPED_TRACE("shape [" + std::to_string(c.shape.size()) + " dims] " + reduction_name(r) + " ignore_index " +
                   std::to_string(c.ignore_index) + (c.weight.defined() ? " weighted" : ""));
      Tensor logits = uniform(c.shape, -3, 3, seed++);
      Tensor a = tg::cross_entropy(logits, c.target, c.weight, r, c.ignore_index);
      Tensor b = tg::nll_loss(tg::log_softmax(logits, 1), c.target, c.weight, r, c.ignore_index);
      ASSERT_EQ(a.sizes().vec(), b.sizes().vec());
      std::vector<double> av = values_of(a), bv = values_of(b);
      for (size_t i = 0; i < av.size(); ++i) EXPECT_NEAR(av[i], bv[i], 1e-12 * std::fabs(bv[i]) + 1e-14);
      Tensor gout = uniform(a.sizes(), 0.5, 1.5, seed++, false);
      Tensor ga = tg::autograd::grad({a}, {logits}, {gout})[0];
      Tensor gb = tg::autograd::grad({b}, {logits}, {gout})[0];
      std::vector<double> gav = values_of(ga), gbv = values_of(gb);
      for (size_t i = 0; i < gav.size(); ++i) EXPECT_NEAR(gav[i], gbv[i], 1e-12 * std::fabs(gbv[i]) + 1e-14);
      // and the libtorch name is the same function
      Tensor c2 = tg::cross_entropy_loss(logits, c.target, c.weight, r, c.ignore_index);
      std::vector<double> cv = values_of(c2);
      for (size_t i = 0; i < av.size(); ++i) EXPECT_EQ(cv[i], av[i]);
    }
  }
  // 1-D input and a 0-dim target: log_softmax over dim 0
  Tensor logits = uniform({4}, -3, 3, seed++);
  EXPECT_NEAR(tg::cross_entropy(logits, tg::tensor(2)).item<double>(),
              tg::nll_loss(tg::log_softmax(logits, 0), tg::tensor(2)).item<double>(), 1e-12);
}

// ---- error paths ------------------------------------------------------------------------------------

// Expects fn to throw a tg::Error whose message contains every one of `substrings`.
void expect_error(const std::function<void()>& fn, const std::vector<std::string>& substrings) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one containing '" << substrings.front() << "'";
  } catch (const tg::Error& e) {
    for (const auto& s : substrings)
      EXPECT_NE(std::string(e.what()).find(s), std::string::npos) << "message '" << e.what() << "' does not contain '"
                                                                  << s << "'";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a non-tg::Error: " << e.what();
  }
}

TEST(LossErrors, ShapeMismatchNamesBothShapes) {
  Tensor x = uniform({3, 4}, 0.1, 0.9, 80, false);
  Tensor t = uniform({4, 3}, 0.1, 0.9, 81, false);
  const std::vector<std::string> shapes = {"target size ([4, 3])", "input size ([3, 4])"};
  expect_error([&] { tg::mse_loss(x, t); }, shapes);
  expect_error([&] { tg::l1_loss(x, t); }, shapes);
  expect_error([&] { tg::smooth_l1_loss(x, t); }, shapes);
  expect_error([&] { tg::huber_loss(x, t); }, shapes);
  expect_error([&] { tg::binary_cross_entropy(x, t); }, shapes);
  // PyTorch words this one differently
  expect_error([&] { tg::binary_cross_entropy_with_logits(x, t); },
               {"binary_cross_entropy_with_logits: Target size ([4, 3]) must be the same as input size ([3, 4])"});
  expect_error(
      [&] {
        tg::mse_loss(x, uniform({3, 1}, 0, 1, 82, false));
      },
      {"target size ([3, 1])", "input size ([3, 4])"});
  expect_error([&] { tg::binary_cross_entropy(x, uniform({12}, 0, 1, 83, false)); },
               {"target size ([12])", "input size ([3, 4])"});
  // class probabilities of another shape
  expect_error([&] { tg::cross_entropy(x, t); }, {"cross_entropy", "[4, 3]", "[3, 4]"});
  // class indices: the batch sizes, and the extra dimensions
  Tensor lp = uniform({5, 4}, -3, 0, 84, false);
  expect_error([&] { tg::nll_loss(lp, tg::tensor({1, 0, 3})); },
               {"Expected input batch_size (5) to match target batch_size (3)."});
  expect_error([&] { tg::cross_entropy(lp, tg::tensor({1, 0, 3})); },
               {"Expected input batch_size (5) to match target batch_size (3)."});
  expect_error([&] { tg::nll_loss(uniform({2, 4, 3}, -3, 0, 85, false), tg::tensor({{1, 0}, {2, 2}})); },
               {"size mismatch (got input: [2, 4, 3], target: [2, 2])"});
  expect_error([&] { tg::nll_loss(lp, tg::tensor({{1, 0}, {2, 2}})); }, {"nll_loss", "[5, 4]", "[2, 2]"});
  expect_error([&] { tg::nll_loss(uniform({4}, -3, 0, 86, false), tg::tensor({1})); },
               {"nll_loss", "0-dim", "[1]"});
}

TEST(LossErrors, BadReduction) {
  Tensor x = uniform({3, 4}, 0.1, 0.9, 90, false), t = uniform({3, 4}, 0.1, 0.9, 91, false);
  Tensor lp = uniform({5, 4}, -3, 0, 92, false);
  for (int64_t r : {int64_t{3}, int64_t{-1}}) {
    const std::string msg = std::to_string(r) + " is not a valid value for reduction";
    expect_error([&] { tg::mse_loss(x, t, r); }, {"mse_loss", msg});
    expect_error([&] { tg::l1_loss(x, t, r); }, {"l1_loss", msg});
    expect_error([&] { tg::smooth_l1_loss(x, t, r); }, {"smooth_l1_loss", msg});
    expect_error([&] { tg::huber_loss(x, t, r); }, {"huber_loss", msg});
    expect_error([&] { tg::binary_cross_entropy(x, t, {}, r); }, {"binary_cross_entropy", msg});
    expect_error([&] { tg::binary_cross_entropy_with_logits(x, t, {}, {}, r); },
                 {"binary_cross_entropy_with_logits", msg});
    expect_error([&] { tg::nll_loss(lp, t5(), {}, r); }, {"nll_loss", msg});
    expect_error([&] { tg::cross_entropy(lp, t5(), {}, r); }, {"cross_entropy", msg});
    expect_error([&] { tg::cross_entropy(x, t, {}, r); }, {"cross_entropy", msg});
    expect_error([&] { tg::kl_div(x, t, r); }, {"kl_div", msg});
  }
}

TEST(LossErrors, TargetOutOfBounds) {
  Tensor lp = uniform({5, 4}, -3, 0, 100, false);
  expect_error([&] { tg::nll_loss(lp, tg::tensor({1, 0, 5, 3, 2})); }, {"Target 5 is out of bounds"});
  expect_error([&] { tg::cross_entropy(lp, tg::tensor({1, 0, 5, 3, 2})); }, {"Target 5 is out of bounds"});
  expect_error([&] { tg::nll_loss(lp, tg::tensor({1, 0, 4, 3, 2})); }, {"Target 4 is out of bounds"});
  expect_error([&] { tg::nll_loss(lp, tg::tensor({1, -2, 0, 3, 2})); }, {"Target -2 is out of bounds"});
  // -100 is ignored only while it is the ignore_index
  expect_error([&] { tg::nll_loss(lp, t5_ign(), {}, R::Mean, 3); }, {"Target -100 is out of bounds"});
  expect_error([&] { tg::cross_entropy(lp, t5_ign(), {}, R::Mean, 3, 0.1); }, {"Target -100 is out of bounds"});
  expect_error([&] { tg::nll_loss(uniform({4}, -3, 0, 101, false), tg::tensor(5)); }, {"Target 5 is out of bounds"});
  expect_error([&] { tg::cross_entropy(uniform({2, 4, 3}, -3, 0, 102, false), tg::tensor({{1, 0, 3}, {2, 5, 1}})); },
               {"Target 5 is out of bounds"});
}

TEST(LossErrors, WrongTargetDtype) {
  Tensor lp = uniform({5, 4}, -3, 0, 110, false);
  Tensor float_target = make({1, 0, 3, 3, 2}, {5});
  expect_error([&] { tg::nll_loss(lp, float_target); }, {"nll_loss", "int64", "float64"});
  expect_error([&] { tg::nll_loss(lp, float_target.to(tg::kFloat32)); }, {"nll_loss", "int64", "float32"});
  Tensor bool_target = tg::tensor({true, false, true, true, false});
  expect_error([&] { tg::nll_loss(lp, bool_target); }, {"nll_loss", "int64", "bool"});
  expect_error([&] { tg::cross_entropy(lp, bool_target); }, {"int64", "bool"});
  // an integer input
  expect_error([&] { tg::nll_loss(tg::tensor({{1, 2}, {3, 4}}), tg::tensor({0, 1})); },
               {"nll_loss", "floating-point", "int64"});
}

TEST(LossErrors, WeightOfTheWrongSize) {
  Tensor lp = uniform({5, 4}, -3, 0, 120, false);
  const std::string msg =
      "weight tensor should be defined either for all 4 classes or no classes but got weight tensor "
      "of shape: [3]";
  expect_error([&] { tg::nll_loss(lp, t5(), w3()); }, {msg});
  expect_error([&] { tg::cross_entropy(lp, t5(), w3()); }, {msg});
  expect_error([&] { tg::cross_entropy(lp, t5(), w3(), R::Mean, -100, 0.1); }, {msg});
  expect_error([&] { tg::cross_entropy(lp, probs({5, 4}, 121).detach(), w3()); }, {msg});
  expect_error([&] { tg::nll_loss(lp, t5(), f64t({{0.5, 2.0, 1.5, 0.25}})); },
               {"weight tensor should be defined either for all 4 classes", "[1, 4]"});
  // the weight of binary_cross_entropy is not differentiated (as PyTorch)
  Tensor x = uniform({3, 4}, 0.1, 0.9, 122, false), t = uniform({3, 4}, 0, 1, 123, false);
  expect_error([&] { tg::binary_cross_entropy(x, t, uniform({3, 4}, 0.5, 1.5, 124, true)); },
               {"not differentiable with respect to argument 'weight'"});
  expect_error([&] { tg::nll_loss(lp, t5(), uniform({4}, 0.5, 1.5, 125, true)); },
               {"not differentiable with respect to argument 'weight'"});
  // nor are the weight and pos_weight of binary_cross_entropy_with_logits: F.binary_cross_entropy_with_logits(
  // x, t, pos_weight=w) with w requiring grad -> "The function 'binary_cross_entropy_with_logits' is not
  // differentiable with respect to argument 'pos_weight'. This input cannot have requires_grad True."
  Tensor logits = uniform({3, 4}, -2, 2, 126, true);
  expect_error([&] { tg::binary_cross_entropy_with_logits(logits, t, uniform({4}, 0.5, 1.5, 127, true)); },
               {"The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument "
                "'weight'. This input cannot have requires_grad True.",
                "weight [float64 [4]]"});
  expect_error([&] { tg::binary_cross_entropy_with_logits(logits, t, {}, uniform({4}, 0.5, 1.5, 128, true)); },
               {"The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument "
                "'pos_weight'. This input cannot have requires_grad True.",
                "pos_weight [float64 [4]]"});
}

TEST(LossErrors, LabelSmoothingOutsideZeroOne) {
  Tensor lp = uniform({5, 4}, -3, 0, 130, false);
  expect_error([&] { tg::cross_entropy(lp, t5(), {}, R::Mean, -100, -0.1); },
               {"label_smoothing must be between 0.0 and 1.0. Got: -0.1"});
  expect_error([&] { tg::cross_entropy(lp, t5(), {}, R::Mean, -100, 1.5); },
               {"label_smoothing must be between 0.0 and 1.0. Got: 1.5"});
  expect_error([&] { tg::cross_entropy_loss(lp, probs({5, 4}, 131).detach(), {}, R::Mean, -100, 2.0); },
               {"label_smoothing must be between 0.0 and 1.0. Got: 2"});
}

TEST(LossErrors, BinaryCrossEntropyInputOutsideZeroOne) {
  Tensor t = uniform({2, 2}, 0, 1, 140, false);
  expect_error([&] { tg::binary_cross_entropy(f64t({{0.5, 1.5}, {0.2, 0.3}}), t); },
               {"all elements of input should be between 0 and 1"});
  expect_error([&] { tg::binary_cross_entropy(f64t({{0.5, 0.5}, {-1e-9, 0.3}}), t); },
               {"all elements of input should be between 0 and 1"});
  expect_error([&] { tg::binary_cross_entropy(f64t({{0.5, std::nan("")}, {0.2, 0.3}}), t); },
               {"all elements of input should be between 0 and 1"});
}

TEST(LossErrors, SmoothL1NegativeBetaAndHuberNonPositiveDelta) {
  Tensor x = uniform({3}, -1, 1, 150, false), t = uniform({3}, -1, 1, 151, false);
  expect_error([&] { tg::smooth_l1_loss(x, t, R::Mean, -0.5); },
               {"smooth_l1_loss does not support negative values for beta"});
  EXPECT_NO_THROW(tg::smooth_l1_loss(x, t, R::Mean, 0.0));
  expect_error([&] { tg::huber_loss(x, t, R::Mean, 0.0); },
               {"huber_loss does not support non-positive values for delta"});
  expect_error([&] { tg::huber_loss(x, t, R::Mean, -1.0); },
               {"huber_loss does not support non-positive values for delta"});
}

}  // namespace
