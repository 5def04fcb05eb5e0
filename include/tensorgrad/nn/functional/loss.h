#pragma once
/// \file functional/loss.h
/// The losses as libtorch's torch::nn::functional (F::) spells them, with their options:
///
///     namespace F = tg::nn::functional;
///     F::mse_loss(y, t, F::MSELossFuncOptions().reduction(tg::kSum));
///     F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().label_smoothing(0.1));
///
/// Each calls the loss of tensorgrad/ops/loss.h; the loss modules of tensorgrad/nn/losses.h take
/// the same options.

#include <functional>
#include <optional>
#include <type_traits>
#include <variant>

#include "tensorgrad/arg.h"
#include "tensorgrad/enum.h"
#include "tensorgrad/ops/loss.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {

/// The constructors of a loss's options that libtorch has for some of them: the default, and an
/// implicit one from tg::kMean, tg::kSum or tg::kNone (MSELossOptions(tg::kSum), or F::l1_loss(x,
/// t, tg::kNone)).
#define TG_REDUCTION_CTOR(Options)                                                              \
  Options() : reduction_(kMean) {}                                                              \
  template <typename E, std::enable_if_t<std::is_constructible<reduction_t, E>::value, int> = 0> \
  Options(E reduction) : reduction_(reduction) {}

/// The options of a loss whose one option is its reduction (with TG_REDUCTION_CTOR's constructors).
#define TG_REDUCTION_OPTIONS(Options) \
  struct Options {                    \
    using reduction_t = tg::reduction_t; \
    TG_REDUCTION_CTOR(Options)        \
    TG_ARG(reduction_t, reduction);   \
  }

TG_REDUCTION_OPTIONS(MSELossOptions);
TG_REDUCTION_OPTIONS(L1LossOptions);
struct SmoothL1LossOptions {
  using reduction_t = tg::reduction_t;
  TG_REDUCTION_CTOR(SmoothL1LossOptions)
  TG_ARG(reduction_t, reduction);
  TG_ARG(double, beta) = 1.0;
};
struct HuberLossOptions {
  using reduction_t = tg::reduction_t;
  TG_REDUCTION_CTOR(HuberLossOptions)
  TG_ARG(reduction_t, reduction);
  TG_ARG(double, delta) = 1.0;
};
struct BCELossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = kMean;
};
struct BCEWithLogitsLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = kMean;
  TG_ARG(Tensor, pos_weight) = {};
};
struct NLLLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = kMean;
};
struct CrossEntropyLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = kMean;
  TG_ARG(double, label_smoothing) = 0.0;
};
struct KLDivLossOptions {
  using reduction_t = std::variant<enumtype::kNone, enumtype::kBatchMean, enumtype::kSum, enumtype::kMean>;
  KLDivLossOptions() : reduction_(kMean) {}
  template <typename E, std::enable_if_t<std::is_constructible<reduction_t, E>::value, int> = 0>
  KLDivLossOptions(E reduction) : reduction_(reduction) {}  // NOLINT: implicit, as libtorch's
  TG_ARG(reduction_t, reduction);
  TG_ARG(bool, log_target) = false;
};

struct HingeEmbeddingLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(double, margin) = 1.0;
  TG_ARG(reduction_t, reduction) = kMean;
};
struct MultiMarginLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(int64_t, p) = 1;
  TG_ARG(double, margin) = 1.0;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = kMean;
};
struct CosineEmbeddingLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(double, margin) = 0.0;
  TG_ARG(reduction_t, reduction) = kMean;
};
TG_REDUCTION_OPTIONS(MultiLabelMarginLossOptions);
TG_REDUCTION_OPTIONS(SoftMarginLossOptions);
struct MultiLabelSoftMarginLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = kMean;
};
struct TripletMarginLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(double, margin) = 1.0;
  TG_ARG(double, p) = 2.0;
  TG_ARG(double, eps) = 1e-6;
  TG_ARG(bool, swap) = false;
  TG_ARG(reduction_t, reduction) = kMean;
};
struct TripletMarginWithDistanceLossOptions {
  using reduction_t = tg::reduction_t;
  using distance_function_t = std::function<Tensor(const Tensor&, const Tensor&)>;
  /// The distance of two batches of embeddings; none means tg::pairwise_distance(a, b).
  TG_ARG(std::optional<distance_function_t>, distance_function) = std::nullopt;
  TG_ARG(double, margin) = 1.0;
  TG_ARG(bool, swap) = false;
  TG_ARG(reduction_t, reduction) = kMean;
};
struct PoissonNLLLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(bool, log_input) = true;
  TG_ARG(bool, full) = false;
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(reduction_t, reduction) = kMean;
};
struct MarginRankingLossOptions {
  using reduction_t = tg::reduction_t;
  TG_ARG(double, margin) = 0;
  TG_ARG(reduction_t, reduction) = kMean;
};

namespace functional {

using MSELossFuncOptions = MSELossOptions;
using L1LossFuncOptions = L1LossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using HuberLossFuncOptions = HuberLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using KLDivFuncOptions = KLDivLossOptions;
using HingeEmbeddingLossFuncOptions = HingeEmbeddingLossOptions;
using MultiMarginLossFuncOptions = MultiMarginLossOptions;
using CosineEmbeddingLossFuncOptions = CosineEmbeddingLossOptions;
using MultilabelMarginLossFuncOptions = MultiLabelMarginLossOptions;
using SoftMarginLossFuncOptions = SoftMarginLossOptions;
using MultilabelSoftMarginLossFuncOptions = MultiLabelSoftMarginLossOptions;
using TripletMarginLossFuncOptions = TripletMarginLossOptions;
using TripletMarginWithDistanceLossFuncOptions = TripletMarginWithDistanceLossOptions;
using PoissonNLLLossFuncOptions = PoissonNLLLossOptions;
using MarginRankingLossFuncOptions = MarginRankingLossOptions;

inline Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& o = {}) {
  return tg::mse_loss(input, target, tg::detail::reduction_of(o.reduction()));
}
inline Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& o = {}) {
  return tg::l1_loss(input, target, tg::detail::reduction_of(o.reduction()));
}
/// `beta`, when given, replaces the options' beta (libtorch 1.13 takes it as an argument).
inline Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossFuncOptions& o = {},
                             std::optional<double> beta = std::nullopt) {
  return tg::smooth_l1_loss(input, target, tg::detail::reduction_of(o.reduction()), beta.value_or(o.beta()));
}
inline Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& o = {}) {
  return tg::huber_loss(input, target, tg::detail::reduction_of(o.reduction()), o.delta());
}
inline Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                                   const BinaryCrossEntropyFuncOptions& o = {}) {
  return tg::binary_cross_entropy(input, target, o.weight(), tg::detail::reduction_of(o.reduction()));
}
inline Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                               const BinaryCrossEntropyWithLogitsFuncOptions& o = {}) {
  return tg::binary_cross_entropy_with_logits(input, target, o.weight(), o.pos_weight(),
                                              tg::detail::reduction_of(o.reduction()));
}
inline Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& o = {}) {
  return tg::nll_loss(input, target, o.weight(), tg::detail::reduction_of(o.reduction()), o.ignore_index());
}
inline Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& o = {}) {
  return tg::cross_entropy(input, target, o.weight(), tg::detail::reduction_of(o.reduction()), o.ignore_index(),
                           o.label_smoothing());
}
/// With reduction kBatchMean, the summed divergence divided by the batch size (input.size(0)),
/// the mathematical KL divergence per example; kMean averages over every element, as libtorch.
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& o = {});

inline Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                                   const HingeEmbeddingLossFuncOptions& o = {}) {
  return tg::hinge_embedding_loss(input, target, o.margin(), tg::detail::reduction_of(o.reduction()));
}
inline Tensor multi_margin_loss(const Tensor& input, const Tensor& target, const MultiMarginLossFuncOptions& o = {}) {
  return tg::multi_margin_loss(input, target, o.p(), o.margin(), o.weight(), tg::detail::reduction_of(o.reduction()));
}
inline Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                                    const CosineEmbeddingLossFuncOptions& o = {}) {
  return tg::cosine_embedding_loss(input1, input2, target, o.margin(), tg::detail::reduction_of(o.reduction()));
}
inline Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                                     const MultilabelMarginLossFuncOptions& o = {}) {
  return tg::multilabel_margin_loss(input, target, tg::detail::reduction_of(o.reduction()));
}
inline Tensor soft_margin_loss(const Tensor& input, const Tensor& target, const SoftMarginLossFuncOptions& o = {}) {
  return tg::soft_margin_loss(input, target, tg::detail::reduction_of(o.reduction()));
}
/// -(t logsigmoid(x) + (1 - t) logsigmoid(-x)), times weight, averaged over the last (class) dim,
/// then reduced over the rest.
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultilabelSoftMarginLossFuncOptions& o = {});
inline Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                                  const TripletMarginLossFuncOptions& o = {}) {
  return tg::triplet_margin_loss(anchor, positive, negative, o.margin(), o.p(), o.eps(), o.swap(),
                                 tg::detail::reduction_of(o.reduction()));
}
/// max(0, d(anchor, positive) - d(anchor, negative) + margin) for the options' distance function d
/// (tg::pairwise_distance when none); with swap, d(anchor, negative) is replaced by the smaller of
/// it and d(positive, negative).
Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                                         const TripletMarginWithDistanceLossFuncOptions& o = {});
inline Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, const PoissonNLLLossFuncOptions& o = {}) {
  return tg::poisson_nll_loss(input, target, o.log_input(), o.full(), o.eps(), tg::detail::reduction_of(o.reduction()));
}
inline Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                                  const MarginRankingLossFuncOptions& o = {}) {
  return tg::margin_ranking_loss(input1, input2, target, o.margin(), tg::detail::reduction_of(o.reduction()));
}

}  // namespace functional
}  // namespace nn
}  // namespace tg
