#pragma once
// gather / scatter along a dim, the true positions of a mask, and the element offsets of advanced indexing. No
// autograd; src/ops/indexing.cpp and src/ops/tensor_index.cpp check the shapes.
#include <vector>

#include "core/tensor_impl.h"

namespace tg {
namespace kernels {

// out[i][j] = self[i][index[i][j]] (for dim = 1), out of index's shape. Indices are checked
// against self's size along dim (negative ones count from the end); `fn` names the op in errors.
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index, const char* fn);
// A contiguous copy of self with out[i][index[i][j]] = src[i][j] (or += when `add`), for dim = 1.
// index must not be larger than src in any dim; src is read as self's dtype.
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, bool add, const char* fn);
// A contiguous copy of self with value written at every position index names.
Tensor scatter_value(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, const char* fn);
// The offsets sum_j coord_j * strides[j] of the true elements of `mask` (row-major order): int64 [count].
Tensor mask_offsets(const Tensor& mask, const Shape& strides);

// One term of an offset in advanced indexing: an int64 tensor of the indices' broadcast shape (any strides: the op
// passes it expanded) whose values times `stride` add to the offset. A term from an int64 index tensor is checked
// against `size` (a negative value counts from the end) and named in errors as the `ordinal`-th index tensor, on dim
// `dim`; a term from a bool mask holds offsets already (mask_offsets; size < 0: no check, stride 1).
struct IndexTerm {
  Tensor index;
  int64_t stride = 1;
  int64_t size = -1;
  int64_t ordinal = 0;
  int64_t dim = 0;
};
// Advanced indexing (x[i0, i1, ...] with index tensors): the storage offset of every element of the result. The
// indexed tensor has the geometry (sizes, strides, offset), and `dims` (increasing) are the dims the terms index.
// The result's dims are the tensor's other dims with bshape (the indices' broadcast shape) in the place of the
// indexed ones when these are consecutive, and in front otherwise (numpy's rule). Out-of-range indices raise
// PyTorch's message, in which "dimension j" is the j-th index tensor; `fn` names the op.
Tensor advanced_offsets(const Shape& sizes, const Shape& strides, int64_t offset, const std::vector<int64_t>& dims,
                        const std::vector<IndexTerm>& terms, const Shape& bshape, const char* fn);
// The elements of self's storage at `offsets` (int64, contiguous): a new tensor of offsets' shape and self's dtype.
Tensor take(const Tensor& self, const Tensor& offsets);
// Writes `values` (broadcast to offsets' shape, converted to dst's dtype) into dst's storage at `offsets` (int64,
// contiguous); adds them instead when `accumulate` (duplicate offsets then sum). Does not bump the version.
void put(const Tensor& dst, const Tensor& offsets, const Tensor& values, bool accumulate);

}  // namespace kernels
}  // namespace tg
