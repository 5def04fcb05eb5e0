#pragma once
/// \file sgd.h
/// tg::optim::SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum and
/// weight decay, as torch::optim::SGD (and PyTorch's torch.optim.SGD).

#include "tensorgrad/optim/optimizer.h"

namespace tg {
namespace optim {

/// Options of SGD: SGDOptions(lr).momentum(0).dampening(0).weight_decay(0).nesterov(false).
class SGDOptions : public OptimizerCloneableOptions<SGDOptions> {
 public:
  /// The learning rate has no default, as in libtorch.
  SGDOptions(double lr) : lr_(lr) {}  // NOLINT: implicit as libtorch
  /// Learning rate (>= 0).
  TG_ARG(double, lr);
  /// Momentum factor μ (>= 0); 0 disables the momentum buffer.
  TG_ARG(double, momentum) = 0;
  /// Dampening τ of the gradient added to the momentum buffer.
  TG_ARG(double, dampening) = 0;
  /// L2 penalty λ (>= 0), added to the gradient: g += λ p.
  TG_ARG(double, weight_decay) = 0;
  /// Nesterov momentum (needs momentum > 0 and dampening = 0).
  TG_ARG(bool, nesterov) = false;

 public:
  double get_lr() const override { return lr_; }
  void set_lr(double lr) override { lr_ = lr; }
};

/// The state of one parameter: its momentum buffer b (undefined until the first step with
/// momentum).
class SGDParamState : public OptimizerCloneableParamState<SGDParamState> {
  TG_ARG(Tensor, momentum_buffer);
};

/// Stochastic gradient descent. For each parameter p with gradient g, step() computes
///
///     g ← g + λ p                                   (if weight_decay λ ≠ 0)
///     b ← g                                         (first step, if momentum μ ≠ 0)
///     b ← μ b + (1 − τ) g                           (later steps)
///     g ← g + μ b  (nesterov)   or   g ← b  (otherwise)
///     p ← p − lr · g
///
/// exactly as PyTorch (whose momentum differs from Sutskever et al.'s: lr multiplies the buffer,
/// not the gradient inside it).
class SGD : public Optimizer {
 public:
  /// Throws tg::Error for lr < 0, momentum < 0, weight_decay < 0, nesterov with momentum <= 0 or
  /// dampening ≠ 0, no parameters, or a parameter that is not a floating-point leaf tensor.
  explicit SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults);
  explicit SGD(std::vector<Tensor> params, SGDOptions defaults)
      : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, std::move(defaults)) {}

  /// One step of the update above, for every parameter whose grad() is defined.
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  void check_options(const OptimizerOptions& options) const override;
};

}  // namespace optim
}  // namespace tg
