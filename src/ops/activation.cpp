// Activations. Every pointwise activation is one descriptor below (docs/architecture.md, "Adding
// an op"); the softmax family and the composed activations follow.
#include <algorithm>
#include <cmath>

#include <unsupported/Eigen/SpecialFunctions>

#include "kernels/elementwise.h"
#include "kernels/softmax.h"
#include "ops/op_util.h"
#include "tensorgrad/ops/activation.h"

namespace tg {

namespace {

// Note [Pointwise activations]
// An activation y = f(x) is a descriptor: its forward kernel; a fused kernel for g * f'(x), which
// reads s = x or s = y (whichever f' is cheaper or more accurate from); and d f'/ds written with
// differentiable tensor ops. Its backward is the op activation_backward(g, s), itself recorded
// with the rule (gg -> activation_backward(gg, s), gg * g * d f'/ds), so a first-order backward
// costs one fused kernel and create_graph still gives exact second derivatives. When s = y, that
// second term flows on through y's own node, which is the chain rule for d f'(f(x)) / dx.
// Piecewise-linear activations return zeros for d f'/ds: PyTorch's defined zero.

struct ActParams {
  double a = 0, b = 0, c = 0;
};

enum class Reads { Input, Output };

struct PointwiseActivation {
  const char* fn;             // the op, in error messages
  const char* node;           // libtorch's name of its node: "SigmoidBackward0"
  const char* backward_node;  // and of the node of its backward: "SigmoidBackwardBackward0"
  Reads reads;                // what f' is computed from: x or y
  Tensor (*forward)(const Tensor& x, const ActParams& p);                      // y = f(x), a kernel
  Tensor (*derivative)(const Tensor& g, const Tensor& s, const ActParams& p);  // g f'(x), a fused kernel
  Tensor (*derivative_of_derivative)(const Tensor& s, const ActParams& p);     // d f' / ds, in tensor ops
};

Tensor activation_backward(const Tensor& g, const Tensor& s, const PointwiseActivation* a, const ActParams& p) {
  Tensor out = a->derivative(g.dtype() == s.dtype() ? g : g.to(s.dtype()), s, p);
  record(a->backward_node, out, inputs(g, s), save(for_grad(1, g), s), [a, p](auto& c) -> Grads {
    auto [grad, saved] = c.saved();
    return {c.needs(0) ? activation_backward(c.grad(), saved, a, p) : Tensor(),
            c.needs(1) ? c.grad() * grad * a->derivative_of_derivative(saved, p) : Tensor()};
  });
  return out;
}

Tensor apply(const PointwiseActivation& a, const Tensor& x, const ActParams& p = {}) {
  if (!impl_of(x).is_floating()) return apply(a, x.to(get_default_dtype()), p);
  Tensor y = a.forward(x, p);
  record(a.node, y, inputs(x), save(a.reads == Reads::Input ? x : y),
         [def = &a, p](auto& c) { return activation_backward(c.grad(), c.saved(0), def, p); });
  return y;
}

template <typename T>
using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;

#define TG_SCALAR_T(a) using T [[maybe_unused]] = typename std::decay_t<decltype(a)>::Scalar

// Applies the elementwise Eigen expression `expr` (of `a`, scalar type T) to a floating tensor.
#define TG_FORWARD(name, expr)                                                       \
  [](const Tensor& x, [[maybe_unused]] const ActParams& p) {                        \
    return kernels::map_float(x, name, [p](const auto& a) { TG_SCALAR_T(a); return expr; }); \
  }
// The fused g * f' from `g` and `s`, an Eigen expression.
#define TG_DERIVATIVE(name, expr)                                                                 \
  [](const Tensor& g_, const Tensor& s_, [[maybe_unused]] const ActParams& p) {                   \
    return kernels::map_float2(g_, s_, name, [p](const auto& g, const auto& s) { TG_SCALAR_T(g); return expr; }); \
  }
#define TG_ZERO_SECOND [](const Tensor& s, const ActParams&) { return zeros_like(s); }

constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1 / sqrt(2 pi)
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kGeluC = 0.044715;
constexpr double kTwoOverSqrtPi = 1.12837916709551257390;

// -- sigmoid: 1 / (1 + e^-x); f' = y (1 - y). For x -> -inf, e^-x -> inf and the quotient -> 0.
const PointwiseActivation kSigmoid{
    "sigmoid", "SigmoidBackward0", "SigmoidBackwardBackward0", Reads::Output,
    TG_FORWARD("sigmoid", (T(1) + (-a).exp()).inverse()),
    TG_DERIVATIVE("sigmoid_backward", g * s * (T(1) - s)),
    [](const Tensor& y, const ActParams&) { return 1 - 2 * y; }};

// -- tanh; f' = 1 - y^2.
const PointwiseActivation kTanh{
    "tanh", "TanhBackward0", "TanhBackwardBackward0", Reads::Output,
    TG_FORWARD("tanh", a.tanh()),
    TG_DERIVATIVE("tanh_backward", g * (T(1) - s * s)),
    [](const Tensor& y, const ActParams&) { return -2 * y; }};

// -- threshold (threshold a, value b): x where x > a, else b; f' = [x > a]. relu reads y > 0.
const PointwiseActivation kThreshold{
    "threshold", "ThresholdBackward0", "ThresholdBackwardBackward0", Reads::Input,
    TG_FORWARD("threshold", (a > T(p.a)).select(a, T(p.b))),
    TG_DERIVATIVE("threshold_backward", (s > T(p.a)).select(g, T(0))),
    TG_ZERO_SECOND};
const PointwiseActivation kRelu{
    "relu", "ReluBackward0", "ThresholdBackwardBackward0", Reads::Output,
    TG_FORWARD("relu", (a <= T(0)).select(T(0), a)),  // NaN stays NaN, as PyTorch
    kThreshold.derivative, TG_ZERO_SECOND};

// -- leaky_relu (slope a)
const PointwiseActivation kLeakyRelu{
    "leaky_relu", "LeakyReluBackward0", "LeakyReluBackwardBackward0", Reads::Input,
    TG_FORWARD("leaky_relu", (a > T(0)).select(a, a * T(p.a))),
    TG_DERIVATIVE("leaky_relu_backward", (s > T(0)).select(g, g * T(p.a))),
    TG_ZERO_SECOND};

// -- elu (alpha a, scale b, input_scale c); celu is elu(alpha, 1, 1 / alpha) under its own name.
Tensor elu_second(const Tensor& x, const ActParams& p) {
  // x < 0, not x <= 0: at the kink PyTorch takes elu''(0) = 0 (elu_double_backward masks with
  // self < 0) although elu'(0) = alpha * scale * input_scale.
  return where(x < 0.0, exp(x * p.c) * (p.a * p.b * p.c * p.c), zeros_like(x));
}
const PointwiseActivation kElu{
    "elu", "EluBackward0", "EluBackwardBackward0", Reads::Input,
    TG_FORWARD("elu", (a > T(0)).select(a * T(p.b), T(p.a * p.b) * ((a * T(p.c)).exp() - T(1)))),
    TG_DERIVATIVE("elu_backward", (s > T(0)).select(g * T(p.b), g * T(p.a * p.b * p.c) * (s * T(p.c)).exp())),
    elu_second};
const PointwiseActivation kCelu{"celu", "CeluBackward0", "EluBackwardBackward0", Reads::Input,
                                kElu.forward, kElu.derivative, elu_second};

// -- silu: x sigmoid(x); f' = s (1 + x (1 - s)).
const PointwiseActivation kSilu{
    "silu", "SiluBackward0", "SiluBackwardBackward0", Reads::Input,
    TG_FORWARD("silu", a * (T(1) + (-a).exp()).inverse()),
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "silu_backward", [](const auto& gg, const auto& xx, auto& o) {
        TG_SCALAR_T(gg);
        o = (T(1) + (-xx).exp()).inverse();  // s, then g s (1 + x (1 - s)) in place
        o = gg * o * (T(1) + xx * (T(1) - o));
      });
    },
    [](const Tensor& x, const ActParams&) {
      Tensor s = sigmoid(x);
      return s * (1 - s) * (2 + x * (1 - 2 * s));
    }};

// -- gelu, exact: x Phi(x); f' = Phi(x) + x phi(x).
const PointwiseActivation kGelu{
    "gelu", "GeluBackward0", "GeluBackwardBackward0", Reads::Input,
    TG_FORWARD("gelu", a * T(0.5) * (T(1) + (a * T(kSqrt1_2)).erf())),
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "gelu_backward", [](const auto& gg, const auto& xx, auto& o) {
        TG_SCALAR_T(gg);
        // g (cdf + x pdf), cdf = (1 + erf(x / sqrt 2)) / 2, pdf = e^(-x^2 / 2) / sqrt(2 pi)
        o = gg * (T(0.5) * (T(1) + (xx * T(kSqrt1_2)).erf()) + xx * T(kInvSqrt2Pi) * (T(-0.5) * xx * xx).exp());
      });
    },
    [](const Tensor& x, const ActParams&) { return exp(x * x * -0.5) * kInvSqrt2Pi * (2 - x * x); }};

// -- gelu, tanh approximation: x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3).
const PointwiseActivation kGeluTanh{
    "gelu", "GeluBackward0", "GeluBackwardBackward0", Reads::Input,
    TG_FORWARD("gelu", T(0.5) * a * (T(1) + (T(kSqrt2OverPi) * (a + T(kGeluC) * a * a * a)).tanh())),
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "gelu_backward", [](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        Arr<T> x2 = xx * xx;
        Arr<T> t = (T(kSqrt2OverPi) * (xx + T(kGeluC) * x2 * xx)).tanh();
        Arr<T> du = T(kSqrt2OverPi) * (T(1) + T(3 * kGeluC) * x2);
        return (gg * (T(0.5) * (T(1) + t) + T(0.5) * xx * (T(1) - t * t) * du)).eval();
      });
    },
    [](const Tensor& x, const ActParams&) {
      Tensor t = tanh((x + pow(x, 3) * kGeluC) * kSqrt2OverPi);
      Tensor du = (1 + x * x * (3 * kGeluC)) * kSqrt2OverPi;
      Tensor d2u = x * (6 * kGeluC * kSqrt2OverPi);
      return (1 - t * t) * (du + x * 0.5 * (d2u - 2 * t * du * du));
    }};

// -- softplus (beta a, threshold b): log1p(e^(bx)) / b, as max(bx, 0) + log1p(e^-|bx|) so that it
// never overflows; x itself where bx > threshold. f' = sigmoid(bx), 1 above the threshold.
const PointwiseActivation kSoftplus{
    "softplus", "SoftplusBackward0", "SoftplusBackwardBackward0", Reads::Input,
    TG_FORWARD("softplus", (a * T(p.a) > T(p.b)).select(a, ((a * T(p.a)).max(T(0)) + (-(a * T(p.a)).abs()).exp().log1p()) / T(p.a))),
    [](const Tensor& g, const Tensor& x, const ActParams& p) {
      return kernels::map_float2(g, x, "softplus_backward", [p](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        Arr<T> bx = xx * T(p.a);
        Arr<T> s = (T(1) + (-bx).exp()).inverse();
        return (bx > T(p.b)).select(gg, gg * s).eval();
      });
    },
    [](const Tensor& x, const ActParams& p) {
      Tensor bx = x * p.a;
      Tensor s = sigmoid(bx);
      return where(bx > p.b, zeros_like(x), s * (1 - s) * p.a);
    }};

// -- mish: x tanh(softplus(x)); f' = t + x s (1 - t^2), t = tanh(softplus(x)), s = sigmoid(x).
const PointwiseActivation kMish{
    "mish", "MishBackward0", "MishBackwardBackward0", Reads::Input,
    TG_FORWARD("mish", a * (a.max(T(0)) + (-a.abs()).exp().log1p()).tanh()),
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "mish_backward", [](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        Arr<T> sp = (xx > T(20)).select(xx, (xx.exp()).log1p());
        Arr<T> t = sp.tanh();
        Arr<T> s = (T(1) + (-xx).exp()).inverse();
        return (gg * (t + xx * s * (T(1) - t * t))).eval();
      });
    },
    [](const Tensor& x, const ActParams&) {
      Tensor t = tanh(softplus(x));
      Tensor s = sigmoid(x);
      return s * (1 - t * t) * (2 + x * ((1 - s) - 2 * t * s));
    }};

// -- hardtanh (min a, max b): clamp; f' = 1 strictly inside (a, b).
const PointwiseActivation kHardtanh{
    "hardtanh", "HardtanhBackward0", "HardtanhBackwardBackward0", Reads::Input,
    TG_FORWARD("hardtanh", (a < T(p.a)).select(T(p.a), (a > T(p.b)).select(T(p.b), a))),
    TG_DERIVATIVE("hardtanh_backward", ((s > T(p.a)) && (s < T(p.b))).select(g, T(0))),
    TG_ZERO_SECOND};

// -- hardsigmoid: relu6(x + 3) / 6; f' = 1/6 on (-3, 3).
const PointwiseActivation kHardsigmoid{
    "hardsigmoid", "HardsigmoidBackward0", "HardsigmoidBackwardBackward0", Reads::Input,
    TG_FORWARD("hardsigmoid", ((a + T(3)).max(T(0)).min(T(6))) / T(6)),
    TG_DERIVATIVE("hardsigmoid_backward", ((s > T(-3)) && (s < T(3))).select(g * T(1.0 / 6.0), T(0))),
    TG_ZERO_SECOND};

// -- hardswish: x relu6(x + 3) / 6; f' = 0 below -3, x/3 + 1/2 on [-3, 3], 1 above.
const PointwiseActivation kHardswish{
    "hardswish", "HardswishBackward0", "HardswishBackwardBackward0", Reads::Input,
    TG_FORWARD("hardswish", a * ((a + T(3)).max(T(0)).min(T(6))) / T(6)),
    TG_DERIVATIVE("hardswish_backward", (s < T(-3)).select(T(0), (s <= T(3)).select(g * (s / T(3) + T(0.5)), g))),
    [](const Tensor& x, const ActParams&) {
      return where((x > -3.0) & (x < 3.0), full_like(x, 1.0 / 3.0), zeros_like(x));
    }};

// -- logsigmoid: min(x, 0) - log1p(e^-|x|); f' = sigmoid(-x).
const PointwiseActivation kLogsigmoid{
    "log_sigmoid", "LogSigmoidBackward0", "LogSigmoidBackwardBackward0", Reads::Input,
    TG_FORWARD("log_sigmoid", a.min(T(0)) - (-a.abs()).exp().log1p()),
    TG_DERIVATIVE("log_sigmoid_backward", g * (T(1) + s.exp()).inverse()),
    [](const Tensor& x, const ActParams&) {
      Tensor s = sigmoid(x);
      return -(s * (1 - s));
    }};

// -- erf; f' = 2/sqrt(pi) e^(-x^2).
const PointwiseActivation kErf{
    "erf", "ErfBackward0", "ErfBackwardBackward0", Reads::Input,
    TG_FORWARD("erf", a.erf()),
    TG_DERIVATIVE("erf_backward", g * T(kTwoOverSqrtPi) * (-s * s).exp()),
    [](const Tensor& x, const ActParams&) { return exp(-(x * x)) * (-2 * kTwoOverSqrtPi) * x; }};

// -- squareplus (b a): (x + r) / 2 with r = sqrt(x^2 + b), written b / (2 (r - x)) for x < 0
// so that two nearly equal numbers never cancel; f' = (1 + x / r) / 2, likewise b / (2 r (r - x)).
const PointwiseActivation kSquareplus{
    "squareplus", "SquareplusBackward0", "SquareplusBackwardBackward0", Reads::Input,
    [](const Tensor& x, const ActParams& p) {
      return kernels::map_float(x, "squareplus", [b = p.a](const auto& a) {
        TG_SCALAR_T(a);
        auto r = (a * a + T(b)).sqrt();
        return (a >= T(0)).select((a + r) * T(0.5), T(b) / (T(2) * (r - a)));
      });
    },
    [](const Tensor& g, const Tensor& x, const ActParams& p) {
      return kernels::map_float2(g, x, "squareplus_backward", [p](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        Arr<T> r = (xx * xx + T(p.a)).sqrt();
        return (xx >= T(0)).select(gg * T(0.5) * (T(1) + xx / r), gg * T(0.5 * p.a) / (r * (r - xx))).eval();
      });
    },
    [](const Tensor& x, const ActParams& p) { return pow(x * x + p.a, -1.5) * (p.a / 2); }};

// -- softshrink (lambda a): x - a above a, x + a below -a, 0 between; f' = 0 on [-a, a], else 1.
// As PyTorch, NaN gives 0 forward and lets the gradient through (both comparisons are false).
const PointwiseActivation kSoftshrink{
    "softshrink", "SoftshrinkBackward0", "SoftshrinkBackwardBackward0", Reads::Input,
    TG_FORWARD("softshrink", (a > T(p.a)).select(a - T(p.a), (a < T(-p.a)).select(a + T(p.a), T(0)))),
    TG_DERIVATIVE("softshrink_backward", ((s >= T(-p.a)) && (s <= T(p.a))).select(T(0), g)),
    TG_ZERO_SECOND};

// -- hardshrink (lambda a): x where |x| > a, 0 on [-a, a]; f' = 1 outside [-a, a], 0 on it.
// NaN passes through forward and backward, as PyTorch's (x >= -a && x <= a is false for NaN).
const PointwiseActivation kHardshrink{
    "hardshrink", "HardshrinkBackward0", "HardshrinkBackwardBackward0", Reads::Input,
    TG_FORWARD("hardshrink", ((a >= T(-p.a)) && (a <= T(p.a))).select(T(0), a)),
    TG_DERIVATIVE("hardshrink_backward", ((s >= T(-p.a)) && (s <= T(p.a))).select(T(0), g)),
    TG_ZERO_SECOND};

#undef TG_ZERO_SECOND
#undef TG_DERIVATIVE
#undef TG_FORWARD
#undef TG_SCALAR_T

}  // namespace

Tensor sigmoid(const Tensor& x) { return apply(kSigmoid, x); }
Tensor tanh(const Tensor& x) { return apply(kTanh, x); }

Tensor relu(const Tensor& x) {
  TG_CHECK(x.dtype() != kBool, "relu: not implemented for bool tensors ({})", describe(x));
  if (x.is_floating_point()) return apply(kRelu, x);
  return kernels::unary_map(x, kInt64, x.dtype(), [](int64_t v) { return v > 0 ? v : 0; });  // never requires grad
}

Tensor threshold(const Tensor& x, const Scalar& threshold, const Scalar& value) {
  return apply(kThreshold, x, {threshold.to_double(), value.to_double()});
}

Tensor sigmoid_backward(const Tensor& grad, const Tensor& y) { return activation_backward(grad, y, &kSigmoid, {}); }
Tensor tanh_backward(const Tensor& grad, const Tensor& y) { return activation_backward(grad, y, &kTanh, {}); }
Tensor threshold_backward(const Tensor& grad, const Tensor& self, double threshold) {
  return activation_backward(grad, self, &kThreshold, {threshold});
}

Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope) {
  return apply(kLeakyRelu, x, {negative_slope.to_double()});
}

Tensor elu(const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  return apply(kElu, x, {alpha.to_double(), scale.to_double(), input_scale.to_double()});
}

Tensor selu(const Tensor& x) {
  return elu(x, 1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1);
}

Tensor celu(const Tensor& x, const Scalar& alpha) {
  const double a = alpha.to_double();
  TG_CHECK(a != 0, "celu: ZeroDivisionError: alpha cannot be 0 ({})", describe(x));
  return apply(kCelu, x, {a, 1.0, 1.0 / a});
}

Tensor silu(const Tensor& x) { return apply(kSilu, x); }

Tensor gelu(const Tensor& x, const std::string& approximate) {
  if (approximate == "none") return apply(kGelu, x);
  TG_CHECK(approximate == "tanh", "gelu: approximate argument must be either none or tanh, got '{}'", approximate);
  return apply(kGeluTanh, x);
}

Tensor softplus(const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  const ActParams p{beta.to_double(), threshold.to_double()};
  TG_CHECK(p.a != 0, "softplus: beta must be nonzero ({})", describe(x));
  return apply(kSoftplus, x, p);
}

Tensor mish(const Tensor& x) { return apply(kMish, x); }

Tensor hardtanh(const Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  const ActParams p{min_val.to_double(), max_val.to_double()};
  TG_CHECK(p.a <= p.b, "hardtanh: min_val ({}) cannot be greater than max_val ({})", p.a, p.b);
  return apply(kHardtanh, x, p);
}

Tensor relu6(const Tensor& x) { return hardtanh(x, 0.0, 6.0); }
Tensor hardsigmoid(const Tensor& x) { return apply(kHardsigmoid, x); }
Tensor hardswish(const Tensor& x) { return apply(kHardswish, x); }
Tensor logsigmoid(const Tensor& x) { return apply(kLogsigmoid, x); }
Tensor erf(const Tensor& x) { return apply(kErf, x); }

Tensor squareplus(const Tensor& x, double b) {
  TG_CHECK(b > 0, "squareplus: b must be positive, got {}", b);
  return apply(kSquareplus, x, {b});
}

Tensor softshrink(const Tensor& x, const Scalar& lambd) {
  const double l = lambd.to_double();
  TG_CHECK(l >= 0, "softshrink: lambda must be greater or equal to 0, but found to be {} ({})", l, describe(x));
  return apply(kSoftshrink, x, {l});
}

Tensor hardshrink(const Tensor& x, const Scalar& lambd) { return apply(kHardshrink, x, {lambd.to_double()}); }

// ---- prelu ---------------------------------------------------------------------------------

Tensor prelu(const Tensor& x, const Tensor& weight) {
  TG_CHECK(weight.defined() && weight.is_floating_point(), "prelu: weight must be a floating tensor, got {}",
           describe(weight));
  const int64_t n = weight.numel();
  // weight broadcast against x: one value, or one per channel (dim 1)
  Shape wshape;
  if (n != 1) {
    TG_CHECK(x.dim() >= 2 && x.size(1) == n,
             "prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = {} and channel "
             "size = {} (input {}, weight {})",
             n, x.dim() >= 2 ? x.size(1) : 1, describe(x), describe(weight));
    wshape = Shape(static_cast<size_t>(x.dim() - 1), 1);
    wshape[0] = n;
  }
  Tensor out;
  {
    NoGradGuard no_grad;
    out = where(x > 0.0, x, weight.reshape(wshape) * x);
  }
  // d/dx = 1 for x > 0, else weight; d/dweight = x for x <= 0, summed over all but the channels
  record("PreluBackward0", out, inputs(x, weight), save(x, weight), [wshape, n](auto& c) -> Grads {
    auto [xs, w] = c.saved();
    const Tensor& g = c.grad();
    Tensor positive = xs > 0.0, zero = zeros_like(g);
    Grads r(2);
    if (c.needs(0)) r[0] = where(positive, g, w.reshape(wshape) * g);
    if (c.needs(1)) {
      Tensor gw = where(positive, zero, xs * g);
      if (n == 1) {
        r[1] = gw.sum().reshape(c.input_sizes(1));
      } else {
        Shape dims;
        for (int64_t d = 0; d < gw.dim(); ++d)
          if (d != 1) dims.push_back(d);
        r[1] = gw.sum(dims);
      }
    }
    return r;
  });
  return out;
}

// ---- composed activations (no backward code: they are exact compositions of ops) -------------

Tensor softsign(const Tensor& x) { return x / (abs(x) + 1); }

Tensor swish(const Tensor& x, double beta) {
  if (beta == 1.0) return silu(x);
  return x * sigmoid(x * beta);
}

Tensor swish(const Tensor& x, const Tensor& beta) {
  TG_CHECK(beta.numel() == 1, "swish: beta must have one element, got {}", describe(beta));
  return x * sigmoid(x * beta.reshape(IntArrayRef()));
}

Tensor smu(const Tensor& x, const Tensor& mu, double alpha) {
  TG_CHECK(mu.numel() == 1, "smu: mu must have one element, got {}", describe(mu));
  Tensor m = mu.reshape(IntArrayRef());
  return ((1 + alpha) * x + (1 - alpha) * x * erf(m * ((1 - alpha) * x))) * 0.5;
}

Tensor smu1(const Tensor& x, const Tensor& mu, double alpha) {
  TG_CHECK(mu.numel() == 1, "smu1: mu must have one element, got {}", describe(mu));
  Tensor m = mu.reshape(IntArrayRef());
  Tensor ax = (1 - alpha) * x;
  return ((1 + alpha) * x + sqrt(ax * ax + m * m)) * 0.5;
}

Tensor maxout(const Tensor& x, int64_t pieces, int64_t dim) {
  TG_CHECK(pieces >= 1, "maxout: pieces must be positive, got {}", pieces);
  TG_CHECK(x.dim() >= 1, "maxout: expected a tensor with at least 1 dimension, got {}", describe(x));
  const int64_t d = maybe_wrap_dim(dim, x.dim(), "maxout");
  const int64_t size = x.size(d);
  TG_CHECK(size % pieces == 0, "maxout: the size of dim {} ({}) must be a multiple of pieces ({}) (input {})", d, size,
           pieces, describe(x));
  Shape s(x.sizes());
  s[d] = size / pieces;
  s.insert(d + 1, pieces);
  return std::get<0>(max(x.reshape(s), d + 1));
}

Tensor heaviside(const Tensor& x, const Tensor& values) {
  TG_CHECK(x.dtype() == values.dtype(),
           "heaviside is not yet implemented for tensors with different dtypes ({} and {})", describe(x),
           describe(values));
  NoGradGuard ng;  // forward only: the step has no useful derivative
  Tensor zero = zeros_like(x), one = ones_like(x);
  return where(x > 0.0, one, where(x == 0.0, values.expand(broadcast_shapes(x.sizes(), values.sizes(), "heaviside")), zero));
}

// ---- softmax family ------------------------------------------------------------------------

namespace {
// The dim of a softmax over x (0 for a 0-dim x, where only dims 0 and -1 are accepted).
int64_t softmax_dim(const Tensor& x, int64_t dim, const char* fn) {
  if (x.dim() == 0) {
    maybe_wrap_dim(dim, 0, fn);
    return 0;
  }
  return maybe_wrap_dim(dim, x.dim(), fn);
}
}  // namespace

Tensor softmax(const Tensor& x0, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor x = dtype ? x0.to(*dtype) : to_float_input(x0);
  const int64_t d = softmax_dim(x, dim, "softmax");
  Tensor y = kernels::softmax(x, d, /*log=*/false);
  // dx = y (g - sum(g y)) along dim
  record("SoftmaxBackward0", y, inputs(x), save(y), [d](auto& c) {
    Tensor ys = c.saved(0);
    return ys * (c.grad() - (c.grad() * ys).sum(d, true));
  });
  return y;
}

Tensor log_softmax(const Tensor& x0, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor x = dtype ? x0.to(*dtype) : to_float_input(x0);
  const int64_t d = softmax_dim(x, dim, "log_softmax");
  Tensor y = kernels::softmax(x, d, /*log=*/true);
  // dx = g - e^y sum(g) along dim
  record("LogSoftmaxBackward0", y, inputs(x), save(y),
         [d](auto& c) { return c.grad() - exp(c.saved(0)) * c.grad().sum(d, true); });
  return y;
}

Tensor logsumexp(const Tensor& x0, IntArrayRef dims, bool keepdim) {
  Tensor x = to_float_input(x0);
  Tensor out;
  Shape keep_shape;
  {
    NoGradGuard ng;
    // max over the dims (kept), then log(sum(exp(x - m))) + m; infinite maxima are replaced by 0
    Tensor m = x;
    Shape ds;
    if (dims.empty()) {
      for (int64_t i = 0; i < x.dim(); ++i) ds.push_back(i);
    } else {
      for (auto d : dims) ds.push_back(maybe_wrap_dim(d, x.dim(), "logsumexp"));
    }
    for (auto d : ds) m = std::get<0>(max(m, d, true));
    m = where(m.abs() == INFINITY, zeros_like(m), m);
    Tensor s = log(sum(exp(x - m), ds, true)) + m;
    keep_shape = impl_of(s).sizes;
    Shape out_shape;
    for (int64_t i = 0; i < x.dim(); ++i)
      if (keepdim || std::find(ds.begin(), ds.end(), i) == ds.end()) out_shape.push_back(keep_shape[i]);
    out = s.reshape(out_shape);
  }
  // dx = g e^(x - result), with g and result given their reduced dims back
  record("LogsumexpBackward0", out, inputs(x), save(x, out), [keep_shape](auto& c) {
    auto [xs, y] = c.saved();
    return c.grad().reshape(keep_shape) * exp(xs - y.reshape(keep_shape));
  });
  return out;
}

}  // namespace tg
