#pragma once
/// \file losses.h
/// Loss modules, as libtorch's torch::nn::MSELoss and the others: options as
/// tensorgrad/nn/functional/loss.h, forward calls the F:: loss with them. Each prints as libtorch's
/// does ("tg::nn::MSELoss()", "tg::nn::SmoothL1Loss", "tg::nn::TripletMarginLoss(margin=1, p=2,
/// eps=1e-06, swap=false)", ...), and registers the buffers libtorch's registers (weight, and
/// BCEWithLogitsLoss's pos_weight).
///
///     tg::nn::CrossEntropyLoss loss_fn(tg::nn::CrossEntropyLossOptions().label_smoothing(0.1));
///     tg::Tensor loss = loss_fn(logits, labels);
///     tg::nn::TripletMarginLoss triplet(tg::nn::TripletMarginLossOptions().margin(0.5));
///     tg::Tensor t = triplet(anchor, positive, negative);

#include <ostream>

#include "tensorgrad/nn/functional/loss.h"
#include "tensorgrad/nn/module.h"

namespace tg {
namespace nn {

/// The part every loss module shares: NameImpl, Cloneable, constructed from its NameOptions (reset()
/// is called, as libtorch's constructors do), `options`; reset(), pretty_print and forward are in
/// src/nn/losses.cpp.
#define TG_LOSS_MODULE_HEAD(Name)                                                                               \
  class Name##Impl : public Cloneable<Name##Impl> {                                                             \
   public:                                                                                                      \
    explicit Name##Impl(const Name##Options& options_ = {}) : Cloneable("tg::nn::" #Name), options(options_) { \
      reset(); /* NOLINT: Name##Impl's own reset */                                                             \
    }                                                                                                           \
    void reset() override;                                                                                      \
    void pretty_print(std::ostream& stream) const override;                                                     \
    Name##Options options;

/// A loss module with forward(input, target).
#define TG_LOSS_MODULE(Name)                                  \
  TG_LOSS_MODULE_HEAD(Name)                                   \
  Tensor forward(const Tensor& input, const Tensor& target); \
  }                                                           \
  ;                                                           \
  TG_MODULE(Name)

/// A loss module with forward(a, b, c) (libtorch's names of the three tensors).
#define TG_LOSS_MODULE_3(Name, a, b, c)                                 \
  TG_LOSS_MODULE_HEAD(Name)                                             \
  Tensor forward(const Tensor& a, const Tensor& b, const Tensor& c); \
  }                                                                     \
  ;                                                                     \
  TG_MODULE(Name)

// clang-format off
TG_LOSS_MODULE(L1Loss);
TG_LOSS_MODULE(KLDivLoss);
TG_LOSS_MODULE(MSELoss);

/// Registers options.weight() as the buffer "weight".
TG_LOSS_MODULE(BCELoss);

/// Printed "tg::nn::HingeEmbeddingLoss(margin=1)".
TG_LOSS_MODULE(HingeEmbeddingLoss);

/// Printed "tg::nn::MultiMarginLoss(p=1, margin=1, weight=[ Tensor (undefined) ], reduction=kMean)";
/// registers options.weight() as the buffer "weight". p must be 1 or 2, the weight one-dimensional.
TG_LOSS_MODULE(MultiMarginLoss);

/// forward(input1, input2, target); printed "tg::nn::CosineEmbeddingLoss(margin=0)".
TG_LOSS_MODULE_3(CosineEmbeddingLoss, input1, input2, target);

/// Registers options.weight() as the buffer "weight".
TG_LOSS_MODULE(MultiLabelSoftMarginLoss);

/// forward(anchor, positive, negative); printed "tg::nn::TripletMarginLoss(margin=1, p=2, eps=1e-06, swap=false)".
TG_LOSS_MODULE_3(TripletMarginLoss, anchor, positive, negative);

/// forward(anchor, positive, negative); printed "tg::nn::TripletMarginWithDistanceLoss(margin=1, swap=false)".
TG_LOSS_MODULE_3(TripletMarginWithDistanceLoss, anchor, positive, negative);

TG_LOSS_MODULE(MultiLabelMarginLoss);
TG_LOSS_MODULE(SoftMarginLoss);

/// Printed "tg::nn::SmoothL1Loss", without parentheses, as libtorch's.
TG_LOSS_MODULE(SmoothL1Loss);

/// Printed "tg::nn::HuberLoss", without parentheses, as libtorch's.
TG_LOSS_MODULE(HuberLoss);

/// forward(log_input, target) (the input is a log-rate unless options.log_input() is false).
TG_LOSS_MODULE(PoissonNLLLoss);

/// forward(input1, input2, target).
TG_LOSS_MODULE_3(MarginRankingLoss, input1, input2, target);

/// `weight` is the buffer "weight" (options.weight()), which forward uses.
TG_LOSS_MODULE_HEAD(NLLLoss)
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
};
TG_MODULE(NLLLoss);

/// `weight` is the buffer "weight" (options.weight()), which forward uses.
TG_LOSS_MODULE_HEAD(CrossEntropyLoss)
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
};
TG_MODULE(CrossEntropyLoss);

/// `weight` and `pos_weight` are the buffers "weight" and "pos_weight" (the options' tensors).
TG_LOSS_MODULE_HEAD(BCEWithLogitsLoss)
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
  Tensor pos_weight;
};
TG_MODULE(BCEWithLogitsLoss);
// clang-format on

#undef TG_LOSS_MODULE_3
#undef TG_LOSS_MODULE
#undef TG_LOSS_MODULE_HEAD

}  // namespace nn
}  // namespace tg
