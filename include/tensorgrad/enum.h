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

namespace tg {
namespace enumtype {

/// libtorch's names of the enum values, "kMean", "kSum", ... (the visitor of get_enum_name).
struct _compute_enum_name {
  std::string operator()(const kNone&) const { return "kNone"; }
  std::string operator()(const kMean&) const { return "kMean"; }
  std::string operator()(const kSum&) const { return "kSum"; }
  std::string operator()(const kBatchMean&) const { return "kBatchMean"; }
  std::string operator()(const kConstant&) const { return "kConstant"; }
  std::string operator()(const kReflect&) const { return "kReflect"; }
  std::string operator()(const kReplicate&) const { return "kReplicate"; }
  std::string operator()(const kCircular&) const { return "kCircular"; }
};

/// The name of the value an option variant holds, as libtorch's: get_enum_name(MSELossOptions().reduction())
/// is "kMean".
template <typename V>
std::string get_enum_name(V variant_enum) {
  return std::visit(_compute_enum_name{}, variant_enum);
}

}  // namespace enumtype
}  // namespace tg
