#pragma once
/// \file distance.h
/// Distances with libtorch's names, signatures and defaults (torch::cosine_similarity,
/// torch::pairwise_distance, torch::pdist). They are compositions of differentiable ops
/// (src/ops/loss_extra.cpp), so their first and second derivatives are those ops'.

#include <cstdint>

#include "tensorgrad/tensor.h"

namespace tg {

/// The cosine of the angle between x1 and x2 (broadcast together) along `dim`:
/// sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps)). The inputs' common dtype must be floating.
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim = 1, double eps = 1e-8);
/// ||x1 - x2 + eps||_p over the last dim of the broadcast inputs. p may be any p > 0, 0 (the
/// number of non-zero differences, gradient 0) or infinity (the largest |difference|).
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p = 2, double eps = 1e-6, bool keepdim = false);
/// The p-norm distances between the rows of a 2-D input [N, M], for each pair i < j in row-major
/// order: a 1-D tensor of N (N - 1) / 2 values (p >= 0, as pairwise_distance but without eps).
Tensor pdist(const Tensor& input, double p = 2);

}  // namespace tg
