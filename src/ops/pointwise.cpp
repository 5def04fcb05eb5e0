// Pointwise arithmetic and math: each op's forward kernel and its declared backward side by side.
// Backward rules are written with differentiable tensor ops, so that create_graph=true yields
// gradients that can be differentiated again; the engine sums them to each input's shape
// (docs/architecture.md).
#include <cmath>

#include "kernels/elementwise.h"
#include "kernels/reduce.h"
#include "ops/op_util.h"

namespace tg {

namespace {

ScalarType float_result(ScalarType t) { return is_floating_point(t) ? t : get_default_dtype(); }

// The undefined tensor: the first input of libtorch's `scalar - tensor` and `scalar / tensor`,
// which fill a tensor with the scalar and modify it in place (so the node has no edge there).
const Tensor kNoInput;

// out = x * scale + shift for tensor (op) scalar, computed in `rt` (a float type, or x's own).
Tensor affine(const Tensor& x, double scale, double shift, ScalarType rt, const char* fn) {
  if (is_floating_point(rt) && rt == impl_of(x).dtype) {
    return kernels::map_float(x, fn, [scale, shift](const auto& a) {
      using T = typename std::decay_t<decltype(a)>::Scalar;
      return a * static_cast<T>(scale) + static_cast<T>(shift);
    });
  }
  return kernels::unary_map(x, rt, rt, [scale, shift](auto v) {
    using T = decltype(v);
    return v * static_cast<T>(scale) + static_cast<T>(shift);
  });
}

void check_not_bool_sub(const Tensor& a, const Tensor& b) {
  // PyTorch refuses a bool operand even when the result type is not bool (bool - int64).
  TG_CHECK(impl_of(a).dtype != kBool && impl_of(b).dtype != kBool,
           "sub: subtraction of bool tensors is not supported ({} and {})", describe(a), describe(b));
}

}  // namespace

// ---- add / sub ---------------------------------------------------------------------------

Tensor add(const Tensor& self, const Tensor& other, const Scalar& alpha) {
  const ScalarType rt = result_type(self, other);
  const double a = alpha.to_double();
  Tensor out = a == 1 ? kernels::binary_map(self, other, rt, false, "add", [](auto x, auto y) { return x + y; })
                      : kernels::binary_map(self, other, rt, false, "add",
                                            [a](auto x, auto y) { return x + static_cast<decltype(x)>(a * y); });
  record("AddBackward0", out, inputs(self, other), [a](auto& c) -> Grads {
    return {c.grad(), a == 1 ? c.grad() : c.grad() * a};
  });
  return out;
}

Tensor sub(const Tensor& self, const Tensor& other, const Scalar& alpha) {
  check_not_bool_sub(self, other);
  const ScalarType rt = result_type(self, other);
  const double a = alpha.to_double();
  Tensor out = a == 1 ? kernels::binary_map(self, other, rt, false, "sub", [](auto x, auto y) { return x - y; })
                      : kernels::binary_map(self, other, rt, false, "sub",
                                            [a](auto x, auto y) { return x - static_cast<decltype(x)>(a * y); });
  record("SubBackward0", out, inputs(self, other), [a](auto& c) -> Grads {
    return {c.grad(), a == 1 ? -c.grad() : c.grad() * -a};
  });
  return out;
}

Tensor add(const Tensor& self, const Scalar& other, const Scalar& alpha) {
  Tensor out = affine(self, 1.0, other.to_double() * alpha.to_double(), result_type(self, other), "add");
  record("AddBackward1", out, inputs(self), [](auto& c) { return c.grad(); });
  return out;
}

Tensor sub(const Tensor& self, const Scalar& other, const Scalar& alpha) {
  TG_CHECK(self.dtype() != kBool && !other.is_bool(), "sub: subtraction of bool tensors is not supported ({})",
           describe(self));
  Tensor out = affine(self, 1.0, -other.to_double() * alpha.to_double(), result_type(self, other), "sub");
  record("SubBackward1", out, inputs(self), [](auto& c) { return c.grad(); });
  return out;
}

// ---- mul / div -----------------------------------------------------------------------------

Tensor mul(const Tensor& self, const Tensor& other) {
  Tensor out = kernels::binary_map(self, other, result_type(self, other), false, "mul",
                                   [](auto x, auto y) { return x * y; });
  record("MulBackward0", out, inputs(self, other), save(for_grad(1, self), for_grad(0, other)),
         [](auto& c) -> Grads {
           auto [a, b] = c.saved();
           return {c.needs(0) ? c.grad() * b : Tensor(), c.needs(1) ? c.grad() * a : Tensor()};
         });
  return out;
}

Tensor mul(const Tensor& self, const Scalar& other) {
  const double s = other.to_double();
  Tensor out = affine(self, s, 0.0, result_type(self, other), "mul");
  record("MulBackward1", out, inputs(self), [s](auto& c) { return c.grad() * s; });
  return out;
}

Tensor div(const Tensor& self, const Tensor& other) {
  const ScalarType rt = float_result(result_type(self, other));  // true division, as PyTorch
  Tensor out = kernels::binary_map(self, other, rt, false, "div", [](auto x, auto y) { return x / y; });
  record("DivBackward0", out, inputs(self, other), save(for_grad(1, self), other), [](auto& c) -> Grads {
    auto [a, b] = c.saved();
    return {c.needs(0) ? c.grad() / b : Tensor(), c.needs(1) ? -(c.grad() * a) / (b * b) : Tensor()};
  });
  return out;
}

Tensor div(const Tensor& self, const Scalar& other) {
  const double s = other.to_double();
  const ScalarType rt = float_result(result_type(self, other));
  Tensor out = kernels::unary_map(self, rt, rt, [s](auto v) { return v / static_cast<decltype(v)>(s); });
  record("DivBackward1", out, inputs(self), [s](auto& c) { return c.grad() / s; });
  return out;
}

Tensor neg(const Tensor& self) {
  TG_CHECK(self.dtype() != kBool, "neg: negation, the `-` operator, on a bool tensor is not supported ({})",
           describe(self));
  Tensor out = affine(self, -1.0, 0.0, self.dtype(), "neg");
  record("NegBackward0", out, inputs(self), [](auto& c) { return -c.grad(); });
  return out;
}

// ---- unary math ------------------------------------------------------------------------------

Tensor exp(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "exp", [](const auto& a) { return a.exp(); });
  record("ExpBackward0", out, inputs(x), save(out), [](auto& c) { return c.grad() * c.saved(0); });
  return out;
}

Tensor log(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "log", [](const auto& a) { return a.log(); });
  record("LogBackward0", out, inputs(x), save(x), [](auto& c) { return c.grad() / c.saved(0); });
  return out;
}

Tensor log1p(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "log1p", [](const auto& a) { return a.log1p(); });
  record("Log1PBackward0", out, inputs(x), save(x), [](auto& c) { return c.grad() / (c.saved(0) + 1.0); });
  return out;
}

Tensor expm1(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "expm1", [](const auto& a) { return a.expm1(); });
  record("Expm1Backward0", out, inputs(x), save(out), [](auto& c) { return c.grad() * (c.saved(0) + 1.0); });
  return out;
}

Tensor sqrt(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "sqrt", [](const auto& a) { return a.sqrt(); });
  record("SqrtBackward0", out, inputs(x), save(out), [](auto& c) { return c.grad() / (2 * c.saved(0)); });
  return out;
}

Tensor sin(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "sin", [](const auto& a) { return a.sin(); });
  record("SinBackward0", out, inputs(x), save(x), [](auto& c) { return c.grad() * cos(c.saved(0)); });
  return out;
}

Tensor cos(const Tensor& x0) {
  Tensor x = to_float_input(x0);
  Tensor out = kernels::map_float(x, "cos", [](const auto& a) { return a.cos(); });
  record("CosBackward0", out, inputs(x), save(x), [](auto& c) { return -(c.grad() * sin(c.saved(0))); });
  return out;
}

Tensor remainder(const Tensor& self, const Scalar& other) {
  TG_CHECK(self.dtype() != kBool, "remainder: not implemented for bool tensors ({})", describe(self));
  if (is_integral(self.dtype()) && !other.is_floating_point()) {
    const int64_t b = other.to<int64_t>();
    TG_CHECK(b != 0, "remainder: ZeroDivisionError (integer remainder by zero, {})", describe(self));
    // Python's modulo: the result has the sign of the divisor
    return kernels::unary_map(self, kInt64, self.dtype(), [b](int64_t a) {
      int64_t r = (b == -1) ? 0 : a % b;
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    });
  }
  // floating: x - floor(x / b) * b; d/dx = 1 (the floor's derivative is 0 almost everywhere)
  Tensor x = self.is_floating_point() ? self : self.to(get_default_dtype());
  const double b = other.to_double();
  Tensor q;
  {
    NoGradGuard g;
    q = kernels::map_float(x, "remainder", [b](const auto& a) {
      using T = typename std::decay_t<decltype(a)>::Scalar;
      return (a / T(b)).floor();
    });
  }
  return x - q * b;
}
Tensor operator%(const Tensor& self, const Scalar& other) { return remainder(self, other); }

Tensor sign(const Tensor& x) {
  TG_CHECK(x.dtype() != kBool, "sign: not implemented for bool tensors ({})", describe(x));
  Tensor out = kernels::unary_map(x, x.dtype(), x.dtype(), [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_same<T, bool>::value) return v;
    else return static_cast<T>((v > T(0)) - (v < T(0)));
  });
  // its derivative is a defined zero
  record("SignBackward0", out, inputs(x), [](auto& c) { return zeros_like(c.grad()); });
  return out;
}

Tensor abs(const Tensor& x) {
  TG_CHECK(x.dtype() != kBool, "abs: not implemented for bool tensors ({})", describe(x));
  Tensor out = kernels::unary_map(x, x.dtype(), x.dtype(), [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_same<T, bool>::value) return v;
    else return v < T(0) ? -v : v;
  });
  record("AbsBackward0", out, inputs(x), save(x), [](auto& c) { return c.grad() * sign(c.saved(0)); });
  return out;
}

// ---- pow ---------------------------------------------------------------------------------------

Tensor pow(const Tensor& self, const Scalar& exponent) {
  const ScalarType rt = result_type(self, exponent);
  TG_CHECK(rt != kBool, "pow: not implemented for bool tensors ({})", describe(self));
  const double e = exponent.to_double();
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
    const int64_t ie = exponent.to<int64_t>();
    out = kernels::unary_map(self, kInt64, self.dtype(), [ie](int64_t v) {
      int64_t r = 1;
      for (int64_t k = 0; k < ie; ++k) r *= v;
      return r;
    });
  }
  // d/dx x^e = e x^(e-1); 0 for e = 0 (no 0 * inf at x = 0)
  record("PowBackward0", out, inputs(self), save(self), [e](auto& c) {
    if (e == 0) return zeros_like(c.grad());
    Tensor x = c.saved(0);
    return c.grad() * (e == 2 ? x * 2.0 : pow(x, e - 1) * e);
  });
  return out;
}

Tensor pow(const Tensor& self, const Tensor& exponent) {
  const ScalarType rt = result_type(self, exponent);
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
  record("PowBackward1", out, inputs(self, exponent), save(self, exponent, for_grad(1, out)), [](auto& c) -> Grads {
    auto [x, p, y] = c.saved();
    Grads r(2);
    if (c.needs(0)) r[0] = c.grad() * where(p == 0.0, zeros_like(p), p * pow(x, p - 1.0));
    // 0^p with p >= 0 has derivative 0 w.r.t. p (PyTorch masks the log(0) there)
    if (c.needs(1)) r[1] = c.grad() * where((x == 0.0) & (p >= 0.0), zeros_like(y), y * log(x));
    return r;
  });
  return out;
}

Tensor pow(const Scalar& self, const Tensor& exponent) {
  const ScalarType rt = result_type(exponent, self);
  const double b = self.to_double();
  Tensor out;
  if (is_floating_point(rt)) {
    Tensor p = exponent.dtype() == rt ? exponent : exponent.to(rt);
    out = kernels::unary_map(p, rt, rt, [b](auto y) { return static_cast<decltype(y)>(std::pow(static_cast<decltype(y)>(b), y)); });
  } else {
    out = pow(scalar_to_tensor(self, rt), exponent);  // int64: never requires grad
  }
  // d/dp b^p = b^p log(b); 0 for b = 0
  record("PowBackward2", out, inputs(exponent), save(out), [b](auto& c) {
    if (b == 0) return zeros_like(c.grad());
    return c.grad() * c.saved(0) * std::log(b);
  });
  return out;
}

Tensor square(const Tensor& self) { return pow(self, 2); }

// ---- clamp -----------------------------------------------------------------------------------

namespace {
// The gradient passes where min <= x <= max (bounds included, as PyTorch).
Tensor clamp_impl(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max, const char* node) {
  ScalarType rt = self.dtype();
  if (min) rt = result_type(self, *min);
  if (max) rt = promote_types(rt, result_type(self, *max));
  const double lo = min ? min->to_double() : -INFINITY, hi = max ? max->to_double() : INFINITY;
  Tensor out = kernels::unary_map(self, rt, rt, [lo, hi](auto v) {
    using T = decltype(v);
    // NaN propagates, as PyTorch: comparisons with NaN are false
    if (v < static_cast<T>(lo)) v = static_cast<T>(lo);
    if (v > static_cast<T>(hi)) v = static_cast<T>(hi);
    if (lo > hi) v = static_cast<T>(hi);
    return v;
  });
  const bool has_min = min.has_value(), has_max = max.has_value();
  record(node, out, inputs(self), save(self), [lo, hi, has_min, has_max](auto& c) {
    Tensor x = c.saved(0);
    Tensor mask = has_min && has_max ? (x >= lo) & (x <= hi) : (has_min ? x >= lo : x <= hi);
    return where(mask, c.grad(), zeros_like(c.grad()));
  });
  return out;
}
}  // namespace

Tensor clamp(const Tensor& self, std::optional<Scalar> min, std::optional<Scalar> max) {
  TG_CHECK(min || max, "clamp: At least one of 'min' or 'max' must not be None ({})", describe(self));
  return clamp_impl(self, min, max, "ClampBackward1");
}
Tensor clamp_min(const Tensor& self, const Scalar& min) { return clamp_impl(self, min, std::nullopt, "ClampMinBackward0"); }
Tensor clamp_max(const Tensor& self, const Scalar& max) { return clamp_impl(self, std::nullopt, max, "ClampMaxBackward0"); }

// ---- comparisons and where ------------------------------------------------------------------

#define TG_COMPARISON(NAME, OP)                                                                              \
  Tensor NAME(const Tensor& a, const Tensor& b) {                                                            \
    return kernels::binary_map(a, b, result_type(a, b), true, #NAME, [](auto x, auto y) { return x OP y; }); \
  }                                                                                                          \
  Tensor NAME(const Tensor& a, const Scalar& b) {                                                            \
    return kernels::scalar_map(a, b, result_type(a, b), true, [](auto x, auto y) { return x OP y; });        \
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

Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other) {
  TG_CHECK(condition.dtype() == kBool, "where: expected condition to be a bool tensor, got {}", describe(condition));
  const ScalarType rt = result_type(self, other);
  const Shape shape = broadcast_shapes(broadcast_shapes(condition.sizes(), self.sizes(), "where"), other.sizes(), "where");
  Tensor out = kernels::where(condition, kernels::as_contiguous(self, rt), kernels::as_contiguous(other, rt), shape);
  record("WhereBackward0", out, inputs(self, other), save(condition), [](auto& c) -> Grads {
    Tensor cond = c.saved(0), z = zeros_like(c.grad());
    return {c.needs(0) ? where(cond, c.grad(), z) : Tensor(), c.needs(1) ? where(cond, z, c.grad()) : Tensor()};
  });
  return out;
}

namespace {
// where with one scalar operand, without a tensor for it: libtorch's WhereBackward0 with no edge there.
Tensor where_scalar(const Tensor& condition, const Tensor& t, const Scalar& s, bool scalar_first) {
  TG_CHECK(condition.dtype() == kBool, "where: expected condition to be a bool tensor, got {}", describe(condition));
  const ScalarType rt = result_type(t, s);
  const Shape shape = broadcast_shapes(condition.sizes(), t.sizes(), "where");
  Tensor out = kernels::where(condition, kernels::as_contiguous(t, rt), s, scalar_first, shape);
  const Tensor& self = scalar_first ? kNoInput : t;
  const Tensor& other = scalar_first ? t : kNoInput;
  record("WhereBackward0", out, inputs(self, other), save(condition), [scalar_first](auto& c) -> Grads {
    Tensor cond = c.saved(0);
    if (scalar_first) return Grads{Tensor(), where(cond, 0.0, c.grad())};
    return Grads{where(cond, c.grad(), 0.0), Tensor()};
  });
  return out;
}
}  // namespace

Tensor where(const Tensor& condition, const Tensor& self, const Scalar& other) {
  return where_scalar(condition, self, other, false);
}
Tensor where(const Tensor& condition, const Scalar& self, const Tensor& other) {
  return where_scalar(condition, other, self, true);
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value) {
  checked(self, "masked_fill");
  TG_CHECK(mask.defined() && mask.dtype() == kBool,
           "masked_fill_ only supports boolean masks, but got mask with dtype {} (self {}, mask {})",
           mask.defined() ? dtype_name(mask.dtype()) : "undefined", describe(self), describe(mask));
  TG_CHECK(broadcast_shapes(self.sizes(), mask.sizes(), "masked_fill") == Shape(self.sizes()),
           "masked_fill: the mask of shape {} cannot be broadcast to self's shape {}", to_string(mask.sizes()),
           to_string(self.sizes()));
  Tensor out;
  {
    NoGradGuard no_grad;
    out = where(mask, value, self);
    if (out.dtype() != self.dtype()) out = out.to(self.dtype());  // the value takes self's dtype
  }
  record("MaskedFillBackward0", out, inputs(self), save(mask),
         [](auto& c) { return where(c.saved(0), Scalar(0.0), c.grad()); });
  return out;
}

Tensor isnan(const Tensor& self) {
  NoGradGuard no_grad;
  return checked(self, "isnan").is_floating() ? self != self : zeros(self.sizes(), dtype(kBool));
}
Tensor isinf(const Tensor& self) {
  NoGradGuard no_grad;
  return checked(self, "isinf").is_floating() ? abs(self) == INFINITY : zeros(self.sizes(), dtype(kBool));
}
Tensor isfinite(const Tensor& self) {
  NoGradGuard no_grad;
  return checked(self, "isfinite").is_floating() ? (self == self) & (abs(self) != INFINITY)
                                                 : ones(self.sizes(), dtype(kBool));
}

// ---- maximum / minimum ---------------------------------------------------------------------

namespace {
template <bool kMax>
Tensor max_min(const Tensor& a, const Tensor& b) {
  const ScalarType rt = result_type(a, b);
  Tensor out = kernels::binary_map(a, b, rt, false, kMax ? "maximum" : "minimum", [](auto x, auto y) {
    return (x != x) ? x : (kMax ? (x > y ? x : y) : (x < y ? x : y));
  });
  record(kMax ? "MaximumBackward0" : "MinimumBackward0", out, inputs(a, b), save(a, b), [](auto& c) -> Grads {
    auto [x, y] = c.saved();
    const Tensor& g = c.grad();
    Tensor z = zeros_like(g);
    Tensor half = where(x == y, g * 0.5, z);  // ties share the gradient equally, as PyTorch
    return {c.needs(0) ? where(kMax ? x > y : x < y, g, half) : Tensor(),
            c.needs(1) ? where(kMax ? y > x : y < x, g, half) : Tensor()};
  });
  return out;
}
}  // namespace

Tensor maximum(const Tensor& self, const Tensor& other) { return max_min<true>(self, other); }
Tensor minimum(const Tensor& self, const Tensor& other) { return max_min<false>(self, other); }
Tensor max(const Tensor& self, const Tensor& other) { return maximum(self, other); }
Tensor min(const Tensor& self, const Tensor& other) { return minimum(self, other); }

// ---- checks ----------------------------------------------------------------------------------

// As torch.allclose (isclose(a, b).all()): the two are broadcast together.
bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  const Shape size = broadcast_shapes(a.sizes(), b.sizes(), "allclose");
  return kernels::allclose(a.expand(size), b.expand(size), rtol, atol, equal_nan);
}
bool Tensor::allclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return tg::allclose(*this, other, rtol, atol, equal_nan);
}

bool equal(const Tensor& a, const Tensor& b) { return a.sizes().equals(b.sizes()) && kernels::equal(a, b); }
bool Tensor::equal(const Tensor& other) const { return tg::equal(*this, other); }

// ---- operators -------------------------------------------------------------------------------
// As libtorch's TensorOperators.h: `scalar - tensor` and `scalar / tensor` are a tensor filled
// with the scalar, changed in place (SubBackward0 and DivBackward0, with no edge to the scalar).

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, b); }
Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, a); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, b); }
Tensor operator-(const Scalar& a, const Tensor& b) {
  TG_CHECK(b.dtype() != kBool && !a.is_bool(), "sub: subtraction of bool tensors is not supported ({})", describe(b));
  Tensor out = affine(b, -1.0, a.to_double(), result_type(b, a), "sub");
  record("SubBackward0", out, inputs(kNoInput, b), [](auto& c) -> Grads { return {Tensor(), -c.grad()}; });
  return out;
}
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, b); }
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, a); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, b); }
Tensor operator/(const Scalar& a, const Tensor& b) {
  const double s = a.to_double();
  const ScalarType rt = float_result(result_type(b, a));
  Tensor out = kernels::unary_map(b, rt, rt, [s](auto v) { return static_cast<decltype(v)>(s) / v; });
  record("DivBackward0", out, inputs(kNoInput, b), save(b), [s](auto& c) -> Grads {
    Tensor y = c.saved(0);
    return {Tensor(), -(c.grad() * s) / (y * y)};
  });
  return out;
}
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>(const Tensor& a, const Scalar& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator>=(const Tensor& a, const Scalar& b) { return ge(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<(const Tensor& a, const Scalar& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator<=(const Tensor& a, const Scalar& b) { return le(a, b); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator==(const Tensor& a, const Scalar& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator!=(const Tensor& a, const Scalar& b) { return ne(a, b); }
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
