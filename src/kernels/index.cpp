// gather / scatter along a dim.
#include "kernels/index.h"

#include "core/dispatch.h"
#include "kernels/copy.h"

namespace tg {
namespace kernels {

namespace {

// For every element of `index` (any strides), calls f(k, coord, self_offset): k counts the
// elements of index in row-major order, coord is their multi-index, and self_offset is the
// storage offset in `self` of that multi-index with dim replaced by the index value.
template <typename F>
void for_each_index(const TensorImpl& self, const TensorImpl& index, int64_t dim, const char* fn, F&& f) {
  const int64_t* ip = index.data<int64_t>();
  const int64_t nd = static_cast<int64_t>(index.sizes.size());
  const int64_t dim_size = self.sizes.empty() ? 1 : self.sizes[dim];
  int64_t coord[kMaxDims] = {};
  for (int64_t k = 0; k < index.numel; ++k) {
    int64_t ioff = 0, soff = self.offset;
    for (int64_t d = 0; d < nd; ++d) ioff += coord[d] * index.strides[d];
    int64_t v = ip[ioff];
    TG_CHECK(v >= -dim_size && v < dim_size, "{}(): index {} is out of bounds for dimension {} with size {}", fn, v, dim,
             dim_size);
    if (v < 0) v += dim_size;
    for (int64_t d = 0; d < nd; ++d) soff += (d == dim ? v : coord[d]) * (self.strides.empty() ? 0 : self.strides[d]);
    f(k, coord, soff);
    for (int64_t d = nd - 1; d >= 0; --d) {
      if (++coord[d] < index.sizes[d]) break;
      coord[d] = 0;
    }
  }
}

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index, const char* fn) {
  const TensorImpl& si = impl_of(self);
  Tensor out = make_empty(impl_of(index).sizes, si.dtype);
  dispatch_all(si.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* sp = static_cast<const T*>(si.storage->data);
    T* o = impl_of(out).data<T>();
    for_each_index(si, impl_of(index), dim, fn, [&](int64_t k, const int64_t*, int64_t soff) { o[k] = sp[soff]; });
  });
  return out;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, bool add, const char* fn) {
  Tensor out = contiguous_copy(self);
  const TensorImpl& oi = impl_of(out);
  const TensorImpl& ii = impl_of(index);
  Tensor s = as_contiguous(src, oi.dtype);
  const TensorImpl& si = impl_of(s);
  for (size_t d = 0; d < ii.sizes.size(); ++d)
    TG_CHECK(ii.sizes[d] <= (si.sizes.empty() ? 1 : si.sizes[d]),
             "{}: Expected index {} to be smaller than src {} at dimension {}", fn, to_string(ii.sizes),
             to_string(si.sizes), d);
  dispatch_all(oi.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* o = static_cast<T*>(oi.storage->data);
    const T* sp = si.data<T>();
    for_each_index(oi, ii, dim, fn, [&](int64_t, const int64_t* coord, int64_t ooff) {
      int64_t soff = 0;
      for (size_t d = 0; d < si.sizes.size(); ++d) soff += coord[d] * si.strides[d];
      if (add) o[ooff] = static_cast<T>(o[ooff] + sp[soff]);
      else o[ooff] = sp[soff];
    });
  });
  return out;
}

Tensor scatter_value(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, const char* fn) {
  Tensor out = contiguous_copy(self);
  const TensorImpl& oi = impl_of(out);
  dispatch_all(oi.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* o = static_cast<T*>(oi.storage->data);
    const T v = scalar_as<T>(value);
    for_each_index(oi, impl_of(index), dim, fn, [&](int64_t, const int64_t*, int64_t ooff) { o[ooff] = v; });
  });
  return out;
}

Tensor nonzero_flat(const Tensor& mask) {
  Tensor m = as_contiguous(mask);
  const TensorImpl& mi = impl_of(m);
  const bool* p = mi.data<bool>();
  std::vector<int64_t> positions;
  for (int64_t i = 0; i < mi.numel; ++i)
    if (p[i]) positions.push_back(i);
  Tensor out = make_empty(Shape({static_cast<int64_t>(positions.size())}), kInt64);
  std::copy(positions.begin(), positions.end(), impl_of(out).data<int64_t>());
  return out;
}

}  // namespace kernels
}  // namespace tg
