#pragma once
/// \file losses.h
/// Loss modules, as libtorch's torch::nn::MSELoss and the others: options as
/// tensorgrad/nn/functional/loss.h, forward(input, target) calls the F:: loss.
///
///     tg::nn::CrossEntropyLoss loss_fn(tg::nn::CrossEntropyLossOptions().label_smoothing(0.1));
///     tg::Tensor loss = loss_fn(logits, labels);

#include <ostream>

#include "tensorgrad/nn/functional/loss.h"
#include "tensorgrad/nn/module.h"

namespace tg {
namespace nn {

/// One loss module: NameImpl with `options` and forward(input, target) = F::fn(input, target,
/// options), printed as "tg::nn::Name()".
#define TG_LOSS_MODULE(Name, fn)                                                                                 \
  class Name##Impl : public Cloneable<Name##Impl> {                                                                             \
   public:                                                                                                       \
    void reset() override {}                                                                                     \
    explicit Name##Impl(const Name##Options& options = {}) : Cloneable("tg::nn::" #Name), options(options) {}       \
    Tensor forward(const Tensor& input, const Tensor& target) { return functional::fn(input, target, options); } \
    void pretty_print(std::ostream& stream) const override { stream << "tg::nn::" #Name "()"; }                  \
    Name##Options options;                                                                                       \
  };                                                                                                             \
  TG_MODULE(Name)

TG_LOSS_MODULE(MSELoss, mse_loss);
TG_LOSS_MODULE(L1Loss, l1_loss);
TG_LOSS_MODULE(SmoothL1Loss, smooth_l1_loss);
TG_LOSS_MODULE(HuberLoss, huber_loss);
TG_LOSS_MODULE(BCELoss, binary_cross_entropy);
TG_LOSS_MODULE(BCEWithLogitsLoss, binary_cross_entropy_with_logits);
TG_LOSS_MODULE(NLLLoss, nll_loss);
TG_LOSS_MODULE(CrossEntropyLoss, cross_entropy);
TG_LOSS_MODULE(KLDivLoss, kl_div);
#undef TG_LOSS_MODULE

}  // namespace nn
}  // namespace tg
