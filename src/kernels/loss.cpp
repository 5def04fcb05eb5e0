// nll_loss forward and backward.
#include "kernels/loss.h"

#include <cstring>

#include "core/dispatch.h"
#include "kernels/copy.h"
#include "tensorgrad/ops/loss.h"

namespace tg {
namespace kernels {

NllForward nll_forward(const Tensor& x, NllDims dims, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                       const char* fn) {
  const TensorImpl& xi = impl_of(x);
  if (is_floating_point(xi.dtype) && needs_compute_cast(xi.dtype)) {
    NllForward r = nll_forward(to_compute(x), dims, target, weight, ignore_index, fn);
    r.losses = from_compute(r.losses, xi.dtype);
    return r;
  }
  Tensor xc = as_contiguous(x), tc = as_contiguous(target);
  Tensor wc = weight.defined() ? as_contiguous(weight, xi.dtype) : Tensor();
  const int64_t M = dims.N * dims.D;
  NllForward r{make_empty(Shape({M}), xi.dtype), 0.0};
  const int64_t* t = impl_of(tc).data<int64_t>();
  dispatch_float(xi.dtype, fn, [&](auto tag) {
    using T = decltype(tag);
    const T* xp = impl_of(xc).data<T>();
    const T* w = wc.defined() ? impl_of(wc).data<T>() : nullptr;
    T* out = impl_of(r.losses).data<T>();
    double total = 0;
    for (int64_t n = 0; n < dims.N; ++n) {
      for (int64_t d = 0; d < dims.D; ++d) {
        const int64_t i = n * dims.D + d;
        const int64_t c = t[i];
        if (c == ignore_index) {
          out[i] = T(0);  // not -x * 0: an ignored row may hold -inf
          continue;
        }
        TG_CHECK(c >= 0 && c < dims.C, "{}: Target {} is out of bounds (the input has {} classes).", fn, c, dims.C);
        const T wt = w ? w[c] : T(1);
        out[i] = -xp[(n * dims.C + c) * dims.D + d] * wt;
        total += static_cast<double>(wt);
      }
    }
    r.total_weight = total;
  });
  return r;
}

Tensor nll_backward(const Tensor& g, int64_t reduction, double total_weight, const Shape& input_sizes, ScalarType dtype,
                    NllDims dims, const Tensor& target, const Tensor& weight, int64_t ignore_index) {
  if (is_floating_point(dtype) && needs_compute_cast(dtype))
    return from_compute(nll_backward(g, reduction, total_weight, input_sizes, compute_type(dtype), dims, target, weight,
                                     ignore_index),
                        dtype);
  Tensor out = make_empty(input_sizes, dtype);
  Tensor gc = as_contiguous(g, dtype), tc = as_contiguous(target);
  Tensor wc = weight.defined() ? as_contiguous(weight, dtype) : Tensor();
  const int64_t* t = impl_of(tc).data<int64_t>();
  dispatch_float(dtype, "nll_loss_backward", [&](auto tag) {
    using T = decltype(tag);
    T* o = impl_of(out).data<T>();
    std::memset(o, 0, static_cast<size_t>(impl_of(out).numel) * sizeof(T));
    const T* gp = impl_of(gc).data<T>();
    const T* w = wc.defined() ? impl_of(wc).data<T>() : nullptr;
    T scalar_g = reduction == Reduction::None ? T(0) : gp[0];
    if (reduction == Reduction::Mean) scalar_g = static_cast<T>(scalar_g / static_cast<T>(total_weight));
    for (int64_t n = 0; n < dims.N; ++n) {
      for (int64_t d = 0; d < dims.D; ++d) {
        const int64_t i = n * dims.D + d;
        const int64_t c = t[i];
        if (c == ignore_index) continue;  // 0, even when the scaled gradient is nan
        const T gi = reduction == Reduction::None ? gp[i] : scalar_g;
        o[(n * dims.C + c) * dims.D + d] = -(w ? w[c] : T(1)) * gi;
      }
    }
  });
  return out;
}

}  // namespace kernels
}  // namespace tg
