// Shape ops. Views (reshape of a contiguous tensor, permute, transpose, unsqueeze, squeeze,
// select, narrow, expand) share storage with their input; their backward rules map the gradient
// back to the input's shape.
#include <numeric>

#include "kernels/copy.h"
#include "ops/op_util.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

namespace {

Shape infer_size(IntArrayRef shape, int64_t numel, const char* fn) {
  Shape out(shape);
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      TG_CHECK(infer < 0, "{}: only one dimension can be inferred (shape {})", fn, to_string(shape));
      infer = static_cast<int64_t>(i);
    } else {
      TG_CHECK(out[i] >= 0, "{}: invalid shape dimension {} in {}", fn, out[i], to_string(shape));
      known *= out[i];
    }
  }
  if (infer >= 0) {
    TG_CHECK(known != 0 && numel % known == 0, "{}: shape '{}' is invalid for input of size {}", fn, to_string(shape),
             numel);
    out[infer] = numel / known;
  } else {
    TG_CHECK(known == numel, "{}: shape '{}' is invalid for input of size {}", fn, to_string(shape), numel);
  }
  return out;
}

struct ViewBackward : Node {
  Shape self_sizes;
  const char* label = "ViewBackward";
  variable_list apply(variable_list&& g) override { return {g[0].reshape(self_sizes)}; }
  std::string name() const override { return label; }
};

Tensor view_impl(const Tensor& self, const Shape& shape, const char* label) {
  const TensorImpl& si = impl_of(self);
  Tensor out = make_view(self, shape, contiguous_strides(shape), si.offset);
  if (compute_requires_grad(self)) {
    auto n = record<ViewBackward>(out, self);
    n->self_sizes = si.sizes;
    n->label = label;
  }
  return out;
}

}  // namespace

Tensor Tensor::view(IntArrayRef shape) const {
  const TensorImpl& si = impl_of(*this);
  Shape s = infer_size(shape, si.numel, "view");
  TG_CHECK(si.is_contiguous(),
           "view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
           "contiguous subspaces). Use .reshape(...) instead. (input {} with strides {}, view {})",
           to_string(si.sizes), to_string(si.strides), to_string(s));
  return view_impl(*this, s, "ViewBackward");
}

Tensor Tensor::reshape(IntArrayRef shape) const {
  const TensorImpl& si = impl_of(*this);
  Shape s = infer_size(shape, si.numel, "reshape");
  if (s == si.sizes) return *this;
  if (si.is_contiguous()) return view_impl(*this, s, "ViewBackward");
  return view_impl(contiguous(), s, "ViewBackward");
}
Tensor reshape(const Tensor& t, IntArrayRef shape) { return t.reshape(shape); }

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  int64_t nd = dim();
  if (nd == 0) return reshape({1});
  int64_t s = maybe_wrap_dim(start_dim, nd, "flatten"), e = maybe_wrap_dim(end_dim, nd, "flatten");
  TG_CHECK(s <= e, "flatten() has invalid args: start_dim ({}) cannot come after end_dim ({})", start_dim, end_dim);
  const Shape& in = impl_of(*this).sizes;
  Shape out;
  for (int64_t i = 0; i < s; ++i) out.push_back(in[i]);
  int64_t m = 1;
  for (int64_t i = s; i <= e; ++i) m *= in[i];
  out.push_back(m);
  for (int64_t i = e + 1; i < nd; ++i) out.push_back(in[i]);
  return reshape(out);
}
Tensor flatten(const Tensor& t, int64_t start_dim, int64_t end_dim) { return t.flatten(start_dim, end_dim); }

// ---- permute / transpose -------------------------------------------------------------------

namespace {
struct PermuteBackward : Node {
  Shape inverse;
  const char* label = "PermuteBackward";
  variable_list apply(variable_list&& g) override { return {g[0].permute(inverse)}; }
  std::string name() const override { return label; }
};

Tensor permute_impl(const Tensor& self, IntArrayRef dims, const char* label) {
  const TensorImpl& si = impl_of(self);
  int64_t nd = static_cast<int64_t>(si.sizes.size());
  TG_CHECK(static_cast<int64_t>(dims.size()) == nd,
           "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired "
           "ordering of dimensions i.e. input.dim() = {} is not equal to len(dims) = {}",
           nd, dims.size());
  Shape sizes(nd), strides(nd), inverse(nd);
  bool seen[kMaxDims] = {};
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = maybe_wrap_dim(dims[i], nd, "permute");
    TG_CHECK(!seen[d], "permute: repeated dim {} in {}", dims[i], to_string(dims));
    seen[d] = true;
    sizes[i] = si.sizes[d];
    strides[i] = si.strides[d];
    inverse[d] = i;
  }
  Tensor out = make_view(self, sizes, strides, si.offset);
  if (compute_requires_grad(self)) {
    auto n = record<PermuteBackward>(out, self);
    n->inverse = inverse;
    n->label = label;
  }
  return out;
}
}  // namespace

Tensor Tensor::permute(IntArrayRef dims) const { return permute_impl(*this, dims, "PermuteBackward"); }
Tensor permute(const Tensor& t, IntArrayRef dims) { return t.permute(dims); }

Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const {
  int64_t nd = dim();
  if (nd == 0) {
    maybe_wrap_dim(dim0, nd, "transpose");
    maybe_wrap_dim(dim1, nd, "transpose");
    return permute_impl(*this, IntArrayRef(), "TransposeBackward");
  }
  int64_t a = maybe_wrap_dim(dim0, nd, "transpose"), b = maybe_wrap_dim(dim1, nd, "transpose");
  Shape perm(nd);
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[a], perm[b]);
  return permute_impl(*this, perm, "TransposeBackward");
}
Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1) { return t.transpose(dim0, dim1); }

Tensor Tensor::t() const {
  int64_t nd = dim();
  TG_CHECK(nd <= 2, "t() expects a tensor with <= 2 dimensions, but self is {}D (shape {})", nd, to_string(sizes()));
  if (nd < 2) return permute_impl(*this, nd == 1 ? IntArrayRef({0}) : IntArrayRef(), "TBackward");
  return permute_impl(*this, {1, 0}, "TBackward");
}

// ---- unsqueeze / squeeze --------------------------------------------------------------------

namespace {
struct ReshapeAliasBackward : Node {
  Shape self_sizes;
  const char* label = "";
  variable_list apply(variable_list&& g) override { return {g[0].reshape(self_sizes)}; }
  std::string name() const override { return label; }
};

Tensor restride(const Tensor& self, const Shape& sizes, const Shape& strides, const char* label) {
  const TensorImpl& si = impl_of(self);
  Tensor out = make_view(self, sizes, strides, si.offset);
  if (compute_requires_grad(self)) {
    auto n = record<ReshapeAliasBackward>(out, self);
    n->self_sizes = si.sizes;
    n->label = label;
  }
  return out;
}
}  // namespace

Tensor Tensor::unsqueeze(int64_t d) const {
  const TensorImpl& si = impl_of(*this);
  int64_t nd = static_cast<int64_t>(si.sizes.size());
  d = maybe_wrap_dim(d, nd + 1, "unsqueeze");
  Shape sizes = si.sizes, strides = si.strides;
  int64_t st = d < nd ? si.sizes[d] * si.strides[d] : 1;
  sizes.insert(d, 1);
  strides.insert(d, st);
  return restride(*this, sizes, strides, "UnsqueezeBackward");
}
Tensor unsqueeze(const Tensor& t, int64_t dim) { return t.unsqueeze(dim); }

Tensor Tensor::squeeze() const {
  const TensorImpl& si = impl_of(*this);
  Shape sizes, strides;
  for (size_t i = 0; i < si.sizes.size(); ++i)
    if (si.sizes[i] != 1) {
      sizes.push_back(si.sizes[i]);
      strides.push_back(si.strides[i]);
    }
  return restride(*this, sizes, strides, "SqueezeBackward");
}
Tensor Tensor::squeeze(int64_t d) const {
  const TensorImpl& si = impl_of(*this);
  int64_t nd = static_cast<int64_t>(si.sizes.size());
  d = maybe_wrap_dim(d, nd, "squeeze");
  if (nd == 0 || si.sizes[d] != 1) return restride(*this, si.sizes, si.strides, "SqueezeBackward");
  Shape sizes = si.sizes, strides = si.strides;
  sizes.erase(d);
  strides.erase(d);
  return restride(*this, sizes, strides, "SqueezeBackward");
}
Tensor squeeze(const Tensor& t) { return t.squeeze(); }
Tensor squeeze(const Tensor& t, int64_t dim) { return t.squeeze(dim); }

// ---- select / narrow -------------------------------------------------------------------------

namespace {
// The gradient of a slice: zeros of the input's shape with `grad` written into the slice.
// A differentiable op: its own gradient takes the same slice of the incoming gradient.
struct SliceBackwardBackward : Node {
  int64_t dim = 0, start = 0, length = 1;
  bool is_select = false;
  variable_list apply(variable_list&& gg) override {
    return {is_select ? gg[0].select(dim, start) : gg[0].narrow(dim, start, length)};
  }
  std::string name() const override { return is_select ? "SelectBackwardBackward" : "SliceBackwardBackward"; }
};

Tensor slice_backward(const Tensor& grad, const Shape& sizes, int64_t dim, int64_t start, int64_t length,
                      bool is_select) {
  Tensor out = zeros(sizes, grad.dtype());
  Tensor dst;
  {
    // the slice of `out` to write into
    const TensorImpl& oi = impl_of(out);
    Shape s = oi.sizes, st = oi.strides;
    int64_t off = start * st[dim];
    if (is_select) {
      s.erase(dim);
      st.erase(dim);
    } else {
      s[dim] = length;
    }
    dst = make_view(out, s, st, off);
  }
  kernels::copy_into(dst, grad);
  if (compute_requires_grad(grad)) {
    auto n = record<SliceBackwardBackward>(out, grad);
    n->dim = dim;
    n->start = start;
    n->length = length;
    n->is_select = is_select;
  }
  return out;
}

struct SliceBackward : Node {
  Shape self_sizes;
  int64_t dim = 0, start = 0, length = 1;
  bool is_select = false;
  variable_list apply(variable_list&& g) override {
    return {slice_backward(g[0], self_sizes, dim, start, length, is_select)};
  }
  std::string name() const override { return is_select ? "SelectBackward" : "SliceBackward"; }
};
}  // namespace

Tensor Tensor::select(int64_t d, int64_t index) const {
  const TensorImpl& si = impl_of(*this);
  int64_t nd = static_cast<int64_t>(si.sizes.size());
  TG_CHECK(nd > 0, "select() cannot be applied to a 0-dim tensor.");
  d = maybe_wrap_dim(d, nd, "select");
  int64_t size = si.sizes[d];
  TG_CHECK(index >= -size && index < size,
           "select(): index {} out of range for tensor of size {} at dimension {}", index, to_string(si.sizes), d);
  if (index < 0) index += size;
  Shape sizes = si.sizes, strides = si.strides;
  sizes.erase(d);
  strides.erase(d);
  Tensor out = make_view(*this, sizes, strides, si.offset + index * si.strides[d]);
  if (compute_requires_grad(*this)) {
    auto n = record<SliceBackward>(out, *this);
    n->self_sizes = si.sizes;
    n->dim = d;
    n->start = index;
    n->is_select = true;
  }
  return out;
}
Tensor select(const Tensor& t, int64_t dim, int64_t index) { return t.select(dim, index); }

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  const TensorImpl& si = impl_of(*this);
  int64_t nd = static_cast<int64_t>(si.sizes.size());
  TG_CHECK(nd > 0, "narrow() cannot be applied to a 0-dim tensor.");
  d = maybe_wrap_dim(d, nd, "narrow");
  int64_t size = si.sizes[d];
  TG_CHECK(start >= -size && start <= size, "narrow(): start ({}) out of range for dimension {} of size {} (shape {})",
           start, d, size, to_string(si.sizes));
  if (start < 0) start += size;
  TG_CHECK(length >= 0 && start + length <= size,
           "narrow(): start ({}) + length ({}) exceeds dimension size ({}) of dimension {} (shape {})", start, length,
           size, d, to_string(si.sizes));
  Shape sizes = si.sizes;
  sizes[d] = length;
  Tensor out = make_view(*this, sizes, si.strides, si.offset + start * si.strides[d]);
  if (compute_requires_grad(*this)) {
    auto n = record<SliceBackward>(out, *this);
    n->self_sizes = si.sizes;
    n->dim = d;
    n->start = start;
    n->length = length;
  }
  return out;
}
Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length) { return t.narrow(dim, start, length); }

// ---- expand --------------------------------------------------------------------------------

namespace {
struct ExpandBackward : Node {
  Shape self_sizes;
  variable_list apply(variable_list&& g) override { return {sum_to(g[0], self_sizes)}; }
  std::string name() const override { return "ExpandBackward"; }
};
}  // namespace

Tensor Tensor::expand(IntArrayRef size) const {
  const TensorImpl& si = impl_of(*this);
  size_t nd = size.size(), ns = si.sizes.size();
  TG_CHECK(nd >= ns,
           "expand: the number of sizes provided ({}) must be greater or equal to the number of dimensions in the "
           "tensor ({}) (shape {}, requested {})",
           nd, ns, to_string(si.sizes), to_string(size));
  Shape sizes(nd), strides(nd);
  for (size_t i = 0; i < nd; ++i) {
    int64_t want = size[i];
    if (i < nd - ns) {
      TG_CHECK(want >= 0, "expand: the expanded size of the tensor ({}) isn't allowed in a leading, non-existing "
               "dimension {} (shape {}, requested {})", want, i, to_string(si.sizes), to_string(size));
      sizes[i] = want;
      strides[i] = 0;
      continue;
    }
    size_t j = i - (nd - ns);
    int64_t have = si.sizes[j];
    if (want == -1) want = have;
    TG_CHECK(have == want || have == 1,
             "The expanded size of the tensor ({}) must match the existing size ({}) at non-singleton dimension {}.  "
             "Target sizes: {}.  Tensor sizes: {}",
             want, have, i, to_string(size), to_string(si.sizes));
    sizes[i] = want;
    strides[i] = have == want ? si.strides[j] : 0;
  }
  if (sizes == si.sizes) return *this;
  Tensor out = make_view(*this, sizes, strides, si.offset);
  if (compute_requires_grad(*this)) record<ExpandBackward>(out, *this)->self_sizes = si.sizes;
  return out;
}

// ---- copies: contiguous, clone, to -------------------------------------------------------------

namespace {
struct CloneBackward : Node {
  variable_list apply(variable_list&& g) override { return {g[0]}; }
  std::string name() const override { return "CloneBackward"; }
};
struct ToCopyBackward : Node {
  ScalarType self_dtype = kFloat32;
  variable_list apply(variable_list&& g) override { return {g[0].to(self_dtype)}; }
  std::string name() const override { return "ToCopyBackward"; }
};
}  // namespace

Tensor Tensor::clone() const {
  Tensor out = kernels::contiguous_copy(*this);
  if (compute_requires_grad(*this)) record<CloneBackward>(out, *this);
  return out;
}

Tensor Tensor::contiguous() const {
  if (impl_of(*this).is_contiguous()) return *this;
  return clone();
}

Tensor Tensor::to(ScalarType dtype, bool /*non_blocking*/, bool copy) const {
  const TensorImpl& si = impl_of(*this);
  if (dtype == si.dtype) return copy ? clone() : *this;
  Tensor out = kernels::contiguous_copy(*this, dtype);
  if (tg::is_floating_point(dtype) && compute_requires_grad(*this)) record<ToCopyBackward>(out, *this)->self_dtype = si.dtype;
  return out;
}

// ---- cat / stack --------------------------------------------------------------------------------

namespace {
struct CatBackward : Node {
  int64_t dim = 0;
  std::vector<int64_t> sizes;  // along dim
  std::vector<ScalarType> dtypes;
  variable_list apply(variable_list&& g) override {
    variable_list r(sizes.size());
    int64_t off = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (should_compute_output(i)) {
        Tensor gi = g[0].narrow(dim, off, sizes[i]);
        r[i] = gi.dtype() == dtypes[i] ? gi : gi.to(dtypes[i]);
      }
      off += sizes[i];
    }
    return r;
  }
  std::string name() const override { return "CatBackward"; }
};
}  // namespace

Tensor cat(const TensorList& tensors, int64_t dim) {
  TG_CHECK(!tensors.empty(), "cat: expected a non-empty list of Tensors");
  const Tensor& first = tensors[0];
  int64_t nd = first.dim();
  TG_CHECK(nd > 0, "cat: zero-dimensional tensor (at position 0) cannot be concatenated");
  dim = maybe_wrap_dim(dim, nd, "cat");
  ScalarType rt = first.dtype();
  Shape out_sizes = impl_of(first).sizes;
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    TG_CHECK(t.defined(), "cat: tensor {} is undefined", i);
    TG_CHECK(t.dim() == nd, "cat: Tensors must have same number of dimensions: got {} and {} (tensor 0 has shape {}, "
             "tensor {} has shape {})", nd, t.dim(), to_string(first.sizes()), i, to_string(t.sizes()));
    for (int64_t d = 0; d < nd; ++d)
      TG_CHECK(d == dim || t.size(d) == out_sizes[d],
               "cat: Sizes of tensors must match except in dimension {}. Expected size {} but got size {} for tensor "
               "number {} in the list (shapes {} and {})",
               dim, out_sizes[d], t.size(d), i, to_string(first.sizes()), to_string(t.sizes()));
    total += t.size(dim);
    rt = promote_types(rt, t.dtype());
  }
  out_sizes[dim] = total;
  Tensor out = make_empty(out_sizes, rt);
  const TensorImpl& oi = impl_of(out);
  int64_t off = 0;
  for (const auto& t : tensors) {
    Shape s = oi.sizes;
    s[dim] = t.size(dim);
    kernels::copy_into(make_view(out, s, oi.strides, off * oi.strides[dim]), t);
    off += t.size(dim);
  }
  if (autograd::compute_requires_grad_list(tensors)) {
    auto n = std::make_shared<CatBackward>();
    autograd::collect_next_edges_list(*n, tensors);
    n->dim = dim;
    for (const auto& t : tensors) {
      n->sizes.push_back(t.size(dim));
      n->dtypes.push_back(t.dtype());
    }
    autograd::set_history(out, n);
  }
  return out;
}

Tensor stack(const TensorList& tensors, int64_t dim) {
  TG_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
  int64_t nd = tensors[0].dim();
  dim = maybe_wrap_dim(dim, nd + 1, "stack");
  TensorList parts;
  parts.reserve(tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    TG_CHECK(tensors[i].sizes().equals(tensors[0].sizes()),
             "stack expects each tensor to be equal size, but got {} at entry 0 and {} at entry {}",
             to_string(tensors[0].sizes()), to_string(tensors[i].sizes()), i);
    parts.push_back(tensors[i].unsqueeze(dim));
  }
  return cat(parts, dim);
}

}  // namespace tg
