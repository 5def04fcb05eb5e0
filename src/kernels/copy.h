#pragma once
#include <cstdint>
#include <type_traits>

#include "core/tensor_impl.h"

namespace tg {
namespace kernels {
// The scalar `s` as the C++ type T of a tensor's elements (for kernels that take a Scalar operand
// instead of a 0-dim tensor, which would cost an allocation per call).
template <typename T>
T scalar_as(const Scalar& s) {
  if constexpr (std::is_same<T, bool>::value) return s.to_bool();
  else if constexpr (std::is_integral<T>::value) return static_cast<T>(s.to<int64_t>());  // wraps to T's width
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

// Kernels compute in float32, float64, int64 or bool. A tensor of another dtype (float16,
// bfloat16, the narrower integers) is read as its compute_type() and each kernel's result is
// converted back once, at the entry point below: rounded to float16 / bfloat16 or wrapped to the
// integer's width, as PyTorch's CPU kernels do (docs/architecture.md, "Dtypes").
inline bool needs_compute_cast(ScalarType t) { return compute_type(t) != t; }
inline Tensor to_compute(const Tensor& t) { return contiguous_copy(t, compute_type(impl_of(t).dtype)); }
inline Tensor from_compute(const Tensor& t, ScalarType dtype) {
  return impl_of(t).dtype == dtype ? t : contiguous_copy(t, dtype);
}

}  // namespace kernels
}  // namespace tg
