// Python-style indexing, x.index({...}) and x.index_put_({...}, v) (tensorgrad/indexing.h), libtorch's tensor-list
// forms index(self, {t0, t1}) / index_put(self, {t0, t1}, v, accumulate), and masked_select.
//
// Note [Advanced indexing]
// An index is applied in two steps, as in PyTorch. The basic entries (integers, slices, None, "...") become views of
// self; every tensor entry is recorded with the dim of that view it indexes: an int64 tensor indexes one dim, a bool
// mask of k dims stands for the k index tensors of its nonzero() coordinates, and a bool (a scalar or a 0-dim bool
// tensor) is a new dim of size 1 indexed by [0] (true) or by an empty index (false), as in libtorch. The index
// tensors are then broadcast together, and the result takes the view's other dims with the broadcast shape in the
// place of the indexed dims when these are consecutive, in front otherwise (numpy's rule; kernels::advanced_offsets
// computes the storage offset of every element of the result). An integer, or a 0-dim int64 tensor, is a select()
// in the first step, as in libtorch's TensorIndex path; in the tensor-list form (index(self, {...})), each entry is
// one dim and a 0-dim int64 tensor is an index tensor, as in aten::index. The entries after a mask of several dims
// index the dims after the mask's (numpy's rule; PyTorch applies them one dim after the mask's first dim,
// pytorch/pytorch#71673).
//
// Reading (index, masked_select) takes the elements at those offsets into a new tensor (IndexBackward0,
// MaskedSelectBackward0: the gradient is added back at the positions read). Writing (index_put_, index_put) writes
// the values, broadcast to the indexed shape, at the positions: in place straight into the storage when no graph is
// recorded; otherwise out of place into a copy of self (IndexPutBackward0), which the in-place form makes self's new
// value with inplace_with_history (Note [In-place ops and autograd]). Every backward is written with index_add,
// index_select and scatter, so second derivatives come from their own rules.
#include <algorithm>
#include <cstring>

#include "kernels/copy.h"
#include "kernels/index.h"
#include "ops/op_util.h"
#include "tensorgrad/indexing.h"

namespace tg {

namespace indexing {
TensorIndex::TensorIndex(const char* s) : kind_(Kind::Ellipsis) {
  TG_CHECK(s != nullptr && std::strcmp(s, "...") == 0, "index: the only string an index accepts is \"...\", got \"{}\"",
           s ? s : "(null)");
}
}  // namespace indexing

namespace {

using indexing::TensorIndex;
using Kind = TensorIndex::Kind;

// The first step of Note [Advanced indexing]: self with the basic entries applied (a view), and the advanced
// entries in order, each with the first dim of `view` it indexes: an int64 index tensor (one dim), or a bool mask
// (mask.dim() dims; its nonzero() coordinates are not materialised: kernels::mask_offsets gives their offsets).
struct Indexed {
  struct Entry {
    int64_t dim;
    Tensor index;
    bool mask;
  };
  Tensor view;
  std::vector<Entry> entries;
  bool single_mask() const { return entries.size() == 1 && entries[0].mask; }
};

// [0] for true, an empty index for false: a bool index of a new dim of size 1.
Tensor bool_index(bool b) { return b ? zeros({1}, kInt64) : zeros({0}, kInt64); }

// Records a bool mask indexing dims [dim, dim + k) of `view`.
void add_mask(Indexed& r, int64_t dim, const Tensor& mask) {
  const TensorImpl& vi = impl_of(r.view);
  const int64_t k = mask.dim();
  TG_CHECK(dim + k <= r.view.dim(), "index: too many indices for tensor of dimension {} (shape {}, mask {})",
           r.view.dim(), to_string(vi.sizes), describe(mask));
  for (int64_t j = 0; j < k; ++j)
    TG_CHECK(mask.size(j) == vi.sizes[dim + j],
             "The shape of the mask {} at index {} does not match the shape of the indexed tensor {} at index {}",
             to_string(mask.sizes()), j, to_string(vi.sizes), dim + j);
  r.entries.push_back({dim, mask, true});
}

void check_index_dtype(const Tensor& t, const char* fn) {
  TG_CHECK(t.dtype() == kInt64 || t.dtype() == kBool,
           "{}: tensors used as indices must be long or bool tensors, got {}", fn, describe(t));
}

// The TensorIndex form (x.index({Slice(), idx, 0})).
Indexed apply_entries(const Tensor& self, const std::vector<TensorIndex>& idx) {
  checked(self, "index");
  int64_t named = 0;  // the dims of self that the entries name (all but None, booleans and "...")
  int ellipses = 0;
  for (const auto& i : idx) {
    if (i.kind() == Kind::Integer || i.kind() == Kind::Slice) ++named;
    if (i.kind() == Kind::Ellipsis) ++ellipses;
    if (i.kind() == Kind::Tensor) {
      const Tensor& t = i.tensor();
      TG_CHECK(t.defined(), "index: an index tensor is undefined");
      check_index_dtype(t, "index");
      named += t.dtype() == kBool ? t.dim() : 1;
    }
  }
  TG_CHECK(ellipses <= 1, "index: an index can only have a single ellipsis ('...')");
  TG_CHECK(named <= self.dim(), "index: too many indices for tensor of dimension {} (shape {})", self.dim(),
           to_string(self.sizes()));
  Indexed r;
  r.view = self;
  int64_t dim = 0;
  for (const auto& i : idx) {
    switch (i.kind()) {
      case Kind::Ellipsis:
        dim += self.dim() - named;
        break;
      case Kind::None:
        r.view = r.view.unsqueeze(dim++);
        break;
      case Kind::Boolean:
        r.view = r.view.unsqueeze(dim);
        r.entries.push_back({dim++, bool_index(i.boolean()), false});
        break;
      case Kind::Integer: {
        const int64_t size = r.view.size(dim);
        TG_CHECK(i.integer() >= -size && i.integer() < size,
                 "index {} is out of bounds for dimension {} with size {} (shape {})", i.integer(), dim, size,
                 to_string(r.view.sizes()));
        r.view = r.view.select(dim, i.integer());
        break;
      }
      case Kind::Slice:
        r.view = r.view.slice(dim, i.slice().start(), i.slice().stop(), i.slice().step());
        ++dim;
        break;
      case Kind::Tensor: {
        const Tensor& t = i.tensor();
        if (t.dtype() == kBool && t.dim() == 0) {
          r.view = r.view.unsqueeze(dim);
          r.entries.push_back({dim++, bool_index(t.item<bool>()), false});
        } else if (t.dtype() == kBool) {
          add_mask(r, dim, t);
          dim += t.dim();
        } else if (t.dim() == 0) {  // libtorch: a 0-dim integer tensor selects, as an integer does
          const int64_t v = t.item<int64_t>(), size = r.view.size(dim);
          TG_CHECK(v >= -size && v < size, "index {} is out of bounds for dimension {} with size {} (shape {})", v, dim,
                   size, to_string(r.view.sizes()));
          r.view = r.view.select(dim, v);
        } else {
          r.entries.push_back({dim++, t, false});
        }
        break;
      }
    }
  }
  return r;
}

// The tensor-list form (index(self, {t0, nullopt, t2})): entry i indexes dim i, nullopt (or an undefined tensor) all
// of it; a bool mask stands for its nonzero() index tensors.
Indexed apply_list(const Tensor& self, const std::vector<std::optional<Tensor>>& list, const char* fn) {
  checked(self, fn);
  int64_t named = 0;
  bool any = false;
  for (const auto& e : list) {
    if (!e || !e->defined()) {
      ++named;
      continue;
    }
    check_index_dtype(*e, fn);
    TG_CHECK(
        !(e->dtype() == kBool && e->dim() == 0),
        "{}: a 0-dim bool tensor is not supported in a list of index tensors (index {}); use the TensorIndex form, "
        "x.index({{true}})",
        fn, describe(self));
    named += e->dtype() == kBool ? e->dim() : 1;
    any = true;
  }
  TG_CHECK(named <= self.dim(), "{}: too many indices for tensor of dimension {} (got {})", fn, self.dim(), named);
  TG_CHECK(any, "{}: the list of indices holds no tensor (indexing {}); at least one index must be a tensor", fn,
           describe(self));
  Indexed r;
  r.view = self;
  int64_t dim = 0;
  for (const auto& e : list) {
    if (!e || !e->defined()) {
      ++dim;
    } else if (e->dtype() == kBool) {
      add_mask(r, dim, *e);
      dim += e->dim();
    } else {
      r.entries.push_back({dim++, *e, false});
    }
  }
  return r;
}

// The broadcast shape of index tensors of these shapes: "shape mismatch: indexing tensors could not be broadcast
// together with shapes [2], [3]" when there is none.
Shape broadcast_indices(const std::vector<Shape>& shapes, const char* fn) {
  Shape b;
  for (const Shape& s : shapes) {
    if (!try_broadcast_shapes(b, s, b)) {
      std::string list;
      for (const Shape& u : shapes) list += (list.empty() ? "" : ", ") + to_string(u);
      TG_ERROR("{}: shape mismatch: indexing tensors could not be broadcast together with shapes {}", fn, list);
    }
  }
  return b;
}

// The storage offsets of the elements of r.view that r's entries index, for a tensor of view's sizes with the given
// strides and offset (view's own, or a contiguous layout's).
Tensor offsets_of(const Indexed& r, const Shape& strides, int64_t offset, const char* fn) {
  NoGradGuard no_grad;
  const Shape& sizes = impl_of(r.view).sizes;
  std::vector<int64_t> dims;
  std::vector<kernels::IndexTerm> terms;
  std::vector<Shape> shapes;  // as PyTorch lists them: a mask of k dims gives k index tensors
  int64_t ordinal = 0;
  for (const auto& e : r.entries) {
    if (e.mask) {
      const int64_t k = e.index.dim();
      Shape s;
      for (int64_t j = 0; j < k; ++j) {
        dims.push_back(e.dim + j);
        s.push_back(strides[e.dim + j]);
      }
      Tensor off = kernels::mask_offsets(e.index, s);
      for (int64_t j = 0; j < k; ++j) shapes.push_back(impl_of(off).sizes);
      terms.push_back({off, 1, -1, ordinal, e.dim});
      ordinal += k;
    } else {
      dims.push_back(e.dim);
      shapes.push_back(impl_of(e.index).sizes);
      terms.push_back({e.index, strides[e.dim], sizes[e.dim], ordinal++, e.dim});
    }
  }
  const Shape b = broadcast_indices(shapes, fn);
  for (auto& t : terms) t.index = t.index.expand(b);
  return kernels::advanced_offsets(sizes, strides, offset, dims, terms, b, fn);
}
Tensor storage_offsets(const Indexed& r, const char* fn) {
  const TensorImpl& vi = impl_of(r.view);
  return offsets_of(r, vi.strides, vi.offset, fn);
}
// The positions (row-major) in a contiguous tensor of view's sizes.
Tensor flat_positions(const Indexed& r, const char* fn) {
  return offsets_of(r, contiguous_strides(impl_of(r.view).sizes), 0, fn);
}

// A copy of self (contiguous) with `values` written (or added) at the flat positions `pos`: IndexPutBackward0.
Tensor put_at(const Tensor& self, const Tensor& pos, const Tensor& values, bool accumulate) {
  Tensor out = kernels::contiguous_copy(self);
  kernels::put(out, pos, values, accumulate);
  // d/dself: g, with the overwritten positions zeroed unless accumulating; d/dvalues: g at the positions (the
  // engine sums it to values' shape)
  record("IndexPutBackward0", out, inputs(self, values), save(pos), [accumulate](auto& c) -> Grads {
    Tensor p = c.saved(0);
    Tensor g = c.grad().reshape({-1});
    Grads r(2);
    if (c.needs(0)) r[0] = accumulate ? c.grad() : scatter(g, 0, p.reshape({-1}), 0.0).view(c.input_sizes(0));
    if (c.needs(1)) r[1] = g.index_select(0, p.reshape({-1})).view(p.sizes());
    return r;
  });
  return out;
}

// A tensor of `sizes`, zeros but for g added at the flat positions pos (g of pos's shape): the backward of a read.
Tensor add_at(const Shape& sizes, const Tensor& pos, const Tensor& g) {
  return put_at(zeros({sizes.numel()}, g.dtype()), pos, g, true).view(sizes);
}

// The second step for reading: the indexed elements of r.view, with IndexBackward0.
Tensor read(const Indexed& r) {
  const TensorImpl& vi = impl_of(r.view);
  Tensor off = storage_offsets(r, "index");
  Tensor out = kernels::take(r.view, off);
  if (autograd::compute_requires_grad(r.view)) {
    Tensor pos;
    if (vi.is_contiguous()) {
      NoGradGuard no_grad;
      pos = vi.offset == 0 ? off : off - vi.offset;
    } else {
      pos = flat_positions(r, "index");
    }
    // the gradient is added back at the positions read: libtorch's index_put(zeros, ..., accumulate = true)
    record("IndexBackward0", out, inputs(r.view), save(pos),
           [](auto& c) { return add_at(c.input_sizes(0), c.saved(0), c.grad()); });
  }
  return out;
}

// values without its leading dims of size 1 (libtorch's set_item does the same: x[0] = v with v of shape [1, 4]).
Tensor strip_leading_ones(const Tensor& values) {
  IntArrayRef s = values.sizes();
  size_t first = 0;
  while (first < s.size() && s[first] == 1) ++first;
  if (first == 0) return values;
  return values.view(IntArrayRef(s.data() + first, s.size() - first));
}

void check_values(const Tensor& self, const Tensor& values, IntArrayRef indexed, const Indexed& r, bool accumulate,
                  const char* fn) {
  TG_CHECK(values.defined(), "{}: the values tensor is undefined", fn);
  IntArrayRef v = values.sizes();
  bool ok = v.size() <= indexed.size();
  for (size_t i = 0; ok && i < v.size(); ++i) {
    const int64_t d = indexed[indexed.size() - v.size() + i];
    ok = v[i] == d || v[i] == 1;
  }
  TG_CHECK(ok, "{}: shape mismatch: value tensor of shape {} cannot be broadcast to indexing result of shape {}", fn,
           to_string(v), to_string(indexed));
  // libtorch: a single mask with one value is a masked_fill_ (any dtype); other tensor indices need equal dtypes
  const bool masked_fill = r.single_mask() && values.numel() == 1 && !accumulate;
  TG_CHECK(r.entries.empty() || masked_fill || values.dtype() == self.dtype(),
           "{}: Index put requires the source and destination dtypes match, got {} for the destination and {} for the "
           "source.",
           fn, dtype_name(self.dtype()), dtype_name(values.dtype()));
}

bool recording(const Tensor& self, const Tensor& values) { return autograd::compute_requires_grad(self, values); }

// Writes values into self at r's positions, straight into the storage (no graph to record).
Tensor& write_direct(Tensor& self, const Indexed& r, const Tensor& values, bool accumulate, const char* fn) {
  check_no_internal_overlap(self, fn);
  const int64_t k = r.single_mask() ? r.entries[0].index.dim() : 0;
  if (k > 0 && values.numel() == 1 && !accumulate && values.dim() <= r.view.dim() - k + 1) {
    // x[mask] = v with one value: libtorch's masked_fill_, the mask broadcast over the view's other dims
    const auto& e = r.entries[0];
    Shape ms(static_cast<size_t>(r.view.dim()), 1);
    for (int64_t j = 0; j < k; ++j) ms[e.dim + j] = e.index.size(j);
    NoGradGuard no_grad;
    kernels::copy_into(r.view, masked_fill(r.view, e.index.view(ms), values.item()));
    impl_of(self).bump_version();
    return self;
  }
  Tensor off = storage_offsets(r, fn);
  check_values(self, values, off.sizes(), r, accumulate, fn);
  kernels::put(self, off, values, accumulate);
  impl_of(self).bump_version();
  return self;
}

// Writes values into self at the entries that `analyse` finds in a tensor of self's shape, recording the graph:
// out of place from a snapshot of self (inplace_with_history), or straight into the storage without a graph.
template <typename Analyse>
Tensor& write(Tensor& self, const Tensor& values, bool accumulate, const char* fn, Analyse&& analyse) {
  check_inplace(self, fn);
  if (!recording(self, values)) return write_direct(self, analyse(self), values, accumulate, fn);
  check_no_internal_overlap(self, fn);
  inplace_with_history(self, fn, [&](const Tensor& old) {
    Indexed r;
    {
      NoGradGuard no_grad;  // the positions only: the node is put_at's
      r = analyse(old);
    }
    // the snapshot is contiguous: its storage offsets are the flat positions put_at writes at
    Tensor pos = storage_offsets(r, fn);
    if (impl_of(old).offset != 0) {
      NoGradGuard no_grad;
      pos = pos - impl_of(old).offset;
    }
    check_values(old, values, pos.sizes(), r, accumulate, fn);
    // y.index_put_(i, y): the values are the snapshot's (as binary_inplace_op does)
    return put_at(old, pos, values.is_same(self) ? old : values, accumulate);
  });
  return self;
}

// x.index_put_({...}, value): libtorch's set_item.
Tensor& apply_index_put(Tensor& self, const std::vector<TensorIndex>& idx, const Tensor& value) {
  checked(self, "index_put_");
  TG_CHECK(value.defined(), "index_put_: the value tensor is undefined");
  Tensor v = strip_leading_ones(value);
  if (!recording(self, v)) {
    Indexed r = apply_entries(self, idx);
    if (!r.entries.empty()) return write_direct(self, r, v, false, "index_put_");
    check_values(self, v, r.view.sizes(), r, false, "index_put_");
    r.view.copy_(v);  // basic entries only: a copy into the view
    return self;
  }
  return write(self, v, false, "index_put_", [&](const Tensor& t) { return apply_entries(t, idx); });
}

}  // namespace

Tensor Tensor::index(std::initializer_list<indexing::TensorIndex> indices) const {
  return index(std::vector<indexing::TensorIndex>(indices));
}
Tensor Tensor::index(const std::vector<indexing::TensorIndex>& indices) const {
  Indexed r = apply_entries(*this, indices);
  return r.entries.empty() ? r.view : read(r);
}
Tensor Tensor::index(const std::vector<std::optional<Tensor>>& indices) const { return tg::index(*this, indices); }

Tensor index(const Tensor& self, const std::vector<std::optional<Tensor>>& indices) {
  return read(apply_list(self, indices, "index"));
}

Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value) {
  return apply_index_put(*this, std::vector<indexing::TensorIndex>(indices), value);
}
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& value) {
  return index_put_(std::vector<indexing::TensorIndex>(indices), value);
}
Tensor& Tensor::index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& value) {
  return apply_index_put(*this, indices, value);
}
Tensor& Tensor::index_put_(const std::vector<indexing::TensorIndex>& indices, const Scalar& value) {
  checked(*this, "index_put_");
  return apply_index_put(*this, indices, scalar_to_tensor(value, dtype()));
}

Tensor& Tensor::index_put_(const std::vector<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  return tg::index_put_(*this, indices, values, accumulate);
}
Tensor Tensor::index_put(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                         bool accumulate) const {
  return tg::index_put(*this, indices, values, accumulate);
}

Tensor& index_put_(Tensor& self, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                   bool accumulate) {
  checked(self, "index_put_");
  return write(self, values, accumulate, "index_put_",
               [&](const Tensor& t) { return apply_list(t, indices, "index_put_"); });
}

Tensor index_put(const Tensor& self, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                 bool accumulate) {
  Indexed r = apply_list(self, indices, "index_put");
  Tensor pos = flat_positions(r, "index_put");
  check_values(self, values, pos.sizes(), r, accumulate, "index_put");
  return put_at(self, pos, values, accumulate);
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  checked(self, "masked_select");
  TG_CHECK(mask.defined() && mask.dtype() == kBool, "masked_select: expected BoolTensor for mask, got {} (self {})",
           mask.defined() ? describe(mask) : "an undefined tensor", describe(self));
  const Shape b = broadcast_shapes(self.sizes(), mask.sizes(), "masked_select");
  const Shape b1 = b.size() == 0 ? Shape({1}) : b;  // a 0-dim pair as one element of one dim
  Indexed r;
  {
    NoGradGuard no_grad;
    r.view = self.reshape(b.size() == 0 ? b1 : Shape(self.sizes())).expand(b1);
    add_mask(r, 0, mask.reshape(b.size() == 0 ? b1 : Shape(mask.sizes())).expand(b1));
  }
  Tensor out = kernels::take(r.view, storage_offsets(r, "masked_select"));
  if (autograd::compute_requires_grad(self)) {
    Tensor pos = flat_positions(r, "masked_select");
    // the gradient goes back to the positions read, in the broadcast shape (the engine sums it to self's)
    record("MaskedSelectBackward0", out, inputs(self), save(pos),
           [b](auto& c) { return add_at(b, c.saved(0), c.grad()); });
  }
  return out;
}

Tensor Tensor::masked_select(const Tensor& mask) const { return tg::masked_select(*this, mask); }

}  // namespace tg
