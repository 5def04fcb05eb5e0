// gather / scatter / scatter_add / index_select / index_add, each with its backward rule.
#include "kernels/copy.h"
#include "core/dispatch.h"
#include "ops/op_util.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

namespace {

void check_index(const Tensor& self, int64_t dim, const Tensor& index, const char* fn) {
  TG_CHECK(index.dtype() == kInt64, "{}(): Expected dtype int64 for index, got {}", fn, dtype_name(index.dtype()));
  TG_CHECK(index.dim() == self.dim() || (self.dim() == 0 && index.dim() <= 1),
           "{}: Index tensor must have the same number of dimensions as input tensor (input {}, index {})", fn,
           to_string(self.sizes()), to_string(index.sizes()));
  for (int64_t d = 0; d < index.dim(); ++d)
    TG_CHECK(d == dim || index.size(d) <= self.size(d),
             "{}: Size does not match at dimension {} expected index {} to be smaller than self {} apart from "
             "dimension {}", fn, d, to_string(index.sizes()), to_string(self.sizes()), dim);
}

// For every element of `index` (any shape), calls f(index_linear, self_offset_with_dim_replaced).
template <typename F>
void for_each_index(const TensorImpl& self, const TensorImpl& index, int64_t dim, const char* fn, F&& f) {
  const int64_t* ip = index.data<int64_t>();
  Tensor dummy;
  int64_t nd = static_cast<int64_t>(index.sizes.size());
  int64_t dim_size = self.sizes.empty() ? 1 : self.sizes[dim];
  int64_t coord[kMaxDims] = {};
  for (int64_t k = 0; k < index.numel; ++k) {
    int64_t ioff = 0, soff = 0;
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

Tensor gather_kernel(const Tensor& self, int64_t dim, const Tensor& index) {
  const TensorImpl& si = impl_of(self);
  Tensor out = make_empty(impl_of(index).sizes, si.dtype);
  dispatch_all(si.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* sp = si.data<T>();
    T* o = impl_of(out).data<T>();
    for_each_index(si, impl_of(index), dim, "gather", [&](int64_t k, const int64_t*, int64_t soff) { o[k] = sp[soff]; });
  });
  return out;
}

// out = self (copied); out[index] (op)= src
Tensor scatter_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, bool add, const char* fn) {
  Tensor out = kernels::contiguous_copy(self);
  const TensorImpl& oi = impl_of(out);
  const TensorImpl& ii = impl_of(index);
  Tensor s = src.dtype() == oi.dtype ? src : src.to(oi.dtype);
  const TensorImpl& si = impl_of(s);
  for (int64_t d = 0; d < index.dim(); ++d)
    TG_CHECK(ii.sizes[d] <= (si.sizes.empty() ? 1 : si.sizes[d]),
             "{}: Expected index {} to be smaller than src {} at dimension {}", fn, to_string(ii.sizes),
             to_string(si.sizes), d);
  dispatch_all(oi.dtype, [&](auto tag) {
    using T = decltype(tag);
    T* o = oi.data<T>();
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

struct GatherBackward : Node {
  SavedVariable index_;
  Shape self_sizes;
  int64_t dim = 0;
  variable_list apply(variable_list&& g) override {
    return {scatter_add(zeros(self_sizes, g[0].dtype()), dim, index_.unpack(), g[0])};
  }
  void release_variables() override { index_.reset(); }
  std::string name() const override { return "GatherBackward"; }
};

struct ScatterBackward : Node {
  SavedVariable index_;
  int64_t dim = 0;
  bool add = false;
  InputMeta src_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    Tensor idx = index_.unpack();
    if (should_compute_output(0)) r[0] = add ? g[0] : scatter(g[0], dim, idx, 0.0);
    if (should_compute_output(1)) {
      Tensor gs = gather(g[0], dim, idx);
      // src may be larger than index: pad the gradient with zeros to src's shape. The padding is
      // a differentiable cat (not a raw copy), so that create_graph sees gs's dependence on g.
      for (int64_t d = 0; d < gs.dim(); ++d) {
        int64_t missing = src_meta.sizes[d] - gs.size(d);
        if (missing <= 0) continue;
        Shape pad = impl_of(gs).sizes;
        pad[d] = missing;
        gs = cat({gs, zeros(pad, gs.dtype())}, d);
      }
      r[1] = gs;
    }
    return r;
  }
  void release_variables() override { index_.reset(); }
  std::string name() const override { return add ? "ScatterAddBackward" : "ScatterBackward"; }
};

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  dim = maybe_wrap_dim(dim, self.dim(), "gather");
  check_index(self, dim, index, "gather");
  Tensor out = gather_kernel(self, dim, index);
  if (compute_requires_grad(self)) {
    auto n = record<GatherBackward>(out, self);
    n->index_ = SavedVariable(index, false);
    n->self_sizes = impl_of(self).sizes;
    n->dim = dim;
  }
  return out;
}

static Tensor scatter_impl(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, bool add) {
  const char* fn = add ? "scatter_add" : "scatter";
  dim = maybe_wrap_dim(dim, self.dim(), fn);
  check_index(self, dim, index, fn);
  TG_CHECK(src.dim() == index.dim() || src.dim() == 0, "{}: Index tensor must have the same number of dimensions as src "
           "tensor (index {}, src {})", fn, to_string(index.sizes()), to_string(src.sizes()));
  Tensor s = src.dim() == 0 ? src.expand(index.sizes()) : src;
  Tensor out = scatter_kernel(self, dim, index, s, add, fn);
  if (compute_requires_grad(self, src)) {
    auto n = record<ScatterBackward>(out, self, s);
    n->index_ = SavedVariable(index, false);
    n->dim = dim;
    n->add = add;
    n->src_meta = InputMeta(s);
  }
  return out;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_impl(self, dim, index, src, false);
}
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  return scatter_impl(self, dim, index, scalar_to_tensor(value, self.dtype()), false);
}
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_impl(self, dim, index, src, true);
}

// ---- index_select / index_add ---------------------------------------------------------------------

namespace {
Tensor expand_index(const Tensor& index, const Tensor& like, int64_t dim) {
  // an index of like's shape (with index.numel() entries along dim) for gather / scatter
  Shape view_shape(static_cast<size_t>(like.dim()), 1), target = impl_of(like).sizes;
  view_shape[dim] = index.numel();
  target[dim] = index.numel();
  return index.reshape(view_shape).expand(target);
}

struct IndexSelectBackward : Node {
  SavedVariable index_;
  Shape self_sizes;
  int64_t dim = 0;
  variable_list apply(variable_list&& g) override {
    return {index_add(zeros(self_sizes, g[0].dtype()), dim, index_.unpack(), g[0])};
  }
  void release_variables() override { index_.reset(); }
  std::string name() const override { return "IndexSelectBackward"; }
};
}  // namespace

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  dim = maybe_wrap_dim(dim, self.dim(), "index_select");
  TG_CHECK(index.dtype() == kInt64 && index.dim() <= 1,
           "index_select(): Expected a 1-D int64 index, got {}", describe(index));
  Tensor idx = expand_index(index.reshape({-1}), self, dim);
  Tensor out;
  {
    NoGradGuard ng;
    // gather needs index sizes <= self sizes off dim; expand the other dims to self's sizes
    out = gather_kernel(self, dim, kernels::contiguous_copy(idx));
  }
  if (index.dim() == 0 && self.dim() > 0) {
    Shape s = impl_of(out).sizes;
    s.erase(dim);
    out = make_view(out, s, contiguous_strides(s), 0);
  }
  if (compute_requires_grad(self)) {
    auto n = record<IndexSelectBackward>(out, self);
    n->index_ = SavedVariable(index.reshape({-1}), false);
    n->self_sizes = impl_of(self).sizes;
    n->dim = dim;
  }
  return out;
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  dim = maybe_wrap_dim(dim, self.dim(), "index_add");
  TG_CHECK(index.dtype() == kInt64 && index.dim() <= 1, "index_add(): Expected a 1-D int64 index, got {}",
           describe(index));
  Tensor src = source.dim() == self.dim() ? source : source.unsqueeze(dim);
  Tensor idx = kernels::contiguous_copy(expand_index(index.reshape({-1}), src, dim));
  return scatter_add(self, dim, idx, src);
}

}  // namespace tg
