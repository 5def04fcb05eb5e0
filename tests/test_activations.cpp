// Activations (ops/activation.h, and sigmoid / tanh / relu of tensor.h):
//  - gradcheck and gradgradcheck of every activation in float64, on several shapes (size-1 dims
//    included), with inputs sampled away from kinks, thresholds and ties;
//  - the learnable parameters (prelu's weight, swish's beta, smu's and smu1's mu) receive the
//    gradient a closed form computed here gives;
//  - inputs of +-1000 give finite values, gradients and second derivatives in float32 and float64;
//  - the derivative at each kink is PyTorch's (each value below was obtained by running
//    PyTorch 1.13, Debian's python3-torch 1.13.0a0, and is quoted beside the check);
//  - heaviside, maxout, the error messages, and float32 / float64 agreement.
// Agreement with PyTorch's values to 1e-10 is tested by test_reference_activations.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/ops/activation.h"
#include "tensorgrad/tensorgrad.h"

namespace {

using tg::Shape;
using tg::Tensor;
using TL = std::vector<Tensor>;
using tg::autograd::gradcheck;
using tg::autograd::gradgradcheck;
using Unary = std::function<Tensor(const Tensor&)>;

constexpr double kPi = 3.14159265358979323846;

tg::TensorOptions f64() { return tg::TensorOptions().dtype(tg::kFloat64); }

// A tensor of `shape` and dtype holding `values` (given as doubles).
Tensor make(const std::vector<double>& values, const Shape& shape, tg::ScalarType dtype = tg::kFloat64,
            bool requires_grad = false) {
  Tensor t = tg::from_blob_copy(values.data(), shape, tg::kFloat64, f64());
  if (dtype != tg::kFloat64) t = t.to(dtype);
  if (requires_grad) t.requires_grad_(true);
  return t;
}
Tensor make(const std::vector<double>& values, tg::ScalarType dtype = tg::kFloat64, bool requires_grad = false) {
  return make(values, Shape{static_cast<int64_t>(values.size())}, dtype, requires_grad);
}

std::vector<double> values_of(const Tensor& t) { return t.to(tg::kFloat64).contiguous().tolist<double>(); }

bool all_finite(const Tensor& t) {
  for (double v : values_of(t))
    if (!std::isfinite(v)) return false;
  return true;
}

std::string str(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

// Deterministic float64 leaves with entries uniform in [lo, hi], at least `margin` away from
// every value in `kinks` (and, for distinct(), from every other entry: no ties for maxout).
class Sampler {
 public:
  explicit Sampler(uint64_t seed) : gen_(seed) {}
  Tensor leaf(const Shape& shape, double lo = -2, double hi = 2, const std::vector<double>& kinks = {},
              double margin = 0.05) {
    return sample(shape, lo, hi, kinks, margin, false);
  }
  Tensor distinct(const Shape& shape, double lo = -2, double hi = 2, double margin = 0.05) {
    return sample(shape, lo, hi, {}, margin, true);
  }

 private:
  Tensor sample(const Shape& shape, double lo, double hi, const std::vector<double>& kinks, double margin,
                bool distinct) {
    std::uniform_real_distribution<double> u(lo, hi);
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    std::vector<double> v;
    for (int64_t k = 0; k < n; ++k) {
      for (int attempt = 0;; ++attempt) {
        if (attempt > 10000) throw std::runtime_error("Sampler: cannot sample away from kinks/ties");
        double x = u(gen_);
        auto far = [&](double c) { return std::fabs(x - c) >= margin; };
        if (!std::all_of(kinks.begin(), kinks.end(), far)) continue;
        if (distinct && !std::all_of(v.begin(), v.end(), far)) continue;
        v.push_back(x);
        break;
      }
    }
    return make(v, shape, tg::kFloat64, true);
  }
  std::mt19937_64 gen_;
};

// First and second derivatives of fn at inputs (float64, central differences).
void check_derivatives(const tg::autograd::SingleFunction& fn, const TL& inputs) {
  auto r = gradcheck(fn, inputs);
  EXPECT_TRUE(r) << "gradcheck: " << r.message;
  auto rr = gradgradcheck(fn, inputs);
  EXPECT_TRUE(rr) << "gradgradcheck: " << rr.message;
}

// ---- the pointwise activations ------------------------------------------------------------------

struct PointwiseOp {
  std::string name;
  Unary f;
  double lo, hi;              // the range sampled by gradcheck and the float32 comparison
  std::vector<double> kinks;  // points sampled inputs stay away from (kinks, thresholds)
};

std::ostream& operator<<(std::ostream& os, const PointwiseOp& op) { return os << op.name; }

const std::vector<PointwiseOp>& pointwise_ops() {
  static const std::vector<PointwiseOp> ops = {
      {"sigmoid", [](const Tensor& x) { return tg::sigmoid(x); }, -4, 4, {}},
      {"tanh", [](const Tensor& x) { return tg::tanh(x); }, -3, 3, {}},
      {"relu", [](const Tensor& x) { return tg::relu(x); }, -2, 2, {0}},
      {"leaky_relu_default", [](const Tensor& x) { return tg::leaky_relu(x); }, -2, 2, {0}},
      {"leaky_relu_0_2", [](const Tensor& x) { return tg::leaky_relu(x, 0.2); }, -2, 2, {0}},
      {"leaky_relu_neg_0_3", [](const Tensor& x) { return tg::leaky_relu(x, -0.3); }, -2, 2, {0}},
      {"elu_default", [](const Tensor& x) { return tg::elu(x); }, -3, 2, {0}},
      {"elu_alpha_0_5", [](const Tensor& x) { return tg::elu(x, 0.5); }, -3, 2, {0}},
      {"elu_alpha_2_scale_1_5_input_scale_0_7", [](const Tensor& x) { return tg::elu(x, 2.0, 1.5, 0.7); }, -3, 2, {0}},
      {"selu", [](const Tensor& x) { return tg::selu(x); }, -3, 2, {0}},
      {"celu_default", [](const Tensor& x) { return tg::celu(x); }, -3, 2, {0}},
      {"celu_alpha_0_5", [](const Tensor& x) { return tg::celu(x, 0.5); }, -3, 2, {0}},
      {"celu_alpha_2_5", [](const Tensor& x) { return tg::celu(x, 2.5); }, -3, 2, {0}},
      {"silu", [](const Tensor& x) { return tg::silu(x); }, -4, 4, {}},
      {"gelu_none", [](const Tensor& x) { return tg::gelu(x); }, -4, 4, {}},
      {"gelu_tanh", [](const Tensor& x) { return tg::gelu(x, "tanh"); }, -4, 4, {}},
      {"softplus_default", [](const Tensor& x) { return tg::softplus(x); }, -4, 4, {}},
      // beta x on both sides of the threshold (softplus jumps to x there: stay away from it)
      {"softplus_beta_2_threshold_3", [](const Tensor& x) { return tg::softplus(x, 2.0, 3.0); }, -3, 4, {1.5}},
      {"softplus_beta_0_5_threshold_1", [](const Tensor& x) { return tg::softplus(x, 0.5, 1.0); }, -4, 4, {2.0}},
      {"mish", [](const Tensor& x) { return tg::mish(x); }, -4, 4, {}},
      {"hardtanh_default", [](const Tensor& x) { return tg::hardtanh(x); }, -2, 2, {-1, 1}},
      {"hardtanh_m2_3", [](const Tensor& x) { return tg::hardtanh(x, -2.0, 3.0); }, -4, 4, {-2, 3}},
      {"relu6", [](const Tensor& x) { return tg::relu6(x); }, -2, 8, {0, 6}},
      {"hardsigmoid", [](const Tensor& x) { return tg::hardsigmoid(x); }, -5, 5, {-3, 3}},
      {"hardswish", [](const Tensor& x) { return tg::hardswish(x); }, -5, 5, {-3, 3}},
      {"logsigmoid", [](const Tensor& x) { return tg::logsigmoid(x); }, -5, 5, {}},
      {"softsign", [](const Tensor& x) { return tg::softsign(x); }, -3, 3, {0}},
      {"erf", [](const Tensor& x) { return tg::erf(x); }, -2.5, 2.5, {}},
      {"softshrink_default", [](const Tensor& x) { return tg::softshrink(x); }, -2, 2, {-0.5, 0.5}},
      {"softshrink_lambd_1_5", [](const Tensor& x) { return tg::softshrink(x, 1.5); }, -3, 3, {-1.5, 1.5}},
      {"threshold_0_5_value_m2", [](const Tensor& x) { return tg::threshold(x, 0.5, -2.0); }, -2, 2, {0.5}},
      {"swish_beta_1", [](const Tensor& x) { return tg::swish(x, 1.0); }, -4, 4, {}},
      {"swish_beta_0_5", [](const Tensor& x) { return tg::swish(x, 0.5); }, -4, 4, {}},
      {"swish_beta_2", [](const Tensor& x) { return tg::swish(x, 2.0); }, -4, 4, {}},
      {"swish_beta_neg1", [](const Tensor& x) { return tg::swish(x, -1.0); }, -4, 4, {}},
      {"squareplus_default", [](const Tensor& x) { return tg::squareplus(x); }, -4, 4, {}},
      {"squareplus_b_0_5", [](const Tensor& x) { return tg::squareplus(x, 0.5); }, -4, 4, {}},
      // smu / smu1 with mu a constant (not learnable here; see the parameter tests below)
      {"smu_const_mu", [](const Tensor& x) { return tg::smu(x, tg::full({1}, 1.5, x.options())); }, -3, 3, {}},
      {"smu_const_mu_alpha_0_5",
       [](const Tensor& x) { return tg::smu(x, tg::full({1}, 0.7, x.options()), 0.5); },
       -3,
       3,
       {}},
      {"smu1_const_mu", [](const Tensor& x) { return tg::smu1(x, tg::full({1}, 1.5, x.options())); }, -3, 3, {}},
      {"smu1_const_mu_alpha_0_5",
       [](const Tensor& x) { return tg::smu1(x, tg::full({1}, 0.3, x.options()), 0.5); },
       -3,
       3,
       {}},
  };
  return ops;
}

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> s = {{5}, {2, 3}, {1, 4}, {3, 1, 2}, {1}, {}};
  return s;
}

class Pointwise : public ::testing::TestWithParam<PointwiseOp> {};

TEST_P(Pointwise, GradcheckAndGradgradcheck) {
  const PointwiseOp& op = GetParam();
  uint64_t seed = 0x5eed;
  for (char ch : op.name) seed = seed * 131 + static_cast<unsigned char>(ch);  // per op, portable
  Sampler s(seed);
  for (const Shape& shape : shapes()) {
    SCOPED_TRACE(op.name + " on shape " + str(shape));
    Unary f = op.f;
    check_derivatives([f](const TL& x) { return f(x[0]); }, {s.leaf(shape, op.lo, op.hi, op.kinks)});
    // composed with a non-linear function, so that the backward's own derivative w.r.t. its
    // incoming gradient matters in the second derivative
    check_derivatives([f](const TL& x) { return f(x[0]).sin() * x[0]; }, {s.leaf(shape, op.lo, op.hi, op.kinks)});
  }
}

// float32 and float64 agree (values and first derivatives) on ordinary inputs. The float64
// reference is evaluated at the float32-rounded inputs, so only the float32 arithmetic differs.
TEST_P(Pointwise, Float32AgreesWithFloat64) {
  const PointwiseOp& op = GetParam();
  Sampler s(7);
  Tensor x32 = s.leaf({4, 6}, op.lo, op.hi, op.kinks).detach().to(tg::kFloat32).requires_grad_(true);
  Tensor x64 = x32.detach().to(tg::kFloat64).requires_grad_(true);
  Tensor y32 = op.f(x32), y64 = op.f(x64);
  ASSERT_EQ(y32.dtype(), tg::kFloat32);
  ASSERT_EQ(y64.dtype(), tg::kFloat64);
  Tensor w = make({0.3, -0.7, 1.1, 0.9, -1.3, 0.5}, {1, 6});
  Tensor g32 = tg::autograd::grad({y32}, {x32}, {w.to(tg::kFloat32).expand({4, 6})})[0];
  Tensor g64 = tg::autograd::grad({y64}, {x64}, {w.expand({4, 6})})[0];
  ASSERT_EQ(g32.dtype(), tg::kFloat32);
  auto a = values_of(y32), b = values_of(y64), ga = values_of(g32), gb = values_of(g64);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i], b[i], 2e-6 * std::fabs(b[i]) + 1e-6) << op.name << " value at " << i;
    EXPECT_NEAR(ga[i], gb[i], 2e-6 * std::fabs(gb[i]) + 1e-6) << op.name << " derivative at " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, Pointwise, ::testing::ValuesIn(pointwise_ops()),
                         [](const ::testing::TestParamInfo<PointwiseOp>& info) { return info.param.name; });

// ---- softmax / log_softmax / logsumexp ----------------------------------------------------------

TEST(ActivationGradcheck, SoftmaxEveryDim) {
  Sampler s(11);
  for (const Shape& shape : std::vector<Shape>{{5}, {2, 3}, {3, 1, 2}, {2, 3, 4}, {1, 1}}) {
    const int64_t nd = static_cast<int64_t>(shape.size());
    for (int64_t d = -nd; d < nd; ++d) {
      SCOPED_TRACE("shape " + str(shape) + ", dim " + std::to_string(d));
      check_derivatives([d](const TL& x) { return tg::softmax(x[0], d); }, {s.leaf(shape, -3, 3)});
      check_derivatives([d](const TL& x) { return tg::softmax(x[0], d).sin(); }, {s.leaf(shape, -3, 3)});
    }
  }
}

TEST(ActivationGradcheck, LogSoftmaxEveryDim) {
  Sampler s(12);
  for (const Shape& shape : std::vector<Shape>{{5}, {2, 3}, {3, 1, 2}, {2, 3, 4}, {1, 1}}) {
    const int64_t nd = static_cast<int64_t>(shape.size());
    for (int64_t d = -nd; d < nd; ++d) {
      SCOPED_TRACE("shape " + str(shape) + ", dim " + std::to_string(d));
      check_derivatives([d](const TL& x) { return tg::log_softmax(x[0], d); }, {s.leaf(shape, -3, 3)});
      check_derivatives([d](const TL& x) { return tg::log_softmax(x[0], d).sin(); }, {s.leaf(shape, -3, 3)});
    }
  }
}

TEST(ActivationGradcheck, Logsumexp) {
  Sampler s(13);
  struct C {
    Shape shape;
    std::vector<int64_t> dims;
  };
  for (const C& c : std::vector<C>{{{5}, {0}},
                                   {{2, 3}, {1}},
                                   {{2, 3}, {0}},
                                   {{3, 1, 2}, {1}},
                                   {{2, 3, 2}, {0, 2}},
                                   {{2, 3, 2}, {-1}},
                                   {{2, 3, 2}, {0, 1, 2}},
                                   {{1, 1}, {0, 1}}}) {
    for (bool keepdim : {false, true}) {
      SCOPED_TRACE("shape " + str(c.shape) + ", dims " + str(Shape(c.dims)) + ", keepdim " + std::to_string(keepdim));
      std::vector<int64_t> dims = c.dims;
      check_derivatives([dims, keepdim](const TL& x) { return tg::logsumexp(x[0], dims, keepdim); },
                        {s.leaf(c.shape, -3, 3)});
      check_derivatives([dims, keepdim](const TL& x) { return tg::logsumexp(x[0], dims, keepdim).sin(); },
                        {s.leaf(c.shape, -3, 3)});
    }
  }
}

TEST(ActivationGradcheck, SoftmaxOutputSumsToOne) {
  Sampler s(14);
  Tensor y = tg::softmax(s.leaf({3, 4, 2}, -3, 3), 1);
  for (double v : values_of(y.sum(1))) EXPECT_NEAR(v, 1.0, 1e-15);
  Tensor l = tg::log_softmax(s.leaf({3, 4, 2}, -3, 3), -1);
  for (double v : values_of(l.exp().sum(-1))) EXPECT_NEAR(v, 1.0, 1e-15);
}

// float32 and float64 agree for the ops with a dim or a parameter tensor (as Pointwise above).
TEST(ActivationFloat32, AgreesWithFloat64) {
  struct C {
    std::string name;
    std::function<Tensor(const Tensor&)> f;
  };
  const std::vector<C> cases = {
      {"softmax", [](const Tensor& x) { return tg::softmax(x, 1); }},
      {"log_softmax", [](const Tensor& x) { return tg::log_softmax(x, 0); }},
      {"logsumexp", [](const Tensor& x) { return tg::logsumexp(x, {1}, true); }},
      {"prelu_channels", [](const Tensor& x) { return tg::prelu(x, tg::full({4}, 0.2, x.options())); }},
      {"swish_tensor", [](const Tensor& x) { return tg::swish(x, tg::full({1}, 1.3, x.options())); }},
      {"maxout", [](const Tensor& x) { return tg::maxout(x, 2); }},
  };
  Sampler s(8);
  Tensor base = s.distinct({3, 4}, -3, 3).detach();
  for (const C& c : cases) {
    SCOPED_TRACE(c.name);
    Tensor x32 = base.to(tg::kFloat32).requires_grad_(true);
    Tensor x64 = x32.detach().to(tg::kFloat64).requires_grad_(true);
    Tensor y32 = c.f(x32), y64 = c.f(x64);
    ASSERT_EQ(y32.dtype(), tg::kFloat32);
    Tensor w64 = tg::linspace(-1.0, 1.5, y64.numel(), f64()).reshape(y64.sizes());
    Tensor g32 = tg::autograd::grad({y32}, {x32}, {w64.to(tg::kFloat32)})[0];
    Tensor g64 = tg::autograd::grad({y64}, {x64}, {w64})[0];
    auto a = values_of(y32), b = values_of(y64), ga = values_of(g32), gb = values_of(g64);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 2e-6 * std::fabs(b[i]) + 1e-6) << "value " << i;
    for (size_t i = 0; i < ga.size(); ++i)
      EXPECT_NEAR(ga[i], gb[i], 2e-6 * std::fabs(gb[i]) + 1e-6) << "derivative " << i;
  }
}

// ---- prelu, swish, smu, smu1: input and learnable parameter together ----------------------------

TEST(ActivationGradcheck, PreluSingleWeight) {
  Sampler s(21);
  for (const Shape& shape : std::vector<Shape>{{5}, {2, 3}, {2, 3, 4}, {1, 1, 3}, {}}) {
    for (const Shape& wshape : std::vector<Shape>{{1}, {}}) {
      SCOPED_TRACE("input " + str(shape) + ", weight " + str(wshape));
      check_derivatives([](const TL& x) { return tg::prelu(x[0], x[1]); },
                        {s.leaf(shape, -2, 2, {0}), s.leaf(wshape, -0.5, 0.5)});
      check_derivatives([](const TL& x) { return tg::prelu(x[0], x[1]).sin(); },
                        {s.leaf(shape, -2, 2, {0}), s.leaf(wshape, -0.5, 0.5)});
    }
  }
}

TEST(ActivationGradcheck, PreluPerChannel) {
  Sampler s(22);
  for (const Shape& shape : std::vector<Shape>{{2, 3}, {2, 3, 4}, {1, 3, 1}, {2, 2, 3, 2}, {4, 1, 3}}) {
    SCOPED_TRACE("input " + str(shape));
    Shape wshape{shape[1]};
    check_derivatives([](const TL& x) { return tg::prelu(x[0], x[1]); },
                      {s.leaf(shape, -2, 2, {0}), s.leaf(wshape, -0.5, 0.5)});
    check_derivatives([](const TL& x) { return tg::prelu(x[0], x[1]).sin(); },
                      {s.leaf(shape, -2, 2, {0}), s.leaf(wshape, -0.5, 0.5)});
  }
}

TEST(ActivationGradcheck, SwishTensorBeta) {
  Sampler s(23);
  for (const Shape& shape : std::vector<Shape>{{5}, {2, 3}, {3, 1, 2}, {1}}) {
    for (const Shape& bshape : std::vector<Shape>{{1}, {}}) {
      SCOPED_TRACE("input " + str(shape) + ", beta " + str(bshape));
      check_derivatives([](const TL& x) { return tg::swish(x[0], x[1]); },
                        {s.leaf(shape, -4, 4), s.leaf(bshape, 0.3, 2.0)});
      check_derivatives([](const TL& x) { return tg::swish(x[0], x[1]).sin(); },
                        {s.leaf(shape, -4, 4), s.leaf(bshape, -2.0, -0.3)});
    }
  }
}

TEST(ActivationGradcheck, SmuLearnableMu) {
  Sampler s(24);
  for (const Shape& shape : std::vector<Shape>{{5}, {2, 3}, {3, 1, 2}, {1}}) {
    for (double alpha : {0.25, 0.01, 0.5}) {
      SCOPED_TRACE("input " + str(shape) + ", alpha " + std::to_string(alpha));
      check_derivatives([alpha](const TL& x) { return tg::smu(x[0], x[1], alpha); },
                        {s.leaf(shape, -3, 3), s.leaf({1}, 0.5, 2.5)});
      check_derivatives([alpha](const TL& x) { return tg::smu(x[0], x[1], alpha).sin(); },
                        {s.leaf(shape, -3, 3), s.leaf({}, 0.5, 2.5)});
    }
  }
}

TEST(ActivationGradcheck, Smu1LearnableMu) {
  Sampler s(25);
  for (const Shape& shape : std::vector<Shape>{{5}, {2, 3}, {3, 1, 2}, {1}}) {
    for (double alpha : {0.25, 0.1, 0.5}) {
      SCOPED_TRACE("input " + str(shape) + ", alpha " + std::to_string(alpha));
      check_derivatives([alpha](const TL& x) { return tg::smu1(x[0], x[1], alpha); },
                        {s.leaf(shape, -3, 3), s.leaf({1}, 0.2, 2.0)});
      check_derivatives([alpha](const TL& x) { return tg::smu1(x[0], x[1], alpha).sin(); },
                        {s.leaf(shape, -3, 3), s.leaf({}, -2.0, -0.2)});
    }
  }
}

TEST(ActivationGradcheck, Maxout) {
  Sampler s(26);
  struct C {
    Shape shape;
    int64_t pieces, dim;
  };
  for (const C& c : std::vector<C>{{{3, 4}, 2, -1},
                                   {{2, 6, 2}, 3, 1},
                                   {{4, 1}, 2, 0},
                                   {{8}, 4, 0},
                                   {{2, 3}, 1, -1},
                                   {{1, 5}, 5, 1},
                                   {{2, 1, 6}, 3, -1}}) {
    SCOPED_TRACE("shape " + str(c.shape) + ", pieces " + std::to_string(c.pieces) + ", dim " + std::to_string(c.dim));
    int64_t p = c.pieces, d = c.dim;
    check_derivatives([p, d](const TL& x) { return tg::maxout(x[0], p, d); }, {s.distinct(c.shape)});
    check_derivatives([p, d](const TL& x) { return tg::maxout(x[0], p, d).square(); }, {s.distinct(c.shape)});
  }
}

// ---- the learnable parameters receive the right gradient (closed forms) -------------------------

// x, and a weight for the output, shared by the parameter tests.
const std::vector<double> kX = {-2.0, -0.7, -0.1, 0.3, 1.2, 2.5};
const std::vector<double> kW = {0.5, -1.25, 0.75, 1.0, -0.3, 2.0};

TEST(ActivationParameters, PreluSingleWeightGradient) {
  Tensor x = make(kX, {2, 3}, tg::kFloat64, true);
  Tensor w = make({0.25}, {1}, tg::kFloat64, true);
  (tg::prelu(x, w) * make(kW, {2, 3})).sum().backward();
  ASSERT_TRUE(w.grad().defined());
  EXPECT_EQ(w.grad().sizes().vec(), std::vector<int64_t>({1}));
  double expect_w = 0;
  for (size_t i = 0; i < kX.size(); ++i)
    if (kX[i] <= 0) expect_w += kX[i] * kW[i];  // d/dw = x where x <= 0
  EXPECT_NEAR(w.grad().item<double>(), expect_w, 1e-15);
  auto gx = values_of(x.grad());
  for (size_t i = 0; i < kX.size(); ++i) EXPECT_DOUBLE_EQ(gx[i], kW[i] * (kX[i] > 0 ? 1.0 : 0.25)) << i;
}

TEST(ActivationParameters, PreluPerChannelWeightGradient) {
  // x of shape [N=2, C=3, L=2]; weight one per channel
  std::vector<double> xv = {-1.0, 2.0, -0.5, -0.25, 3.0, -4.0, 0.5, -2.0, -1.5, 1.0, -3.0, -0.75};
  std::vector<double> wv = {0.1, 0.2, 0.3};
  Tensor x = make(xv, {2, 3, 2}, tg::kFloat64, true);
  Tensor w = make(wv, {3}, tg::kFloat64, true);
  std::vector<double> gout(12);
  for (size_t i = 0; i < 12; ++i) gout[i] = 0.1 * static_cast<double>(i) - 0.4;
  (tg::prelu(x, w) * make(gout, {2, 3, 2})).sum().backward();
  ASSERT_TRUE(w.grad().defined());
  EXPECT_EQ(w.grad().sizes().vec(), std::vector<int64_t>({3}));
  std::vector<double> expect_w(3, 0.0), expect_x(12);
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 3; ++c)
      for (int l = 0; l < 2; ++l) {
        size_t i = static_cast<size_t>(n * 6 + c * 2 + l);
        if (xv[i] <= 0) expect_w[c] += xv[i] * gout[i];
        expect_x[i] = gout[i] * (xv[i] > 0 ? 1.0 : wv[c]);
      }
  auto gw = values_of(w.grad()), gx = values_of(x.grad());
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(gw[c], expect_w[c], 1e-15) << "channel " << c;
  for (size_t i = 0; i < 12; ++i) EXPECT_NEAR(gx[i], expect_x[i], 1e-15) << i;
}

TEST(ActivationParameters, SwishBetaGradient) {
  for (const Shape& bshape : std::vector<Shape>{{1}, {}}) {
    SCOPED_TRACE("beta " + str(bshape));
    const double beta = 1.3;
    Tensor x = make(kX, {3, 2}, tg::kFloat64, true);
    Tensor b = make({beta}, bshape, tg::kFloat64, true);
    (tg::swish(x, b) * make(kW, {3, 2})).sum().backward();
    ASSERT_TRUE(b.grad().defined());
    EXPECT_EQ(b.grad().sizes().vec(), bshape.vec());
    double expect_b = 0;
    std::vector<double> expect_x(kX.size());
    for (size_t i = 0; i < kX.size(); ++i) {
      double s = 1 / (1 + std::exp(-beta * kX[i]));
      expect_b += kW[i] * kX[i] * kX[i] * s * (1 - s);         // d/dbeta = x^2 s (1 - s)
      expect_x[i] = kW[i] * (s + beta * kX[i] * s * (1 - s));  // d/dx = s + beta x s (1 - s)
    }
    EXPECT_NEAR(b.grad().item<double>(), expect_b, 1e-14);
    auto gx = values_of(x.grad());
    for (size_t i = 0; i < kX.size(); ++i) EXPECT_NEAR(gx[i], expect_x[i], 1e-14) << i;
    // the tensor-beta form equals the double-beta form
    EXPECT_TRUE(tg::allclose(tg::swish(x, b), tg::swish(x, beta), 0, 1e-15));
  }
  // beta = 1 is silu
  Tensor x = make(kX);
  EXPECT_TRUE(tg::allclose(tg::swish(x, 1.0), tg::silu(x), 0, 1e-15));
}

TEST(ActivationParameters, SmuMuGradient) {
  for (double alpha : {0.25, 0.01}) {
    SCOPED_TRACE("alpha " + std::to_string(alpha));
    const double mu = 1.7;
    Tensor x = make(kX, {2, 3}, tg::kFloat64, true);
    Tensor m = make({mu}, {1}, tg::kFloat64, true);
    (tg::smu(x, m, alpha) * make(kW, {2, 3})).sum().backward();
    ASSERT_TRUE(m.grad().defined());
    EXPECT_EQ(m.grad().sizes().vec(), std::vector<int64_t>({1}));
    double expect_mu = 0;
    std::vector<double> expect_x(kX.size());
    for (size_t i = 0; i < kX.size(); ++i) {
      double a = (1 - alpha) * kX[i];
      double e = 2 / std::sqrt(kPi) * std::exp(-(mu * a) * (mu * a));  // erf'(mu a)
      expect_mu += kW[i] * 0.5 * a * e * a;                            // d/dmu = (1-alpha) x erf'(.) (1-alpha) x / 2
      expect_x[i] = kW[i] * 0.5 * ((1 + alpha) + (1 - alpha) * std::erf(mu * a) + a * e * mu * (1 - alpha));
    }
    EXPECT_NEAR(m.grad().item<double>(), expect_mu, 1e-14);
    auto gx = values_of(x.grad());
    for (size_t i = 0; i < kX.size(); ++i) EXPECT_NEAR(gx[i], expect_x[i], 1e-14) << i;
  }
}

TEST(ActivationParameters, Smu1MuGradient) {
  for (double alpha : {0.25, 0.5}) {
    for (double mu : {0.8, -0.4}) {
      SCOPED_TRACE("alpha " + std::to_string(alpha) + ", mu " + std::to_string(mu));
      Tensor x = make(kX, {2, 3}, tg::kFloat64, true);
      Tensor m = make({mu}, {}, tg::kFloat64, true);
      (tg::smu1(x, m, alpha) * make(kW, {2, 3})).sum().backward();
      ASSERT_TRUE(m.grad().defined());
      EXPECT_EQ(m.grad().dim(), 0);
      double expect_mu = 0;
      std::vector<double> expect_x(kX.size());
      for (size_t i = 0; i < kX.size(); ++i) {
        double a = (1 - alpha) * kX[i];
        double r = std::sqrt(a * a + mu * mu);
        expect_mu += kW[i] * 0.5 * mu / r;                                // d/dmu = mu / (2 r)
        expect_x[i] = kW[i] * 0.5 * ((1 + alpha) + (1 - alpha) * a / r);  // d/dx
      }
      EXPECT_NEAR(m.grad().item<double>(), expect_mu, 1e-14);
      auto gx = values_of(x.grad());
      for (size_t i = 0; i < kX.size(); ++i) EXPECT_NEAR(gx[i], expect_x[i], 1e-14) << i;
    }
  }
}

// The parameter gradients also agree with a central difference of the loss.
TEST(ActivationParameters, ParameterGradientsMatchFiniteDifferences) {
  struct C {
    std::string name;
    std::function<Tensor(const Tensor&, const Tensor&)> f;
    std::vector<double> p;
    Shape pshape;
  };
  const std::vector<C> cases = {
      {"prelu_single",
       [](const Tensor& x, const Tensor& p) {
         return tg::prelu(x.reshape({1, 6}), p);
       },
       {0.2},
       {1}},
      {"prelu_channels",
       [](const Tensor& x, const Tensor& p) {
         return tg::prelu(x.reshape({2, 3}), p);
       },
       {0.1, -0.2, 0.4},
       {3}},
      {"swish", [](const Tensor& x, const Tensor& p) { return tg::swish(x, p); }, {0.9}, {1}},
      {"smu", [](const Tensor& x, const Tensor& p) { return tg::smu(x, p); }, {1.1}, {1}},
      {"smu1", [](const Tensor& x, const Tensor& p) { return tg::smu1(x, p); }, {0.6}, {1}},
  };
  for (const C& c : cases) {
    SCOPED_TRACE(c.name);
    Tensor x = make(kX);
    Tensor p = make(c.p, c.pshape, tg::kFloat64, true);
    auto loss = [&](const Tensor& pp) { return (c.f(x, pp).reshape({6}) * make(kW)).sum(); };
    loss(p).backward();
    auto g = values_of(p.grad());
    for (size_t k = 0; k < c.p.size(); ++k) {
      const double h = 1e-6;
      std::vector<double> hi = c.p, lo = c.p;
      hi[k] += h;
      lo[k] -= h;
      double fd = (loss(make(hi, c.pshape)).item<double>() - loss(make(lo, c.pshape)).item<double>()) / (2 * h);
      EXPECT_NEAR(g[k], fd, 1e-7 + 1e-6 * std::fabs(fd)) << "parameter " << k;
    }
  }
}

// ---- extreme inputs -----------------------------------------------------------------------------

struct ExtremeOp {
  std::string name;
  Unary f;
};

// Every op whose mathematical value and derivatives are finite at +-1000.
std::vector<ExtremeOp> extreme_ops() {
  return {
      {"sigmoid", [](const Tensor& x) { return tg::sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return tg::tanh(x); }},
      {"softplus", [](const Tensor& x) { return tg::softplus(x); }},
      {"softplus_beta_0_5_threshold_1000", [](const Tensor& x) { return tg::softplus(x, 0.5, 1000.0); }},
      {"silu", [](const Tensor& x) { return tg::silu(x); }},
      {"mish", [](const Tensor& x) { return tg::mish(x); }},
      {"gelu_none", [](const Tensor& x) { return tg::gelu(x); }},
      {"gelu_tanh", [](const Tensor& x) { return tg::gelu(x, "tanh"); }},
      {"elu", [](const Tensor& x) { return tg::elu(x); }},
      {"elu_alpha_0_5", [](const Tensor& x) { return tg::elu(x, 0.5); }},
      {"selu", [](const Tensor& x) { return tg::selu(x); }},
      {"celu", [](const Tensor& x) { return tg::celu(x); }},
      {"celu_alpha_0_5", [](const Tensor& x) { return tg::celu(x, 0.5); }},
      {"logsigmoid", [](const Tensor& x) { return tg::logsigmoid(x); }},
      {"log_softmax", [](const Tensor& x) { return tg::log_softmax(x, -1); }},
      {"logsumexp", [](const Tensor& x) { return tg::logsumexp(x, {-1}, true); }},
      {"softmax", [](const Tensor& x) { return tg::softmax(x, -1); }},
      {"squareplus", [](const Tensor& x) { return tg::squareplus(x); }},
      {"smu", [](const Tensor& x) { return tg::smu(x, tg::full({1}, 1.0, x.options())); }},
      {"smu1", [](const Tensor& x) { return tg::smu1(x, tg::full({1}, 1.0, x.options())); }},
      {"swish_beta_0_5", [](const Tensor& x) { return tg::swish(x, 0.5); }},
      {"softsign", [](const Tensor& x) { return tg::softsign(x); }},
      {"erf", [](const Tensor& x) { return tg::erf(x); }},
  };
}

const std::vector<std::vector<double>>& extreme_rows() {
  static const std::vector<std::vector<double>> rows = {
      {-1000.0, -1000.0, -1000.0},
      {1000.0, 1000.0, 1000.0},
      {-1000.0, 1000.0, -1000.0},
      {-1000.0, -30.0, 0.5, 30.0, 1000.0, -100.0},
  };
  return rows;
}

TEST(ActivationExtreme, FiniteValuesGradientsAndSecondDerivatives) {
  for (tg::ScalarType dtype : {tg::kFloat32, tg::kFloat64}) {
    for (const ExtremeOp& op : extreme_ops()) {
      for (const auto& row : extreme_rows()) {
        SCOPED_TRACE(op.name + " in " + tg::dtype_name(dtype) + " at " + ::testing::PrintToString(row));
        Tensor x = make(row, {1, static_cast<int64_t>(row.size())}, dtype, true);
        Tensor y = op.f(x);
        EXPECT_EQ(y.dtype(), dtype);
        EXPECT_TRUE(all_finite(y)) << "value " << y;
        Tensor w = tg::full(y.sizes(), 0.75, tg::TensorOptions().dtype(dtype));
        if (op.name == "softmax" || op.name == "log_softmax")  // a non-uniform weight, else g = 0
          w = make(std::vector<double>(row.size(), 0.0), y.sizes(), dtype) +
              tg::arange(0.0, static_cast<double>(row.size()), tg::TensorOptions().dtype(dtype)) * 0.25;
        Tensor g = tg::autograd::grad({y}, {x}, {w}, std::nullopt, /*create_graph=*/true)[0];
        EXPECT_TRUE(all_finite(g)) << "gradient " << g;
        ASSERT_TRUE(g.requires_grad());
        Tensor gg = tg::autograd::grad({(g * 0.5).sum()}, {x}, {}, std::nullopt, false, /*allow_unused=*/true)[0];
        if (gg.defined()) {
          EXPECT_TRUE(all_finite(gg)) << "second derivative " << gg;
        }
      }
    }
  }
}

TEST(ActivationExtreme, SoftmaxSumsToOne) {
  for (tg::ScalarType dtype : {tg::kFloat32, tg::kFloat64}) {
    for (const auto& row : extreme_rows()) {
      SCOPED_TRACE(std::string(tg::dtype_name(dtype)) + " at " + ::testing::PrintToString(row));
      Tensor y = tg::softmax(make(row, dtype), 0);
      EXPECT_TRUE(all_finite(y));
      EXPECT_NEAR(y.sum().item<double>(), 1.0, dtype == tg::kFloat32 ? 1e-6 : 1e-15);
      Tensor l = tg::log_softmax(make(row, dtype), 0);
      EXPECT_NEAR(l.exp().sum().item<double>(), 1.0, dtype == tg::kFloat32 ? 1e-6 : 1e-15);
    }
  }
}

// Known values at +-1000 (the limits, which float32 and float64 both reach exactly or nearly).
TEST(ActivationExtreme, ValuesAtPlusMinus1000) {
  for (tg::ScalarType dtype : {tg::kFloat32, tg::kFloat64}) {
    SCOPED_TRACE(tg::dtype_name(dtype));
    Tensor x = make({-1000.0, 1000.0}, dtype, true);
    auto value_and_grad = [&](const Tensor& y) {
      Tensor g = tg::autograd::grad({y}, {x}, {tg::ones_like(y)})[0];
      return std::make_pair(values_of(y), values_of(g));
    };
    auto expect = [&](const char* name, const Tensor& y, std::vector<double> v, std::vector<double> d) {
      auto r = value_and_grad(y);
      for (size_t i = 0; i < 2; ++i) {
        EXPECT_NEAR(r.first[i], v[i], 1e-6 * std::fabs(v[i]) + 1e-30) << name << " value at " << i;
        EXPECT_NEAR(r.second[i], d[i], 1e-6 * std::fabs(d[i]) + 1e-30) << name << " derivative at " << i;
      }
    };
    expect("sigmoid", tg::sigmoid(x), {0, 1}, {0, 0});
    expect("tanh", tg::tanh(x), {-1, 1}, {0, 0});
    expect("softplus", tg::softplus(x), {0, 1000}, {0, 1});
    expect("silu", tg::silu(x), {0, 1000}, {0, 1});
    expect("mish", tg::mish(x), {0, 1000}, {0, 1});
    expect("gelu_none", tg::gelu(x), {0, 1000}, {0, 1});
    expect("gelu_tanh", tg::gelu(x, "tanh"), {0, 1000}, {0, 1});
    expect("elu", tg::elu(x), {-1, 1000}, {0, 1});
    expect("selu", tg::selu(x), {-1.7580993408473766, 1050.7009873554805}, {0, 1.0507009873554805});
    expect("celu_0_5", tg::celu(x, 0.5), {-0.5, 1000}, {0, 1});
    expect("logsigmoid", tg::logsigmoid(x), {-1000, 0}, {1, 0});
    expect("squareplus", tg::squareplus(x), {4.0 / (2 * (std::sqrt(1e6 + 4) + 1000)), (1000 + std::sqrt(1e6 + 4)) / 2},
           {0.5 * (1 - 1000 / std::sqrt(1e6 + 4)), 0.5 * (1 + 1000 / std::sqrt(1e6 + 4))});
    expect("smu", tg::smu(x, tg::full({1}, 1.0, x.options())), {-250, 1000}, {0.25, 1});
    expect("smu1", tg::smu1(x, tg::full({1}, 1.0, x.options())),
           {(-1250 + std::sqrt(750.0 * 750.0 + 1)) / 2, (1250 + std::sqrt(750.0 * 750.0 + 1)) / 2},
           {(1.25 - 0.75 * 750 / std::sqrt(750.0 * 750.0 + 1)) / 2,
            (1.25 + 0.75 * 750 / std::sqrt(750.0 * 750.0 + 1)) / 2});
    // log_softmax([-1000, 1000]) = [-2000, 0]; logsumexp = 1000
    Tensor ls = tg::log_softmax(x, 0);
    EXPECT_EQ(values_of(ls), std::vector<double>({-2000.0, 0.0}));
    EXPECT_EQ(tg::logsumexp(x, {0}).item<double>(), 1000.0);
    EXPECT_NEAR(tg::logsumexp(make({-1000.0, -1000.0}, dtype), {0}).item<double>(), -1000 + std::log(2.0),
                dtype == tg::kFloat32 ? 1e-4 : 1e-12);
  }
}

// torch 1.13's own second derivative of mish is nan for x > ~709 (its double backward computes
// log1p(exp(x))); the mathematical value is 0, and tensorgrad's is finite and ~0.
TEST(ActivationExtreme, MishSecondDerivativeAt1000) {
  Tensor x = make({1000.0, -1000.0}, tg::kFloat64, true);
  Tensor g = tg::autograd::grad({tg::mish(x).sum()}, {x}, {}, std::nullopt, true)[0];
  Tensor gg = tg::autograd::grad({g.sum()}, {x})[0];
  EXPECT_EQ(values_of(gg), std::vector<double>({0.0, 0.0}));
}

// ---- values at kinks follow PyTorch 1.13 --------------------------------------------------------

// The first derivatives of f at the points xs (a vector), with weight 1.
std::vector<double> derivatives(const Unary& f, const std::vector<double>& xs, tg::ScalarType dtype = tg::kFloat64) {
  Tensor x = make(xs, dtype, true);
  Tensor y = f(x);
  return values_of(tg::autograd::grad({y}, {x}, {tg::ones_like(y)})[0]);
}

TEST(ActivationKinks, DerivativesAtKinksFollowPyTorch) {
  for (tg::ScalarType dtype : {tg::kFloat32, tg::kFloat64}) {
    SCOPED_TRACE(tg::dtype_name(dtype));
    using V = std::vector<double>;
    // torch.autograd.grad(torch.relu(x).sum(), x) at x = 0 -> [0.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::relu(x); }, {0.0}, dtype), V({0.0}));
    // F.leaky_relu(x, 0.2) at 0 -> [0.2]; F.leaky_relu(x) (default 0.01) at 0 -> [0.01]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::leaky_relu(x, 0.2); }, {0.0}, dtype),
              V({static_cast<double>(dtype == tg::kFloat32 ? 0.2f : 0.2)}));
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::leaky_relu(x); }, {0.0}, dtype),
              V({static_cast<double>(dtype == tg::kFloat32 ? 0.01f : 0.01)}));
    // F.hardtanh(x) at [-1, 1] -> [0.0, 0.0]; F.hardtanh(x, -2., 3.) at [-2, 3] -> [0.0, 0.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::hardtanh(x); }, {-1.0, 1.0}, dtype), V({0.0, 0.0}));
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::hardtanh(x, -2.0, 3.0); }, {-2.0, 3.0}, dtype),
              V({0.0, 0.0}));
    // F.softshrink(x) at [-0.5, 0.5] -> [0.0, 0.0]; F.softshrink(x, 0.) at 0 -> [0.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::softshrink(x); }, {-0.5, 0.5}, dtype), V({0.0, 0.0}));
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::softshrink(x, 0.0); }, {0.0}, dtype), V({0.0}));
    // F.relu6(x) at [0, 6] -> [0.0, 0.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::relu6(x); }, {0.0, 6.0}, dtype), V({0.0, 0.0}));
    // F.hardsigmoid(x) at [-3, 3] -> [0.0, 0.0] (float32 and float64)
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::hardsigmoid(x); }, {-3.0, 3.0}, dtype), V({0.0, 0.0}));
    // F.hardswish(x) at [-3, 3] -> [-0.5, 1.5] (float32 and float64). PyTorch 1.13's kernel is
    // x < -3 ? 0 : x <= 3 ? x / 3 + 1/2 : 1, so hardswish'(-3) = -0.5, not 0.
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::hardswish(x); }, {-3.0, 3.0}, dtype), V({-0.5, 1.5}));
    // F.elu(x, 0.7) at 0 -> [0.7]; F.elu(x) at 0 -> [1.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::elu(x, 0.7); }, {0.0}, dtype),
              V({static_cast<double>(dtype == tg::kFloat32 ? 0.7f : 0.7)}));
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::elu(x); }, {0.0}, dtype), V({1.0}));
    // F.selu(x) at 0 -> [1.7580993408473766] (scale * alpha)
    EXPECT_NEAR(derivatives([](const Tensor& x) { return tg::selu(x); }, {0.0}, dtype)[0], 1.7580993408473766,
                dtype == tg::kFloat32 ? 2e-7 : 1e-15);
    // F.celu(x, 0.5) at 0 -> [1.0]; F.celu(x) at 0 -> [1.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::celu(x, 0.5); }, {0.0}, dtype), V({1.0}));
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::celu(x); }, {0.0}, dtype), V({1.0}));
    // torch.abs(x) at 0 -> [0.0]
    EXPECT_EQ(derivatives([](const Tensor& x) { return tg::abs(x); }, {0.0}, dtype), V({0.0}));
  }
}

TEST(ActivationKinks, PreluAtZeroIsTheWeight) {
  // F.prelu(x, w) with x = [0, -1, 2], w = [0.3]: d/dx -> [0.3, 0.3, 1.0], d/dw -> [-1.0]
  Tensor x = make({0.0, -1.0, 2.0}, tg::kFloat64, true);
  Tensor w = make({0.3}, tg::kFloat64, true);
  auto g = tg::autograd::grad({tg::prelu(x, w).sum()}, {x, w});
  EXPECT_EQ(values_of(g[0]), std::vector<double>({0.3, 0.3, 1.0}));
  EXPECT_EQ(values_of(g[1]), std::vector<double>({-1.0}));
  // per channel, x = [[0, 0, 0]], w = [0.1, 0.2, 0.3]: d/dx -> [[0.1, 0.2, 0.3]], d/dw -> [0, 0, 0]
  Tensor xc = make({0.0, 0.0, 0.0}, {1, 3}, tg::kFloat64, true);
  Tensor wc = make({0.1, 0.2, 0.3}, tg::kFloat64, true);
  auto gc = tg::autograd::grad({tg::prelu(xc, wc).sum()}, {xc, wc});
  EXPECT_EQ(values_of(gc[0]), std::vector<double>({0.1, 0.2, 0.3}));
  EXPECT_EQ(values_of(gc[1]), std::vector<double>({0.0, 0.0, 0.0}));
}

TEST(ActivationKinks, EluSecondDerivativeAtZero) {
  // torch.autograd.grad of elu'(x) at x = 0 (create_graph): F.elu -> 0.0, F.elu(x, 0.7) -> 0.0,
  // F.celu(x, 0.5) -> 0.0, F.selu -> 0.0 (elu_double_backward masks with x < 0), while the first
  // derivatives are 1.0, 0.7, 1.0 and 1.7580993408473766.
  for (const Unary& f : std::vector<Unary>{
           [](const Tensor& x) { return tg::elu(x); }, [](const Tensor& x) { return tg::elu(x, 0.7); },
           [](const Tensor& x) { return tg::celu(x, 0.5); }, [](const Tensor& x) { return tg::selu(x); }}) {
    Tensor x = make({0.0}, tg::kFloat64, true);
    Tensor g = tg::autograd::grad({f(x).sum()}, {x}, {}, std::nullopt, true)[0];
    Tensor gg = tg::autograd::grad({g.sum()}, {x})[0];
    EXPECT_EQ(values_of(gg), std::vector<double>({0.0}));
  }
}

TEST(ActivationKinks, ValuesAtKinks) {
  Tensor x = make({-3.0, 0.0, 3.0, 6.0});
  EXPECT_EQ(values_of(tg::relu6(x)), std::vector<double>({0.0, 0.0, 3.0, 6.0}));
  EXPECT_EQ(values_of(tg::hardsigmoid(x)), std::vector<double>({0.0, 0.5, 1.0, 1.0}));
  EXPECT_EQ(values_of(tg::hardswish(x)), std::vector<double>({0.0, 0.0, 3.0, 6.0}));
  EXPECT_EQ(values_of(tg::hardtanh(x, -3.0, 3.0)), std::vector<double>({-3.0, 0.0, 3.0, 3.0}));
  EXPECT_EQ(values_of(tg::leaky_relu(x, 0.5)), std::vector<double>({-1.5, 0.0, 3.0, 6.0}));
}

// ---- heaviside ----------------------------------------------------------------------------------

TEST(ActivationHeaviside, ForwardValues) {
  // torch.heaviside(tensor([-1., 0., 2.]), tensor([0.5])) -> [0.0, 0.5, 1.0]
  Tensor x = make({-1.0, 0.0, 2.0, -0.0, 1e-300, -1e-300});
  EXPECT_EQ(values_of(tg::heaviside(x, make({0.5}))), std::vector<double>({0.0, 0.5, 1.0, 0.5, 1.0, 0.0}));
  // values broadcast against x
  Tensor x2 = make({0.0, 0.0, -2.0, 0.0, 3.0, 0.0}, {2, 3});
  Tensor v = make({0.25, 0.75, -1.0});
  EXPECT_EQ(values_of(tg::heaviside(x2, v)), std::vector<double>({0.25, 0.75, 0.0, 0.25, 1.0, -1.0}));
  EXPECT_EQ(tg::heaviside(x2, v).sizes().vec(), std::vector<int64_t>({2, 3}));
  // float32 too
  Tensor y32 = tg::heaviside(make({-1.0, 0.0, 2.0}, tg::kFloat32), make({0.5}, tg::kFloat32));
  EXPECT_EQ(y32.dtype(), tg::kFloat32);
  EXPECT_EQ(values_of(y32), std::vector<double>({0.0, 0.5, 1.0}));
}

TEST(ActivationHeaviside, ResultDoesNotRequireGrad) {
  Tensor x = make({-1.0, 0.0, 2.0}, tg::kFloat64, true);
  Tensor v = make({0.5}, tg::kFloat64, true);
  Tensor y = tg::heaviside(x, v);
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
  EXPECT_TRUE(x.requires_grad());  // the inputs are untouched
}

TEST(ActivationHeaviside, DtypeMismatchIsAnError) {
  try {
    tg::heaviside(make({1.0}), make({0.5}, tg::kFloat32));
    FAIL() << "no error";
  } catch (const tg::Error& e) {
    EXPECT_NE(std::string(e.what()).find("heaviside is not yet implemented for tensors with different dtypes"),
              std::string::npos)
        << e.what();
  }
}

// ---- maxout -------------------------------------------------------------------------------------

TEST(ActivationMaxout, ShapesAndValues) {
  Tensor x = make({1, 5, 2, 4, 3, 0, -1, -2, 7, 8, 6, 9}, {2, 6});
  Tensor y = tg::maxout(x, 3);
  EXPECT_EQ(y.sizes().vec(), std::vector<int64_t>({2, 2}));
  EXPECT_EQ(values_of(y), std::vector<double>({5, 4, 7, 9}));
  Tensor y2 = tg::maxout(x, 2, -1);
  EXPECT_EQ(y2.sizes().vec(), std::vector<int64_t>({2, 3}));
  EXPECT_EQ(values_of(y2), std::vector<double>({5, 4, 3, -1, 8, 9}));
  Tensor y0 = tg::maxout(x, 2, 0);
  EXPECT_EQ(y0.sizes().vec(), std::vector<int64_t>({1, 6}));
  EXPECT_EQ(values_of(y0), std::vector<double>({1, 5, 7, 8, 6, 9}));
  EXPECT_EQ(tg::maxout(tg::zeros({2, 6, 5}, f64()), 2, 1).sizes().vec(), std::vector<int64_t>({2, 3, 5}));
  EXPECT_EQ(tg::maxout(tg::zeros({4, 3, 1}, f64()), 4, 0).sizes().vec(), std::vector<int64_t>({1, 3, 1}));
  EXPECT_EQ(tg::maxout(x, 1).sizes().vec(), std::vector<int64_t>({2, 6}));
}

TEST(ActivationMaxout, GradientFlowsToTheMaximum) {
  Tensor x = make({1, 5, 2, 4, 3, 0, -1, -2, 7, 8, 6, 9}, {2, 6}, tg::kFloat64, true);
  tg::maxout(x, 3).sum().backward();
  EXPECT_EQ(values_of(x.grad()), std::vector<double>({0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1}));
}

TEST(ActivationMaxout, SizeNotAMultipleOfPiecesIsAnError) {
  try {
    tg::maxout(tg::zeros({2, 5}, f64()), 2);
    FAIL() << "no error";
  } catch (const tg::Error& e) {
    EXPECT_NE(std::string(e.what()).find("must be a multiple of pieces"), std::string::npos) << e.what();
  }
  try {
    tg::maxout(tg::zeros({2, 6}, f64()), 0);
    FAIL() << "no error";
  } catch (const tg::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pieces must be positive"), std::string::npos) << e.what();
  }
  EXPECT_THROW(tg::maxout(tg::zeros({2, 6}, f64()), 2, 2), tg::Error);
}

// ---- error messages -----------------------------------------------------------------------------

// Expects fn to throw a tg::Error whose message contains `substring`.
void expect_error(const std::function<void()>& fn, const std::string& substring) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one containing '" << substring << "'";
  } catch (const tg::Error& e) {
    EXPECT_NE(std::string(e.what()).find(substring), std::string::npos)
        << "message '" << e.what() << "' does not contain '" << substring << "'";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a non-tg::Error: " << e.what();
  }
}

TEST(ActivationErrors, BadArguments) {
  Tensor x = tg::zeros({2, 3}, f64());
  // F.gelu(x, approximate='foo') -> "approximate argument must be either none or tanh."
  expect_error([&] { tg::gelu(x, "foo"); }, "approximate argument must be either none or tanh");
  // F.celu(x, 0.0) -> RuntimeError('ZeroDivisionError: alpha cannot be 0 for CELU')
  expect_error([&] { tg::celu(x, 0.0); }, "ZeroDivisionError: alpha cannot be 0");
  expect_error([&] { tg::squareplus(x, 0.0); }, "squareplus: b must be positive");
  expect_error([&] { tg::squareplus(x, -1.0); }, "squareplus: b must be positive");
  // F.prelu(torch.zeros(2,3,4), torch.zeros(2)) -> "Mismatch of parameter numbers and input
  // channel size. Found parameter numbers = 2 and channel size = 3."
  expect_error(
      [&] {
        tg::prelu(tg::zeros({2, 3, 4}, f64()), tg::zeros({2}, f64()));
      },
      "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3");
  expect_error([&] { tg::prelu(tg::zeros({4}, f64()), tg::zeros({4}, f64())); },
               "Mismatch of parameter numbers and input channel size");
  expect_error([&] { tg::swish(x, tg::ones({2}, f64())); }, "swish: beta must have one element");
  expect_error([&] { tg::smu(x, tg::ones({2}, f64())); }, "smu: mu must have one element");
  expect_error([&] { tg::smu1(x, tg::ones({1, 3}, f64())); }, "smu1: mu must have one element");
  // torch.softmax(torch.zeros(2,3), 2) -> "Dimension out of range (expected to be in range of
  // [-2, 1], but got 2)"
  expect_error([&] { tg::softmax(x, 2); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error([&] { tg::softmax(x, -3); }, "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
  expect_error([&] { tg::log_softmax(x, 2); },
               "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error([&] { tg::logsumexp(x, {5}); },
               "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
  expect_error([&] { tg::hardtanh(x, 1.0, -1.0); }, "min_val (1) cannot be greater than max_val (-1)");
  // F.softshrink(x, -1.) -> "lambda must be greater or equal to 0, but found to be -1."
  expect_error([&] { tg::softshrink(x, -1.0); },
               "softshrink: lambda must be greater or equal to 0, but found to be -1 ([float64 [2, 3]])");
}

}  // namespace
