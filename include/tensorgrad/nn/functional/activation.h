#pragma once
/// \file functional/activation.h
/// The activations, linear and dropout as libtorch's torch::nn::functional (F::) spells them:
///
///     namespace F = tg::nn::functional;
///     F::softmax(x, F::SoftmaxFuncOptions(1));
///     F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2));
///     F::relu(x, F::ReLUFuncOptions().inplace(true));   // writes the result into x
///
/// Each calls the op of tensorgrad/ops/activation.h; an `inplace` option overwrites the input with
/// the result, as a copy_ (so the input must not be a leaf that requires grad).

#include <optional>
#include <string>

#include "tensorgrad/arg.h"
#include "tensorgrad/nn/functional.h"
#include "tensorgrad/nn/modules.h"
#include "tensorgrad/ops/activation.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {

namespace functional {

using ReLUFuncOptions = ReLUOptions;
using ReLU6FuncOptions = ReLU6Options;
using SELUFuncOptions = SELUOptions;
using LeakyReLUFuncOptions = LeakyReLUOptions;
using ELUFuncOptions = ELUOptions;
using CELUFuncOptions = CELUOptions;
using GELUFuncOptions = GELUOptions;
using SoftplusFuncOptions = SoftplusOptions;
using HardtanhFuncOptions = HardtanhOptions;
using SoftshrinkFuncOptions = SoftshrinkOptions;
using ThresholdFuncOptions = ThresholdOptions;
using HardshrinkFuncOptions = HardshrinkOptions;
using GLUFuncOptions = GLUOptions;
/// rrelu: lower, upper, training (false by default, as libtorch's F::rrelu), inplace.
struct RReLUFuncOptions {
  TG_ARG(double, lower) = 1.0 / 8.0;
  TG_ARG(double, upper) = 1.0 / 3.0;
  TG_ARG(bool, training) = false;
  TG_ARG(bool, inplace) = false;
};
/// gumbel_softmax: temperature tau, hard (one-hot forward, soft gradient), dim.
struct GumbelSoftmaxFuncOptions {
  TG_ARG(double, tau) = 1.0;
  TG_ARG(bool, hard) = false;
  TG_ARG(int, dim) = -1;
};
/// softmax / log_softmax / softmin: the dim, and optionally the dtype to compute in.
struct SoftmaxFuncOptions {
  SoftmaxFuncOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
  TG_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};
using LogSoftmaxFuncOptions = SoftmaxFuncOptions;
using SoftminFuncOptions = SoftmaxFuncOptions;
/// dropout: p, training (true by default, as libtorch's F::dropout), inplace.
struct DropoutFuncOptions {
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, training) = true;
  TG_ARG(bool, inplace) = false;
};
using Dropout2dFuncOptions = DropoutFuncOptions;
using Dropout3dFuncOptions = DropoutFuncOptions;
/// alpha_dropout / feature_alpha_dropout: p, training (false by default, as libtorch's), inplace.
struct AlphaDropoutFuncOptions {
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, training) = false;
  TG_ARG(bool, inplace) = false;
};
using FeatureAlphaDropoutFuncOptions = AlphaDropoutFuncOptions;

inline Tensor relu(const Tensor& x, const ReLUFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::relu(x));
}
inline Tensor relu6(const Tensor& x, const ReLU6FuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::relu6(x));
}
inline Tensor selu(const Tensor& x, const SELUFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::selu(x));
}
inline Tensor leaky_relu(const Tensor& x, const LeakyReLUFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::leaky_relu(x, o.negative_slope()));
}
inline Tensor elu(const Tensor& x, const ELUFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::elu(x, o.alpha()));
}
inline Tensor celu(const Tensor& x, const CELUFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::celu(x, o.alpha()));
}
inline Tensor hardtanh(const Tensor& x, const HardtanhFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::hardtanh(x, o.min_val(), o.max_val()));
}
inline Tensor threshold(const Tensor& x, const ThresholdFuncOptions& o) {
  return detail::in_place_if(o.inplace(), x, tg::threshold(x, o.threshold(), o.value()));
}
inline Tensor gelu(const Tensor& x, const GELUFuncOptions& o = {}) { return tg::gelu(x, o.approximate()); }
inline Tensor softplus(const Tensor& x, const SoftplusFuncOptions& o = {}) {
  return tg::softplus(x, o.beta(), o.threshold());
}
inline Tensor softshrink(const Tensor& x, const SoftshrinkFuncOptions& o = {}) { return tg::softshrink(x, o.lambda()); }
inline Tensor hardshrink(const Tensor& x, const HardshrinkFuncOptions& o = {}) { return tg::hardshrink(x, o.lambda()); }
inline Tensor glu(const Tensor& x, const GLUFuncOptions& o = {}) { return tg::glu(x, o.dim()); }
inline Tensor rrelu(const Tensor& x, const RReLUFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), x, tg::rrelu(x, o.lower(), o.upper(), o.training()));
}
/// A sample from the Gumbel-softmax distribution over `dim`: softmax((logits + g) / tau) with
/// g = -log(E), E ~ Exp(1) drawn per element. With hard, the forward value is the one-hot of its
/// argmax and the gradient is that of the soft sample (y_hard - y_soft.detach() + y_soft).
Tensor gumbel_softmax(const Tensor& logits, const GumbelSoftmaxFuncOptions& o = {});
inline Tensor silu(const Tensor& x) { return tg::silu(x); }
inline Tensor mish(const Tensor& x) { return tg::mish(x); }
inline Tensor hardswish(const Tensor& x) { return tg::hardswish(x); }
inline Tensor hardsigmoid(const Tensor& x) { return tg::hardsigmoid(x); }
inline Tensor logsigmoid(const Tensor& x) { return tg::logsigmoid(x); }
inline Tensor softsign(const Tensor& x) { return tg::softsign(x); }
/// x - tanh(x).
inline Tensor tanhshrink(const Tensor& x) { return x - tg::tanh(x); }
inline Tensor prelu(const Tensor& x, const Tensor& weight) { return tg::prelu(x, weight); }
inline Tensor softmax(const Tensor& x, const SoftmaxFuncOptions& o) { return tg::softmax(x, o.dim(), o.dtype()); }
inline Tensor log_softmax(const Tensor& x, const LogSoftmaxFuncOptions& o) {
  return tg::log_softmax(x, o.dim(), o.dtype());
}
/// softmax(-x): the smallest entries get the largest probabilities.
inline Tensor softmin(const Tensor& x, const SoftminFuncOptions& o) {
  return tg::softmax(o.dtype() ? -x.to(*o.dtype()) : -x, o.dim());
}
inline Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {}) {
  return tg::linear(input, weight, bias);
}
inline Tensor dropout(const Tensor& input, const DropoutFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), input, tg::dropout(input, o.p(), o.training()));
}
/// Channel dropout of [N, C, H, W] (or [C, H, W], one sample).
Tensor dropout2d(const Tensor& input, const Dropout2dFuncOptions& o = {});
/// Channel dropout of [N, C, D, H, W] (or [C, D, H, W], one sample).
Tensor dropout3d(const Tensor& input, const Dropout3dFuncOptions& o = {});
inline Tensor alpha_dropout(const Tensor& input, const AlphaDropoutFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), input, tg::alpha_dropout(input, o.p(), o.training()));
}
inline Tensor feature_alpha_dropout(const Tensor& input, const FeatureAlphaDropoutFuncOptions& o = {}) {
  return detail::in_place_if(o.inplace(), input, tg::feature_alpha_dropout(input, o.p(), o.training()));
}

}  // namespace functional
}  // namespace nn
}  // namespace tg
