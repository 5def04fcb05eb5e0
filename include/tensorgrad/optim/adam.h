#pragma once
/// \file adam.h
/// tg::optim::Adam (with the AMSGrad variant and L2 weight decay), as torch::optim::Adam.

#include <tuple>

#include "tensorgrad/optim/optimizer.h"

namespace tg {
namespace optim {

/// Options of Adam: AdamOptions(lr = 1e-3).betas({0.9, 0.999}).eps(1e-8).weight_decay(0)
/// .amsgrad(false).
class AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
 public:
  using betas_t = std::tuple<double, double>;
  AdamOptions(double lr = 1e-3) : lr_(lr) {}  // NOLINT: implicit as libtorch
  /// Learning rate (>= 0).
  TG_ARG(double, lr) = 1e-3;
  /// (β1, β2): decay rates of the moving averages of the gradient and of its square, in [0, 1).
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  /// Added to the denominator for numerical stability (>= 0).
  TG_ARG(double, eps) = 1e-8;
  /// L2 penalty λ (>= 0), added to the gradient: g += λ p.
  TG_ARG(double, weight_decay) = 0;
  /// Use the maximum of all second-moment averages so far (AMSGrad).
  TG_ARG(bool, amsgrad) = false;

 public:
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
};

/// The state of one parameter under Adam or AdamW: the step count t, the moving averages m and v,
/// and (with amsgrad) the running maximum v_max of v.
class AdamParamState : public OptimizerCloneableParamState<AdamParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_avg_sq);
  TG_ARG(Tensor, max_exp_avg_sq) = {};
};

/// Adam (Kingma & Ba, 2015). For each parameter p with gradient g, step() computes
///
///     t ← t + 1
///     g ← g + λ p                                   (if weight_decay λ ≠ 0)
///     m ← β1 m + (1 − β1) g
///     v ← β2 v + (1 − β2) g²
///     v_max ← max(v_max, v)   and use v_max for v   (if amsgrad)
///     p ← p − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
///
/// exactly as PyTorch (m, v and v_max start at zero).
class Adam : public Optimizer {
 public:
  /// Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1), weight_decay < 0, no parameters,
  /// or a parameter that is not a floating-point leaf tensor.
  explicit Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults = {});
  explicit Adam(std::vector<Tensor> params, AdamOptions defaults = {})
      : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  /// One step of the update above, for every parameter whose grad() is defined.
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  void check_options(const OptimizerOptions& options) const override;
};

}  // namespace optim
}  // namespace tg
