#pragma once
// Matrix products on Eigen's GEMM. No autograd; shapes and dtypes are checked by src/ops/linalg.cpp.
#include "core/tensor_impl.h"

namespace tg {
namespace kernels {

// [n, k] x [k, m] -> a new contiguous [n, m]; a and b have the same numeric dtype, any strides.
Tensor mm(const Tensor& a, const Tensor& b);
// [B, n, k] x [B, k, m] -> a new contiguous [B, n, m].
Tensor bmm(const Tensor& a, const Tensor& b);

}  // namespace kernels
}  // namespace tg
