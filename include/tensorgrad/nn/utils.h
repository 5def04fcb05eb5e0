#pragma once
/// \file utils.h
/// Gradient clipping, as libtorch's torch::nn::utils::clip_grad_norm_ / clip_grad_value_:
///
///   loss.backward();
///   tg::nn::utils::clip_grad_norm_(net->parameters(), /*max_norm=*/1.0);
///   opt.step();
///
/// Parameters whose grad() is undefined are ignored. The gradients are changed in place, outside
/// any graph.

#include <initializer_list>
#include <vector>

#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {
namespace utils {

/// Scales the gradients of `parameters` so that their total norm is at most max_norm:
///
///     total = ‖(‖g_1‖_p, ‖g_2‖_p, ...)‖_p           (the p-norm of all gradients as one vector;
///                                                   p = inf: max |g|)
///     g_i ← g_i · max_norm / (total + 1e-6)         if that factor is < 1
///
/// and returns `total` (before clipping), as PyTorch. Returns 0 when no parameter has a gradient.
/// Throws tg::Error if max_norm < 0, if norm_type is not > 0 (inf is allowed), or, when
/// error_if_nonfinite, if the total norm is nan or inf.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
/// As above, for a braced list of parameters.
double clip_grad_norm_(std::initializer_list<Tensor> parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
/// As above, for one parameter.
double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

/// Clamps every gradient element into [−clip_value, clip_value]: g ← min(max(g, −c), c).
/// Throws tg::Error if clip_value < 0.
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);
/// As above, for a braced list of parameters.
void clip_grad_value_(std::initializer_list<Tensor> parameters, double clip_value);
/// As above, for one parameter.
void clip_grad_value_(const Tensor& parameter, double clip_value);

}  // namespace utils
}  // namespace nn
}  // namespace tg
