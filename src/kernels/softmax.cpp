// softmax and log_softmax along a dim, one contiguous row at a time.
#include "kernels/softmax.h"

#include <Eigen/Core>
#include <cmath>

#include "core/dispatch.h"
#include "kernels/copy.h"

namespace tg {
namespace kernels {

namespace {

template <typename T>
void softmax_row(const T* in, T* out, int64_t n, bool log) {
  using Map = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
  using MutMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
  Map a(in, n);
  MutMap o(out, n);
  T m = a.maxCoeff();
  if (!std::isfinite(m)) m = std::isnan(m) ? m : (m > 0 ? m : T(0));
  o = (a - m).exp();  // materialised first: Eigen vectorises exp far better outside a reduction
  if (log) {
    T lse = std::log(o.sum());
    o = a - m - lse;
  } else {
    o /= o.sum();
  }
}

// A view of t with dims reordered by perm.
Tensor permuted(const Tensor& t, const Shape& perm) {
  const TensorImpl& ti = impl_of(t);
  Shape s, st;
  for (auto p : perm) {
    s.push_back(ti.sizes[p]);
    st.push_back(ti.strides[p]);
  }
  return make_view(t, s, st, ti.offset);
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim, bool log) {
  const TensorImpl& xi = impl_of(x);
  if (needs_compute_cast(xi.dtype)) return from_compute(kernels::softmax(to_compute(x), dim, log), xi.dtype);
  const int64_t nd = static_cast<int64_t>(xi.sizes.size());
  // move dim last, compute on contiguous rows, move it back
  Shape perm;
  for (int64_t i = 0; i < nd; ++i)
    if (i != dim) perm.push_back(i);
  if (nd > 0) perm.push_back(dim);
  Tensor xp = as_contiguous(nd > 0 ? permuted(x, perm) : x);
  Tensor op = make_empty(impl_of(xp).sizes, xi.dtype);
  const int64_t n = nd > 0 ? xi.sizes[dim] : 1;
  const int64_t rows = n == 0 ? 0 : xi.numel / n;
  dispatch_float(xi.dtype, log ? "log_softmax" : "softmax", [&](auto tag) {
    using T = decltype(tag);
    const T* in = impl_of(xp).data<T>();
    T* out = impl_of(op).data<T>();
    for (int64_t r = 0; r < rows; ++r) softmax_row(in + r * n, out + r * n, n, log);
  });
  if (nd == 0 || dim == nd - 1) return op;
  // back to x's layout (a contiguous copy)
  Shape inv(nd);
  for (int64_t i = 0; i < nd; ++i) inv[perm[i]] = i;
  return contiguous_copy(permuted(op, inv));
}

}  // namespace kernels
}  // namespace tg
