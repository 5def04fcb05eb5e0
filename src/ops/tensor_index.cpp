// Python-style indexing, x.index({...}) and x.index_put_({...}, v) (tensorgrad/indexing.h): each
// entry becomes one of the differentiable view / selection ops, so the gradient needs no rule of
// its own.
#include <algorithm>
#include <cstring>

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

// The number of dims of self that the entries name (all but None, booleans and "...").
int64_t dims_named(const std::vector<TensorIndex>& idx) {
  int64_t n = 0;
  for (const auto& i : idx) {
    if (i.kind() == Kind::Integer || i.kind() == Kind::Slice) ++n;
    if (i.kind() == Kind::Tensor) n += i.tensor().dtype() == kBool ? i.tensor().dim() : 1;
  }
  return n;
}

// self indexed by a tensor along dims [dim, dim + k): an int64 tensor picks along dim (its shape
// replaces that dim), a bool mask over those k dims picks the true positions (one dim of them).
Tensor index_with_tensor(const Tensor& self, int64_t dim, const Tensor& index) {
  const TensorImpl& si = impl_of(self);
  if (index.dtype() == kBool) {
    const int64_t k = index.dim();
    TG_CHECK(dim + k <= self.dim(), "index: too many indices for tensor of dimension {} (shape {}, mask {})",
             self.dim(), to_string(si.sizes), describe(index));
    for (int64_t j = 0; j < k; ++j)
      TG_CHECK(index.size(j) == si.sizes[dim + j],
               "The shape of the mask {} at index {} does not match the shape of the indexed tensor {} at index {}",
               to_string(index.sizes()), j, to_string(si.sizes), dim + j);
    Shape merged;
    for (int64_t d = 0; d < dim; ++d) merged.push_back(si.sizes[d]);
    merged.push_back(index.numel());
    for (int64_t d = dim + k; d < self.dim(); ++d) merged.push_back(si.sizes[d]);
    return self.reshape(merged).index_select(dim, kernels::nonzero_flat(index));
  }
  TG_CHECK(index.dtype() == kInt64, "index: tensors used as indices must be long or bool tensors, got {}",
           describe(index));
  TG_CHECK(dim < self.dim(), "index: too many indices for tensor of dimension {} (shape {})", self.dim(),
           to_string(si.sizes));
  Tensor picked = self.index_select(dim, index.reshape({-1}));
  Shape sizes;
  for (int64_t d = 0; d < dim; ++d) sizes.push_back(si.sizes[d]);
  for (int64_t d = 0; d < index.dim(); ++d) sizes.push_back(index.size(d));
  for (int64_t d = dim + 1; d < self.dim(); ++d) sizes.push_back(si.sizes[d]);
  return picked.reshape(sizes);
}

Tensor apply_index(const Tensor& self, const std::vector<TensorIndex>& idx) {
  checked(self, "index");
  const int64_t named = dims_named(idx);
  const auto ellipses =
      std::count_if(idx.begin(), idx.end(), [](const TensorIndex& i) { return i.kind() == Kind::Ellipsis; });
  TG_CHECK(ellipses <= 1, "index: an index can only have a single ellipsis ('...')");
  TG_CHECK(named <= self.dim(), "index: too many indices for tensor of dimension {} (shape {})", self.dim(),
           to_string(self.sizes()));
  const auto tensors =
      std::count_if(idx.begin(), idx.end(), [](const TensorIndex& i) { return i.kind() == Kind::Tensor; });
  TG_CHECK(tensors <= 1,
           "index: tensorgrad supports one tensor among the indices, got {} (indexing with several tensors, which "
           "libtorch broadcasts together, is not supported)",
           tensors);
  Tensor r = self;
  int64_t dim = 0;
  for (const auto& i : idx) {
    switch (i.kind()) {
      case Kind::Ellipsis:
        dim += self.dim() - named;
        break;
      case Kind::None:
        r = r.unsqueeze(dim++);
        break;
      case Kind::Boolean:
        r = r.unsqueeze(dim);
        if (!i.boolean()) r = r.narrow(dim, 0, 0);
        ++dim;
        break;
      case Kind::Integer: {
        const int64_t size = r.size(dim);
        TG_CHECK(i.integer() >= -size && i.integer() < size,
                 "index {} is out of bounds for dimension {} with size {} (shape {})", i.integer(), dim, size,
                 to_string(r.sizes()));
        r = r.select(dim, i.integer());
        break;
      }
      case Kind::Slice:
        r = r.slice(dim, i.slice().start(), i.slice().stop(), i.slice().step());
        ++dim;
        break;
      case Kind::Tensor: {
        const Tensor& t = i.tensor();
        TG_CHECK(t.defined(), "index: an index tensor is undefined");
        r = index_with_tensor(r, dim, t);
        dim += t.dtype() == kBool ? 1 : t.dim();
        break;
      }
    }
  }
  return r;
}

// x.index_put_(indices, value): the indexed part of x overwritten with value.
template <typename V> Tensor& apply_index_put(Tensor& self, const std::vector<TensorIndex>& idx, const V& value) {
  checked(self, "index_put_");
  // x[mask] = v with a mask of x's shape: masked_fill_ / a where(), recorded as in-place ops are
  if (idx.size() == 1 && idx[0].kind() == Kind::Tensor && idx[0].tensor().dtype() == kBool &&
      idx[0].tensor().sizes().equals(self.sizes())) {
    if constexpr (std::is_same<V, Scalar>::value) {
      return self.masked_fill_(idx[0].tensor(), value);
    } else {
      TG_CHECK(value.numel() == 1, "index_put_: with a mask, the value must have one element (tensorgrad), got {}",
               describe(value));
      return self.copy_(where(idx[0].tensor(), value.reshape(IntArrayRef()).to(self.dtype()), self));
    }
  }
  for (const auto& i : idx)
    TG_CHECK(i.kind() != Kind::Tensor,
             "index_put_: tensor indices are supported only as a single bool mask of the tensor's shape (got index {}, "
             "tensor {})",
             describe(i.tensor()), describe(self));
  Tensor part = apply_index(self, idx);  // a view of self: writing into it writes into self
  if constexpr (std::is_same<V, Scalar>::value) {
    part.fill_(value);
  } else {
    part.copy_(value);
  }
  return self;
}

}  // namespace

Tensor Tensor::index(std::initializer_list<indexing::TensorIndex> indices) const {
  return apply_index(*this, std::vector<indexing::TensorIndex>(indices));
}
Tensor Tensor::index(const std::vector<indexing::TensorIndex>& indices) const { return apply_index(*this, indices); }

Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value) {
  return apply_index_put(*this, std::vector<indexing::TensorIndex>(indices), value);
}
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& value) {
  return apply_index_put(*this, std::vector<indexing::TensorIndex>(indices), value);
}
Tensor& Tensor::index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& value) {
  return apply_index_put(*this, indices, value);
}
Tensor& Tensor::index_put_(const std::vector<indexing::TensorIndex>& indices, const Scalar& value) {
  return apply_index_put(*this, indices, value);
}

}  // namespace tg
