#pragma once
/// \file distance.h
/// Distance modules, as libtorch's torch::nn::CosineSimilarity and torch::nn::PairwiseDistance:
/// options as tensorgrad/nn/functional/distance.h, forward(x1, x2) calls the F:: distance.
///
///     tg::nn::PairwiseDistance dist(tg::nn::PairwiseDistanceOptions().p(1));
///     tg::Tensor d = dist(a, b);   // printed "tg::nn::PairwiseDistance(p=1, eps=1e-06, keepdim=false)"

#include <ostream>

#include "tensorgrad/nn/functional/distance.h"
#include "tensorgrad/nn/module.h"

namespace tg {
namespace nn {

/// The cosine similarity along options.dim(), printed "tg::nn::CosineSimilarity(dim=1, eps=1e-08)".
class CosineSimilarityImpl : public Cloneable<CosineSimilarityImpl> {
 public:
  explicit CosineSimilarityImpl(const CosineSimilarityOptions& options = {})
      : Cloneable("tg::nn::CosineSimilarity"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& x1, const Tensor& x2) { return functional::cosine_similarity(x1, x2, options); }
  void pretty_print(std::ostream& stream) const override {
    stream << name() << "(dim=" << options.dim() << ", eps=" << options.eps() << ")";
  }
  CosineSimilarityOptions options;
};
TG_MODULE(CosineSimilarity);

/// The p-norm of x1 - x2 + eps over the last dim, printed
/// "tg::nn::PairwiseDistance(p=2, eps=1e-06, keepdim=false)".
class PairwiseDistanceImpl : public Cloneable<PairwiseDistanceImpl> {
 public:
  explicit PairwiseDistanceImpl(const PairwiseDistanceOptions& options = {})
      : Cloneable("tg::nn::PairwiseDistance"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& x1, const Tensor& x2) { return functional::pairwise_distance(x1, x2, options); }
  void pretty_print(std::ostream& stream) const override {
    stream << name() << "(p=" << options.p() << ", eps=" << options.eps()
           << ", keepdim=" << (options.keepdim() ? "true" : "false") << ")";
  }
  PairwiseDistanceOptions options;
};
TG_MODULE(PairwiseDistance);

}  // namespace nn
}  // namespace tg
