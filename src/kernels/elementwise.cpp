// Elementwise kernels that are not templates: where.
#include "kernels/elementwise.h"

namespace tg {
namespace kernels {

namespace {
// out[i] = a[i] where cond[i] != invert, all broadcast to out's shape.
void masked_assign(const Tensor& out, const Tensor& cond, const Tensor& a, bool invert) {
  const TensorImpl& oi = impl_of(out);
  const TensorImpl& ci = impl_of(cond);
  const TensorImpl& ai = impl_of(a);
  Shape sc = broadcast_strides(ci.sizes, ci.strides, oi.sizes);
  Shape sa = broadcast_strides(ai.sizes, ai.strides, oi.sizes);
  dispatch_all(ai.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* o = oi.data<T>();
    const bool* cp = static_cast<const bool*>(ci.storage->data);
    const T* ap = static_cast<const T*>(ai.storage->data);
    for_each_run<3>(oi.sizes, {oi.strides, sc, sa}, {0, ci.offset, ai.offset},
                    [&](std::array<int64_t, 3> off, int64_t n, std::array<int64_t, 3> st) {
                      for (int64_t k = 0; k < n; ++k)
                        if (cp[off[1] + k * st[1]] != invert) o[off[0] + k * st[0]] = ap[off[2] + k * st[2]];
                    });
  });
}
}  // namespace

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b, const Shape& shape) {
  Tensor out = make_empty(shape, impl_of(a).dtype);
  copy_into(out, b);
  masked_assign(out, cond, a, false);
  return out;
}

Tensor where(const Tensor& cond, const Tensor& t, const Scalar& s, bool scalar_first, const Shape& shape) {
  Tensor out = make_empty(shape, impl_of(t).dtype);
  fill(out, s);
  masked_assign(out, cond, t, scalar_first);
  return out;
}

}  // namespace kernels
}  // namespace tg
