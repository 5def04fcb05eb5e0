// Gradient clipping: clip_grad_norm_ and clip_grad_value_, following torch/nn/utils/clip_grad.py.
#include "tensorgrad/nn/utils.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace nn {
namespace utils {

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  TG_CHECK(max_norm >= 0.0, "clip_grad_norm_: max_norm must be non-negative, got {}", max_norm);
  TG_CHECK(norm_type > 0.0, "clip_grad_norm_: norm_type must be positive (or inf), got {}", norm_type);
  NoGradGuard no_grad;
  std::vector<Tensor> grads;
  for (const Tensor& p : parameters)
    if (p.defined() && p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return 0.0;

  // Note [clip_grad_norm_ in double]
  // PyTorch takes the p-norm of the stacked per-gradient p-norms, in the gradients' dtype. The
  // per-gradient norms here come from tg::norm in their dtype too, but they are combined in
  // double, scaled by the largest one so that n^p cannot overflow: the same value up to rounding.
  const bool inf_norm = std::isinf(norm_type);
  std::vector<double> norms;
  norms.reserve(grads.size());
  for (const Tensor& g : grads) {
    const Tensor gd = g.detach();
    if (gd.numel() == 0) {
      norms.push_back(0.0);
    } else if (inf_norm) {
      norms.push_back(gd.abs().max().item<double>());
    } else {
      norms.push_back(norm(gd, norm_type).item<double>());
    }
  }
  bool any_nan = false;
  double largest = 0.0;
  for (double n : norms) {
    if (std::isnan(n))
      any_nan = true;
    else
      largest = std::max(largest, n);
  }
  double total = 0.0;
  if (any_nan) {
    total = std::numeric_limits<double>::quiet_NaN();  // as PyTorch: nan propagates
  } else if (inf_norm || std::isinf(largest) || largest == 0.0) {
    total = largest;
  } else {
    double acc = 0.0;
    for (double n : norms) acc += std::pow(n / largest, norm_type);
    total = largest * std::pow(acc, 1.0 / norm_type);
  }
  TG_CHECK(!error_if_nonfinite || std::isfinite(total),
           "The total norm of order {} for gradients from `parameters` is non-finite, so it cannot be clipped. To "
           "disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=false`",
           norm_type);
  const double clip_coef = max_norm / (total + 1e-6);
  // PyTorch multiplies by min(clip_coef, 1); a factor of 1 changes nothing, so it is skipped. A nan
  // total gives a nan coefficient, which PyTorch applies too (clamp keeps nan).
  if (clip_coef < 1.0 || std::isnan(clip_coef)) {
    for (Tensor g : grads) g.mul_(clip_coef);
  }
  return total;
}

double clip_grad_norm_(std::initializer_list<Tensor> parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>(parameters), max_norm, norm_type, error_if_nonfinite);
}

double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type, bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>{parameter}, max_norm, norm_type, error_if_nonfinite);
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  TG_CHECK(clip_value >= 0.0, "clip_grad_value_: clip_value must be non-negative, got {}", clip_value);
  NoGradGuard no_grad;
  for (const Tensor& p : parameters) {
    if (!p.defined() || !p.grad().defined()) continue;
    Tensor g = p.grad();
    g.clamp_(-clip_value, clip_value);
  }
}

void clip_grad_value_(std::initializer_list<Tensor> parameters, double clip_value) {
  clip_grad_value_(std::vector<Tensor>(parameters), clip_value);
}

void clip_grad_value_(const Tensor& parameter, double clip_value) {
  clip_grad_value_(std::vector<Tensor>{parameter}, clip_value);
}

}  // namespace utils
}  // namespace nn
}  // namespace tg
