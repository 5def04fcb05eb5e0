#pragma once
/// \file rmsprop.h
/// tg::optim::RMSprop (plain or centered, with momentum and weight decay), as torch::optim::RMSprop.

#include "tensorgrad/optim/optimizer.h"

namespace tg {
namespace optim {

/// Options of RMSprop: RMSpropOptions(lr = 1e-2).alpha(0.99).eps(1e-8).weight_decay(0)
/// .momentum(0).centered(false).
class RMSpropOptions : public OptimizerCloneableOptions<RMSpropOptions> {
 public:
  RMSpropOptions(double lr = 1e-2) : lr_(lr) {}  // NOLINT: implicit as libtorch
  /// Learning rate (>= 0).
  TG_ARG(double, lr) = 1e-2;
  /// Smoothing constant α of the moving average of g² (>= 0).
  TG_ARG(double, alpha) = 0.99;
  /// Added to the denominator for numerical stability (>= 0).
  TG_ARG(double, eps) = 1e-8;
  /// L2 penalty λ (>= 0), added to the gradient: g += λ p.
  TG_ARG(double, weight_decay) = 0;
  /// Momentum factor μ (>= 0); 0 disables the momentum buffer.
  TG_ARG(double, momentum) = 0;
  /// Normalize by an estimate of the gradient's variance, v − ḡ², instead of v.
  TG_ARG(bool, centered) = false;

 public:
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
};

/// The state of one parameter: step count, v (square_avg), b (momentum_buffer, with momentum) and
/// ḡ (grad_avg, when centered).
class RMSpropParamState : public OptimizerCloneableParamState<RMSpropParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, square_avg);
  TG_ARG(Tensor, momentum_buffer) = {};
  TG_ARG(Tensor, grad_avg) = {};
};

/// RMSprop (Hinton). For each parameter p with gradient g, step() computes
///
///     g ← g + λ p                                   (if weight_decay λ ≠ 0)
///     v ← α v + (1 − α) g²
///     ḡ ← α ḡ + (1 − α) g,   d ← √(v − ḡ²) + eps    (centered)
///                            d ← √v + eps           (otherwise)
///     b ← μ b + g / d,   p ← p − lr b               (if momentum μ > 0)
///     p ← p − lr g / d                              (otherwise)
///
/// exactly as PyTorch (v, ḡ and b start at zero).
class RMSprop : public Optimizer {
 public:
  /// Throws tg::Error for lr < 0, alpha < 0, eps < 0, momentum < 0, weight_decay < 0, no
  /// parameters, or a parameter that is not a floating-point leaf tensor.
  explicit RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults = {});
  explicit RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {})
      : RMSprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  /// One step of the update above, for every parameter whose grad() is defined.
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  void check_options(const OptimizerOptions& options) const override;
};

}  // namespace optim
}  // namespace tg
