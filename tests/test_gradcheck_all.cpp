// gradcheck and gradgradcheck (central differences, float64, PyTorch's default tolerances) over
// every differentiable op of tensor.h and the fused backward ops of ops/activation.h.
//
// Each case checks first derivatives (gradcheck) and second derivatives (gradgradcheck, which also
// checks that every backward rule is itself differentiable w.r.t. the incoming gradient). Inputs
// come from a fixed seed and are sampled away from kinks (abs, relu, clamp, norm p = 1) and ties
// (max, min, maximum, minimum), where a central difference would straddle the kink.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/ops/activation.h"
#include "tensorgrad/tensorgrad.h"

namespace {

using tg::Shape;
using tg::Tensor;
using tg::TensorList;
using tg::autograd::gradcheck;
using tg::autograd::gradgradcheck;
using tg::autograd::SingleFunction;

class Gradcheck : public ::testing::Test {
 protected:
  // A float64 leaf requiring grad with entries uniform in [lo, hi], each at least `margin` away
  // from every value in `kinks`.
  Tensor leaf(const Shape& shape, double lo = -2, double hi = 2, std::vector<double> kinks = {},
              double margin = 0.05) {
    return make(shape, lo, hi, kinks, margin, /*distinct=*/false);
  }
  // As leaf(), and every entry is also at least `margin` away from every entry of every other
  // distinct() leaf of the same test (no ties for max / min / maximum / minimum).
  Tensor distinct(const Shape& shape, double lo = -2, double hi = 2, std::vector<double> kinks = {},
                  double margin = 0.05) {
    return make(shape, lo, hi, kinks, margin, /*distinct=*/true);
  }
  // An int64 tensor of `shape` with the given values.
  static Tensor index(const std::vector<int64_t>& values, const Shape& shape) {
    return tg::from_blob_copy(values.data(), shape, tg::kInt64);
  }
  static Tensor mask(const std::vector<int64_t>& values, const Shape& shape) {
    return index(values, shape) != 0;
  }

  // First and second derivatives of fn at inputs.
  static void check(const SingleFunction& fn, const TensorList& inputs) {
    auto r = gradcheck(fn, inputs);
    EXPECT_TRUE(r) << "gradcheck: " << r.message;
    auto rr = gradgradcheck(fn, inputs);
    EXPECT_TRUE(rr) << rr.message;
  }

 private:
  Tensor make(const Shape& shape, double lo, double hi, const std::vector<double>& kinks, double margin,
              bool distinct) {
    std::uniform_real_distribution<double> u(lo, hi);
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    std::vector<double> v;
    for (int64_t k = 0; k < n; ++k) {
      for (int attempt = 0;; ++attempt) {
        if (attempt > 10000) throw std::runtime_error("test helper: cannot sample away from kinks/ties");
        double x = u(gen_);
        bool ok = std::none_of(kinks.begin(), kinks.end(), [&](double c) { return std::fabs(x - c) < margin; });
        if (ok && distinct)
          ok = std::none_of(used_.begin(), used_.end(), [&](double c) { return std::fabs(x - c) < margin; });
        if (!ok) continue;
        v.push_back(x);
        if (distinct) used_.push_back(x);
        break;
      }
    }
    Tensor t = tg::from_blob_copy(v.data(), shape, tg::kFloat64);
    t.requires_grad_(true);
    return t;
  }

  std::mt19937_64 gen_{20240611};
  std::vector<double> used_;
};

// ---- add / sub / mul / div ---------------------------------------------------------------------

TEST_F(Gradcheck, AddBroadcast2x3With3) {
  check([](const TensorList& x) { return tg::add(x[0], x[1]); }, {leaf({2, 3}), leaf({3})});
}
TEST_F(Gradcheck, AddBroadcast2x1x4With3x1) {
  check([](const TensorList& x) { return x[0] + x[1]; }, {leaf({2, 1, 4}), leaf({3, 1})});
}
TEST_F(Gradcheck, AddBroadcast1With2x3) {
  check([](const TensorList& x) { return x[0] + x[1]; }, {leaf({1}), leaf({2, 3})});
}
TEST_F(Gradcheck, AddZeroDimWith2x3) {
  check([](const TensorList& x) { return x[0] + x[1]; }, {leaf({}), leaf({2, 3})});
}
TEST_F(Gradcheck, AddAlphaBroadcast) {
  check([](const TensorList& x) { return tg::add(x[0], x[1], 2.5); }, {leaf({2, 3}), leaf({2, 1})});
}
TEST_F(Gradcheck, AddScalarRight) {
  check([](const TensorList& x) { return x[0] + 1.5; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, AddScalarWithAlpha) {
  check([](const TensorList& x) { return tg::add(x[0], 1.5, -2.0); }, {leaf({3})});
}
TEST_F(Gradcheck, AddScalarLeft) {
  check([](const TensorList& x) { return 1.5 + x[0]; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, AddMethodSameShape) {
  check([](const TensorList& x) { return x[0].add(x[1], 0.5); }, {leaf({1, 4}), leaf({1, 4})});
}
TEST_F(Gradcheck, SubBroadcastAlpha) {
  check([](const TensorList& x) { return tg::sub(x[0], x[1], 0.5); }, {leaf({3, 1}), leaf({1, 4})});
}
TEST_F(Gradcheck, SubBroadcast1With2x3) {
  check([](const TensorList& x) { return x[0] - x[1]; }, {leaf({1}), leaf({2, 3})});
}
TEST_F(Gradcheck, SubScalarRight) {
  check([](const TensorList& x) { return x[0] - 2.0; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SubScalarWithAlpha) {
  check([](const TensorList& x) { return tg::sub(x[0], 2.0, 3.0); }, {leaf({2, 2})});
}
TEST_F(Gradcheck, SubScalarLeft) {
  check([](const TensorList& x) { return 2.0 - x[0]; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, MulBroadcast2x3With3) {
  check([](const TensorList& x) { return tg::mul(x[0], x[1]); }, {leaf({2, 3}), leaf({3})});
}
TEST_F(Gradcheck, MulBroadcast2x1x4With3x1) {
  check([](const TensorList& x) { return x[0] * x[1]; }, {leaf({2, 1, 4}), leaf({3, 1})});
}
TEST_F(Gradcheck, MulBroadcast1With2x3) {
  check([](const TensorList& x) { return x[0] * x[1]; }, {leaf({1}), leaf({2, 3})});
}
TEST_F(Gradcheck, MulZeroDimWith2x3) {
  check([](const TensorList& x) { return x[1] * x[0]; }, {leaf({}), leaf({2, 3})});
}
TEST_F(Gradcheck, MulSameTensorTwice) {
  check([](const TensorList& x) { return x[0] * x[0]; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, MulScalarRight) {
  check([](const TensorList& x) { return x[0] * 3.0; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, MulScalarLeft) {
  check([](const TensorList& x) { return -0.5 * x[0]; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, DivBroadcast2x3With3) {
  check([](const TensorList& x) { return tg::div(x[0], x[1]); }, {leaf({2, 3}), leaf({3}, -2, 2, {0}, 0.5)});
}
TEST_F(Gradcheck, DivBroadcast2x1x4With3x1) {
  check([](const TensorList& x) { return x[0] / x[1]; }, {leaf({2, 1, 4}), leaf({3, 1}, -2, 2, {0}, 0.5)});
}
TEST_F(Gradcheck, DivBroadcast1With2x3) {
  check([](const TensorList& x) { return x[0] / x[1]; }, {leaf({1}), leaf({2, 3}, -2, 2, {0}, 0.5)});
}
TEST_F(Gradcheck, DivScalarRight) {
  check([](const TensorList& x) { return x[0] / 3.0; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, DivScalarLeft) {
  check([](const TensorList& x) { return 2.0 / x[0]; }, {leaf({2, 3}, -2, 2, {0}, 0.5)});
}
TEST_F(Gradcheck, Neg) {
  check([](const TensorList& x) { return tg::neg(x[0]); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, NegOperator) {
  check([](const TensorList& x) { return -x[0] * x[0]; }, {leaf({4})});
}

// ---- pow -----------------------------------------------------------------------------------------

TEST_F(Gradcheck, PowScalar2) {
  check([](const TensorList& x) { return tg::pow(x[0], 2); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, PowScalar3) {
  check([](const TensorList& x) { return x[0].pow(3); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, PowScalarHalf) {
  check([](const TensorList& x) { return tg::pow(x[0], 0.5); }, {leaf({2, 3}, 0.5, 2)});
}
TEST_F(Gradcheck, PowScalarMinus1_5) {
  check([](const TensorList& x) { return tg::pow(x[0], -1.5); }, {leaf({2, 3}, 0.5, 2)});
}
TEST_F(Gradcheck, PowScalar0) {
  check([](const TensorList& x) { return tg::pow(x[0], 0); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, PowScalar1) {
  check([](const TensorList& x) { return tg::pow(x[0], 1); }, {leaf({3})});
}
TEST_F(Gradcheck, PowTensorExponent) {
  check([](const TensorList& x) { return tg::pow(x[0], x[1]); }, {leaf({2, 3}, 0.5, 2), leaf({2, 3}, -1.5, 1.5)});
}
TEST_F(Gradcheck, PowTensorExponentBroadcast) {
  check([](const TensorList& x) { return x[0].pow(x[1]); }, {leaf({2, 1}, 0.5, 2), leaf({3}, -1.5, 2.5)});
}
TEST_F(Gradcheck, PowScalarBase) {
  check([](const TensorList& x) { return tg::pow(2.0, x[0]); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, PowScalarBaseBelowOne) {
  check([](const TensorList& x) { return tg::pow(0.5, x[0]); }, {leaf({1, 3})});
}

// ---- unary math ------------------------------------------------------------------------------------

TEST_F(Gradcheck, Exp) {
  check([](const TensorList& x) { return tg::exp(x[0]); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, Log) {
  check([](const TensorList& x) { return tg::log(x[0]); }, {leaf({2, 3}, 0.3, 3)});
}
TEST_F(Gradcheck, Log1pExpm1) {
  check([](const TensorList& x) { return tg::log1p(x[0]); }, {leaf({2, 3}, -0.7, 3)});
  check([](const TensorList& x) { return x[0].expm1(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, VarStd) {
  check([](const TensorList& x) { return x[0].var(); }, {leaf({2, 3})});
  check([](const TensorList& x) { return tg::var(x[0], {0, 2}, false, true); }, {leaf({2, 3, 2})});
  check([](const TensorList& x) { return x[0].std({1}); }, {leaf({3, 4})});
  check([](const TensorList& x) { return tg::std(x[0], false); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, Addmm) {
  check([](const TensorList& x) { return tg::addmm(x[0], x[1], x[2]); }, {leaf({2, 4}), leaf({2, 3}), leaf({3, 4})});
  check([](const TensorList& x) { return x[0].addmm(x[1], x[2], 0.5, -2.0).square(); },
        {leaf({4}), leaf({2, 3}), leaf({3, 4})});
}
TEST_F(Gradcheck, Sqrt) {
  check([](const TensorList& x) { return x[0].sqrt(); }, {leaf({2, 3}, 0.3, 3)});
}
TEST_F(Gradcheck, Abs) {
  check([](const TensorList& x) { return tg::abs(x[0]); }, {leaf({2, 3}, -2, 2, {0})});
}
TEST_F(Gradcheck, AbsTimesInput) {  // a non-zero second derivative through abs: d2(x|x|) = 2 sign(x)
  check([](const TensorList& x) { return x[0] * tg::abs(x[0]); }, {leaf({2, 3}, -2, 2, {0})});
}
TEST_F(Gradcheck, Sin) {
  check([](const TensorList& x) { return tg::sin(x[0]); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, Cos) {
  check([](const TensorList& x) { return x[0].cos(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, Square) {
  check([](const TensorList& x) { return tg::square(x[0]); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, Sign) {
  check([](const TensorList& x) { return tg::sign(x[0]); }, {leaf({2, 3}, -2, 2, {0})});
}
TEST_F(Gradcheck, SignTimesInput) {
  check([](const TensorList& x) { return tg::sign(x[0]) * x[0] * x[0]; }, {leaf({2, 3}, -2, 2, {0})});
}

// ---- clamp -------------------------------------------------------------------------------------------

TEST_F(Gradcheck, ClampBoth) {
  check([](const TensorList& x) { return tg::clamp(x[0], -0.5, 0.5); }, {leaf({3, 4}, -2, 2, {-0.5, 0.5})});
}
TEST_F(Gradcheck, ClampMinOnly) {
  check([](const TensorList& x) { return x[0].clamp(-0.3); }, {leaf({3, 4}, -2, 2, {-0.3})});
}
TEST_F(Gradcheck, ClampMaxOnly) {
  check([](const TensorList& x) { return tg::clamp(x[0], std::nullopt, 0.7); }, {leaf({3, 4}, -2, 2, {0.7})});
}
TEST_F(Gradcheck, ClampMin) {
  check([](const TensorList& x) { return tg::clamp_min(x[0], 0.3) * x[0]; }, {leaf({3, 4}, -2, 2, {0.3})});
}
TEST_F(Gradcheck, ClampMax) {
  check([](const TensorList& x) { return x[0].clamp_max(-0.2) * x[0]; }, {leaf({3, 4}, -2, 2, {-0.2})});
}

// ---- maximum / minimum / where -------------------------------------------------------------------------

TEST_F(Gradcheck, MaximumSameShape) {
  check([](const TensorList& x) { return tg::maximum(x[0], x[1]); }, {distinct({2, 3}), distinct({2, 3})});
}
TEST_F(Gradcheck, MaximumBroadcast) {
  check([](const TensorList& x) { return x[0].maximum(x[1]) * x[0]; }, {distinct({2, 3}), distinct({3})});
}
TEST_F(Gradcheck, MinimumSameShape) {
  check([](const TensorList& x) { return tg::minimum(x[0], x[1]); }, {distinct({2, 3}), distinct({2, 3})});
}
TEST_F(Gradcheck, MinimumBroadcast) {
  check([](const TensorList& x) { return tg::minimum(x[0], x[1]) * x[1]; }, {distinct({2, 1, 3}), distinct({2, 1})});
}
TEST_F(Gradcheck, WhereTensorTensor) {
  Tensor c = mask({1, 0, 1, 0, 0, 1}, {2, 3});
  check([c](const TensorList& x) { return tg::where(c, x[0], x[1]); }, {leaf({2, 3}), leaf({2, 3})});
}
TEST_F(Gradcheck, WhereBroadcast) {
  Tensor c = mask({1, 0, 1, 0, 0, 1}, {2, 3});
  check([c](const TensorList& x) { return tg::where(c, x[0], x[1]) * x[1]; }, {leaf({1, 3}), leaf({2, 1})});
}
TEST_F(Gradcheck, WhereScalarOther) {
  Tensor c = mask({1, 0, 0, 1}, {4});
  check([c](const TensorList& x) { return tg::where(c, x[0], 0.5); }, {leaf({2, 4})});
}
TEST_F(Gradcheck, WhereScalarSelf) {
  Tensor c = mask({1, 0, 0, 1}, {4});
  check([c](const TensorList& x) { return tg::where(c, -1.5, x[0]) * x[0]; }, {leaf({4})});
}

// ---- activations and their fused backward ops ----------------------------------------------------------

TEST_F(Gradcheck, Sigmoid) {
  check([](const TensorList& x) { return tg::sigmoid(x[0]); }, {leaf({2, 3}, -4, 4)});
}
TEST_F(Gradcheck, Tanh) {
  check([](const TensorList& x) { return x[0].tanh(); }, {leaf({2, 3}, -3, 3)});
}
TEST_F(Gradcheck, Relu) {
  check([](const TensorList& x) { return tg::relu(x[0]); }, {leaf({2, 3}, -2, 2, {0})});
}
TEST_F(Gradcheck, ReluTimesInput) {
  check([](const TensorList& x) { return x[0].relu() * x[0]; }, {leaf({3, 4}, -2, 2, {0})});
}
TEST_F(Gradcheck, SigmoidBackward) {
  check([](const TensorList& x) { return tg::sigmoid_backward(x[0], x[1]); }, {leaf({2, 3}), leaf({2, 3}, 0.05, 0.95)});
}
TEST_F(Gradcheck, TanhBackward) {
  check([](const TensorList& x) { return tg::tanh_backward(x[0], x[1]); }, {leaf({2, 3}), leaf({2, 3}, -0.95, 0.95)});
}
TEST_F(Gradcheck, ThresholdBackward) {
  check([](const TensorList& x) { return tg::threshold_backward(x[0], x[1], 0.25); },
        {leaf({2, 3}), leaf({2, 3}, -2, 2, {0.25})});
}
TEST_F(Gradcheck, ThresholdBackwardTimesInput) {  // the defined-zero derivative w.r.t. self, used again
  check([](const TensorList& x) { return tg::threshold_backward(x[0], x[1], 0.0) * x[1]; },
        {leaf({2, 3}), leaf({2, 3}, -2, 2, {0})});
}

// ---- reductions ----------------------------------------------------------------------------------------

TEST_F(Gradcheck, SumAll) {
  check([](const TensorList& x) { return x[0].sum(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SumAllSquared) {
  check([](const TensorList& x) { return tg::sum(x[0] * x[0]); }, {leaf({2, 1, 3})});
}
TEST_F(Gradcheck, SumDim0) {
  check([](const TensorList& x) { return tg::sum(x[0], {0}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SumDims12Keepdim) {
  check([](const TensorList& x) { return x[0].sum({1, 2}, true); }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, SumNegativeDim) {
  check([](const TensorList& x) { return tg::sum(x[0] * x[0], {-1}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SumMiddleDimKeepdim) {
  check([](const TensorList& x) { return tg::sum(x[0], {1}, true) * x[0]; }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, SumSizeOneDim) {
  check([](const TensorList& x) { return tg::sum(x[0], {1}); }, {leaf({3, 1, 2})});
}
TEST_F(Gradcheck, SumOuterDimsNegative) {
  check([](const TensorList& x) { return tg::sum(x[0], {0, -1}); }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, SumTo) {
  check([](const TensorList& x) { return tg::sum_to(x[0] * x[0], {3}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SumToKeepingSizeOneDims) {
  check([](const TensorList& x) { return tg::sum_to(x[0], {2, 1, 1}) * x[0]; }, {leaf({3, 2, 1, 2})});
}
TEST_F(Gradcheck, MeanAll) {
  check([](const TensorList& x) { return x[0].mean(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, MeanDims) {
  check([](const TensorList& x) { return tg::mean(x[0] * x[0], {0, -1}); }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, MeanDimKeepdim) {
  check([](const TensorList& x) { return tg::mean(x[0], {1}, true) * x[0]; }, {leaf({3, 4})});
}
TEST_F(Gradcheck, MaxAll) {
  check([](const TensorList& x) { return x[0].max(); }, {distinct({2, 3})});
}
TEST_F(Gradcheck, MaxAllSquared) {
  // distinct magnitudes with mixed signs, so that the squares have no ties either
  Tensor sign = Tensor(tg::tensor({{1.0, -1.0, -1.0}, {1.0, -1.0, 1.0}}, tg::dtype(tg::kFloat64)));
  check([sign](const TensorList& x) { return tg::max(tg::square(x[0] * sign)); }, {distinct({2, 3}, 0.2, 2)});
}
TEST_F(Gradcheck, MinAll) {
  check([](const TensorList& x) { return tg::min(x[0]); }, {distinct({3, 1, 2})});
}
TEST_F(Gradcheck, MaxDimValues) {
  check([](const TensorList& x) { return std::get<0>(tg::max(x[0], 1)); }, {distinct({3, 4})});
}
TEST_F(Gradcheck, MaxDimValuesKeepdim) {
  check([](const TensorList& x) { return std::get<0>(x[0].max(0, true)) * x[0]; }, {distinct({3, 4})});
}
TEST_F(Gradcheck, MaxDimSizeOne) {
  check([](const TensorList& x) { return std::get<0>(tg::max(x[0], 1)); }, {distinct({3, 1})});
}
TEST_F(Gradcheck, MinDimNegative) {
  check([](const TensorList& x) { return std::get<0>(tg::min(x[0], -1)); }, {distinct({2, 2, 3})});
}
TEST_F(Gradcheck, MinDimKeepdimSquared) {
  check([](const TensorList& x) { return tg::square(std::get<0>(tg::min(x[0], 1, true))); }, {distinct({2, 3, 2})});
}
TEST_F(Gradcheck, NormP2All) {
  check([](const TensorList& x) { return x[0].norm(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, NormP1All) {
  check([](const TensorList& x) { return tg::norm(x[0], 1); }, {leaf({2, 3}, -2, 2, {0})});
}
TEST_F(Gradcheck, NormP3All) {
  check([](const TensorList& x) { return tg::norm(x[0], 3); }, {leaf({2, 3}, -2, 2, {0})});
}
TEST_F(Gradcheck, NormP2Dim) {
  check([](const TensorList& x) { return tg::norm(x[0], 2, {1}); }, {leaf({3, 4})});
}
TEST_F(Gradcheck, NormP1DimKeepdim) {
  check([](const TensorList& x) { return tg::norm(x[0], 1, {0}, true) * x[0]; }, {leaf({3, 4}, -2, 2, {0})});
}
TEST_F(Gradcheck, NormP3DimsKeepdim) {
  check([](const TensorList& x) { return x[0].norm(3, {0, 2}, true); }, {leaf({2, 3, 2}, -2, 2, {0})});
}
TEST_F(Gradcheck, NormP2NegativeDim) {
  check([](const TensorList& x) { return tg::norm(x[0], 2, {-1}); }, {leaf({2, 1, 3})});
}

// ---- shape ---------------------------------------------------------------------------------------------
// Views are linear, so each is also checked after a product with the input, which makes the second
// derivative w.r.t. the input non-zero.

TEST_F(Gradcheck, Reshape) {
  check([](const TensorList& x) { return x[0].reshape({3, 2}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, ReshapeInferred) {
  check([](const TensorList& x) { return tg::reshape(x[0], {-1, 1}) * x[0].reshape({6, 1}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, ReshapeNonContiguous) {
  check([](const TensorList& x) { return x[0].t().reshape({6}) * x[0].t().reshape({6}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, View) {
  check([](const TensorList& x) { return x[0].view({3, 1, 2}); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, ViewAs) {
  check([](const TensorList& x) { return x[0].view_as(x[1]) * x[1]; }, {leaf({6}), leaf({2, 3})});
}
TEST_F(Gradcheck, Flatten) {
  check([](const TensorList& x) { return x[0].flatten(); }, {leaf({2, 1, 3})});
}
TEST_F(Gradcheck, FlattenRange) {
  check([](const TensorList& x) { return tg::flatten(x[0], 1, 2) * 2.0; }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, T) {
  check([](const TensorList& x) { return x[0].t(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, TTimesInput) {
  check([](const TensorList& x) { return x[0].t() * x[1]; }, {leaf({2, 3}), leaf({3, 2})});
}
TEST_F(Gradcheck, Transpose) {
  check([](const TensorList& x) { return tg::transpose(x[0], 0, 2); }, {leaf({2, 3, 1})});
}
TEST_F(Gradcheck, TransposeNegative) {
  check([](const TensorList& x) { return x[0].transpose(-1, -2) * x[0].transpose(1, 2); }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, Permute) {
  check([](const TensorList& x) { return x[0].permute({2, 0, 1}); }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, PermuteTimesInput) {
  check([](const TensorList& x) { return tg::permute(x[0], {1, 2, 0}) * x[1]; }, {leaf({2, 1, 3}), leaf({1, 3, 2})});
}
TEST_F(Gradcheck, Unsqueeze) {
  check([](const TensorList& x) { return x[0].unsqueeze(1); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, UnsqueezeNegative) {
  check([](const TensorList& x) { return tg::unsqueeze(x[0], -1) * x[0].unsqueeze(0); }, {leaf({3})});
}
TEST_F(Gradcheck, SqueezeAll) {
  check([](const TensorList& x) { return x[0].squeeze(); }, {leaf({2, 1, 3, 1})});
}
TEST_F(Gradcheck, SqueezeDim) {
  check([](const TensorList& x) { return tg::squeeze(x[0], 1) * x[0].squeeze(-1); }, {leaf({2, 1, 3, 1})});
}
TEST_F(Gradcheck, SqueezeDimNotOne) {
  check([](const TensorList& x) { return x[0].squeeze(0); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SqueezeInplaceOnNonLeaf) {
  check([](const TensorList& x) {
    Tensor y = x[0] * 2;
    y.squeeze_();
    return y;
  }, {leaf({2, 1, 3})});
}
TEST_F(Gradcheck, SqueezeDimInplaceThenUnsqueezeInplace) {
  check([](const TensorList& x) {
    Tensor y = x[0].sin();
    y.squeeze_(1).unsqueeze_(0);
    return y * x[0].squeeze(1).unsqueeze(0);
  }, {leaf({2, 1, 3})});
}
TEST_F(Gradcheck, Select) {
  check([](const TensorList& x) { return x[0].select(1, 2); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, SelectNegative) {
  check([](const TensorList& x) { return tg::select(x[0], -1, 0) * x[0][1].select(-1, 1); }, {leaf({2, 3, 2})});
}
TEST_F(Gradcheck, Narrow) {
  check([](const TensorList& x) { return x[0].narrow(1, 1, 2); }, {leaf({2, 4})});
}
TEST_F(Gradcheck, NarrowTimesInput) {
  check([](const TensorList& x) { return tg::narrow(x[0], 0, 1, 2) * x[0].narrow(0, 0, 2); }, {leaf({3, 2})});
}
TEST_F(Gradcheck, Expand) {
  check([](const TensorList& x) { return x[0].expand({2, 3, 4}); }, {leaf({3, 1})});
}
TEST_F(Gradcheck, ExpandKeepSize) {
  check([](const TensorList& x) { return x[0].expand({2, -1, 3}) * x[0]; }, {leaf({4, 1})});
}
TEST_F(Gradcheck, ExpandAs) {
  check([](const TensorList& x) { return x[0].expand_as(x[1]) * x[1]; }, {leaf({1, 3}), leaf({2, 3})});
}
TEST_F(Gradcheck, Contiguous) {
  check([](const TensorList& x) { return x[0].t().contiguous() * x[0].t(); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, Clone) {
  check([](const TensorList& x) { return x[0].clone() * x[0]; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, ToFloat64Identity) {
  check([](const TensorList& x) { return x[0].to(tg::kFloat64) * x[0]; }, {leaf({2, 3})});
}
TEST_F(Gradcheck, ToFloat64Copy) {
  check([](const TensorList& x) { return x[0].to(tg::kFloat64, false, true) * x[0]; }, {leaf({2, 3})});
}

// ---- cat / stack ----------------------------------------------------------------------------------------

TEST_F(Gradcheck, CatDim0ThreeInputs) {
  check([](const TensorList& x) { return tg::cat({x[0], x[1], x[2]}, 0); }, {leaf({2, 3}), leaf({1, 3}), leaf({3, 3})});
}
TEST_F(Gradcheck, CatDimNegativeTimesInput) {
  check([](const TensorList& x) { return tg::cat({x[0], x[1] * x[1], x[0]}, -1); }, {leaf({2, 1}), leaf({2, 3})});
}
TEST_F(Gradcheck, CatMiddleDim) {
  check([](const TensorList& x) { return tg::cat({x[0], x[1]}, 1); }, {leaf({2, 2, 2}), leaf({2, 1, 2})});
}
TEST_F(Gradcheck, StackDim0ThreeInputs) {
  check([](const TensorList& x) { return tg::stack({x[0], x[1], x[2]}); }, {leaf({2, 3}), leaf({2, 3}), leaf({2, 3})});
}
TEST_F(Gradcheck, StackDimNegative) {
  check([](const TensorList& x) { return tg::stack({x[0] * x[1], x[1]}, -1); }, {leaf({3}), leaf({3})});
}

// ---- indexing --------------------------------------------------------------------------------------------

TEST_F(Gradcheck, GatherDim1WithRepeats) {
  Tensor idx = index({0, 0, 3, 2, 1, 2}, {3, 2});
  check([idx](const TensorList& x) { return tg::gather(x[0], 1, idx); }, {leaf({3, 4})});
}
TEST_F(Gradcheck, GatherDim0TimesInput) {
  Tensor idx = index({2, 0, 1, 1}, {2, 2});
  check([idx](const TensorList& x) { return tg::gather(x[0], 0, idx) * tg::gather(x[0], 0, idx); }, {leaf({3, 2})});
}
TEST_F(Gradcheck, Scatter) {
  Tensor idx = index({1, 3, 0, 2, 2, 1}, {3, 2});  // no repeats within a row: scatter is then well defined
  check([idx](const TensorList& x) { return tg::scatter(x[0], 1, idx, x[1]); }, {leaf({3, 4}), leaf({3, 2})});
}
TEST_F(Gradcheck, ScatterSrcLargerThanIndex) {
  Tensor idx = index({1, 3, 0, 2}, {2, 2});
  check([idx](const TensorList& x) { return tg::scatter(x[0], 1, idx, x[1]) * x[0]; }, {leaf({3, 4}), leaf({3, 3})});
}
TEST_F(Gradcheck, ScatterScalarValue) {
  Tensor idx = index({1, 0, 2}, {1, 3});
  check([idx](const TensorList& x) { return tg::scatter(x[0], 0, idx, 0.5) * x[0]; }, {leaf({3, 3})});
}
TEST_F(Gradcheck, ScatterAddWithRepeats) {
  Tensor idx = index({1, 1, 0, 2, 2, 2}, {2, 3});
  check([idx](const TensorList& x) { return tg::scatter_add(x[0], 1, idx, x[1]); }, {leaf({2, 4}), leaf({2, 3})});
}
TEST_F(Gradcheck, ScatterAddTimesInput) {
  Tensor idx = index({0, 2, 1, 0}, {2, 2});
  check([idx](const TensorList& x) { return tg::scatter_add(x[0], 0, idx, x[1] * x[1]) * x[0]; },
        {leaf({3, 2}), leaf({2, 2})});
}
TEST_F(Gradcheck, IndexSelectDim0) {
  Tensor idx = index({2, 0, 2}, {3});
  check([idx](const TensorList& x) { return tg::index_select(x[0], 0, idx); }, {leaf({4, 3})});
}
TEST_F(Gradcheck, IndexSelectDim1TimesSelf) {
  Tensor idx = index({1, 1}, {2});
  check([idx](const TensorList& x) { return tg::index_select(x[0], -1, idx) * x[0].narrow(1, 0, 2); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, IndexSelectZeroDimIndex) {
  Tensor idx = index({2}, {});
  check([idx](const TensorList& x) { return tg::index_select(x[0], 1, idx); }, {leaf({2, 3})});
}
TEST_F(Gradcheck, IndexAddDim0) {
  Tensor idx = index({1, 3, 1}, {3});
  check([idx](const TensorList& x) { return tg::index_add(x[0], 0, idx, x[1]); }, {leaf({4, 3}), leaf({3, 3})});
}
TEST_F(Gradcheck, IndexAddDim1TimesInput) {
  Tensor idx = index({2, 0}, {2});
  check([idx](const TensorList& x) { return tg::index_add(x[0], 1, idx, x[1] * x[1]) * x[0]; },
        {leaf({2, 3}), leaf({2, 2})});
}

TEST_F(Gradcheck, IndexingMethods) {
  Tensor g = index({0, 2, 1, 1}, {2, 2});
  Tensor s = index({1, 0}, {1, 2});
  Tensor i = index({1, 0}, {2});
  check(
      [g, s, i](const TensorList& x) {
        Tensor a = x[0].gather(1, g) * x[0].index_select(1, i);  // [2, 2]
        Tensor b = x[0].scatter(0, s, x[1]).scatter_add(1, g, a);  // [2, 3]
        return b.index_add(1, i, a) * x[0].scatter(1, g, 0.25);
      },
      {leaf({2, 3}), leaf({1, 2})});
}

// ---- linear algebra -------------------------------------------------------------------------------------

TEST_F(Gradcheck, Matmul1Dx1D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({4}), leaf({4})});
}
TEST_F(Gradcheck, Matmul2Dx1D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({3, 4}), leaf({4})});
}
TEST_F(Gradcheck, Matmul1Dx2D) {
  check([](const TensorList& x) { return x[0].matmul(x[1]); }, {leaf({4}), leaf({4, 2})});
}
TEST_F(Gradcheck, Matmul2Dx2D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({3, 4}), leaf({4, 2})});
}
TEST_F(Gradcheck, Matmul2Dx2DSizeOne) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({1, 3}), leaf({3, 1})});
}
TEST_F(Gradcheck, Matmul2Dx2DOuter) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({3, 1}), leaf({1, 2})});
}
TEST_F(Gradcheck, Matmul3Dx3D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({2, 3, 4}), leaf({2, 4, 2})});
}
TEST_F(Gradcheck, Matmul3Dx3DBatchBroadcast) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({1, 3, 2}), leaf({2, 2, 3})});
}
TEST_F(Gradcheck, Matmul3Dx2D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({2, 3, 4}), leaf({4, 2})});
}
TEST_F(Gradcheck, Matmul2Dx3D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({3, 4}), leaf({2, 4, 2})});
}
TEST_F(Gradcheck, Matmul4Dx3DBroadcastBatch) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({2, 1, 3, 4}), leaf({3, 4, 5})});
}
TEST_F(Gradcheck, Matmul1Dx3D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({3}), leaf({2, 3, 2})});
}
TEST_F(Gradcheck, Matmul3Dx1D) {
  check([](const TensorList& x) { return tg::matmul(x[0], x[1]); }, {leaf({2, 2, 3}), leaf({3})});
}
TEST_F(Gradcheck, MatmulSameInput) {  // x^T x: a non-zero second derivative w.r.t. one input
  check([](const TensorList& x) { return tg::matmul(x[0].t(), x[0]); }, {leaf({3, 2})});
}
TEST_F(Gradcheck, Mm) {
  check([](const TensorList& x) { return tg::mm(x[0], x[1]); }, {leaf({3, 4}), leaf({4, 2})});
}
TEST_F(Gradcheck, MmTransposedOperands) {
  check([](const TensorList& x) { return x[0].t().mm(x[1].t()); }, {leaf({4, 3}), leaf({2, 4})});
}
TEST_F(Gradcheck, MmSizeOne) {
  check([](const TensorList& x) { return tg::mm(x[0], x[1]); }, {leaf({1, 1}), leaf({1, 3})});
}
TEST_F(Gradcheck, Bmm) {
  check([](const TensorList& x) { return tg::bmm(x[0], x[1]); }, {leaf({2, 3, 4}), leaf({2, 4, 1})});
}
TEST_F(Gradcheck, BmmTransposedOperand) {
  check([](const TensorList& x) { return tg::bmm(x[0].transpose(1, 2), x[1]); }, {leaf({2, 4, 3}), leaf({2, 4, 2})});
}
TEST_F(Gradcheck, Mv) {
  check([](const TensorList& x) { return tg::mv(x[0], x[1]); }, {leaf({3, 4}), leaf({4})});
}
TEST_F(Gradcheck, MvTransposedMatrixMethod) {
  check([](const TensorList& x) { return x[0].t().mv(x[1]); }, {leaf({4, 2}), leaf({4})});
}
TEST_F(Gradcheck, Dot) {
  check([](const TensorList& x) { return tg::dot(x[0], x[1]); }, {leaf({5}), leaf({5})});
}
TEST_F(Gradcheck, DotSameTensor) {  // x . x: a non-zero second derivative w.r.t. one input
  check([](const TensorList& x) { return x[0].dot(x[0]); }, {leaf({4})});
}

// ---- in-place ops on non-leaves (recorded out of place, see Note [In-place ops and autograd]) ------------

TEST_F(Gradcheck, InplaceAddMulSubDiv) {
  check(
      [](const TensorList& x) {
        Tensor y = x[0].clone();
        y.add_(x[1], 2.0);
        y.mul_(x[1]);
        y.sub_(x[0], 0.5);
        y.div_(x[2]);
        return y;
      },
      {leaf({2, 3}), leaf({3}), leaf({2, 1}, -2, 2, {0}, 0.5)});
}
TEST_F(Gradcheck, InplaceScalarOps) {
  check(
      [](const TensorList& x) {
        Tensor y = x[0] * x[0];
        y.add_(1.5);
        y.mul_(-2.0);
        y.sub_(0.5);
        y.div_(4.0);
        return y;
      },
      {leaf({2, 3})});
}
TEST_F(Gradcheck, InplaceClamp) {
  check(
      [](const TensorList& x) {
        Tensor y = x[0] * 1.0;
        y.clamp_(-0.5, 0.5);
        return y * x[0];
      },
      {leaf({3, 3}, -2, 2, {-0.5, 0.5})});
}
TEST_F(Gradcheck, InplaceCopy) {
  check(
      [](const TensorList& x) {
        Tensor y = x[0] * 2.0;
        y.copy_(x[1] * x[1]);
        return y * x[0];
      },
      {leaf({2, 3}), leaf({3})});
}
TEST_F(Gradcheck, InplaceFill) {
  check(
      [](const TensorList& x) {
        Tensor y = x[0] * 2.0;
        y.fill_(0.5);
        return y + x[0] * x[0];
      },
      {leaf({2, 3})});
}

// ---- compositions ------------------------------------------------------------------------------------

// ---- F:: layers composed of ops: padding, normalize, glu, hardshrink, rrelu -----------------------

TEST_F(Gradcheck, Pad) {
  namespace F = tg::nn::functional;
  check([](const TensorList& x) { return F::pad(x[0], F::PadFuncOptions({1, 2, -1, 1}).value(0.5)); }, {leaf({3, 4})});
  check([](const TensorList& x) { return F::pad(x[0], F::PadFuncOptions({2, 1}).mode(tg::kReflect)); }, {leaf({2, 2, 4})});
  check([](const TensorList& x) { return F::pad(x[0], F::PadFuncOptions({1, 2, 2, 0}).mode(tg::kReplicate)); },
        {leaf({1, 2, 3, 3})});
  check([](const TensorList& x) { return F::pad(x[0], F::PadFuncOptions({1, 3}).mode(tg::kCircular)); },
        {leaf({1, 2, 3})});
}
TEST_F(Gradcheck, NormalizeGluHardshrinkRrelu) {
  namespace F = tg::nn::functional;
  check([](const TensorList& x) { return F::normalize(x[0], F::NormalizeFuncOptions().p(2).dim(1)); }, {leaf({3, 4})});
  check([](const TensorList& x) { return F::normalize(x[0], F::NormalizeFuncOptions().p(1).dim(0)); },
        {leaf({3, 4}, -2, 2, {0.0})});
  check([](const TensorList& x) { return F::glu(x[0], 1); }, {leaf({3, 4})});
  check([](const TensorList& x) { return tg::hardshrink(x[0], 0.5) * x[0]; }, {leaf({2, 5}, -2, 2, {-0.5, 0.5})});
  check([](const TensorList& x) { return F::rrelu(x[0]) * x[0]; }, {leaf({2, 5}, -2, 2, {0.0})});
}

TEST_F(Gradcheck, TwoLayerNetwork) {
  check(
      [](const TensorList& x) {
        Tensor h = tg::tanh(tg::matmul(x[0], x[1]) + x[2]);
        return tg::sigmoid(tg::matmul(h, x[3])).mean();
      },
      {leaf({3, 4}), leaf({4, 5}), leaf({5}), leaf({5, 2})});
}
TEST_F(Gradcheck, SoftmaxLikeComposite) {
  check(
      [](const TensorList& x) {
        Tensor m = std::get<0>(x[0].max(1, true));
        Tensor e = tg::exp(x[0] - m);
        return tg::log(e / e.sum({1}, true));
      },
      {distinct({2, 3})});
}

}  // namespace
