#pragma once
// The checks and the reduction shared by the losses of src/ops/loss.cpp and src/ops/loss_extra.cpp.
#include <initializer_list>

#include "ops/op_util.h"
#include "tensorgrad/ops/loss.h"

namespace tg {
namespace loss_util {

// As libtorch's apply_loss_reduction: the mean or sum of the per-element losses, or the losses.
inline Tensor apply_loss_reduction(const Tensor& loss, int64_t reduction) {
  if (reduction == Reduction::Mean) return loss.mean();
  if (reduction == Reduction::Sum) return loss.sum();
  return loss;
}

inline void check_reduction(int64_t reduction, const char* fn) {
  TG_CHECK(reduction >= 0 && reduction <= 2,
           "{}: {} is not a valid value for reduction (use tg::Reduction::None, Mean or Sum)", fn, reduction);
}

// "fn: input1, input2 and target must be defined" unless every one of `tensors` is.
inline void check_defined(std::initializer_list<Tensor> tensors, const char* names, const char* fn) {
  for (const Tensor& t : tensors) TG_CHECK(t.defined(), "{}: {} must be defined", fn, names);
}
inline void check_defined(const Tensor& input, const Tensor& target, const char* fn) {
  check_defined({input, target}, "input and target", fn);
}

inline void check_same_shape(const Tensor& input, const Tensor& target, const char* fn) {
  check_defined(input, target, fn);
  TG_CHECK(input.sizes().equals(target.sizes()),
           "{}: Using a target size ({}) that is different to the input size ({}) is not supported; the shapes must "
           "match (input {}, target {})",
           fn, to_string(target.sizes()), to_string(input.sizes()), describe(input), describe(target));
}

inline void check_float(const Tensor& t, const char* what, const char* fn) {
  TG_CHECK(t.is_floating_point(), "{}: expected {} to be a floating-point tensor, got {}", fn, what, describe(t));
}

// As PyTorch: weights are constants of these losses.
inline void check_not_differentiable(const Tensor& t, const char* fn, const char* arg) {
  TG_CHECK(!(t.defined() && t.requires_grad() && GradMode::is_enabled()),
           "The function '{}' is not differentiable with respect to argument '{}'. This input cannot have "
           "requires_grad True. ({} {})",
           fn, arg, arg, describe(t));
}

}  // namespace loss_util
}  // namespace tg
