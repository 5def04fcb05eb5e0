#pragma once
/// \file functional/padding.h
/// Padding as libtorch's torch::nn::functional (F::) spells it:
///
///     namespace F = tg::nn::functional;
///     F::pad(x, F::PadFuncOptions({1, 2}).mode(tg::kReflect));
///     F::pad(x, F::PadFuncOptions({1, 1, 2, 0}).value(-1));   // constant padding with -1

#include <utility>
#include <variant>
#include <vector>

#include "tensorgrad/arg.h"
#include "tensorgrad/enum.h"
#include "tensorgrad/nn/functional.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {
namespace functional {

/// pad: the paddings, last dim first ({left, right, top, bottom, ...}), the mode (tg::kConstant,
/// kReflect, kReplicate, kCircular) and the constant mode's value.
struct PadFuncOptions {
  using mode_t = std::variant<enumtype::kConstant, enumtype::kReflect, enumtype::kReplicate, enumtype::kCircular>;
  /* implicit */ PadFuncOptions(std::vector<int64_t> pad) : pad_(std::move(pad)) {}  // NOLINT: as libtorch
  TG_ARG(std::vector<int64_t>, pad);
  TG_ARG(mode_t, mode) = enumtype::kConstant{};
  TG_ARG(double, value) = 0;
};

inline Tensor pad(const Tensor& input, const PadFuncOptions& o) {
  const char* mode = std::holds_alternative<enumtype::kConstant>(o.mode())    ? "constant"
                     : std::holds_alternative<enumtype::kReflect>(o.mode())   ? "reflect"
                     : std::holds_alternative<enumtype::kReplicate>(o.mode()) ? "replicate"
                                                                              : "circular";
  // as libtorch: a value of 0 counts as no value, so that non-constant modes accept the default
  return tg::pad(input, o.pad(), mode, o.value() != 0 ? std::optional<double>(o.value()) : std::nullopt);
}

}  // namespace functional
}  // namespace nn
}  // namespace tg
