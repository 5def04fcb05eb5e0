#pragma once
/// \file adagrad.h
/// tg::optim::Adagrad (with learning-rate decay and weight decay), as torch::optim::Adagrad.

#include "tensorgrad/optim/optimizer.h"

namespace tg {
namespace optim {

/// Options of Adagrad: AdagradOptions(lr = 1e-2).lr_decay(0).weight_decay(0)
/// .initial_accumulator_value(0).eps(1e-10).
class AdagradOptions : public OptimizerCloneableOptions<AdagradOptions> {
 public:
  AdagradOptions(double lr = 1e-2) : lr_(lr) {}  // NOLINT: implicit as libtorch
  /// Learning rate (>= 0).
  TG_ARG(double, lr) = 1e-2;
  /// Learning-rate decay δ (>= 0): step t uses lr / (1 + (t − 1) δ).
  TG_ARG(double, lr_decay) = 0;
  /// L2 penalty λ (>= 0), added to the gradient: g += λ p.
  TG_ARG(double, weight_decay) = 0;
  /// The starting value of the sum of squared gradients (>= 0).
  TG_ARG(double, initial_accumulator_value) = 0;
  /// Added to the denominator for numerical stability (>= 0).
  TG_ARG(double, eps) = 1e-10;

 public:
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
};

/// The state of one parameter: the sum s of squared gradients and the step count t.
class AdagradParamState : public OptimizerCloneableParamState<AdagradParamState> {
  TG_ARG(Tensor, sum);
  TG_ARG(int64_t, step) = 0;
};

/// Adagrad (Duchi et al., 2011). For each parameter p with gradient g, step() computes
///
///     t ← t + 1
///     g ← g + λ p                                   (if weight_decay λ ≠ 0)
///     s ← s + g²                                    (s starts at initial_accumulator_value)
///     p ← p − lr / (1 + (t − 1) δ) · g / (√s + eps)
///
/// exactly as PyTorch.
class Adagrad : public Optimizer {
 public:
  /// Throws tg::Error for lr < 0, lr_decay < 0, weight_decay < 0, initial_accumulator_value < 0,
  /// eps < 0, no parameters, or a parameter that is not a floating-point leaf tensor. The state
  /// of every parameter (s and t) is created here, as PyTorch does.
  explicit Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults = {});
  explicit Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {})
      : Adagrad(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  /// One step of the update above, for every parameter whose grad() is defined.
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  void check_options(const OptimizerOptions& options) const override;
};

}  // namespace optim
}  // namespace tg
