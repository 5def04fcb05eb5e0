#pragma once
/// \file functional.h
/// The functional forms behind the layers, with libtorch's names (torch::linear, torch::dropout,
/// torch::batch_norm, torch::layer_norm, torch::embedding).

#include "tensorgrad/tensor.h"

namespace tg {

/// x W^T + b for x [..., in], weight [out, in], bias [out] (optional).
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});
/// In training, zeroes each element with probability p and scales the rest by 1 / (1 - p);
/// the identity otherwise.
Tensor dropout(const Tensor& input, double p, bool train);
/// Batch normalisation over dim 1 of [N, C] or [N, C, L]. In training, normalises with the batch
/// statistics (biased variance) and updates running_mean / running_var in place with `momentum`
/// (unbiased variance), when they are defined; otherwise uses the running statistics.
Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps);
/// Normalises over the trailing dims given by normalized_shape (biased variance), then applies
/// the optional elementwise weight and bias.
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5);
/// Rows of weight [num, dim] picked by int64 indices of any shape: result [..., dim].
Tensor embedding(const Tensor& weight, const Tensor& indices);
/// Variance over dims (unbiased by default, as PyTorch's var).
Tensor var(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);

}  // namespace tg
