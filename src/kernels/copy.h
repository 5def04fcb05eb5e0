#pragma once
#include <type_traits>

#include "core/tensor_impl.h"

namespace tg {
namespace kernels {
// The scalar `s` as the C++ type T of a tensor's elements (for kernels that take a Scalar operand
// instead of a 0-dim tensor, which would cost an allocation per call).
template <typename T>
T scalar_as(const Scalar& s) {
  if constexpr (std::is_same<T, bool>::value) return s.to_bool();
  else if constexpr (std::is_same<T, int64_t>::value) return s.to<int64_t>();
  else return static_cast<T>(s.to_double());
}

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
