#pragma once
/// \file functional/normalization.h
/// Normalisations as libtorch's torch::nn::functional (F::) spells them, with their options:
///
///     namespace F = tg::nn::functional;
///     F::normalize(x, F::NormalizeFuncOptions().p(1).dim(-1));
///     F::layer_norm(x, F::LayerNormFuncOptions({2, 2}).eps(2e-5));
///     F::batch_norm(x, running_mean, running_var, F::BatchNormFuncOptions().training(true));
///
/// Each is composed of differentiable ops (tensorgrad/nn/functional.h), so gradients of every
/// order come from the ops' own rules.

#include <optional>
#include <utility>
#include <vector>

#include "tensorgrad/arg.h"
#include "tensorgrad/nn/functional.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {
namespace functional {

/// normalize: the p-norm, the dim it is taken over, the eps that bounds the divisor below, and an
/// optional tensor to write the result into.
struct NormalizeFuncOptions {
  TG_ARG(double, p) = 2.0;
  TG_ARG(int64_t, dim) = 1;
  TG_ARG(double, eps) = 1e-12;
  TG_ARG(std::optional<Tensor>, out) = std::nullopt;
};
/// layer_norm: the normalised trailing shape, optional elementwise weight and bias, eps.
struct LayerNormFuncOptions {
  /* implicit */ LayerNormFuncOptions(std::vector<int64_t> normalized_shape)  // NOLINT: as libtorch
      : normalized_shape_(std::move(normalized_shape)) {}
  TG_ARG(std::vector<int64_t>, normalized_shape);
  TG_ARG(Tensor, weight) = {};
  TG_ARG(Tensor, bias) = {};
  TG_ARG(double, eps) = 1e-5;
};
/// batch_norm: optional weight and bias, training (false by default, as libtorch's F::batch_norm),
/// momentum of the running statistics, eps.
struct BatchNormFuncOptions {
  TG_ARG(Tensor, weight) = {};
  TG_ARG(Tensor, bias) = {};
  TG_ARG(bool, training) = false;
  TG_ARG(std::optional<double>, momentum) = 0.1;
  TG_ARG(double, eps) = 1e-5;
};

/// input / max(||input||_p over dim, eps), the norm broadcast back over dim. With `out`, the
/// result is also written into it (resized to the input's shape) and returned.
Tensor normalize(const Tensor& input, NormalizeFuncOptions options = {});
inline Tensor layer_norm(const Tensor& input, const LayerNormFuncOptions& o) {
  return tg::layer_norm(input, o.normalized_shape(), o.weight(), o.bias(), o.eps());
}
/// Batch normalisation of [N, C, *]: with training, normalises by the batch statistics and
/// updates running_mean / running_var in place (when defined); otherwise uses them.
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormFuncOptions& options = {});

}  // namespace functional
}  // namespace nn
}  // namespace tg
