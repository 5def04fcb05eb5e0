// Activations: forward kernels and backward rules side by side.
// Note [Fused backward ops]
// sigmoid, tanh and relu have their backward as one fused kernel (sigmoid_backward, ...), which
// is itself an op with a backward rule, written with differentiable tensor ops. So a first-order
// backward costs one kernel per op, and create_graph still gives exact second derivatives.
#include <cmath>

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
Tensor to_float_input(const Tensor& x) { return x.is_floating_point() ? x : x.to(get_default_dtype()); }

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
  if (compute_requires_grad(x)) record<SigmoidBackward>(out, x)->result_ = SavedVariable(out, true);
  return out;
}

Tensor tanh(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "tanh", [](const auto& a) { return a.tanh(); });
  if (compute_requires_grad(x)) record<TanhBackward>(out, x)->result_ = SavedVariable(out, true);
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
  if (compute_requires_grad(x)) record<ReluBackward>(out, x)->result_ = SavedVariable(out, true);
  return out;
}

}  // namespace tg
