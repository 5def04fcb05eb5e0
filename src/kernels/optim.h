#pragma once
// Fused optimizer updates: one pass over a parameter, its gradient and its state buffers, with no
// temporaries. Each follows PyTorch 1.13's _single_tensor_* step for step (the same operations in
// the same order, in the parameter's dtype). The caller checks options and creates the state.
#include "core/tensor_impl.h"

namespace tg {
namespace kernels {

// Adam / AdamW. exp_avg, exp_avg_sq (and max_exp_avg_sq when amsgrad) have p's shape; `step` is the
// step number after this update (1 for the first). decoupled_weight_decay: AdamW's p ← p (1 − lr λ)
// first; otherwise (Adam) g ← g + λ p.
struct AdamStep {
  double lr, beta1, beta2, eps, weight_decay;
  bool amsgrad, decoupled_weight_decay;
  int64_t step;
};
void adam_step(const Tensor& p, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, const AdamStep& s);

// SGD. With momentum, `momentum_buffer` has p's shape; `first` says it holds nothing yet (it then
// becomes a copy of the gradient, as PyTorch's clone).
struct SgdStep {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, first;
};
void sgd_step(const Tensor& p, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& s);

// RMSprop. grad_avg is used when centered, momentum_buffer when momentum > 0.
struct RmspropStep {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered;
};
void rmsprop_step(const Tensor& p, const Tensor& grad, const Tensor& square_avg, const Tensor& grad_avg,
                  const Tensor& momentum_buffer, const RmspropStep& s);

// Adagrad; clr is the decayed learning rate of this step.
struct AdagradStep {
  double clr, eps, weight_decay;
};
void adagrad_step(const Tensor& p, const Tensor& grad, const Tensor& sum, const AdagradStep& s);

}  // namespace kernels
}  // namespace tg
