#pragma once
/// \file functional/embedding.h
/// Embedding lookups and one-hot encodings as libtorch's torch::nn::functional (F::) spells them:
///
///     namespace F = tg::nn::functional;
///     F::embedding(indices, weight, F::EmbeddingFuncOptions().padding_idx(0).max_norm(1.0));
///     F::one_hot(labels, 10);

#include <optional>

#include "tensorgrad/arg.h"
#include "tensorgrad/nn/functional.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {
namespace functional {

/// embedding: padding_idx (its row gets no gradient; negative counts from the end), max_norm
/// (rows looked up are first renormalised in place to at most this p-norm, p = norm_type),
/// scale_grad_by_freq (each row's gradient divided by how often it occurs in the indices), sparse
/// (sparse gradients: not supported, an error).
struct EmbeddingFuncOptions {
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.0;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(bool, sparse) = false;
};

/// Rows of weight [num, dim] picked by the int64 indices `input` of any shape: [*, dim].
Tensor embedding(const Tensor& input, const Tensor& weight, const EmbeddingFuncOptions& options = {});
inline Tensor one_hot(const Tensor& tensor, int64_t num_classes = -1) { return tg::one_hot(tensor, num_classes); }

}  // namespace functional
}  // namespace nn
}  // namespace tg
