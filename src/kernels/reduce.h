#pragma once
// Reduction kernels: sums over dims, max / min (of everything, or along a dim with indices),
// all / any, and elementwise comparison of two tensors. No autograd.
#include <utility>

#include "core/tensor_impl.h"

namespace tg {
namespace kernels {

// Sums x over the dims d with mask[d] into a new tensor of shape `out_keep` (x's shape with the
// reduced dims set to 1). x's dtype is the accumulation dtype (numeric, not bool).
Tensor sum(const Tensor& x, const bool* mask, const Shape& out_keep);
// The maximum (is_max) or minimum of all elements of a non-empty x, as a 0-dim tensor; NaN wins.
Tensor max_all(const Tensor& x, bool is_max);
// Values and indices (int64) of the first maximum (minimum) along `dim` (wrapped, of nonzero
// size; 0 for a 0-dim x); NaN wins. The dim is kept with size 1 when keepdim.
std::pair<Tensor, Tensor> max_dim(const Tensor& x, int64_t dim, bool keepdim, bool is_max);
// True when every / any element is nonzero.
bool all(const Tensor& x);
bool any(const Tensor& x);
// Elementwise |a - b| <= atol + rtol |b| for two tensors of the same shape (as torch.allclose).
bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan);
// The same values, element by element (same shape).
bool equal(const Tensor& a, const Tensor& b);

}  // namespace kernels
}  // namespace tg
