// Strided copy with broadcasting and dtype conversion; fill.
#include "kernels/copy.h"

#include <cstring>

#include "core/dispatch.h"
#include "kernels/loops.h"

namespace tg {
namespace kernels {

void copy_into(const Tensor& dst, const Tensor& src) {
  const TensorImpl& d = impl_of(dst);
  const TensorImpl& s = impl_of(src);
  if (d.numel == 0) return;
  if (d.dtype == s.dtype && d.sizes == s.sizes && d.is_contiguous() && s.is_contiguous()) {
    std::memmove(d.raw_data(), s.raw_data(), static_cast<size_t>(d.numel) * element_size(d.dtype));
    return;
  }
  Shape sst = broadcast_strides(s.sizes, s.strides, d.sizes);
  dispatch_all(d.dtype, [&](auto dtag) {
    using D = decltype(dtag);
    dispatch_all(s.dtype, [&](auto stag) {
      using S = decltype(stag);
      D* dp = static_cast<D*>(d.storage->data);
      const S* sp = static_cast<const S*>(s.storage->data);
      for_each_run<2>(d.sizes, {d.strides, sst}, {d.offset, s.offset},
                      [&](std::array<int64_t, 2> off, int64_t n, std::array<int64_t, 2> st) {
                        D* o = dp + off[0];
                        const S* i = sp + off[1];
                        if (st[0] == 1 && st[1] == 1) {
                          for (int64_t k = 0; k < n; ++k) o[k] = convert<D>(i[k]);
                        } else {
                          for (int64_t k = 0; k < n; ++k) o[k * st[0]] = convert<D>(i[k * st[1]]);
                        }
                      });
    });
  });
}

void fill(const Tensor& dst, const Scalar& v) {
  const TensorImpl& d = impl_of(dst);
  dispatch_all(d.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T val = scalar_as<T>(v);
    T* p = static_cast<T*>(d.storage->data);
    if (d.is_contiguous()) {
      std::fill(p + d.offset, p + d.offset + d.numel, val);
      return;
    }
    for_each_run<1>(d.sizes, {d.strides}, {d.offset}, [&](std::array<int64_t, 1> off, int64_t n, std::array<int64_t, 1> st) {
      for (int64_t k = 0; k < n; ++k) p[off[0] + k * st[0]] = val;
    });
  });
}

Tensor contiguous_copy(const Tensor& t, ScalarType dtype) {
  Tensor out = make_empty(impl_of(t).sizes, dtype);
  copy_into(out, t);
  return out;
}

Tensor as_contiguous(const Tensor& t, ScalarType dtype) {
  const TensorImpl& i = impl_of(t);
  if (i.dtype == dtype && i.is_contiguous()) return t;
  return contiguous_copy(t, dtype);
}

}  // namespace kernels
}  // namespace tg
