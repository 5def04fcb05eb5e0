// Shape ops. Views (view, reshape of a contiguous tensor, permute, transpose, unsqueeze, squeeze,
// select, narrow, expand) share storage with their input; their backward rules map the gradient
// back to the input's shape.
#include <numeric>

#include "kernels/copy.h"
#include "ops/op_util.h"

namespace tg {

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


// A view of self with new geometry and node `node`, whose rule reshapes the gradient back.
Tensor view_with(const Tensor& self, const Shape& sizes, const Shape& strides, int64_t offset, const char* node) {
  Tensor out = make_view(self, sizes, strides, offset);
  record(node, out, inputs(self), [](auto& c) { return c.grad().reshape(c.input_sizes(0)); });
  return out;
}

Tensor contiguous_view(const Tensor& self, const Shape& shape, const char* node) {
  return view_with(self, shape, contiguous_strides(shape), impl_of(self).offset, node);
}

}  // namespace

Tensor Tensor::alias() const {
  const TensorImpl& si = checked(*this, "alias");
  Tensor out = make_view(*this, si.sizes, si.strides, si.offset);
  record("AliasBackward0", out, inputs(*this), [](auto& c) { return c.grad(); });
  return out;
}

Tensor unsafe_view(const Tensor& self, IntArrayRef shape) {
  return contiguous_view(self, infer_size(shape, impl_of(self).numel, "_unsafe_view"), "UnsafeViewBackward0");
}

Tensor Tensor::view(IntArrayRef shape) const {
  const TensorImpl& si = impl_of(*this);
  Shape s = infer_size(shape, si.numel, "view");
  TG_CHECK(si.is_contiguous(),
           "view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
           "contiguous subspaces). Use .reshape(...) instead. (input {} with strides {}, view {})",
           to_string(si.sizes), to_string(si.strides), to_string(s));
  return contiguous_view(*this, s, "ViewBackward0");
}

// As libtorch: a view when the input is contiguous (ReshapeAliasBackward0), else a copy viewed in
// the new shape (CloneBackward0, then UnsafeViewBackward0).
Tensor Tensor::reshape(IntArrayRef shape) const {
  const TensorImpl& si = impl_of(*this);
  Shape s = infer_size(shape, si.numel, "reshape");
  if (s == si.sizes) return *this;
  if (si.is_contiguous()) return contiguous_view(*this, s, "ReshapeAliasBackward0");
  return contiguous_view(clone(), s, "UnsafeViewBackward0");
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
Tensor permute_impl(const Tensor& self, IntArrayRef dims, const char* node) {
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
  record(node, out, inputs(self), [inverse](auto& c) { return c.grad().permute(inverse); });
  return out;
}
}  // namespace

Tensor Tensor::permute(IntArrayRef dims) const { return permute_impl(*this, dims, "PermuteBackward0"); }
Tensor permute(const Tensor& t, IntArrayRef dims) { return t.permute(dims); }

Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const {
  int64_t nd = dim();
  if (nd == 0) {
    maybe_wrap_dim(dim0, nd, "transpose");
    maybe_wrap_dim(dim1, nd, "transpose");
    return permute_impl(*this, IntArrayRef(), "TransposeBackward0");
  }
  int64_t a = maybe_wrap_dim(dim0, nd, "transpose"), b = maybe_wrap_dim(dim1, nd, "transpose");
  Shape perm(nd);
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[a], perm[b]);
  return permute_impl(*this, perm, "TransposeBackward0");
}
Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1) { return t.transpose(dim0, dim1); }

Tensor Tensor::t() const {
  int64_t nd = dim();
  TG_CHECK(nd <= 2, "t() expects a tensor with <= 2 dimensions, but self is {}D (shape {})", nd, to_string(sizes()));
  if (nd < 2) return permute_impl(*this, nd == 1 ? IntArrayRef({0}) : IntArrayRef(), "TBackward0");
  return permute_impl(*this, {1, 0}, "TBackward0");
}

// ---- unsqueeze / squeeze --------------------------------------------------------------------

namespace {
struct Geometry {
  Shape sizes, strides;
};

Geometry unsqueezed(const TensorImpl& si, int64_t d) {
  Geometry g{si.sizes, si.strides};
  const int64_t nd = static_cast<int64_t>(si.sizes.size());
  d = maybe_wrap_dim(d, nd + 1, "unsqueeze");
  int64_t st = d < nd ? si.sizes[d] * si.strides[d] : 1;
  g.sizes.insert(d, 1);
  g.strides.insert(d, st);
  return g;
}

Geometry squeezed(const TensorImpl& si, std::optional<int64_t> dim) {
  Geometry g;
  const int64_t nd = static_cast<int64_t>(si.sizes.size());
  if (!dim) {
    for (int64_t i = 0; i < nd; ++i)
      if (si.sizes[i] != 1) {
        g.sizes.push_back(si.sizes[i]);
        g.strides.push_back(si.strides[i]);
      }
    return g;
  }
  const int64_t d = maybe_wrap_dim(*dim, nd, "squeeze");
  g = {si.sizes, si.strides};
  if (nd > 0 && si.sizes[d] == 1) {
    g.sizes.erase(d);
    g.strides.erase(d);
  }
  return g;
}

// Changes self's geometry in place (a view op applied to self itself), with node `node` as its
// new grad_fn when recording: libtorch's squeeze_ / unsqueeze_.
void restride_(Tensor& self, const Geometry& g, const char* node) {
  TensorImpl& si = impl_of(self);
  const bool recording = GradMode::is_enabled() && si.requires_grad_any();
  TG_CHECK(!(recording && si.requires_grad && !si.grad_fn),
           "{}: a leaf Variable that requires grad is being used in an in-place operation. (shape {})", node,
           to_string(si.sizes));
  // The old self (same data, old geometry, old place in the graph) is the new node's input.
  Tensor old = recording ? self.detach() : Tensor();
  if (recording) {
    TensorImpl& oi = impl_of(old);
    oi.grad_fn = si.grad_fn;
    oi.output_nr = si.output_nr;
  }
  si.sizes = g.sizes;
  si.strides = g.strides;
  si.numel = g.sizes.numel();
  if (recording) {
    autograd::release_node(std::move(si.grad_fn));
    record(node, self, inputs(old), [](auto& c) { return c.grad().reshape(c.input_sizes(0)); });
  }
}
}  // namespace

Tensor Tensor::unsqueeze(int64_t d) const {
  Geometry g = unsqueezed(impl_of(*this), d);
  return view_with(*this, g.sizes, g.strides, impl_of(*this).offset, "UnsqueezeBackward0");
}
Tensor unsqueeze(const Tensor& t, int64_t dim) { return t.unsqueeze(dim); }

Tensor Tensor::squeeze() const {
  Geometry g = squeezed(impl_of(*this), std::nullopt);
  return view_with(*this, g.sizes, g.strides, impl_of(*this).offset, "SqueezeBackward0");
}
Tensor Tensor::squeeze(int64_t d) const {
  Geometry g = squeezed(impl_of(*this), d);
  return view_with(*this, g.sizes, g.strides, impl_of(*this).offset, "SqueezeBackward1");
}
Tensor squeeze(const Tensor& t) { return t.squeeze(); }
Tensor squeeze(const Tensor& t, int64_t dim) { return t.squeeze(dim); }

Tensor& Tensor::unsqueeze_(int64_t d) {
  restride_(*this, unsqueezed(impl_of(*this), d), "UnsqueezeBackward1");
  return *this;
}
Tensor& Tensor::squeeze_() {
  restride_(*this, squeezed(impl_of(*this), std::nullopt), "SqueezeBackward2");
  return *this;
}
Tensor& Tensor::squeeze_(int64_t d) {
  restride_(*this, squeezed(impl_of(*this), d), "SqueezeBackward3");
  return *this;
}

// libtorch's resize_: new sizes with contiguous strides at the same storage offset, the storage grown when it is too
// small (for every tensor on it, as PyTorch does). The version goes up when the shape changes (libtorch's does not),
// so that a backward that saved this tensor before the resize fails instead of reading the new shape.
const Tensor& Tensor::resize_(IntArrayRef size) const {
  TensorImpl& si = const_cast<TensorImpl&>(checked(*this, "resize_"));
  TG_CHECK(!si.requires_grad_any(), "resize_: cannot resize variables that require grad (shape {}, dtype {})",
           to_string(si.sizes), dtype_name(si.dtype));
  for (int64_t s : size)
    TG_CHECK(s >= 0, "resize_: Trying to create tensor with negative dimension {}: {}", s, to_string(size));
  if (IntArrayRef(si.sizes).equals(size)) return *this;
  const Shape sizes(size);
  const size_t needed = static_cast<size_t>(si.offset + sizes.numel()) * tg::element_size(si.dtype);
  si.storage->grow(needed);
  si.sizes = sizes;
  si.strides = contiguous_strides(sizes);
  si.numel = sizes.numel();
  si.bump_version();
  return *this;
}

// ---- select / narrow -------------------------------------------------------------------------

namespace {
// The gradient of a slice: zeros of the input's shape with `grad` written into the slice. A
// differentiable op: its own gradient takes the same slice of the incoming gradient.
Tensor slice_backward(const Tensor& grad, IntArrayRef sizes, int64_t dim, int64_t start, int64_t length,
                      bool is_select, int64_t step = 1) {
  Tensor out = zeros(sizes, grad.dtype());
  const TensorImpl& oi = impl_of(out);
  Shape s = oi.sizes, st = oi.strides;
  if (is_select) {
    s.erase(dim);
    st.erase(dim);
  } else {
    s[dim] = length;
    st[dim] *= step;
  }
  kernels::copy_into(make_view(out, s, st, start * oi.strides[dim]), grad);
  record(is_select ? "SelectBackwardBackward0" : "SliceBackwardBackward0", out, inputs(grad),
         [dim, start, length, is_select, step](auto& c) {
           return is_select ? c.grad().select(dim, start)
                            : c.grad().slice(dim, start, start + (length - 1) * step + 1, step);
         });
  return out;
}
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
  record("SelectBackward0", out, inputs(*this),
         [d, index](auto& c) { return slice_backward(c.grad(), c.input_sizes(0), d, index, 1, true); });
  return out;
}
Tensor select(const Tensor& t, int64_t dim, int64_t index) { return t.select(dim, index); }

Tensor Tensor::slice(int64_t d, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step) const {
  const TensorImpl& si = checked(*this, "slice");
  const int64_t nd = static_cast<int64_t>(si.sizes.size());
  TG_CHECK(nd > 0, "slice() cannot be applied to a 0-dim tensor.");
  TG_CHECK(step > 0, "slice step must be positive (got {}, shape {})", step, to_string(si.sizes));
  d = maybe_wrap_dim(d, nd, "slice");
  const int64_t size = si.sizes[d];
  // Python's rules: negative positions count from the end, and both ends are clamped to [0, size].
  auto clamp = [size](int64_t v) {
    if (v < 0) v += size;
    return v < 0 ? 0 : (v > size ? size : v);
  };
  const int64_t b = start ? clamp(*start) : 0;
  const int64_t e = end ? std::max(clamp(*end), b) : size;
  const int64_t length = (e - b + step - 1) / step;
  Shape sizes = si.sizes, strides = si.strides;
  sizes[d] = length;
  strides[d] *= step;
  Tensor out = make_view(*this, sizes, strides, si.offset + b * si.strides[d]);
  record("SliceBackward0", out, inputs(*this), [d, b, length, step](auto& c) {
    return slice_backward(c.grad(), c.input_sizes(0), d, b, length, false, step);
  });
  return out;
}

// chunk / split / unbind: views made with narrow and select, so each piece has its own node
// (libtorch gives all pieces one SplitBackward0 / UnbindBackward0 node; the gradients are the same).
std::vector<Tensor> Tensor::split_with_sizes(IntArrayRef split_sizes, int64_t d) const {
  const TensorImpl& si = checked(*this, "split_with_sizes");
  TG_CHECK(si.sizes.size() > 0, "split_with_sizes: expected a tensor with at least one dimension (shape [])");
  d = maybe_wrap_dim(d, static_cast<int64_t>(si.sizes.size()), "split_with_sizes");
  int64_t total = 0;
  for (int64_t n : split_sizes) {
    TG_CHECK(n >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={}",
             to_string(split_sizes));
    total += n;
  }
  TG_CHECK(total == si.sizes[d],
           "split_with_sizes expects split_sizes to sum exactly to {} (input tensor's size at dimension {}), but got "
           "split_sizes={}",
           si.sizes[d], d, to_string(split_sizes));
  std::vector<Tensor> pieces;
  int64_t start = 0;
  for (int64_t n : split_sizes) {
    pieces.push_back(narrow(d, start, n));
    start += n;
  }
  return pieces;
}

std::vector<Tensor> Tensor::split(int64_t split_size, int64_t d) const {
  const TensorImpl& si = checked(*this, "split");
  TG_CHECK(si.sizes.size() > 0, "split expects at least a 1-dimensional tensor (shape [])");
  d = maybe_wrap_dim(d, static_cast<int64_t>(si.sizes.size()), "split");
  const int64_t size = si.sizes[d];
  TG_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size={}", split_size);
  TG_CHECK(split_size > 0 || size == 0, "split_size can only be 0 if dimension size is 0, but got dimension size of {}",
           size);
  Shape sizes;
  for (int64_t start = 0; start < size; start += split_size) sizes.push_back(std::min(split_size, size - start));
  if (size == 0) sizes.push_back(0);
  return split_with_sizes(sizes, d);
}

std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t d) const {
  const TensorImpl& si = checked(*this, "chunk");
  TG_CHECK(si.sizes.size() > 0, "chunk expects at least a 1-dimensional tensor");
  TG_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: {}", chunks);
  d = maybe_wrap_dim(d, static_cast<int64_t>(si.sizes.size()), "chunk");
  const int64_t size = si.sizes[d];
  return split(size == 0 ? 0 : (size + chunks - 1) / chunks, d);
}

std::vector<Tensor> Tensor::unbind(int64_t d) const {
  const TensorImpl& si = checked(*this, "unbind");
  TG_CHECK(si.sizes.size() > 0, "Dimension specified as 0 but tensor has no dimensions");
  d = maybe_wrap_dim(d, static_cast<int64_t>(si.sizes.size()), "unbind");
  std::vector<Tensor> pieces;
  for (int64_t i = 0; i < si.sizes[d]; ++i) pieces.push_back(select(d, i));
  return pieces;
}

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
  record("SliceBackward0", out, inputs(*this),
         [d, start, length](auto& c) { return slice_backward(c.grad(), c.input_sizes(0), d, start, length, false); });
  return out;
}
Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length) { return t.narrow(dim, start, length); }

// ---- expand --------------------------------------------------------------------------------

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
  // the engine sums the gradient back to the input's shape
  record("ExpandBackward0", out, inputs(*this), [](auto& c) { return c.grad(); });
  return out;
}

// ---- copies: contiguous, clone, to -------------------------------------------------------------

Tensor Tensor::clone() const {
  Tensor out = kernels::contiguous_copy(*this);
  record("CloneBackward0", out, inputs(*this), [](auto& c) { return c.grad(); });
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
  // only to a floating dtype is differentiable; the engine casts the gradient back
  if (tg::is_floating_point(dtype)) record("ToCopyBackward0", out, inputs(*this), [](auto& c) { return c.grad(); });
  return out;
}

Tensor Tensor::to(Device device, ScalarType dtype, bool non_blocking, bool copy) const {
  check_cpu(device, "to");
  return to(dtype, non_blocking, copy);
}
Tensor Tensor::to(Device device, bool /*non_blocking*/, bool copy) const {
  check_cpu(device, "to");
  return copy ? clone() : *this;
}
Tensor Tensor::cuda() const {
  check_cpu(Device(kCUDA), "cuda");
  return *this;
}

// ---- cat / stack --------------------------------------------------------------------------------

namespace {
// Checks the tensors of a cat along `dim` (the result's dim) and returns the result's shape and dtype.
std::pair<Shape, ScalarType> joined(const TensorList& tensors, int64_t dim, int64_t nd, bool stacking, const char* fn) {
  const Tensor& first = tensors[0];
  Shape out_sizes = impl_of(first).sizes;
  if (stacking) out_sizes.insert(dim, 0);
  ScalarType rt = first.dtype();
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    TG_CHECK(t.defined(), "{}: tensor {} is undefined", fn, i);
    if (stacking) {
      TG_CHECK(t.sizes().equals(first.sizes()),
               "stack expects each tensor to be equal size, but got {} at entry 0 and {} at entry {}",
               to_string(first.sizes()), to_string(t.sizes()), i);
      total += 1;
    } else {
      TG_CHECK(t.dim() == nd, "cat: Tensors must have same number of dimensions: got {} and {} (tensor 0 has shape {}, "
               "tensor {} has shape {})", nd, t.dim(), to_string(first.sizes()), i, to_string(t.sizes()));
      for (int64_t d = 0; d < nd; ++d)
        TG_CHECK(d == dim || t.size(d) == out_sizes[d],
                 "cat: Sizes of tensors must match except in dimension {}. Expected size {} but got size {} for tensor "
                 "number {} in the list (shapes {} and {})",
                 dim, out_sizes[d], t.size(d), i, to_string(first.sizes()), to_string(t.sizes()));
      total += t.size(dim);
    }
    rt = promote_types(rt, t.dtype());
  }
  out_sizes[dim] = total;
  return {out_sizes, rt};
}

// Copies the parts into `out` one after the other along dim (each a slice of length 1 when stacking).
void copy_parts(const Tensor& out, const TensorList& tensors, int64_t dim, bool stacking) {
  const TensorImpl& oi = impl_of(out);
  int64_t off = 0;
  for (const auto& t : tensors) {
    Shape s = oi.sizes, st = oi.strides;
    const int64_t len = stacking ? 1 : t.size(dim);
    if (stacking) {
      s.erase(dim);
      st.erase(dim);
    } else {
      s[dim] = len;
    }
    kernels::copy_into(make_view(out, s, st, off * oi.strides[dim]), t);
    off += len;
  }
}
}  // namespace

Tensor cat(const TensorList& tensors, int64_t dim) {
  TG_CHECK(!tensors.empty(), "cat: expected a non-empty list of Tensors");
  const int64_t nd = tensors[0].dim();
  TG_CHECK(nd > 0, "cat: zero-dimensional tensor (at position 0) cannot be concatenated");
  dim = maybe_wrap_dim(dim, nd, "cat");
  auto [shape, rt] = joined(tensors, dim, nd, false, "cat");
  Tensor out = make_empty(shape, rt);
  copy_parts(out, tensors, dim, false);
  std::vector<int64_t> lengths;
  for (const auto& t : tensors) lengths.push_back(t.size(dim));
  // each input's gradient is its slice of the output's
  record("CatBackward0", out, inputs(tensors), [dim, lengths](auto& c) {
    Grads r(lengths.size());
    int64_t off = 0;
    for (size_t i = 0; i < lengths.size(); ++i) {
      if (c.needs(i)) r[i] = c.grad().narrow(dim, off, lengths[i]);
      off += lengths[i];
    }
    return r;
  });
  return out;
}

Tensor stack(const TensorList& tensors, int64_t dim) {
  TG_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
  const int64_t nd = tensors[0].dim();
  dim = maybe_wrap_dim(dim, nd + 1, "stack");
  auto [shape, rt] = joined(tensors, dim, nd, true, "stack");
  Tensor out = make_empty(shape, rt);
  copy_parts(out, tensors, dim, true);
  // each input's gradient is its entry of the output's along dim
  record("StackBackward0", out, inputs(tensors), [dim](auto& c) {
    Grads r(c.num_inputs());
    for (size_t i = 0; i < r.size(); ++i)
      if (c.needs(i)) r[i] = c.grad().select(dim, static_cast<int64_t>(i));
    return r;
  });
  return out;
}

}  // namespace tg
