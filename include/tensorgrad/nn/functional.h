#pragma once
/// \file functional.h
/// The functional forms behind the layers, with libtorch's names (torch::linear, torch::dropout,
/// torch::batch_norm, torch::layer_norm, torch::embedding).

#include <optional>
#include <string>

#include "tensorgrad/tensor.h"

namespace tg {

/// x W^T + b for x [..., in], weight [out, in], bias [out] (optional).
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});
/// In training, zeroes each element with probability p and scales the rest by 1 / (1 - p);
/// the identity otherwise.
Tensor dropout(const Tensor& input, double p, bool train);
/// Dropout of whole channels: one draw per (sample, channel) of [N, C, *], as libtorch's
/// feature_dropout (F::dropout2d / dropout3d).
Tensor feature_dropout(const Tensor& input, double p, bool train);
/// Dropout that keeps a SELU network's mean 0 and variance 1: dropped elements are set to the
/// SELU's negative saturation -lambda * alpha, and the result is scaled and shifted back,
/// a * (x * keep + (-lambda alpha) (1 - keep)) + b (Klambauer et al. 2017).
Tensor alpha_dropout(const Tensor& input, double p, bool train);
/// alpha_dropout with one draw per (sample, channel), as feature_dropout.
Tensor feature_alpha_dropout(const Tensor& input, double p, bool train);
/// Batch normalisation over dim 1 of [N, C, *] (statistics over every other dim). In training, normalises with the batch
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
/// ATen's form, as libtorch's torch::embedding: padding_idx < 0 means none (else that row's
/// lookups pass no gradient back), scale_grad_by_freq divides each row's gradient by its count in
/// `indices`; sparse must be false. F::embedding (nn/functional/embedding.h) has the options.
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq = false,
                 bool sparse = false);

/// The gated linear unit: a * sigmoid(b), where a and b are the two halves of `input` along dim.
Tensor glu(const Tensor& input, int64_t dim = -1);
/// Randomized leaky ReLU: in training, x * a for x <= 0 with a ~ U(lower, upper) drawn per element
/// (x otherwise, the gradient is a); in evaluation, leaky_relu(x, (lower + upper) / 2).
Tensor rrelu(const Tensor& input, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false);
/// int64 class indices [*] -> int64 [*, num_classes] with a 1 at each index; num_classes = -1 means
/// max + 1. Not differentiable.
Tensor one_hot(const Tensor& self, int64_t num_classes = -1);
/// Pads the last pad.size() / 2 dims with `value`: pad = {left of the last dim, right of the last
/// dim, left of the one before, ...}; negative entries crop. Differentiable (a cat of constants).
Tensor constant_pad_nd(const Tensor& self, IntArrayRef pad, const Scalar& value = 0);
/// at::pad: mode "constant" (constant_pad_nd), "reflect" (mirror without the edge), "replicate"
/// (repeat the edge) or "circular" (wrap around), the last 1 to 3 dims of a 2D to 5D input, as
/// PyTorch 1.13 (circular needs batch and channel dims in front). Differentiable: the non-constant
/// modes are index_select (Note [Padding as indexing], src/nn/functional.cpp).
Tensor pad(const Tensor& self, IntArrayRef pad, const std::string& mode = "constant",
           std::optional<double> value = std::nullopt);

}  // namespace tg
