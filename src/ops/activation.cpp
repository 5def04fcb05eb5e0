// Activations: forward kernels and backward rules side by side.
// Note [Fused backward ops]
// sigmoid, tanh and relu have their backward as one fused kernel (sigmoid_backward, ...), which
// is itself an op with a backward rule, written with differentiable tensor ops. So a first-order
// backward costs one kernel per op, and create_graph still gives exact second derivatives.
#include <algorithm>
#include <cmath>

#include <unsupported/Eigen/SpecialFunctions>

#include "kernels/pointwise.h"
#include "ops/op_util.h"
#include "tensorgrad/ops/activation.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

namespace {

// ---- sigmoid ----
struct SigmoidBackwardBackward : Node {  // of sigmoid_backward(g, y) = g * y * (1 - y)
  SavedVariable grad_, y_;
  variable_list apply(variable_list&& gg) override {
    variable_list r(2);
    Tensor y = y_.unpack();
    if (should_compute_output(0)) r[0] = sigmoid_backward(gg[0], y);
    if (should_compute_output(1)) r[1] = gg[0] * grad_.unpack() * (1 - 2 * y);
    return r;
  }
  void release_variables() override { grad_.reset(); y_.reset(); }
  std::string name() const override { return "SigmoidBackwardBackward"; }
};

struct SigmoidBackward : Node {
  SavedVariable result_;
  variable_list apply(variable_list&& g) override { return {sigmoid_backward(g[0], result_.unpack(this))}; }
  void release_variables() override { result_.reset(); }
  std::string name() const override { return "SigmoidBackward"; }
};

// ---- tanh ----
struct TanhBackwardBackward : Node {  // of tanh_backward(g, y) = g * (1 - y^2)
  SavedVariable grad_, y_;
  variable_list apply(variable_list&& gg) override {
    variable_list r(2);
    Tensor y = y_.unpack();
    if (should_compute_output(0)) r[0] = tanh_backward(gg[0], y);
    if (should_compute_output(1)) r[1] = gg[0] * grad_.unpack() * (-2 * y);
    return r;
  }
  void release_variables() override { grad_.reset(); y_.reset(); }
  std::string name() const override { return "TanhBackwardBackward"; }
};

struct TanhBackward : Node {
  SavedVariable result_;
  variable_list apply(variable_list&& g) override { return {tanh_backward(g[0], result_.unpack(this))}; }
  void release_variables() override { result_.reset(); }
  std::string name() const override { return "TanhBackward"; }
};

// ---- relu / threshold ----
struct ThresholdBackwardBackward : Node {  // of threshold_backward(g, x, t) = x > t ? g : 0
  SavedVariable self_;
  double threshold = 0;
  variable_list apply(variable_list&& gg) override {
    variable_list r(2);
    Tensor x = self_.unpack();
    if (should_compute_output(0)) r[0] = threshold_backward(gg[0], x, threshold);
    if (should_compute_output(1)) r[1] = zeros_like(x);  // piecewise constant in x: a defined zero
    return r;
  }
  void release_variables() override { self_.reset(); }
  std::string name() const override { return "ThresholdBackwardBackward"; }
};

struct ReluBackward : Node {
  SavedVariable result_;
  variable_list apply(variable_list&& g) override { return {threshold_backward(g[0], result_.unpack(this), 0)}; }
  void release_variables() override { result_.reset(); }
  std::string name() const override { return "ReluBackward"; }
};
}  // namespace

Tensor sigmoid_backward(const Tensor& grad, const Tensor& y) {
  Tensor out = kernels::map_float2(grad, y, "sigmoid_backward", [](const auto& g, const auto& s) {
    using T = typename std::decay_t<decltype(g)>::Scalar;
    return g * s * (T(1) - s);
  });
  if (compute_requires_grad(grad, y)) {
    auto n = record<SigmoidBackwardBackward>(out, grad, y);
    n->grad_ = SavedVariable(grad, false);
    n->y_ = SavedVariable(y, false);
  }
  return out;
}

Tensor tanh_backward(const Tensor& grad, const Tensor& y) {
  Tensor out = kernels::map_float2(grad, y, "tanh_backward", [](const auto& g, const auto& t) {
    using T = typename std::decay_t<decltype(g)>::Scalar;
    return g * (T(1) - t * t);
  });
  if (compute_requires_grad(grad, y)) {
    auto n = record<TanhBackwardBackward>(out, grad, y);
    n->grad_ = SavedVariable(grad, false);
    n->y_ = SavedVariable(y, false);
  }
  return out;
}

Tensor threshold_backward(const Tensor& grad, const Tensor& self, double threshold) {
  Tensor out = kernels::map_float2(grad, self, "threshold_backward", [threshold](const auto& g, const auto& x) {
    using T = typename std::decay_t<decltype(g)>::Scalar;
    return (x > T(threshold)).select(g, T(0));
  });
  if (compute_requires_grad(grad, self)) {
    auto n = record<ThresholdBackwardBackward>(out, grad, self);
    n->self_ = SavedVariable(self, false);
    n->threshold = threshold;
  }
  return out;
}

Tensor sigmoid(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  // 1 / (1 + e^-x): for x -> -inf, e^-x -> inf and the quotient -> 0, so no special case.
  Tensor out = kernels::map_float(x, "sigmoid", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return (T(1) + (-a).exp()).inverse();
  });
  if (compute_requires_grad(x)) {
    // record first: the saved output must see its grad_fn (C++17 evaluates `a = b` right to left)
    auto n = record<SigmoidBackward>(out, x);
    n->result_ = SavedVariable(out, true);
  }
  return out;
}

Tensor tanh(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "tanh", [](const auto& a) { return a.tanh(); });
  if (compute_requires_grad(x)) {
    // record first: the saved output must see its grad_fn (C++17 evaluates `a = b` right to left)
    auto n = record<TanhBackward>(out, x);
    n->result_ = SavedVariable(out, true);
  }
  return out;
}

Tensor relu(const Tensor& x) {
  TG_CHECK(x.dtype() != kBool, "relu: not implemented for bool tensors ({})", describe(x));
  Tensor out;
  if (x.is_floating_point()) {
    out = kernels::map_float(x, "relu", [](const auto& a) {
      using T = typename std::decay_t<decltype(a)>::Scalar;
      return (a <= T(0)).select(T(0), a);  // NaN stays NaN, as PyTorch
    });
  } else {
    out = kernels::unary_map(x, kInt64, kInt64, [](int64_t v) { return v > 0 ? v : 0; });
  }
  if (compute_requires_grad(x)) {
    // record first: the saved output must see its grad_fn (C++17 evaluates `a = b` right to left)
    auto n = record<ReluBackward>(out, x);
    n->result_ = SavedVariable(out, true);
  }
  return out;
}


// ---- pointwise activations with fused kernels ----------------------------------------------------
//
// Note [Pointwise activation ops]
// An activation y = f(x) is described by an ActivationDef: a kernel for g * f'(x) (fused, no
// autograd) and f''(x) written with differentiable tensor ops. Its backward is the op
// activation_backward(g, x), whose own backward is (gg -> activation_backward(gg, x),
// gg * g * f''(x)). Piecewise-linear activations return zeros for f'', a defined zero, as PyTorch.
// Adding an activation means writing its forward kernel, these two functions and a def.

namespace {

struct ActParams {
  double a = 0, b = 0, c = 0;
};

struct ActivationDef {
  const char* name;  // of the backward node
  Tensor (*deriv)(const Tensor& g, const Tensor& x, const ActParams& p);  // g * f'(x), no autograd
  Tensor (*second)(const Tensor& x, const ActParams& p);                 // f''(x), differentiable ops
};

Tensor activation_backward(const Tensor& g, const Tensor& x, const ActivationDef* def, const ActParams& p);

struct ActivationBackwardBackward : Node {
  SavedVariable grad_, self_;
  const ActivationDef* def = nullptr;
  ActParams p;
  variable_list apply(variable_list&& gg) override {
    variable_list r(2);
    Tensor x = self_.unpack();
    if (should_compute_output(0)) r[0] = activation_backward(gg[0], x, def, p);
    if (should_compute_output(1)) r[1] = gg[0] * grad_.unpack() * def->second(x, p);
    return r;
  }
  void release_variables() override { grad_.reset(); self_.reset(); }
  std::string name() const override { return std::string(def->name) + "Backward"; }
};

Tensor activation_backward(const Tensor& g, const Tensor& x, const ActivationDef* def, const ActParams& p) {
  Tensor gx = g.dtype() == x.dtype() ? g : g.to(x.dtype());
  Tensor out = def->deriv(gx, x, p);
  if (compute_requires_grad(g, x)) {
    auto n = record<ActivationBackwardBackward>(out, g, x);
    n->grad_ = SavedVariable(g, false);
    n->self_ = SavedVariable(x, false);
    n->def = def;
    n->p = p;
  }
  return out;
}

struct ActivationBackward : Node {
  SavedVariable self_;
  const ActivationDef* def = nullptr;
  ActParams p;
  variable_list apply(variable_list&& g) override { return {activation_backward(g[0], self_.unpack(), def, p)}; }
  void release_variables() override { self_.reset(); }
  std::string name() const override { return def->name; }
};

// Runs forward kernel `fwd` (an Eigen array expression of x) and records the activation's node.
template <typename Fwd>
Tensor activation(const Tensor& x0, const ActivationDef& def, const ActParams& p, const char* fn, Fwd&& fwd) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, fn, fwd);
  if (compute_requires_grad(x)) {
    auto n = record<ActivationBackward>(out, x);
    n->self_ = SavedVariable(x, false);
    n->def = &def;
    n->p = p;
  }
  return out;
}

template <typename T>
using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;

#define TG_SCALAR_T(a) using T = typename std::decay_t<decltype(a)>::Scalar

// -- leaky_relu ---------------------------------------------------------------
const ActivationDef kLeakyRelu{
    "LeakyReluBackward",
    [](const Tensor& g, const Tensor& x, const ActParams& p) {
      return kernels::map_float2(g, x, "leaky_relu_backward", [s = p.a](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return (xx > T(0)).select(gg, gg * T(s));
      });
    },
    [](const Tensor& x, const ActParams&) { return zeros_like(x); }};

// -- elu (alpha, scale, input_scale) ------------------------------------------
const ActivationDef kElu{
    "EluBackward",
    [](const Tensor& g, const Tensor& x, const ActParams& p) {
      return kernels::map_float2(g, x, "elu_backward", [p](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return (xx > T(0)).select(gg * T(p.b), gg * T(p.a * p.b * p.c) * (xx * T(p.c)).exp());
      });
    },
    [](const Tensor& x, const ActParams& p) {
      // x < 0, not x <= 0: at the kink PyTorch takes elu''(0) = 0 (elu_double_backward masks
      // with self < 0) although elu'(0) = alpha * scale * input_scale.
      return where(x < 0.0, exp(x * p.c) * (p.a * p.b * p.c * p.c), zeros_like(x));
    }};

// -- silu ----------------------------------------------------------------------
const ActivationDef kSilu{
    "SiluBackward",
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

// -- gelu, exact ---------------------------------------------------------------
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1 / sqrt(2 pi)
const ActivationDef kGelu{
    "GeluBackward",
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "gelu_backward", [](const auto& gg, const auto& xx, auto& o) {
        TG_SCALAR_T(gg);
        // g (cdf + x pdf), cdf = (1 + erf(x / sqrt 2)) / 2, pdf = e^(-x^2 / 2) / sqrt(2 pi)
        o = gg * (T(0.5) * (T(1) + (xx * T(kSqrt1_2)).erf()) + xx * T(kInvSqrt2Pi) * (T(-0.5) * xx * xx).exp());
      });
    },
    [](const Tensor& x, const ActParams&) {
      Tensor pdf = exp(x * x * -0.5) * kInvSqrt2Pi;
      return pdf * (2 - x * x);
    }};

// -- gelu, tanh approximation -----------------------------------------------------
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kGeluC = 0.044715;
const ActivationDef kGeluTanh{
    "GeluBackward",
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

// -- softplus (beta, threshold) ------------------------------------------------------
const ActivationDef kSoftplus{
    "SoftplusBackward",
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

// -- mish --------------------------------------------------------------------------
const ActivationDef kMish{
    "MishBackward",
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

// -- hardtanh (min, max): relu6 and the clamp-like ones ------------------------------
const ActivationDef kHardtanh{
    "HardtanhBackward",
    [](const Tensor& g, const Tensor& x, const ActParams& p) {
      return kernels::map_float2(g, x, "hardtanh_backward", [p](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return ((xx > T(p.a)) && (xx < T(p.b))).select(gg, T(0));
      });
    },
    [](const Tensor& x, const ActParams&) { return zeros_like(x); }};

// -- hardsigmoid ---------------------------------------------------------------------
const ActivationDef kHardsigmoid{
    "HardsigmoidBackward",
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "hardsigmoid_backward", [](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return ((xx > T(-3)) && (xx < T(3))).select(gg * T(1.0 / 6.0), T(0));
      });
    },
    [](const Tensor& x, const ActParams&) { return zeros_like(x); }};

// -- hardswish -----------------------------------------------------------------------
const ActivationDef kHardswish{
    "HardswishBackward",
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "hardswish_backward", [](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return (xx < T(-3)).select(T(0), (xx <= T(3)).select(gg * (xx / T(3) + T(0.5)), gg));
      });
    },
    [](const Tensor& x, const ActParams&) {
      return where((x > -3.0) & (x < 3.0), full_like(x, 1.0 / 3.0), zeros_like(x));
    }};

// -- logsigmoid ------------------------------------------------------------------------
const ActivationDef kLogsigmoid{
    "LogSigmoidBackward",
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "log_sigmoid_backward", [](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return gg * (T(1) + xx.exp()).inverse();  // sigmoid(-x)
      });
    },
    [](const Tensor& x, const ActParams&) {
      Tensor s = sigmoid(x);
      return -(s * (1 - s));
    }};

// -- erf -----------------------------------------------------------------------------
constexpr double kTwoOverSqrtPi = 1.12837916709551257390;
const ActivationDef kErf{
    "ErfBackward",
    [](const Tensor& g, const Tensor& x, const ActParams&) {
      return kernels::map_float2(g, x, "erf_backward", [](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        return gg * T(kTwoOverSqrtPi) * (-xx * xx).exp();
      });
    },
    [](const Tensor& x, const ActParams&) { return exp(-(x * x)) * (-2 * kTwoOverSqrtPi) * x; }};

// -- squareplus (b) ---------------------------------------------------------------------
const ActivationDef kSquareplus{
    "SquareplusBackward",
    [](const Tensor& g, const Tensor& x, const ActParams& p) {
      return kernels::map_float2(g, x, "squareplus_backward", [p](const auto& gg, const auto& xx) {
        TG_SCALAR_T(gg);
        Arr<T> r = (xx * xx + T(p.a)).sqrt();
        // for x < 0, 1 + x / r = b / (r (r - x)), which has no cancellation (as the forward)
        return (xx >= T(0)).select(gg * T(0.5) * (T(1) + xx / r), gg * T(0.5 * p.a) / (r * (r - xx))).eval();
      });
    },
    [](const Tensor& x, const ActParams& p) { return pow(x * x + p.a, -1.5) * (p.a / 2); }};

#undef TG_SCALAR_T

}  // namespace

Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope) {
  double s = negative_slope.to_double();
  ActParams p{s};
  return activation(x, kLeakyRelu, p, "leaky_relu", [s](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return (a > T(0)).select(a, a * T(s));
  });
}

Tensor elu(const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  ActParams p{alpha.to_double(), scale.to_double(), input_scale.to_double()};
  return activation(x, kElu, p, "elu", [p](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return (a > T(0)).select(a * T(p.b), T(p.a * p.b) * ((a * T(p.c)).exp() - T(1)));
  });
}

Tensor selu(const Tensor& x) {
  return elu(x, 1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1);
}

Tensor celu(const Tensor& x, const Scalar& alpha) {
  double a = alpha.to_double();
  TG_CHECK(a != 0, "celu: ZeroDivisionError: alpha cannot be 0 ({})", describe(x));
  return elu(x, a, 1.0, 1.0 / a);
}

Tensor silu(const Tensor& x) {
  return activation(x, kSilu, {}, "silu", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return a * (T(1) + (-a).exp()).inverse();
  });
}

Tensor gelu(const Tensor& x, const std::string& approximate) {
  if (approximate == "none") {
    return activation(x, kGelu, {}, "gelu", [](const auto& a) {
      using T = typename std::decay_t<decltype(a)>::Scalar;
      return a * T(0.5) * (T(1) + (a * T(kSqrt1_2)).erf());
    });
  }
  TG_CHECK(approximate == "tanh", "gelu: approximate argument must be either none or tanh, got '{}'", approximate);
  return activation(x, kGeluTanh, {}, "gelu", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return T(0.5) * a * (T(1) + (T(kSqrt2OverPi) * (a + T(kGeluC) * a * a * a)).tanh());
  });
}

Tensor softplus(const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  ActParams p{beta.to_double(), threshold.to_double()};
  TG_CHECK(p.a != 0, "softplus: beta must be nonzero ({})", describe(x));
  return activation(x, kSoftplus, p, "softplus", [p](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    // log1p(e^(bx)) / b, written as max(bx, 0) + log1p(e^-|bx|) so that it never overflows
    auto bx = a * T(p.a);
    return (bx > T(p.b)).select(a, (bx.max(T(0)) + (-bx.abs()).exp().log1p()) / T(p.a));
  });
}

Tensor mish(const Tensor& x) {
  return activation(x, kMish, {}, "mish", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return a * (a.max(T(0)) + (-a.abs()).exp().log1p()).tanh();
  });
}

Tensor hardtanh(const Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  ActParams p{min_val.to_double(), max_val.to_double()};
  TG_CHECK(p.a <= p.b, "hardtanh: min_val ({}) cannot be greater than max_val ({})", p.a, p.b);
  return activation(x, kHardtanh, p, "hardtanh", [p](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return (a < T(p.a)).select(T(p.a), (a > T(p.b)).select(T(p.b), a));
  });
}

Tensor relu6(const Tensor& x) { return hardtanh(x, 0.0, 6.0); }

Tensor hardsigmoid(const Tensor& x) {
  return activation(x, kHardsigmoid, {}, "hardsigmoid", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return ((a + T(3)).max(T(0)).min(T(6))) / T(6);
  });
}

Tensor hardswish(const Tensor& x) {
  return activation(x, kHardswish, {}, "hardswish", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return a * ((a + T(3)).max(T(0)).min(T(6))) / T(6);
  });
}

Tensor logsigmoid(const Tensor& x) {
  return activation(x, kLogsigmoid, {}, "log_sigmoid", [](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    return a.min(T(0)) - (-a.abs()).exp().log1p();
  });
}

Tensor softsign(const Tensor& x) { return x / (abs(x) + 1); }

Tensor erf(const Tensor& x) {
  return activation(x, kErf, {}, "erf", [](const auto& a) { return a.erf(); });
}

Tensor squareplus(const Tensor& x, double b) {
  TG_CHECK(b > 0, "squareplus: b must be positive, got {}", b);
  ActParams p{b};
  return activation(x, kSquareplus, p, "squareplus", [b](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::Scalar;
    auto r = (a * a + T(b)).sqrt();
    // for x < 0, (x + r) / 2 = b / (2 (r - x)) avoids cancelling two nearly equal numbers
    return (a >= T(0)).select((a + r) * T(0.5), T(b) / (T(2) * (r - a)));
  });
}

// ---- composed activations (no backward code: they are exact compositions of ops) -------------

Tensor prelu(const Tensor& x, const Tensor& weight) {
  TG_CHECK(weight.defined() && weight.is_floating_point(), "prelu: weight must be a floating tensor, got {}",
           describe(weight));
  int64_t n = weight.numel();
  Tensor w = weight;
  if (n != 1) {
    TG_CHECK(x.dim() >= 2 && x.size(1) == n,
             "prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = {} and channel "
             "size = {} (input {}, weight {})",
             n, x.dim() >= 2 ? x.size(1) : 1, describe(x), describe(weight));
    Shape s(static_cast<size_t>(x.dim() - 1), 1);
    s[0] = n;
    w = weight.reshape(s);
  } else {
    w = weight.reshape(IntArrayRef());
  }
  return where(x > 0.0, x, w * x);
}

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
  int64_t d = maybe_wrap_dim(dim, x.dim(), "maxout");
  int64_t size = x.size(d);
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

// Applies `row_op(in_row, out_row, n)` to every 1-D slice of x along dim.
template <typename RowOp>
Tensor along_dim(const Tensor& x, int64_t dim, const char* fn, RowOp&& row_op) {
  const TensorImpl& xi = impl_of(x);
  int64_t nd = static_cast<int64_t>(xi.sizes.size());
  int64_t d = maybe_wrap_dim(dim, nd, fn);
  // move dim last, compute on contiguous rows, move it back
  Shape perm;
  for (int64_t i = 0; i < nd; ++i)
    if (i != d) perm.push_back(i);
  if (nd > 0) perm.push_back(d);
  Tensor xp = nd > 0 ? kernels::as_contiguous(make_view(x, [&] { Shape s; for (auto p : perm) s.push_back(xi.sizes[p]); return s; }(),
                                                        [&] { Shape s; for (auto p : perm) s.push_back(xi.strides[p]); return s; }(),
                                                        xi.offset))
                     : kernels::as_contiguous(x);
  Tensor op = make_empty(impl_of(xp).sizes, xi.dtype);
  int64_t n = nd > 0 ? xi.sizes[d] : 1;
  int64_t rows = n == 0 ? 0 : xi.numel / n;
  dispatch_float(xi.dtype, fn, [&](auto tag) {
    using T = decltype(tag);
    const T* in = impl_of(xp).data<T>();
    T* out = impl_of(op).data<T>();
    for (int64_t r = 0; r < rows; ++r) row_op(in + r * n, out + r * n, n);
  });
  if (nd == 0) return op;
  // inverse permutation back to x's layout (a contiguous copy)
  Shape inv(nd);
  for (int64_t i = 0; i < nd; ++i) inv[perm[i]] = i;
  const TensorImpl& oi = impl_of(op);
  Shape s, st;
  for (int64_t i = 0; i < nd; ++i) {
    s.push_back(oi.sizes[inv[i]]);
    st.push_back(oi.strides[inv[i]]);
  }
  return kernels::as_contiguous(make_view(op, s, st, 0));
}

struct SoftmaxBackward : Node {
  SavedVariable result_;
  int64_t dim = 0;
  variable_list apply(variable_list&& g) override {
    Tensor y = result_.unpack(this);
    return {y * (g[0] - (g[0] * y).sum(dim, true))};
  }
  void release_variables() override { result_.reset(); }
  std::string name() const override { return "SoftmaxBackward"; }
};

struct LogSoftmaxBackward : Node {
  SavedVariable result_;
  int64_t dim = 0;
  variable_list apply(variable_list&& g) override {
    Tensor y = result_.unpack(this);
    return {g[0] - exp(y) * g[0].sum(dim, true)};
  }
  void release_variables() override { result_.reset(); }
  std::string name() const override { return "LogSoftmaxBackward"; }
};

struct LogsumexpBackward : Node {
  SavedVariable self_, result_;
  Shape keep_shape;
  variable_list apply(variable_list&& g) override {
    Tensor x = self_.unpack();
    Tensor y = result_.unpack(this).reshape(keep_shape);
    return {g[0].reshape(keep_shape) * exp(x - y)};
  }
  void release_variables() override { self_.reset(); result_.reset(); }
  std::string name() const override { return "LogsumexpBackward"; }
};

template <typename T>
void softmax_row(const T* in, T* out, int64_t n, bool log) {
  using Map = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
  using MutMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
  Map a(in, n);
  MutMap o(out, n);
  T m = a.maxCoeff();
  if (!std::isfinite(m)) m = std::isnan(m) ? m : (m > 0 ? m : T(0));
  if (log) {
    o = (a - m).exp();  // materialised first: Eigen vectorises exp far better outside a reduction
    T lse = std::log(o.sum());
    o = a - m - lse;
  } else {
    o = (a - m).exp();
    o /= o.sum();
  }
}

}  // namespace

Tensor softmax(const Tensor& x0, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor x = dtype ? x0.to(*dtype) : to_float_input(x0);
  int64_t d = x.dim() == 0 ? 0 : maybe_wrap_dim(dim, x.dim(), "softmax");
  if (x.dim() == 0) maybe_wrap_dim(dim, 0, "softmax");
  Tensor out = along_dim(x, d, "softmax", [](const auto* in, auto* o, int64_t n) {
    if (n > 0) softmax_row(in, o, n, false);
  });
  if (compute_requires_grad(x)) {
    auto node = record<SoftmaxBackward>(out, x);
    node->result_ = SavedVariable(out, true);
    node->dim = d;
  }
  return out;
}

Tensor log_softmax(const Tensor& x0, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor x = dtype ? x0.to(*dtype) : to_float_input(x0);
  int64_t d = x.dim() == 0 ? 0 : maybe_wrap_dim(dim, x.dim(), "log_softmax");
  if (x.dim() == 0) maybe_wrap_dim(dim, 0, "log_softmax");
  Tensor out = along_dim(x, d, "log_softmax", [](const auto* in, auto* o, int64_t n) {
    if (n > 0) softmax_row(in, o, n, true);
  });
  if (compute_requires_grad(x)) {
    auto node = record<LogSoftmaxBackward>(out, x);
    node->result_ = SavedVariable(out, true);
    node->dim = d;
  }
  return out;
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
  if (compute_requires_grad(x)) {
    auto node = record<LogsumexpBackward>(out, x);
    node->self_ = SavedVariable(x, false);
    node->result_ = SavedVariable(out, true);
    node->keep_shape = keep_shape;
  }
  return out;
}

}  // namespace tg
