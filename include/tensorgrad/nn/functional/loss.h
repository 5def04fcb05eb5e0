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

#include <variant>

#include "tensorgrad/arg.h"
#include <optional>
#include <type_traits>

#include "tensorgrad/enum.h"
#include "tensorgrad/ops/loss.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {

struct MSELossOptions {
  MSELossOptions() : reduction_(kMean) {}
  /// From tg::kMean, tg::kSum or tg::kNone (implicit, as libtorch's).
  template <typename E, std::enable_if_t<std::is_constructible<reduction_t, E>::value, int> = 0>
  MSELossOptions(E reduction) : reduction_(reduction) {}  // NOLINT: implicit, as libtorch
  TG_ARG(reduction_t, reduction);
};
struct L1LossOptions {
  L1LossOptions() : reduction_(kMean) {}
  /// From tg::kMean, tg::kSum or tg::kNone (implicit, as libtorch's).
  template <typename E, std::enable_if_t<std::is_constructible<reduction_t, E>::value, int> = 0>
  L1LossOptions(E reduction) : reduction_(reduction) {}  // NOLINT
  TG_ARG(reduction_t, reduction);
};
struct SmoothL1LossOptions {
  SmoothL1LossOptions() : reduction_(kMean) {}
  /// From tg::kMean, tg::kSum or tg::kNone (implicit, as libtorch's).
  template <typename E, std::enable_if_t<std::is_constructible<reduction_t, E>::value, int> = 0>
  SmoothL1LossOptions(E reduction) : reduction_(reduction) {}  // NOLINT
  TG_ARG(reduction_t, reduction);
  TG_ARG(double, beta) = 1.0;
};
struct HuberLossOptions {
  HuberLossOptions() : reduction_(kMean) {}
  /// From tg::kMean, tg::kSum or tg::kNone (implicit, as libtorch's).
  template <typename E, std::enable_if_t<std::is_constructible<reduction_t, E>::value, int> = 0>
  HuberLossOptions(E reduction) : reduction_(reduction) {}  // NOLINT
  TG_ARG(reduction_t, reduction);
  TG_ARG(double, delta) = 1.0;
};
struct BCELossOptions {
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = kMean;
};
struct BCEWithLogitsLossOptions {
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = kMean;
  TG_ARG(Tensor, pos_weight) = {};
};
struct NLLLossOptions {
  TG_ARG(Tensor, weight) = {};
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = kMean;
};
struct CrossEntropyLossOptions {
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

}  // namespace functional
}  // namespace nn
}  // namespace tg
