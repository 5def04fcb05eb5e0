#pragma once
// Elementwise kernels: loops over the buffers of one, two or three tensors, with broadcasting and
// dtype conversion. Private (includes Eigen); no autograd here: src/ops/ wraps these.
#include <Eigen/Core>
#include <type_traits>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/copy.h"
#include "kernels/loops.h"

namespace tg {
namespace kernels {

template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using MutArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;

// out = f(x) for a floating tensor, where f maps an Eigen array expression (of x's scalar type)
// to an array expression: vectorised for contiguous data. x is copied first when strided.
template <typename F>
Tensor map_float(const Tensor& x, const char* fn, F&& f) {
  const TensorImpl& xi = impl_of(x);
  if (is_floating_point(xi.dtype) && needs_compute_cast(xi.dtype))
    return from_compute(map_float(to_compute(x), fn, std::forward<F>(f)), xi.dtype);
  Tensor xc = as_contiguous(x);
  Tensor out = make_empty(xi.sizes, xi.dtype);
  dispatch_float(xi.dtype, fn, [&](auto tag) {
    using T = decltype(tag);
    ConstArrayMap<T> a(impl_of(xc).data<T>(), xi.numel);
    MutArrayMap<T> o(impl_of(out).data<T>(), xi.numel);
    o = f(a);
  });
  return out;
}

// Same for two floating tensors of the same shape and dtype (as backward rules use):
// out = f(a, b) with Eigen array expressions.
template <typename F>
Tensor map_float2(const Tensor& a, const Tensor& b, const char* fn, F&& f) {
  const TensorImpl& ai = impl_of(a);
  if (is_floating_point(ai.dtype) && needs_compute_cast(ai.dtype))
    return from_compute(map_float2(to_compute(a), b, fn, std::forward<F>(f)), ai.dtype);
  Tensor ac = as_contiguous(a), bc = as_contiguous(b, ai.dtype);
  Tensor out = make_empty(ai.sizes, ai.dtype);
  dispatch_float(ai.dtype, fn, [&](auto tag) {
    using T = decltype(tag);
    ConstArrayMap<T> x(impl_of(ac).data<T>(), ai.numel);
    ConstArrayMap<T> y(impl_of(bc).data<T>(), ai.numel);
    MutArrayMap<T> o(impl_of(out).data<T>(), ai.numel);
    // f(x, y) returns an expression, or f(x, y, o) writes o itself (using it as scratch space)
    if constexpr (std::is_invocable<F&, ConstArrayMap<T>&, ConstArrayMap<T>&, MutArrayMap<T>&>::value) {
      f(x, y, o);
    } else {
      o = f(x, y);
    }
  });
  return out;
}

// Elementwise out[i] = f(a[i], b[i]) with broadcasting. Both operands are read as `compute`;
// the result has dtype `compute`, or bool when `bool_out`. f is a scalar function.
template <typename F>
Tensor binary_map(const Tensor& a, const Tensor& b, ScalarType compute, bool bool_out, const char* fn, F&& f) {
  if (needs_compute_cast(compute)) {
    Tensor out = binary_map(a, b, compute_type(compute), bool_out, fn, std::forward<F>(f));
    return bool_out ? out : from_compute(out, compute);
  }
  const TensorImpl& ai = impl_of(a);
  const TensorImpl& bi = impl_of(b);
  Shape out_shape = ai.sizes == bi.sizes ? ai.sizes : broadcast_shapes(ai.sizes, bi.sizes, fn);
  Tensor out = make_empty(out_shape, bool_out ? kBool : compute);
  const TensorImpl& oi = impl_of(out);
  Tensor ac = ai.dtype == compute ? a : contiguous_copy(a, compute);
  Tensor bc = bi.dtype == compute ? b : contiguous_copy(b, compute);
  const TensorImpl& aci = impl_of(ac);
  const TensorImpl& bci = impl_of(bc);
  dispatch_compute(compute, [&](auto tag) {
    using T = decltype(tag);
    using R = std::conditional_t<std::is_same<T, bool>::value, bool, T>;
    auto run = [&](auto rtag) {
      using O = decltype(rtag);
      O* o = impl_of(out).template data<O>();
      const T* x = aci.template data<T>();
      const T* y = bci.template data<T>();
      const int64_t n = oi.numel;
      bool ac_ok = aci.is_contiguous(), bc_ok = bci.is_contiguous();
      if (ac_ok && bc_ok && aci.numel == n && bci.numel == n) {
        for (int64_t k = 0; k < n; ++k) o[k] = static_cast<O>(f(x[k], y[k]));
      } else if (ac_ok && aci.numel == n && bci.numel == 1) {
        const T s = *y;
        for (int64_t k = 0; k < n; ++k) o[k] = static_cast<O>(f(x[k], s));
      } else if (bc_ok && bci.numel == n && aci.numel == 1) {
        const T s = *x;
        for (int64_t k = 0; k < n; ++k) o[k] = static_cast<O>(f(s, y[k]));
      } else {
        Shape sa = broadcast_strides(aci.sizes, aci.strides, out_shape);
        Shape sb = broadcast_strides(bci.sizes, bci.strides, out_shape);
        const T* xb = static_cast<const T*>(aci.storage->data);
        const T* yb = static_cast<const T*>(bci.storage->data);
        for_each_run<3>(out_shape, {oi.strides, sa, sb}, {0, aci.offset, bci.offset},
                        [&](std::array<int64_t, 3> off, int64_t m, std::array<int64_t, 3> st) {
                          O* op = o + off[0];
                          const T* xp = xb + off[1];
                          const T* yp = yb + off[2];
                          for (int64_t k = 0; k < m; ++k) op[k] = static_cast<O>(f(xp[k * st[1]], yp[k * st[2]]));
                        });
      }
    };
    if (bool_out) run(bool{}); else run(R{});
  });
  return out;
}

// Applies dst[i] = f(dst[i], src[i]) in place, src broadcast to dst's shape and read as dst's dtype.
template <typename F>
void binary_inplace(const Tensor& dst, const Tensor& src, F&& f) {
  const TensorImpl& di = impl_of(dst);
  if (needs_compute_cast(di.dtype)) {
    Tensor d = to_compute(dst);
    binary_inplace(d, src, std::forward<F>(f));
    copy_into(dst, d);
    return;
  }
  Tensor sc = impl_of(src).dtype == di.dtype ? src : contiguous_copy(src, di.dtype);
  const TensorImpl& si = impl_of(sc);
  dispatch_compute(di.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* d = static_cast<T*>(di.storage->data);
    const T* s = static_cast<const T*>(si.storage->data);
    if (di.is_contiguous() && si.is_contiguous() && si.numel == di.numel && si.sizes == di.sizes) {
      T* dp = d + di.offset;
      const T* sp = s + si.offset;
      for (int64_t k = 0; k < di.numel; ++k) dp[k] = static_cast<T>(f(dp[k], sp[k]));
      return;
    }
    Shape ss = broadcast_strides(si.sizes, si.strides, di.sizes);
    for_each_run<2>(di.sizes, {di.strides, ss}, {di.offset, si.offset},
                    [&](std::array<int64_t, 2> off, int64_t m, std::array<int64_t, 2> st) {
                      T* dp = d + off[0];
                      const T* sp = s + off[1];
                      for (int64_t k = 0; k < m; ++k) dp[k * st[0]] = static_cast<T>(f(dp[k * st[0]], sp[k * st[1]]));
                    });
  });
}

// Applies dst[i] = f(dst[i], s) in place, any strides; s is read as dst's dtype.
template <typename F>
void scalar_inplace(const Tensor& dst, const Scalar& s, F&& f) {
  const TensorImpl& di = impl_of(dst);
  if (needs_compute_cast(di.dtype)) {
    Tensor d = to_compute(dst);
    scalar_inplace(d, s, std::forward<F>(f));
    copy_into(dst, d);
    return;
  }
  dispatch_compute(di.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T v = scalar_as<T>(s);
    T* d = static_cast<T*>(di.storage->data);
    if (di.is_contiguous()) {
      T* dp = d + di.offset;
      for (int64_t k = 0; k < di.numel; ++k) dp[k] = static_cast<T>(f(dp[k], v));
      return;
    }
    for_each_run<1>(di.sizes, {di.strides}, {di.offset},
                    [&](std::array<int64_t, 1> off, int64_t m, std::array<int64_t, 1> st) {
                      T* dp = d + off[0];
                      for (int64_t k = 0; k < m; ++k) dp[k * st[0]] = static_cast<T>(f(dp[k * st[0]], v));
                    });
  });
}

// out[i] = f(a[i], s), a read as `compute` and s converted to it; the result has dtype `compute`,
// or bool when `bool_out` (comparisons with a scalar).
template <typename F>
Tensor scalar_map(const Tensor& a, const Scalar& s, ScalarType compute, bool bool_out, F&& f) {
  if (needs_compute_cast(compute)) {
    Tensor out = scalar_map(a, s, compute_type(compute), bool_out, std::forward<F>(f));
    return bool_out ? out : from_compute(out, compute);
  }
  Tensor ac = as_contiguous(a, compute);
  const TensorImpl& ai = impl_of(ac);
  Tensor out = make_empty(ai.sizes, bool_out ? kBool : compute);
  dispatch_compute(compute, [&](auto tag) {
    using T = decltype(tag);
    const T v = scalar_as<T>(s);
    const T* x = ai.template data<T>();
    auto run = [&](auto otag) {
      using O = decltype(otag);
      O* o = impl_of(out).template data<O>();
      for (int64_t k = 0; k < ai.numel; ++k) o[k] = static_cast<O>(f(x[k], v));
    };
    if (bool_out) run(bool{}); else run(T{});
  });
  return out;
}

// out = cond ? a : b, all three broadcast to `shape`; a and b already have the result's dtype.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b, const Shape& shape);
// out = cond ? t : s (or cond ? s : t when `scalar_first`), of t's dtype, broadcast to `shape`.
Tensor where(const Tensor& cond, const Tensor& t, const Scalar& s, bool scalar_first, const Shape& shape);

// out[i] = f(x[i]) for any dtype, scalar function; result dtype `out_dtype` (x read as `compute`).
template <typename F>
Tensor unary_map(const Tensor& x, ScalarType compute, ScalarType out_dtype, F&& f) {
  if (needs_compute_cast(compute) || needs_compute_cast(out_dtype))
    return from_compute(unary_map(x, compute_type(compute), compute_type(out_dtype), std::forward<F>(f)), out_dtype);
  Tensor xc = as_contiguous(x, compute);
  const TensorImpl& xi = impl_of(xc);
  Tensor out = make_empty(xi.sizes, out_dtype);
  dispatch_compute(compute, [&](auto tag) {
    using T = decltype(tag);
    dispatch_compute(out_dtype, [&](auto otag) {
      using O = decltype(otag);
      const T* p = xi.template data<T>();
      O* o = impl_of(out).template data<O>();
      for (int64_t k = 0; k < xi.numel; ++k) o[k] = static_cast<O>(f(p[k]));
    });
  });
  return out;
}

}  // namespace kernels
}  // namespace tg
