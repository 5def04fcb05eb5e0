#pragma once
#include "core/tensor_impl.h"

namespace tg {
namespace kernels {
// Writes src (broadcast to dst's shape, converted to dst's dtype) into dst, any strides. No autograd.
void copy_into(const Tensor& dst, const Tensor& src);
// Fills every element of dst with v. No autograd.
void fill(const Tensor& dst, const Scalar& v);
// A contiguous copy of t (converted to `dtype`). No autograd.
Tensor contiguous_copy(const Tensor& t, ScalarType dtype);
inline Tensor contiguous_copy(const Tensor& t) { return contiguous_copy(t, impl_of(t).dtype); }
// t itself when contiguous and of `dtype`, else a contiguous copy. No autograd.
Tensor as_contiguous(const Tensor& t, ScalarType dtype);
inline Tensor as_contiguous(const Tensor& t) { return as_contiguous(t, impl_of(t).dtype); }
}  // namespace kernels
}  // namespace tg
