#pragma once
/// \file adamw.h
/// tg::optim::AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), as torch::optim::AdamW.

#include <tuple>

#include "tensorgrad/optim/adam.h"
#include "tensorgrad/optim/optimizer.h"

namespace tg {
namespace optim {

/// Options of AdamW: AdamWOptions(lr = 1e-3).betas({0.9, 0.999}).eps(1e-8).weight_decay(1e-2)
/// .amsgrad(false).
class AdamWOptions : public OptimizerCloneableOptions<AdamWOptions> {
 public:
  using betas_t = std::tuple<double, double>;
  AdamWOptions(double lr = 1e-3) : lr_(lr) {}  // NOLINT: implicit as libtorch
  /// Learning rate (>= 0).
  TG_ARG(double, lr) = 1e-3;
  /// (β1, β2): decay rates of the moving averages of the gradient and of its square, in [0, 1).
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  /// Added to the denominator for numerical stability (>= 0).
  TG_ARG(double, eps) = 1e-8;
  /// Decoupled weight decay λ (>= 0): p ← p (1 − lr λ) before the Adam step.
  TG_ARG(double, weight_decay) = 1e-2;
  /// Use the maximum of all second-moment averages so far (AMSGrad).
  TG_ARG(bool, amsgrad) = false;

 public:
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
};

/// AdamW keeps the same per-parameter state as Adam.
using AdamWParamState = AdamParamState;

/// AdamW. For each parameter p with gradient g, step() computes
///
///     t ← t + 1
///     p ← p (1 − lr λ)                              (decoupled weight decay)
///     m ← β1 m + (1 − β1) g
///     v ← β2 v + (1 − β2) g²
///     v_max ← max(v_max, v)   and use v_max for v   (if amsgrad)
///     p ← p − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
///
/// exactly as PyTorch.
class AdamW : public Optimizer {
 public:
  /// Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1), weight_decay < 0, no parameters,
  /// or a parameter that is not a floating-point leaf tensor.
  explicit AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults = {});
  explicit AdamW(std::vector<Tensor> params, AdamWOptions defaults = {})
      : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  /// One step of the update above, for every parameter whose grad() is defined.
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  void check_options(const OptimizerOptions& options) const override;
};

}  // namespace optim
}  // namespace tg
