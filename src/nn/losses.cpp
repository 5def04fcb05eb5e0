// The loss modules of tensorgrad/nn/losses.h: reset() registers the buffers libtorch's registers,
// pretty_print writes what libtorch's writes, forward calls the F:: loss.
#include "tensorgrad/nn/losses.h"

#include "ops/op_util.h"

namespace tg {
namespace nn {

namespace F = functional;

namespace {
const char* bool_name(bool b) { return b ? "true" : "false"; }
}  // namespace

// ---- the losses without buffers, printed "tg::nn::Name()" ---------------------------------------

#define TG_PLAIN_LOSS(Name)   \
  void Name##Impl::reset() {} \
  void Name##Impl::pretty_print(std::ostream& stream) const { stream << name() << "()"; }
TG_PLAIN_LOSS(L1Loss)
TG_PLAIN_LOSS(KLDivLoss)
TG_PLAIN_LOSS(MSELoss)
TG_PLAIN_LOSS(MultiLabelMarginLoss)
TG_PLAIN_LOSS(SoftMarginLoss)
TG_PLAIN_LOSS(PoissonNLLLoss)
TG_PLAIN_LOSS(MarginRankingLoss)
#undef TG_PLAIN_LOSS

Tensor L1LossImpl::forward(const Tensor& input, const Tensor& target) { return F::l1_loss(input, target, options); }
Tensor KLDivLossImpl::forward(const Tensor& input, const Tensor& target) { return F::kl_div(input, target, options); }
Tensor MSELossImpl::forward(const Tensor& input, const Tensor& target) { return F::mse_loss(input, target, options); }
Tensor MultiLabelMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::multilabel_margin_loss(input, target, options);
}
Tensor SoftMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::soft_margin_loss(input, target, options);
}
Tensor PoissonNLLLossImpl::forward(const Tensor& log_input, const Tensor& target) {
  return F::poisson_nll_loss(log_input, target, options);
}
Tensor MarginRankingLossImpl::forward(const Tensor& input1, const Tensor& input2, const Tensor& target) {
  return F::margin_ranking_loss(input1, input2, target, options);
}

// ---- SmoothL1Loss and HuberLoss: printed without parentheses, as libtorch's -----------------------

void SmoothL1LossImpl::reset() {}
void SmoothL1LossImpl::pretty_print(std::ostream& stream) const { stream << name(); }
Tensor SmoothL1LossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::smooth_l1_loss(input, target, options);
}

void HuberLossImpl::reset() {}
void HuberLossImpl::pretty_print(std::ostream& stream) const { stream << name(); }
Tensor HuberLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::huber_loss(input, target, options);
}

// ---- with their options printed ------------------------------------------------------------------

void HingeEmbeddingLossImpl::reset() {}
void HingeEmbeddingLossImpl::pretty_print(std::ostream& stream) const {
  stream << name() << "(margin=" << options.margin() << ")";
}
Tensor HingeEmbeddingLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::hinge_embedding_loss(input, target, options);
}

void CosineEmbeddingLossImpl::reset() {}
void CosineEmbeddingLossImpl::pretty_print(std::ostream& stream) const {
  stream << name() << "(margin=" << options.margin() << ")";
}
Tensor CosineEmbeddingLossImpl::forward(const Tensor& input1, const Tensor& input2, const Tensor& target) {
  return F::cosine_embedding_loss(input1, input2, target, options);
}

void TripletMarginLossImpl::reset() {}
void TripletMarginLossImpl::pretty_print(std::ostream& stream) const {
  stream << name() << "(margin=" << options.margin() << ", p=" << options.p() << ", eps=" << options.eps()
         << ", swap=" << bool_name(options.swap()) << ")";
}
Tensor TripletMarginLossImpl::forward(const Tensor& anchor, const Tensor& positive, const Tensor& negative) {
  return F::triplet_margin_loss(anchor, positive, negative, options);
}

void TripletMarginWithDistanceLossImpl::reset() {}
void TripletMarginWithDistanceLossImpl::pretty_print(std::ostream& stream) const {
  stream << name() << "(margin=" << options.margin() << ", swap=" << bool_name(options.swap()) << ")";
}
Tensor TripletMarginWithDistanceLossImpl::forward(const Tensor& anchor, const Tensor& positive,
                                                  const Tensor& negative) {
  return F::triplet_margin_with_distance_loss(anchor, positive, negative, options);
}

void MultiMarginLossImpl::reset() {
  TG_CHECK(options.p() == 1 || options.p() == 2, "MultiMarginLoss: only p == 1 and p == 2 supported (got p = {})",
           options.p());
  TG_CHECK(!options.weight().defined() || options.weight().dim() == 1,
           "MultiMarginLoss: weight must be one-dimensional (got weight {})", describe(options.weight()));
  register_buffer("weight", options.weight());
}
void MultiMarginLossImpl::pretty_print(std::ostream& stream) const {
  stream << name() << "(p=" << options.p() << ", margin=" << options.margin() << ", weight=" << options.weight()
         << ", reduction=" << enumtype::get_enum_name(options.reduction()) << ")";
}
Tensor MultiMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::multi_margin_loss(input, target, options);
}

// ---- with buffers, printed "tg::nn::Name()" ---------------------------------------------------------

void BCELossImpl::reset() { register_buffer("weight", options.weight()); }
void BCELossImpl::pretty_print(std::ostream& stream) const { stream << name() << "()"; }
Tensor BCELossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy(input, target, options);
}

void MultiLabelSoftMarginLossImpl::reset() { register_buffer("weight", options.weight()); }
void MultiLabelSoftMarginLossImpl::pretty_print(std::ostream& stream) const { stream << name() << "()"; }
Tensor MultiLabelSoftMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::multilabel_soft_margin_loss(input, target, options);
}

void NLLLossImpl::reset() { weight = register_buffer("weight", options.weight()); }
void NLLLossImpl::pretty_print(std::ostream& stream) const { stream << name() << "()"; }
Tensor NLLLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::nll_loss(input, target, F::NLLLossFuncOptions(options).weight(weight));
}

void CrossEntropyLossImpl::reset() { weight = register_buffer("weight", options.weight()); }
void CrossEntropyLossImpl::pretty_print(std::ostream& stream) const { stream << name() << "()"; }
Tensor CrossEntropyLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::cross_entropy(input, target, F::CrossEntropyFuncOptions(options).weight(weight));
}

void BCEWithLogitsLossImpl::reset() {
  weight = register_buffer("weight", options.weight());
  pos_weight = register_buffer("pos_weight", options.pos_weight());
}
void BCEWithLogitsLossImpl::pretty_print(std::ostream& stream) const { stream << name() << "()"; }
Tensor BCEWithLogitsLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy_with_logits(input, target, options);
}

}  // namespace nn
}  // namespace tg
