#pragma once
// nll_loss forward and backward in one pass over the targets. No autograd; src/ops/loss.cpp
// checks shapes and dtypes. The input is read as [N, C, D]: N samples (1 for a 1-D input), C
// classes, and D = the product of the trailing dims (1 for 1-D and 2-D inputs); the targets as
// N * D class indices in row-major order.
#include "core/tensor_impl.h"

namespace tg {
namespace kernels {

struct NllDims {
  int64_t N = 1, C = 1, D = 1;
};

struct NllForward {
  Tensor losses;        // [N * D] of the input's dtype: -weight[t] * x[n, t, d], 0 where ignored
  double total_weight;  // the summed weights of the counted targets
};

// Checks every target (ignore_index, or a class in [0, C): "`fn`: Target 7 is out of bounds").
NllForward nll_forward(const Tensor& x, NllDims dims, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                       const char* fn);

// The gradient w.r.t. the input, of `input_sizes` and `dtype`: -weight[t] * g at [n, t, d], 0 elsewhere and in
// ignored rows. g holds N * D values for reduction None, else one value (divided by total_weight for Mean).
Tensor nll_backward(const Tensor& g, int64_t reduction, double total_weight, const Shape& input_sizes, ScalarType dtype,
                    NllDims dims, const Tensor& target, const Tensor& weight, int64_t ignore_index);

}  // namespace kernels
}  // namespace tg
