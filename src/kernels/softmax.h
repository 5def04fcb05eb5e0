#pragma once
// softmax and log_softmax along a dim (the maximum of each slice is subtracted first). No autograd.
#include "core/tensor_impl.h"

namespace tg {
namespace kernels {

// A new tensor of x's shape (floating x; dim wrapped, or 0 for a 0-dim x).
Tensor softmax(const Tensor& x, int64_t dim, bool log);

}  // namespace kernels
}  // namespace tg
