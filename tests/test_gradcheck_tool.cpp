// Tests of gradcheck / gradgradcheck themselves: they pass on correct gradients, and they catch
// wrong ones with a message that names the output, the input and the entry.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"

namespace {

using tg::Tensor;
using tg::TensorList;
using tg::autograd::gradcheck;
using tg::autograd::GradcheckOptions;
using tg::autograd::gradgradcheck;
using tg::autograd::MultiFunction;
using tg::autograd::SingleFunction;

// EXPECT_CONTAINS(text, part): text contains part (prints both on failure).
#define EXPECT_CONTAINS(text, part)                                                            \
  do {                                                                                         \
    const std::string tg_text_ = (text);                                                       \
    EXPECT_NE(tg_text_.find(part), std::string::npos) << "expected \"" << (part) << "\" in: " << tg_text_; \
  } while (0)

// A float64 leaf requiring grad with the given values.
Tensor leaf(std::vector<double> v, tg::IntArrayRef shape) {
  Tensor t = tg::from_blob_copy(v.data(), shape, tg::kFloat64);
  t.requires_grad_(true);
  return t;
}
Tensor leaf(std::vector<double> v) {
  int64_t n = static_cast<int64_t>(v.size());
  return leaf(std::move(v), {n});
}

// x * x with the second factor detached: value x^2, but backward gives x instead of 2x.
Tensor wrong_square(const Tensor& x) { return x * x.detach(); }

// x^2 whose first derivative 2x is right but is built from detached values, so that the graph
// of the gradient is wrong: autograd's second derivative is 0 instead of 2 (a "straight-through"
// construction). Value: x.d * x + (x - x.d) * x.d = x^2; gradient: x.d + x.d = 2x.
Tensor square_with_detached_backward(const Tensor& x) {
  Tensor d = x.detach();
  return d * x + (x - d) * d;
}

// ---- passing on correct functions -----------------------------------------------------------------

TEST(GradcheckTool, PassesOnCorrectFunction) {
  Tensor x = leaf({0.3, -1.2, 2.0, 0.7}, {2, 2});
  auto r = gradcheck([](const TensorList& in) { return in[0] * tg::sin(in[0]); }, {x});
  EXPECT_TRUE(r) << r.message;
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.message.empty());
  EXPECT_LT(r.max_abs_error, 1e-6);  // central differences are O(eps^2) accurate here
}

TEST(GradcheckTool, LeavesInputsAndGradsUntouched) {
  Tensor x = leaf({0.3, -1.2, 2.0});
  std::vector<double> before = x.tolist<double>();
  auto r = gradcheck([](const TensorList& in) { return tg::exp(in[0]).sum(); }, {x});
  EXPECT_TRUE(r) << r.message;
  EXPECT_EQ(x.tolist<double>(), before);  // perturbations are undone exactly
  EXPECT_FALSE(x.grad().defined());       // the check uses autograd::grad, not backward
}

TEST(GradcheckTool, PassesOnIdentity) {
  Tensor x = leaf({0.5, -0.25});
  auto r = gradcheck([](const TensorList& in) { return in[0]; }, {x});
  EXPECT_TRUE(r) << r.message;
  auto rr = gradgradcheck([](const TensorList& in) { return in[0]; }, {x});
  EXPECT_TRUE(rr) << rr.message;
}

TEST(GradcheckTool, PassesWithSeveralInputsOfDifferentShapes) {
  Tensor a = leaf({0.1, 0.2, -0.3, 0.4, 0.5, -0.6}, {2, 3});
  Tensor b = leaf({1.5, -0.5, 0.25});
  auto r = gradcheck([](const TensorList& in) { return tg::matmul(in[0], in[1]) * in[1].sum(); }, {a, b});
  EXPECT_TRUE(r) << r.message;
}

TEST(GradcheckTool, PassesOnNonContiguousInput) {
  // A transposed leaf: entries are perturbed through its strides, in row-major order of its shape.
  Tensor base = tg::from_blob_copy(std::vector<double>{1, 2, 3, 4, 5, 6}.data(), {2, 3}, tg::kFloat64);
  Tensor x = base.t().detach();
  x.requires_grad_(true);
  ASSERT_FALSE(x.is_contiguous());
  Tensor w = tg::from_blob_copy(std::vector<double>{0.5, -1, 2, 0.25, 3, -0.5}.data(), {3, 2}, tg::kFloat64);
  auto r = gradcheck([w](const TensorList& in) { return in[0] * in[0] * w; }, {x});
  EXPECT_TRUE(r) << r.message;
  auto rr = gradgradcheck([w](const TensorList& in) { return in[0] * in[0] * w; }, {x});
  EXPECT_TRUE(rr) << rr.message;
}

TEST(GradcheckTool, IgnoresInputsThatDoNotRequireGrad) {
  Tensor x = leaf({0.5, -1.5});
  // float32 and int64 inputs are fine as long as they do not require grad
  Tensor c = tg::from_blob_copy(std::vector<float>{2.f, 3.f}.data(), {2}, tg::kFloat32);
  Tensor i = tg::from_blob_copy(std::vector<int64_t>{1, 0}.data(), {2}, tg::kInt64);
  auto r = gradcheck(
      [](const TensorList& in) { return in[0] * in[1].to(tg::kFloat64) + tg::index_select(in[0], 0, in[2]); },
      {x, c, i});
  EXPECT_TRUE(r) << r.message;
}

TEST(GradcheckTool, PassesWhenAnInputIsUnused) {
  Tensor x = leaf({0.5, -1.5}), y = leaf({2.0});
  auto r = gradcheck([](const TensorList& in) { return in[0] * 2.0; }, {x, y});
  EXPECT_TRUE(r) << r.message;
}

TEST(GradcheckTool, MultiOutputFunction) {
  Tensor x = leaf({0.5, -1.5, 2.0, 0.1, -0.3, 1.1}, {2, 3});
  Tensor y = leaf({0.2, 0.4, -0.6});
  MultiFunction f = [](const TensorList& in) {
    auto mx = tg::max(in[0], 1);
    return tg::autograd::variable_list{in[0] * in[1], tg::exp(in[1]).sum(), std::get<0>(mx), std::get<1>(mx) /* int64: skipped */};
  };
  auto r = gradcheck(f, {x, y});
  EXPECT_TRUE(r) << r.message;
  auto rr = gradgradcheck(f, {x, y});
  EXPECT_TRUE(rr) << rr.message;
}

TEST(GradcheckTool, MultiOutputFunctionFailsOnTheWrongOutput) {
  Tensor x = leaf({0.5, -1.5, 2.0});
  MultiFunction f = [](const TensorList& in) { return tg::autograd::variable_list{in[0] * 3.0, wrong_square(in[0])}; };
  auto r = gradcheck(f, {x});
  ASSERT_FALSE(r);
  EXPECT_CONTAINS(r.message, "output 1");
  EXPECT_CONTAINS(r.message, "input 0");
}

TEST(GradcheckTool, MultiOutputWithUndefinedOutput) {
  Tensor x = leaf({0.5, -1.5});
  MultiFunction f = [](const TensorList& in) { return tg::autograd::variable_list{tg::sin(in[0]), Tensor()}; };
  auto r = gradcheck(f, {x});
  EXPECT_TRUE(r) << r.message;
  auto rr = gradgradcheck(f, {x});
  EXPECT_TRUE(rr) << rr.message;
}

// ---- failing on wrong gradients --------------------------------------------------------------------

TEST(GradcheckTool, FailsOnWrongBackwardAndNamesTheEntry) {
  // Only entry 2 of the second input has a wrong gradient (x instead of 2x).
  Tensor a = leaf({0.1, 0.2, 0.3, 0.4});
  Tensor b = leaf({0.5, -1.5, 2.0, 0.7});
  Tensor m = tg::from_blob_copy(std::vector<int64_t>{0, 0, 1, 0}.data(), {4}, tg::kInt64) != 0;
  auto r = gradcheck(
      [m](const TensorList& in) { return in[0] * 2.0 + tg::where(m, wrong_square(in[1]), in[1] * in[1]); }, {a, b});
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.ok);
  EXPECT_CONTAINS(r.message, "with respect to input 1");
  EXPECT_CONTAINS(r.message, "output element 2");
  EXPECT_CONTAINS(r.message, "input element 2");
  EXPECT_CONTAINS(r.message, "numerical 4");   // d(x^2)/dx at 2.0
  EXPECT_CONTAINS(r.message, "analytical 2");  // what the wrong backward says
  EXPECT_NEAR(r.max_abs_error, 2.0, 1e-6);
}

TEST(GradcheckTool, FailsOnWrongBackwardInMultiDimInput) {
  Tensor x = leaf({0.5, -1.5, 2.0, 0.7, 1.0, -1.0}, {3, 2});
  auto r = gradcheck([](const TensorList& in) { return wrong_square(in[0]).sum({1}); }, {x});
  ASSERT_FALSE(r);
  EXPECT_CONTAINS(r.message, "input 0");
  EXPECT_CONTAINS(r.message, "output element 0, input element 0");
  EXPECT_CONTAINS(r.message, "input shape [3, 2]");
  EXPECT_CONTAINS(r.message, "output shape [3]");
}

TEST(GradcheckTool, FailsWhenAGradientHookChangesTheGradient) {
  Tensor x = leaf({0.5, -1.5, 2.0});
  auto r = gradcheck(
      [](const TensorList& in) {
        Tensor y = in[0] * 2.0;
        // (the numerical Jacobian evaluates the function without a graph: no hook then)
        if (y.requires_grad()) y.register_hook([](const Tensor& g) { return g * 3.0; });
        return tg::sin(y);
      },
      {x});
  ASSERT_FALSE(r);
  EXPECT_CONTAINS(r.message, "input 0");
}

TEST(GradcheckTool, FailsWhenTheOutputIsOutsideTheGraph) {
  // The output depends on x, but was computed without recording a graph: its analytical
  // Jacobian is zero, its numerical one is not.
  Tensor x = leaf({0.5, -1.5});
  auto r = gradcheck(
      [](const TensorList& in) {
        tg::NoGradGuard g;
        return in[0] * 3.0;
      },
      {x});
  ASSERT_FALSE(r);
  EXPECT_CONTAINS(r.message, "numerical 3");
  EXPECT_CONTAINS(r.message, "analytical 0");
}

TEST(GradcheckTool, ToleranceOptionsAreHonoured) {
  Tensor x = leaf({0.01, 0.02, -0.015});  // wrong by |x| <= 0.02
  SingleFunction f = [](const TensorList& in) { return wrong_square(in[0]); };
  EXPECT_FALSE(gradcheck(f, {x}));
  GradcheckOptions loose;
  loose.atol = 0.1;
  auto r = gradcheck(f, {x}, loose);
  EXPECT_TRUE(r) << r.message;
  GradcheckOptions rel;  // |analytical - numerical| = |x| = 0.5 |numerical|
  rel.atol = 0;
  rel.rtol = 0.6;
  EXPECT_TRUE(gradcheck(f, {x}, rel));
  rel.rtol = 0.4;
  EXPECT_FALSE(gradcheck(f, {x}, rel));
}

TEST(GradcheckTool, RaiseExceptionThrowsTgError) {
  Tensor x = leaf({0.5, -1.5, 2.0});
  GradcheckOptions opt;
  opt.raise_exception = true;
  SingleFunction f = [](const TensorList& in) { return wrong_square(in[0]); };
  EXPECT_THROW(gradcheck(f, {x}, opt), tg::Error);
  try {
    gradcheck(f, {x}, opt);
    FAIL() << "expected a tg::Error";
  } catch (const tg::Error& e) {
    EXPECT_CONTAINS(std::string(e.what()), "Jacobian mismatch");
    EXPECT_CONTAINS(std::string(e.what()), "input 0");
  }
  // ... and does not throw when the check passes.
  auto ok = gradcheck([](const TensorList& in) { return in[0] * in[0]; }, {x}, opt);
  EXPECT_TRUE(ok) << ok.message;
}

TEST(GradcheckTool, RaiseExceptionInGradgradcheck) {
  Tensor x = leaf({0.5, -1.5, 2.0});
  GradcheckOptions opt;
  opt.raise_exception = true;
  SingleFunction f = [](const TensorList& in) { return square_with_detached_backward(in[0]); };
  EXPECT_THROW(gradgradcheck(f, {x}, {}, opt), tg::Error);
}

// ---- bad arguments -----------------------------------------------------------------------------------

TEST(GradcheckTool, RejectsFloat32Inputs) {
  Tensor x = tg::from_blob_copy(std::vector<float>{0.5f, 1.5f}.data(), {2}, tg::kFloat32);
  x.requires_grad_(true);
  try {
    gradcheck([](const TensorList& in) { return in[0] * in[0]; }, {x});
    FAIL() << "expected a tg::Error";
  } catch (const tg::Error& e) {
    std::string m = e.what();
    EXPECT_CONTAINS(m, "input 0");
    EXPECT_CONTAINS(m, "float32");
    EXPECT_CONTAINS(m, "float64");
  }
  EXPECT_THROW(gradgradcheck([](const TensorList& in) { return in[0] * in[0]; }, {x}), tg::Error);
}

TEST(GradcheckTool, RejectsFloat32EvenWithRaiseExceptionOff) {
  Tensor x = leaf({0.5});
  Tensor y = tg::from_blob_copy(std::vector<float>{0.5f}.data(), {1}, tg::kFloat32);
  y.requires_grad_(true);
  GradcheckOptions opt;
  opt.raise_exception = false;
  EXPECT_THROW(gradcheck([](const TensorList& in) { return in[0] * in[1].to(tg::kFloat64); }, {x, y}, opt), tg::Error);
}

TEST(GradcheckTool, ErrorsWhenNoInputRequiresGrad) {
  Tensor x = tg::from_blob_copy(std::vector<double>{0.5, 1.5}.data(), {2}, tg::kFloat64);
  try {
    gradcheck([](const TensorList& in) { return in[0] * in[0]; }, {x});
    FAIL() << "expected a tg::Error";
  } catch (const tg::Error& e) {
    EXPECT_CONTAINS(std::string(e.what()), "requires_grad");
  }
  EXPECT_THROW(gradgradcheck([](const TensorList& in) { return in[0] * in[0]; }, {x}), tg::Error);
  EXPECT_THROW(gradcheck([](const TensorList&) { return tg::ones({2}, tg::dtype(tg::kFloat64)); }, {}), tg::Error);
}

// ---- gradgradcheck -----------------------------------------------------------------------------------

TEST(GradgradcheckTool, PassesOnCorrectFunction) {
  Tensor x = leaf({0.5, -1.5, 2.0}), y = leaf({0.3, 0.2, -0.1});
  auto r = gradgradcheck([](const TensorList& in) { return in[0] * in[0] * in[0] * tg::exp(in[1]); }, {x, y});
  EXPECT_TRUE(r) << r.message;
}

TEST(GradgradcheckTool, PassesWithGivenGradOutputs) {
  Tensor x = leaf({0.5, -1.5, 2.0, 1.0}, {2, 2});
  Tensor v = leaf({1.0, -2.0, 0.5, 0.25}, {2, 2});
  auto r = gradgradcheck([](const TensorList& in) { return tg::tanh(in[0]) * in[0]; }, {x}, {v});
  EXPECT_TRUE(r) << r.message;
  // grad_outputs that do not require grad are held fixed
  Tensor v2 = v.detach();
  auto r2 = gradgradcheck([](const TensorList& in) { return tg::tanh(in[0]) * in[0]; }, {x}, {v2});
  EXPECT_TRUE(r2) << r2.message;
}

TEST(GradgradcheckTool, FirstOrderRightSecondOrderWrong) {
  Tensor x = leaf({0.5, -1.5, 2.0});
  SingleFunction f = [](const TensorList& in) { return square_with_detached_backward(in[0]); };
  // The value and the first derivative are right ...
  auto r = gradcheck(f, {x});
  EXPECT_TRUE(r) << r.message;
  // ... the second derivative is not: d(2x)/dx = 2, but the gradient's graph says 0.
  auto rr = gradgradcheck(f, {x});
  ASSERT_FALSE(rr);
  EXPECT_CONTAINS(rr.message, "gradgradcheck");
  EXPECT_CONTAINS(rr.message, "with respect to input 0");
  EXPECT_CONTAINS(rr.message, "analytical 0");
}

TEST(GradgradcheckTool, CatchesAWrongGradientWithRespectToGradOutput) {
  // A gradient whose value is right, but whose graph is not linear in the grad_output v: a hook on
  // the output replaces v by v + v * v - v.detach() * v.detach(), which equals v but has
  // derivative 1 + 2v w.r.t. v. The gradient 3v does not depend on x, so only the derivative
  // w.r.t. the grad_output (gradgradcheck's input 1) is wrong.
  Tensor x = leaf({0.5, -1.5, 2.0});
  SingleFunction f = [](const TensorList& in) {
    Tensor y = in[0] * 3.0;
    if (y.requires_grad()) y.register_hook([](const Tensor& g) { return g + g * g - g.detach() * g.detach(); });
    return y;
  };
  auto r = gradcheck(f, {x});
  EXPECT_TRUE(r) << r.message;
  auto rr = gradgradcheck(f, {x});
  ASSERT_FALSE(rr);
  EXPECT_CONTAINS(rr.message, "with respect to input 1");  // input 1 is the grad_output
  EXPECT_CONTAINS(rr.message, "numerical 3");
}

TEST(GradgradcheckTool, MultiOutput) {
  Tensor x = leaf({0.5, -1.5, 2.0}), y = leaf({0.2, 0.4, -0.6});
  MultiFunction f = [](const TensorList& in) {
    return tg::autograd::variable_list{in[0] * in[1] * in[1], tg::sigmoid(in[0]).sum(), tg::cos(in[1])};
  };
  auto rr = gradgradcheck(f, {x, y});
  EXPECT_TRUE(rr) << rr.message;
  MultiFunction g = [](const TensorList& in) {
    return tg::autograd::variable_list{in[0] * 2.0, square_with_detached_backward(in[0])};
  };
  auto r = gradcheck(g, {x});
  EXPECT_TRUE(r) << r.message;
  EXPECT_FALSE(gradgradcheck(g, {x}));
}

}  // namespace
