// gather / scatter / scatter_add / index_select / index_add: shape checks, the kernel
// (kernels/index.cpp) and the declared backward of each.
#include "kernels/copy.h"
#include "kernels/index.h"
#include "ops/op_util.h"

namespace tg {

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

// The gradient of scatter's src: the incoming gradient gathered at the index, then padded with
// zeros to src's shape (src may be larger than index). The padding is a differentiable cat, so
// that create_graph sees its dependence on the gradient.
Tensor src_grad(const Tensor& g, int64_t dim, const Tensor& index, IntArrayRef src_sizes) {
  Tensor gs = gather(g, dim, index);
  for (int64_t d = 0; d < gs.dim(); ++d) {
    const int64_t missing = src_sizes[d] - gs.size(d);
    if (missing <= 0) continue;
    Shape pad = impl_of(gs).sizes;
    pad[d] = missing;
    gs = cat({gs, zeros(pad, gs.dtype())}, d);
  }
  return gs;
}

Tensor scatter_impl(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, bool add) {
  const char* fn = add ? "scatter_add" : "scatter";
  dim = maybe_wrap_dim(dim, self.dim(), fn);
  check_index(self, dim, index, fn);
  TG_CHECK(src.dim() == index.dim() || src.dim() == 0, "{}: Index tensor must have the same number of dimensions as src "
           "tensor (index {}, src {})", fn, to_string(index.sizes()), to_string(src.sizes()));
  Tensor s = src.dim() == 0 ? src.expand(index.sizes()) : src;
  Tensor out = kernels::scatter(self, dim, index, s, add, fn);
  // d/dself: g (scatter_add), or g with the overwritten places zeroed (scatter); d/dsrc: g at the index
  record(add ? "ScatterAddBackward0" : "ScatterBackward0", out, inputs(self, s), save(index), [dim, add](auto& c) -> Grads {
    Tensor idx = c.saved(0);
    Grads r(2);
    if (c.needs(0)) r[0] = add ? c.grad() : scatter(c.grad(), dim, idx, 0.0);
    if (c.needs(1)) r[1] = src_grad(c.grad(), dim, idx, c.input_sizes(1));
    return r;
  });
  return out;
}

// An index of like's shape (with index.numel() entries along dim) for gather / scatter.
Tensor expand_index(const Tensor& index, const Tensor& like, int64_t dim) {
  Shape view_shape(static_cast<size_t>(like.dim()), 1), target = impl_of(like).sizes;
  view_shape[dim] = index.numel();
  target[dim] = index.numel();
  NoGradGuard no_grad;
  return kernels::contiguous_copy(index.reshape(view_shape).expand(target));
}

void check_index_1d(const Tensor& index, const char* fn) {
  TG_CHECK(index.dtype() == kInt64 && index.dim() <= 1, "{}(): Expected a 1-D int64 index, got {}", fn,
           describe(index));
}

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  dim = maybe_wrap_dim(dim, self.dim(), "gather");
  check_index(self, dim, index, "gather");
  Tensor out = kernels::gather(self, dim, index, "gather");
  // the gradient is added back at the places it was read from
  record("GatherBackward0", out, inputs(self), save(index), [dim](auto& c) {
    return scatter_add(zeros(c.input_sizes(0), c.grad().dtype()), dim, c.saved(0), c.grad());
  });
  return out;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_impl(self, dim, index, src, false);
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  dim = maybe_wrap_dim(dim, self.dim(), "scatter");
  check_index(self, dim, index, "scatter");
  Tensor out = kernels::scatter_value(self, dim, index, value, "scatter");
  // the overwritten places get no gradient
  record("ScatterBackward1", out, inputs(self), save(index),
         [dim](auto& c) { return scatter(c.grad(), dim, c.saved(0), 0.0); });
  return out;
}

Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_impl(self, dim, index, src, true);
}

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  dim = maybe_wrap_dim(dim, self.dim(), "index_select");
  check_index_1d(index, "index_select");
  Tensor flat = index.reshape({-1});
  Tensor out = kernels::gather(self, dim, expand_index(flat, self, dim), "index_select");
  if (index.dim() == 0 && self.dim() > 0) {
    Shape s = impl_of(out).sizes;
    s.erase(dim);
    impl_of(out).sizes = s;
    impl_of(out).strides = contiguous_strides(s);
  }
  // the gradient is added back at the selected positions
  record("IndexSelectBackward0", out, inputs(self), save(flat), [dim](auto& c) {
    return index_add(zeros(c.input_sizes(0), c.grad().dtype()), dim, c.saved(0), c.grad());
  });
  return out;
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  dim = maybe_wrap_dim(dim, self.dim(), "index_add");
  check_index_1d(index, "index_add");
  Tensor flat = index.reshape({-1});
  Tensor src = source.dim() == self.dim() ? source : source.unsqueeze(dim);
  Tensor out = kernels::scatter(self, dim, expand_index(flat, src, dim), src, true, "index_add");
  // d/dself = g; d/dsource = g at the index
  record("IndexAddBackward0", out, inputs(self, source), save(flat), [dim](auto& c) -> Grads {
    Grads r(2);
    if (c.needs(0)) r[0] = c.grad();
    if (c.needs(1)) r[1] = c.grad().index_select(dim, c.saved(0)).reshape(c.input_sizes(1));
    return r;
  });
  return out;
}

}  // namespace tg
