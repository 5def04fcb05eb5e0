// Pointwise arithmetic and math: forward kernels and backward rules side by side.
// Backward rules are written with differentiable tensor ops (see DESIGN.md), so that
// create_graph=true yields gradients that can be differentiated again.
#include <cmath>

#include "kernels/pointwise.h"
#include "ops/op_util.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

namespace {

ScalarType float_result(ScalarType t) { return is_floating_point(t) ? t : get_default_dtype(); }

// ---- add / sub ---------------------------------------------------------------------------

struct AddBackward : Node {
  InputMeta self_meta, other_meta;
  double alpha = 1;
  bool sub = false;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    if (should_compute_output(0)) r[0] = reduce_grad(g[0], self_meta);
    if (should_compute_output(1)) {
      double a = sub ? -alpha : alpha;
      r[1] = reduce_grad(a == 1 ? g[0] : g[0] * a, other_meta);
    }
    return r;
  }
  std::string name() const override { return sub ? "SubBackward" : "AddBackward"; }
};

// Gradient passes unchanged (tensor op scalar) or scaled.
struct ScaleBackward : Node {
  InputMeta meta;
  double scale = 1;
  const char* label = "AddBackward";
  variable_list apply(variable_list&& g) override {
    return {reduce_grad(scale == 1 ? g[0] : g[0] * scale, meta)};
  }
  std::string name() const override { return label; }
};

Tensor add_impl(const Tensor& a, const Tensor& b, const Scalar& alpha, bool sub) {
  ScalarType rt = result_type(a, b);
  double al = alpha.to_double();
  Tensor out;
  if (sub) {
    // PyTorch refuses a bool operand even when the result type is not bool (bool - int64).
    TG_CHECK(impl_of(a).dtype != kBool && impl_of(b).dtype != kBool,
             "sub: subtraction of bool tensors is not supported ({} and {})", describe(a), describe(b));
    out = al == 1 ? kernels::binary_map(a, b, rt, false, "sub", [](auto x, auto y) { return x - y; })
                  : kernels::binary_map(a, b, rt, false, "sub", [al](auto x, auto y) { return x - static_cast<decltype(x)>(al * y); });
  } else {
    out = al == 1 ? kernels::binary_map(a, b, rt, false, "add", [](auto x, auto y) { return x + y; })
                  : kernels::binary_map(a, b, rt, false, "add", [al](auto x, auto y) { return x + static_cast<decltype(x)>(al * y); });
  }
  if (compute_requires_grad(a, b)) {
    auto n = record<AddBackward>(out, a, b);
    n->self_meta = InputMeta(a);
    n->other_meta = InputMeta(b);
    n->alpha = al;
    n->sub = sub;
  }
  return out;
}

Tensor add_scalar_impl(const Tensor& a, double s, ScalarType rt, const char* label, double scale) {
  // out = scale * a + s
  Tensor out;
  if (is_floating_point(rt) && rt == impl_of(a).dtype) {
    out = kernels::map_float(a, label, [s, scale](const auto& x) {
      using T = typename std::decay_t<decltype(x)>::Scalar;
      return x * static_cast<T>(scale) + static_cast<T>(s);
    });
  } else {
    out = kernels::unary_map(a, rt, rt, [s, scale](auto x) { return x * static_cast<decltype(x)>(scale) + static_cast<decltype(x)>(s); });
  }
  if (compute_requires_grad(a)) {
    auto n = record<ScaleBackward>(out, a);
    n->meta = InputMeta(a);
    n->scale = scale;
    n->label = label;
  }
  return out;
}

// ---- mul / div -----------------------------------------------------------------------------

struct MulBackward : Node {
  SavedVariable self_, other_;
  InputMeta self_meta, other_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    if (should_compute_output(0)) r[0] = reduce_grad(g[0] * other_.unpack(), self_meta);
    if (should_compute_output(1)) r[1] = reduce_grad(g[0] * self_.unpack(), other_meta);
    return r;
  }
  void release_variables() override { self_.reset(); other_.reset(); }
  std::string name() const override { return "MulBackward"; }
};

struct DivBackward : Node {
  SavedVariable self_, other_;
  InputMeta self_meta, other_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    Tensor b = other_.unpack();
    if (should_compute_output(0)) r[0] = reduce_grad(g[0] / b, self_meta);
    if (should_compute_output(1)) r[1] = reduce_grad(-(g[0] * self_.unpack()) / (b * b), other_meta);
    return r;
  }
  void release_variables() override { self_.reset(); other_.reset(); }
  std::string name() const override { return "DivBackward"; }
};

}  // namespace

Tensor add(const Tensor& self, const Tensor& other, const Scalar& alpha) { return add_impl(self, other, alpha, false); }
Tensor sub(const Tensor& self, const Tensor& other, const Scalar& alpha) { return add_impl(self, other, alpha, true); }
Tensor add(const Tensor& self, const Scalar& other, const Scalar& alpha) {
  ScalarType rt = result_type(self, other);
  return add_scalar_impl(self, other.to_double() * alpha.to_double(), rt, "AddBackward", 1.0);
}
Tensor sub(const Tensor& self, const Scalar& other, const Scalar& alpha) {
  ScalarType rt = result_type(self, other);
  TG_CHECK(self.dtype() != kBool && !other.is_bool(), "sub: subtraction of bool tensors is not supported ({})",
           describe(self));
  return add_scalar_impl(self, -other.to_double() * alpha.to_double(), rt, "SubBackward", 1.0);
}

Tensor mul(const Tensor& self, const Tensor& other) {
  ScalarType rt = result_type(self, other);
  Tensor out = kernels::binary_map(self, other, rt, false, "mul", [](auto x, auto y) { return x * y; });
  if (compute_requires_grad(self, other)) {
    auto n = record<MulBackward>(out, self, other);
    n->self_meta = InputMeta(self);
    n->other_meta = InputMeta(other);
    if (n->should_compute_output(1)) n->self_ = SavedVariable(self, false);
    if (n->should_compute_output(0)) n->other_ = SavedVariable(other, false);
  }
  return out;
}

Tensor mul(const Tensor& self, const Scalar& other) {
  ScalarType rt = result_type(self, other);
  return add_scalar_impl(self, 0.0, rt, "MulBackward", other.to_double());
}

Tensor div(const Tensor& self, const Tensor& other) {
  ScalarType rt = float_result(result_type(self, other));  // true division, as PyTorch
  Tensor out = kernels::binary_map(self, other, rt, false, "div", [](auto x, auto y) { return x / y; });
  if (compute_requires_grad(self, other)) {
    auto n = record<DivBackward>(out, self, other);
    n->self_meta = InputMeta(self);
    n->other_meta = InputMeta(other);
    if (n->should_compute_output(1)) n->self_ = SavedVariable(self, false);
    n->other_ = SavedVariable(other, false);
  }
  return out;
}

Tensor div(const Tensor& self, const Scalar& other) {
  ScalarType rt = float_result(result_type(self, other));
  return add_scalar_impl(self, 0.0, rt, "DivBackward", 1.0 / other.to_double());
}

Tensor neg(const Tensor& self) {
  TG_CHECK(self.dtype() != kBool, "neg: negation, the `-` operator, on a bool tensor is not supported ({})",
           describe(self));
  return add_scalar_impl(self, 0.0, self.dtype(), "NegBackward", -1.0);
}

// ---- unary math ------------------------------------------------------------------------------

namespace {

// Unary node whose gradient is g * f(saved), where the saved tensor is the input or the output.
using UnaryRule = Tensor (*)(const Tensor& grad, const Tensor& saved);
struct UnaryBackward : Node {
  SavedVariable saved;
  const char* label = "";
  UnaryRule rule = nullptr;
  variable_list apply(variable_list&& g) override { return {rule(g[0], saved.unpack(this))}; }
  void release_variables() override { saved.reset(); }
  std::string name() const override { return label; }
};

// Records a UnaryBackward on `out` saving `to_save` (the input, or `out` itself when is_output).
void record_unary(const Tensor& out, const Tensor& in, const Tensor& to_save, bool is_output, const char* label,
                  UnaryRule rule) {
  if (!compute_requires_grad(in)) return;
  auto n = record<UnaryBackward>(out, in);
  n->saved = SavedVariable(to_save, is_output);
  n->label = label;
  n->rule = rule;
}

}  // namespace

Tensor exp(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "exp", [](const auto& a) { return a.exp(); });
  record_unary(out, x, out, true, "ExpBackward", [](const Tensor& g, const Tensor& y) { return g * y; });
  return out;
}

Tensor log(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "log", [](const auto& a) { return a.log(); });
  record_unary(out, x, x, false, "LogBackward", [](const Tensor& g, const Tensor& in) { return g / in; });
  return out;
}

Tensor sqrt(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "sqrt", [](const auto& a) { return a.sqrt(); });
  record_unary(out, x, out, true, "SqrtBackward", [](const Tensor& g, const Tensor& y) { return g / (2 * y); });
  return out;
}

Tensor sin(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "sin", [](const auto& a) { return a.sin(); });
  record_unary(out, x, x, false, "SinBackward", [](const Tensor& g, const Tensor& in) { return g * cos(in); });
  return out;
}

Tensor cos(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "cos", [](const auto& a) { return a.cos(); });
  record_unary(out, x, x, false, "CosBackward", [](const Tensor& g, const Tensor& in) { return -(g * sin(in)); });
  return out;
}

namespace {
struct SignBackward : Node {
  variable_list apply(variable_list&& g) override { return {zeros_like(g[0])}; }
  std::string name() const override { return "SignBackward"; }
};
}  // namespace

Tensor sign(const Tensor& x) {
  TG_CHECK(x.dtype() != kBool, "sign: not implemented for bool tensors ({})", describe(x));
  Tensor out = kernels::unary_map(x, x.dtype(), x.dtype(), [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_same<T, bool>::value) return v;
    else return static_cast<T>((v > T(0)) - (v < T(0)));
  });
  if (compute_requires_grad(x)) record<SignBackward>(out, x);  // its derivative is a defined zero
  return out;
}

Tensor abs(const Tensor& x) {
  TG_CHECK(x.dtype() != kBool, "abs: not implemented for bool tensors ({})", describe(x));
  Tensor out = kernels::unary_map(x, x.dtype(), x.dtype(), [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_same<T, bool>::value) return v;
    else return v < T(0) ? -v : v;
  });
  record_unary(out, x, x, false, "AbsBackward", [](const Tensor& g, const Tensor& in) { return g * sign(in); });
  return out;
}

// ---- pow ---------------------------------------------------------------------------------------

namespace {
struct PowScalarBackward : Node {
  SavedVariable self_;
  double exponent = 1;
  variable_list apply(variable_list&& g) override {
    if (exponent == 0) return {zeros_like(g[0])};
    Tensor x = self_.unpack();
    Tensor d = exponent == 2 ? x * 2.0 : pow(x, exponent - 1) * exponent;
    return {g[0] * d};
  }
  void release_variables() override { self_.reset(); }
  std::string name() const override { return "PowBackward"; }
};

struct PowTensorBackward : Node {
  SavedVariable self_, exponent_, result_;
  InputMeta self_meta, exp_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    Tensor x = self_.unpack(), p = exponent_.unpack();
    if (should_compute_output(0)) {
      Tensor d = where(p == 0.0, zeros_like(p), p * pow(x, p - 1.0));
      r[0] = reduce_grad(g[0] * d, self_meta);
    }
    if (should_compute_output(1)) {
      Tensor y = result_.unpack(this);
      // 0^p with p >= 0 has derivative 0 w.r.t. p (PyTorch masks the log(0) there)
      Tensor d = where((x == 0.0) & (p >= 0.0), zeros_like(y), y * log(x));
      r[1] = reduce_grad(g[0] * d, exp_meta);
    }
    return r;
  }
  void release_variables() override { self_.reset(); exponent_.reset(); result_.reset(); }
  std::string name() const override { return "PowBackward"; }
};

struct PowScalarBaseBackward : Node {
  SavedVariable result_;
  double base = 1;
  InputMeta exp_meta;
  variable_list apply(variable_list&& g) override {
    Tensor y = result_.unpack(this);
    if (base == 0) return {reduce_grad(zeros_like(g[0]), exp_meta)};
    return {reduce_grad(g[0] * y * std::log(base), exp_meta)};
  }
  void release_variables() override { result_.reset(); }
  std::string name() const override { return "PowBackward"; }
};
}  // namespace

Tensor pow(const Tensor& self, const Scalar& exponent) {
  ScalarType rt = result_type(self, exponent);
  TG_CHECK(rt != kBool, "pow: not implemented for bool tensors ({})", describe(self));
  double e = exponent.to_double();
  Tensor out;
  if (is_floating_point(rt)) {
    Tensor x = self.dtype() == rt ? self : self.to(rt);
    if (e == 2) {
      out = kernels::map_float(x, "pow", [](const auto& a) { return a.square(); });
    } else if (e == 0.5) {
      out = kernels::map_float(x, "pow", [](const auto& a) { return a.sqrt(); });
    } else if (e == 1) {
      out = kernels::map_float(x, "pow", [](const auto& a) { return a; });
    } else {
      out = kernels::map_float(x, "pow", [e](const auto& a) {
        using T = typename std::decay_t<decltype(a)>::Scalar;
        return a.pow(static_cast<T>(e));
      });
    }
  } else {
    TG_CHECK(e >= 0, "pow: Integers to negative integer powers are not allowed ({} ** {})", describe(self), e);
    int64_t ie = exponent.to<int64_t>();
    out = kernels::unary_map(self, kInt64, kInt64, [ie](int64_t v) {
      int64_t r = 1;
      for (int64_t k = 0; k < ie; ++k) r *= v;
      return r;
    });
  }
  if (compute_requires_grad(self)) {
    auto n = record<PowScalarBackward>(out, self);
    n->self_ = SavedVariable(self, false);
    n->exponent = e;
  }
  return out;
}

Tensor pow(const Tensor& self, const Tensor& exponent) {
  ScalarType rt = result_type(self, exponent);
  TG_CHECK(rt != kBool, "pow: not implemented for bool tensors ({} and {})", describe(self), describe(exponent));
  Tensor out = kernels::binary_map(self, exponent, rt, false, "pow", [](auto x, auto y) {
    using T = decltype(x);
    if constexpr (std::is_same<T, int64_t>::value) {
      int64_t r = 1;
      for (int64_t k = 0; k < y; ++k) r *= x;
      return r;
    } else {
      return static_cast<T>(std::pow(x, y));
    }
  });
  if (compute_requires_grad(self, exponent)) {
    auto n = record<PowTensorBackward>(out, self, exponent);
    n->self_ = SavedVariable(self, false);
    n->exponent_ = SavedVariable(exponent, false);
    n->result_ = SavedVariable(out, true);
    n->self_meta = InputMeta(self);
    n->exp_meta = InputMeta(exponent);
  }
  return out;
}

Tensor pow(const Scalar& self, const Tensor& exponent) {
  ScalarType rt = result_type(exponent, self);
  double b = self.to_double();
  Tensor out;
  if (is_floating_point(rt)) {
    Tensor p = exponent.dtype() == rt ? exponent : exponent.to(rt);
    out = kernels::unary_map(p, rt, rt, [b](auto y) { return static_cast<decltype(y)>(std::pow(static_cast<decltype(y)>(b), y)); });
  } else {
    out = pow(scalar_to_tensor(self, rt), exponent);
  }
  if (compute_requires_grad(exponent)) {
    auto n = record<PowScalarBaseBackward>(out, exponent);
    n->result_ = SavedVariable(out, true);
    n->base = b;
    n->exp_meta = InputMeta(exponent);
  }
  return out;
}

Tensor square(const Tensor& self) { return pow(self, 2); }

// ---- clamp -----------------------------------------------------------------------------------

namespace {
struct ClampBackward : Node {
  SavedVariable self_;
  std::optional<double> min, max;
  variable_list apply(variable_list&& g) override {
    Tensor x = self_.unpack();
    Tensor mask;
    if (min && max) mask = (x >= *min) & (x <= *max);
    else if (min) mask = x >= *min;
    else mask = x <= *max;
    return {where(mask, g[0], zeros_like(g[0]))};
  }
  void release_variables() override { self_.reset(); }
  std::string name() const override { return "ClampBackward"; }
};
}  // namespace

Tensor clamp(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max) {
  TG_CHECK(min || max, "clamp: At least one of 'min' or 'max' must not be None ({})", describe(self));
  ScalarType rt = self.dtype();
  if (min) rt = result_type(self, *min);
  if (max) rt = promote_types(rt, result_type(self, *max));
  double lo = min ? min->to_double() : -INFINITY, hi = max ? max->to_double() : INFINITY;
  Tensor out = kernels::unary_map(self, rt, rt, [lo, hi](auto v) {
    using T = decltype(v);
    // NaN propagates, as PyTorch: comparisons with NaN are false
    if (v < static_cast<T>(lo)) v = static_cast<T>(lo);
    if (v > static_cast<T>(hi)) v = static_cast<T>(hi);
    if (lo > hi) v = static_cast<T>(hi);
    return v;
  });
  if (compute_requires_grad(self)) {
    auto n = record<ClampBackward>(out, self);
    n->self_ = SavedVariable(self, false);
    if (min) n->min = lo;
    if (max) n->max = hi;
  }
  return out;
}
Tensor clamp_min(const Tensor& self, const Scalar& min) { return clamp(self, min, std::nullopt); }
Tensor clamp_max(const Tensor& self, const Scalar& max) { return clamp(self, std::nullopt, max); }

// ---- comparisons and where ------------------------------------------------------------------

#define TG_COMPARISON(NAME, OP)                                                                    \
  Tensor NAME(const Tensor& a, const Tensor& b) {                                                  \
    return kernels::binary_map(a, b, result_type(a, b), true, #NAME, [](auto x, auto y) { return x OP y; }); \
  }
TG_COMPARISON(eq, ==)
TG_COMPARISON(ne, !=)
TG_COMPARISON(gt, >)
TG_COMPARISON(ge, >=)
TG_COMPARISON(lt, <)
TG_COMPARISON(le, <=)
#undef TG_COMPARISON

Tensor logical_not(const Tensor& a) {
  return kernels::unary_map(a, a.dtype(), kBool, [](auto v) { return !static_cast<bool>(v); });
}

namespace {
struct WhereBackward : Node {
  SavedVariable cond_;
  InputMeta self_meta, other_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    Tensor c = cond_.unpack();
    Tensor z = zeros_like(g[0]);
    if (should_compute_output(0)) r[0] = reduce_grad(where(c, g[0], z), self_meta);
    if (should_compute_output(1)) r[1] = reduce_grad(where(c, z, g[0]), other_meta);
    return r;
  }
  void release_variables() override { cond_.reset(); }
  std::string name() const override { return "WhereBackward"; }
};
}  // namespace

Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other) {
  TG_CHECK(condition.dtype() == kBool, "where: expected condition to be a bool tensor, got {}", describe(condition));
  ScalarType rt = result_type(self, other);
  Shape s1 = broadcast_shapes(condition.sizes(), self.sizes(), "where");
  Shape shape = broadcast_shapes(s1, other.sizes(), "where");
  Tensor out = make_empty(shape, rt);
  Tensor a = self.dtype() == rt ? self : self.to(rt);
  Tensor b = other.dtype() == rt ? other : other.to(rt);
  kernels::copy_into(out, b);
  // out = cond ? a : out
  const TensorImpl& oi = impl_of(out);
  const TensorImpl& ci = impl_of(condition);
  const TensorImpl& ai = impl_of(a);
  Shape sc = kernels::broadcast_strides(ci.sizes, ci.strides, shape);
  Shape sa = kernels::broadcast_strides(ai.sizes, ai.strides, shape);
  dispatch_all(rt, [&](auto tag) {
    using T = decltype(tag);
    T* o = oi.data<T>();
    const bool* cp = static_cast<const bool*>(ci.storage->data);
    const T* ap = static_cast<const T*>(ai.storage->data);
    kernels::for_each_run<3>(shape, {oi.strides, sc, sa}, {0, ci.offset, ai.offset},
                             [&](std::array<int64_t, 3> off, int64_t n, std::array<int64_t, 3> st) {
                               for (int64_t k = 0; k < n; ++k)
                                 if (cp[off[1] + k * st[1]]) o[off[0] + k * st[0]] = ap[off[2] + k * st[2]];
                             });
  });
  if (compute_requires_grad(self, other)) {
    auto n = record<WhereBackward>(out, self, other);
    n->cond_ = SavedVariable(condition, false);
    n->self_meta = InputMeta(self);
    n->other_meta = InputMeta(other);
  }
  return out;
}
Tensor where(const Tensor& condition, const Tensor& self, const Scalar& other) {
  return where(condition, self, scalar_to_tensor(other, result_type(self, other)));
}
Tensor where(const Tensor& condition, const Scalar& self, const Tensor& other) {
  return where(condition, scalar_to_tensor(self, result_type(other, self)), other);
}

// ---- maximum / minimum ---------------------------------------------------------------------

namespace {
struct MaxMinBackward : Node {
  SavedVariable self_, other_;
  InputMeta self_meta, other_meta;
  bool is_max = true;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    Tensor a = self_.unpack(), b = other_.unpack();
    Tensor z = zeros_like(g[0]);
    Tensor half = g[0] * 0.5;  // ties share the gradient equally, as PyTorch
    Tensor tie = a == b;
    Tensor a_wins = is_max ? a > b : a < b;
    Tensor b_wins = is_max ? b > a : b < a;
    if (should_compute_output(0)) r[0] = reduce_grad(where(a_wins, g[0], where(tie, half, z)), self_meta);
    if (should_compute_output(1)) r[1] = reduce_grad(where(b_wins, g[0], where(tie, half, z)), other_meta);
    return r;
  }
  void release_variables() override { self_.reset(); other_.reset(); }
  std::string name() const override { return is_max ? "MaximumBackward" : "MinimumBackward"; }
};

Tensor max_min(const Tensor& a, const Tensor& b, bool is_max) {
  ScalarType rt = result_type(a, b);
  Tensor out = is_max ? kernels::binary_map(a, b, rt, false, "maximum", [](auto x, auto y) { return (x != x) ? x : (x > y ? x : y); })
                      : kernels::binary_map(a, b, rt, false, "minimum", [](auto x, auto y) { return (x != x) ? x : (x < y ? x : y); });
  if (compute_requires_grad(a, b)) {
    auto n = record<MaxMinBackward>(out, a, b);
    n->self_ = SavedVariable(a, false);
    n->other_ = SavedVariable(b, false);
    n->self_meta = InputMeta(a);
    n->other_meta = InputMeta(b);
    n->is_max = is_max;
  }
  return out;
}
}  // namespace

Tensor maximum(const Tensor& self, const Tensor& other) { return max_min(self, other, true); }
Tensor minimum(const Tensor& self, const Tensor& other) { return max_min(self, other, false); }

// ---- checks ----------------------------------------------------------------------------------

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  if (!a.sizes().equals(b.sizes())) return false;
  std::vector<double> x = a.tolist<double>(), y = b.tolist<double>();
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) {
      if (!(equal_nan && std::isnan(x[i]) && std::isnan(y[i]))) return false;
      continue;
    }
    if (x[i] == y[i]) continue;
    if (!(std::fabs(x[i] - y[i]) <= atol + rtol * std::fabs(y[i]))) return false;
  }
  return true;
}

bool equal(const Tensor& a, const Tensor& b) {
  if (!a.sizes().equals(b.sizes())) return false;
  std::vector<double> x = a.tolist<double>(), y = b.tolist<double>();
  return x == y;
}

// ---- operators -------------------------------------------------------------------------------

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, b); }
Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, a); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, b); }
Tensor operator-(const Scalar& a, const Tensor& b) {
  ScalarType rt = result_type(b, a);
  TG_CHECK(b.dtype() != kBool && !a.is_bool(), "sub: subtraction of bool tensors is not supported ({})", describe(b));
  return add_scalar_impl(b, a.to_double(), rt, "RsubBackward", -1.0);
}
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, b); }
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, a); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, b); }
Tensor operator/(const Scalar& a, const Tensor& b) { return div(scalar_to_tensor(a, result_type(b, a)), b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>(const Tensor& a, const Scalar& b) { return gt(a, scalar_to_tensor(b, result_type(a, b))); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator>=(const Tensor& a, const Scalar& b) { return ge(a, scalar_to_tensor(b, result_type(a, b))); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<(const Tensor& a, const Scalar& b) { return lt(a, scalar_to_tensor(b, result_type(a, b))); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator<=(const Tensor& a, const Scalar& b) { return le(a, scalar_to_tensor(b, result_type(a, b))); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator==(const Tensor& a, const Scalar& b) { return eq(a, scalar_to_tensor(b, result_type(a, b))); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator!=(const Tensor& a, const Scalar& b) { return ne(a, scalar_to_tensor(b, result_type(a, b))); }
Tensor operator!(const Tensor& a) { return logical_not(a); }
Tensor logical_and(const Tensor& a, const Tensor& b) {
  return kernels::binary_map(a, b, kBool, true, "logical_and", [](bool x, bool y) { return x && y; });
}
Tensor logical_or(const Tensor& a, const Tensor& b) {
  return kernels::binary_map(a, b, kBool, true, "logical_or", [](bool x, bool y) { return x || y; });
}
Tensor operator&(const Tensor& a, const Tensor& b) { return logical_and(a, b); }
Tensor operator|(const Tensor& a, const Tensor& b) { return logical_or(a, b); }

}  // namespace tg
