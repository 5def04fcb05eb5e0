#pragma once
// gather / scatter along a dim, and the true positions of a mask. No autograd; src/ops/indexing.cpp checks the shapes.
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
// The positions (row-major, flattened) where the bool tensor `mask` is true: int64 [count].
Tensor nonzero_flat(const Tensor& mask);

}  // namespace kernels
}  // namespace tg
