// Elementwise kernels that are not templates: where.
#include "kernels/elementwise.h"

namespace tg {
namespace kernels {

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b, const Shape& shape) {
  const TensorImpl& ai = impl_of(a);
  Tensor out = make_empty(shape, ai.dtype);
  copy_into(out, b);
  // out = cond ? a : out
  const TensorImpl& oi = impl_of(out);
  const TensorImpl& ci = impl_of(cond);
  Shape sc = broadcast_strides(ci.sizes, ci.strides, shape);
  Shape sa = broadcast_strides(ai.sizes, ai.strides, shape);
  dispatch_all(ai.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* o = oi.data<T>();
    const bool* cp = static_cast<const bool*>(ci.storage->data);
    const T* ap = static_cast<const T*>(ai.storage->data);
    for_each_run<3>(shape, {oi.strides, sc, sa}, {0, ci.offset, ai.offset},
                    [&](std::array<int64_t, 3> off, int64_t n, std::array<int64_t, 3> st) {
                      for (int64_t k = 0; k < n; ++k)
                        if (cp[off[1] + k * st[1]]) o[off[0] + k * st[0]] = ap[off[2] + k * st[2]];
                    });
  });
  return out;
}

}  // namespace kernels
}  // namespace tg
