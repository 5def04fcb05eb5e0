#pragma once
/// \file enum.h
/// libtorch's enum values for options: tg::kMean, tg::kSum, tg::kNone, tg::kBatchMean, the padding
/// modes tg::kConstant, kReflect, kReplicate, kCircular, each its own
/// type in tg::enumtype, so that an option such as a loss's reduction is a std::variant of the
/// values it accepts: MSELossOptions().reduction(tg::kSum).

#include <cstdint>
#include <string>
#include <variant>

#include "tensorgrad/ops/loss.h"

namespace tg {
namespace enumtype {
struct kNone {};
struct kMean {};
struct kSum {};
struct kBatchMean {};
struct kConstant {};
struct kReflect {};
struct kReplicate {};
struct kCircular {};
}  // namespace enumtype

constexpr enumtype::kNone kNone{};
constexpr enumtype::kMean kMean{};
constexpr enumtype::kSum kSum{};
constexpr enumtype::kBatchMean kBatchMean{};
/// Padding modes (F::PadFuncOptions::mode).
constexpr enumtype::kConstant kConstant{};
constexpr enumtype::kReflect kReflect{};
constexpr enumtype::kReplicate kReplicate{};
constexpr enumtype::kCircular kCircular{};

/// The reduction of a loss, as libtorch's loss options take it.
using reduction_t = std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum>;

namespace detail {
/// tg::Reduction::None / Mean / Sum for a reduction option (a reduction_t, or another variant of
/// these values; anything else counts as Mean).
template <typename... Ts>
int64_t reduction_of(const std::variant<Ts...>& r) {
  if (std::holds_alternative<enumtype::kNone>(r)) return Reduction::None;
  if (std::holds_alternative<enumtype::kSum>(r)) return Reduction::Sum;
  return Reduction::Mean;
}
}  // namespace detail

}  // namespace tg
