#pragma once
/// \file functional/distance.h
/// The distances as libtorch's torch::nn::functional (F::) spells them, with their options:
///
///     namespace F = tg::nn::functional;
///     F::cosine_similarity(a, b, F::CosineSimilarityFuncOptions().dim(1));
///     F::pairwise_distance(a, b, F::PairwiseDistanceFuncOptions().p(1));
///     F::pdist(x, 1.5);
///
/// Each calls the distance of tensorgrad/ops/distance.h; the modules of tensorgrad/nn/distance.h
/// take the same options.

#include "tensorgrad/arg.h"
#include "tensorgrad/ops/distance.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {

struct CosineSimilarityOptions {
  TG_ARG(int64_t, dim) = 1;
  TG_ARG(double, eps) = 1e-8;
};
struct PairwiseDistanceOptions {
  TG_ARG(double, p) = 2.0;
  TG_ARG(double, eps) = 1e-6;
  TG_ARG(bool, keepdim) = false;
};

namespace functional {

using CosineSimilarityFuncOptions = CosineSimilarityOptions;
using PairwiseDistanceFuncOptions = PairwiseDistanceOptions;

inline Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, const CosineSimilarityFuncOptions& o = {}) {
  return tg::cosine_similarity(x1, x2, o.dim(), o.eps());
}
inline Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, const PairwiseDistanceFuncOptions& o = {}) {
  return tg::pairwise_distance(x1, x2, o.p(), o.eps(), o.keepdim());
}
inline Tensor pdist(const Tensor& input, double p = 2.0) { return tg::pdist(input, p); }

}  // namespace functional
}  // namespace nn
}  // namespace tg
