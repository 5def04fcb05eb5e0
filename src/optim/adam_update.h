#pragma once
// Shared by Adam and AdamW (src/optim/adam.cpp).
#include <string>
#include <tuple>

#include "tensorgrad/optim/adam.h"

namespace tg {
namespace optim {
namespace detail {

void check_betas(const std::string& who, const std::tuple<double, double>& betas);
// One step for parameter p: creates the state on first use, then the fused update (kernels/optim.h);
// decoupled_weight_decay selects AdamW's p ← p (1 − lr λ) over Adam's g ← g + λ p.
void adam_update(const Tensor& p, const Tensor& grad, AdamParamState& st, double lr, double beta1, double beta2,
                 double eps, double weight_decay, bool amsgrad, bool decoupled_weight_decay);

}  // namespace detail
}  // namespace optim
}  // namespace tg
