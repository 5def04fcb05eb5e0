// gather / scatter along a dim; the offsets, reads and writes of advanced indexing.
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

Tensor mask_offsets(const Tensor& mask, const Shape& strides) {
  Tensor m = as_contiguous(mask);
  const TensorImpl& mi = impl_of(m);
  const bool* p = mi.data<bool>();
  int64_t count = 0;
  for (int64_t i = 0; i < mi.numel; ++i) count += p[i] ? 1 : 0;
  // One element more than needed: the loop below writes every offset and moves on only past the true ones (no
  // branch to mispredict), so it writes once beyond the last true one.
  Tensor out = make_empty(Shape({count + 1}), kInt64);
  TensorImpl& oi = impl_of(out);
  oi.sizes = Shape({count});
  oi.numel = count;
  int64_t* o = oi.data<int64_t>();
  const int64_t nd = static_cast<int64_t>(mi.sizes.size());
  if (nd == 0) {
    *o = 0;
    return out;
  }
  // the last dim in a tight loop, the others by their coordinates
  const int64_t inner = mi.sizes[nd - 1], inner_stride = strides[nd - 1];
  int64_t coord[kMaxDims] = {};
  int64_t base = 0;
  for (int64_t row = 0; row < mi.numel / std::max<int64_t>(inner, 1); ++row, p += inner) {
    for (int64_t i = 0; i < inner; ++i) {
      *o = base + i * inner_stride;
      o += p[i] ? 1 : 0;
    }
    for (int64_t d = nd - 2; d >= 0; --d) {
      base += strides[d];
      if (++coord[d] < mi.sizes[d]) break;
      base -= coord[d] * strides[d];
      coord[d] = 0;
    }
  }
  return out;
}

namespace {

// The offsets (sum of coordinate * stride) of every element of a tensor of `sizes` and `strides`, row-major.
std::vector<int64_t> element_offsets(const Shape& sizes, const Shape& strides) {
  std::vector<int64_t> r(static_cast<size_t>(sizes.numel()));
  const int64_t nd = static_cast<int64_t>(sizes.size());
  if (nd == 1) {
    for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<int64_t>(i) * strides[0];
    return r;
  }
  int64_t coord[kMaxDims] = {};
  int64_t off = 0;
  for (auto& v : r) {
    v = off;
    for (int64_t d = nd - 1; d >= 0; --d) {
      off += strides[d];
      if (++coord[d] < sizes[d]) break;
      off -= coord[d] * strides[d];
      coord[d] = 0;
    }
  }
  return r;
}

}  // namespace

Tensor advanced_offsets(const Shape& sizes, const Shape& strides, int64_t offset, const std::vector<int64_t>& dims,
                        const std::vector<IndexTerm>& terms, const Shape& bshape, const char* fn) {
  const size_t k = dims.size();
  const bool adjacent = k > 0 && dims.back() - dims.front() == static_cast<int64_t>(k) - 1;
  // The dims not indexed, split into those placed before bshape and those after it.
  Shape pre_sizes, pre_strides, post_sizes, post_strides, out_sizes;
  for (size_t d = 0, j = 0; d < sizes.size(); ++d) {
    if (j < k && dims[j] == static_cast<int64_t>(d)) {
      ++j;
    } else if (adjacent && static_cast<int64_t>(d) < dims.front()) {
      pre_sizes.push_back(sizes[d]);
      pre_strides.push_back(strides[d]);
    } else {
      post_sizes.push_back(sizes[d]);
      post_strides.push_back(strides[d]);
    }
  }
  for (int64_t s : pre_sizes) out_sizes.push_back(s);
  for (int64_t s : bshape) out_sizes.push_back(s);
  for (int64_t s : post_sizes) out_sizes.push_back(s);
  Tensor out = make_empty(out_sizes, kInt64);
  if (impl_of(out).numel == 0) return out;

  // The indexed part of the offset, one per element of bshape.
  std::vector<int64_t> adv(static_cast<size_t>(bshape.numel()), 0);
  for (const IndexTerm& t : terms) {
    const TensorImpl& ii = impl_of(t.index);
    const int64_t* ip = ii.data<int64_t>();
    // the index's own elements in order, unless it was broadcast (then through its strides)
    const bool dense = ii.is_contiguous();
    const std::vector<int64_t> at = dense ? std::vector<int64_t>() : element_offsets(bshape, ii.strides);
    for (size_t b = 0; b < adv.size(); ++b) {
      const int64_t v = ip[dense ? static_cast<int64_t>(b) : at[b]];
      if (t.size < 0) {
        adv[b] += v;
        continue;
      }
      TG_CHECK(v >= -t.size && v < t.size,
               "{}: index {} is out of bounds for dimension {} with size {} (index tensor {} indexes dim {} of shape "
               "{})",
               fn, v, t.ordinal, t.size, t.ordinal, t.dim, to_string(sizes));
      adv[b] += (v < 0 ? v + t.size : v) * t.stride;
    }
  }
  const std::vector<int64_t> pre = element_offsets(pre_sizes, pre_strides);
  const std::vector<int64_t> post = element_offsets(post_sizes, post_strides);
  int64_t* o = impl_of(out).data<int64_t>();
  for (int64_t p : pre)
    for (int64_t a : adv) {
      const int64_t base = offset + p + a;
      for (int64_t q : post) *o++ = base + q;
    }
  return out;
}

Tensor take(const Tensor& self, const Tensor& offsets) {
  const TensorImpl& si = impl_of(self);
  const TensorImpl& oi = impl_of(offsets);
  Tensor out = make_empty(oi.sizes, si.dtype);
  dispatch_all(si.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* sp = static_cast<const T*>(si.storage->data);
    const int64_t* op = oi.data<int64_t>();
    T* o = impl_of(out).data<T>();
    for (int64_t k = 0; k < oi.numel; ++k) o[k] = sp[op[k]];
  });
  return out;
}

void put(const Tensor& dst, const Tensor& offsets, const Tensor& values, bool accumulate) {
  const TensorImpl& di = impl_of(dst);
  const TensorImpl& oi = impl_of(offsets);
  Tensor v = make_empty(oi.sizes, di.dtype);
  copy_into(v, values);  // broadcast and converted
  dispatch_all(di.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* dp = static_cast<T*>(di.storage->data);
    const int64_t* op = oi.data<int64_t>();
    const T* vp = impl_of(v).data<T>();
    if (accumulate) {
      for (int64_t k = 0; k < oi.numel; ++k) dp[op[k]] = static_cast<T>(dp[op[k]] + vp[k]);
    } else {
      for (int64_t k = 0; k < oi.numel; ++k) dp[op[k]] = vp[k];
    }
  });
}

}  // namespace kernels
}  // namespace tg
