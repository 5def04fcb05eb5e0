// The rarer losses and the distances of libtorch's nn: soft_margin, multilabel_soft_margin,
// hinge_embedding, multi_margin, cosine_embedding, multilabel_margin, triplet_margin (also with a
// distance function), poisson_nll, margin_ranking; cosine_similarity, pairwise_distance, pdist.
//
// Every one is a composition of differentiable ops (docs/architecture.md, "Composed ops"): they
// record no node of their own, and their first and second derivatives are those of the ops they
// are made of. Where PyTorch writes a loss as an op with its own backward (soft_margin_loss,
// multi_margin_loss, multilabel_margin_loss, _pdist_forward), the composition's derivative is the
// same (at a hinge too: positive_part below), and it has the second derivatives that PyTorch's
// multi_margin / multilabel_margin / pdist backward lack.
#include <cmath>
#include <limits>
#include <vector>

#include "ops/loss_util.h"
#include "ops/op_util.h"
#include "tensorgrad/nn/functional/distance.h"
#include "tensorgrad/nn/functional/loss.h"
#include "tensorgrad/ops/activation.h"
#include "tensorgrad/ops/distance.h"

namespace tg {

using namespace loss_util;  // NOLINT: the shared checks of ops/loss_util.h

namespace {

constexpr double kPi = 3.14159265358979323846;
// cosine_embedding_loss's guard of the squared magnitudes: PyTorch's `const float EPSILON = 1e-12`.
constexpr double kCosineEps = static_cast<double>(1e-12f);

// The broadcast shape of a and b, or an error naming `fn` and both shapes.
Shape broadcast_checked(const Tensor& a, const Tensor& b, const char* fn) {
  return broadcast_shapes(a.sizes(), b.sizes(), fn);
}

// `value` with the gradient of `grad_source`: value + (grad_source - grad_source.detach()), whose
// second term is exactly 0 for finite values.
Tensor with_gradient_of(const Tensor& value, const Tensor& grad_source) {
  return value + (grad_source - grad_source.detach());
}

// ||d||_p over `dim`, as PyTorch's vector norm: the number of non-zero elements (gradient 0) for
// p = 0, the largest |element| for p = inf (the gradient shared among ties, as PyTorch's), norm()
// otherwise.
Tensor vector_norm(const Tensor& d, double p, int64_t dim, bool keepdim) {
  if (p == 0) {
    Tensor count;
    {
      NoGradGuard ng;
      count = (d != 0.0).to(d.dtype()).sum(dim, keepdim);
    }
    return count + (d * 0.0).sum(dim, keepdim);
  }
  if (std::isinf(p)) {
    Tensor a = abs(d), largest, share;
    {
      NoGradGuard ng;
      largest = std::get<0>(max(a, dim, true));
      Tensor ties = (a == largest).to(d.dtype());
      share = ties / ties.sum(dim, true);
    }
    if (!keepdim) largest = largest.squeeze(dim);
    return with_gradient_of(largest, (a * share).sum(dim, keepdim));
  }
  return norm(d, p, {dim}, keepdim);
}

// max(z, 0) with the gradient of PyTorch's multi_margin / multilabel_margin kernels, which count
// only z > 0: none at z = 0 (clamp_min's passes there).
Tensor positive_part(const Tensor& z) { return where(z > 0.0, z, 0.0); }

// The rows and classes of multi_margin_loss's and multilabel_margin_loss's input: [N, C], [C] (one
// row) or a 0-dim input (one row of one class), as PyTorch's shape checks.
std::pair<int64_t, int64_t> frames_and_classes(const Tensor& self, const char* fn) {
  const int64_t nd = self.dim();
  const bool valid = (nd == 2 && self.size(1) != 0) || (nd == 1 && self.size(0) != 0) || nd == 0;
  TG_CHECK(valid, "{}: Expected non-empty vector or matrix with optional 0-dim batch size, but got: {} (input {})", fn,
           to_string(self.sizes()), describe(self));
  if (nd <= 1) return {1, nd == 0 ? 1 : self.size(0)};
  return {self.size(0), self.size(1)};
}

void check_class_targets(const Tensor& target, const char* fn) {
  TG_CHECK(target.defined(), "{}: target must be defined", fn);
  TG_CHECK(target.dtype() == kInt64, "{}: expected target of dtype int64 (class indices), got {}", fn,
           describe(target));
}

}  // namespace

Tensor soft_margin_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  const char* fn = "soft_margin_loss";
  check_reduction(reduction, fn);
  check_same_shape(input, target, fn);
  check_float(input, "input", fn);
  // log(1 + exp(-t x)) = -logsigmoid(t x), which stays finite for large |t x|
  return apply_loss_reduction(-logsigmoid(target * input), reduction);
}

Tensor hinge_embedding_loss(const Tensor& self, const Tensor& target, double margin, int64_t reduction) {
  const char* fn = "hinge_embedding_loss";
  check_reduction(reduction, fn);
  check_same_shape(self, target, fn);
  Tensor margin_part = where(target != 1.0, clamp_min(margin - self, 0), 0.0);
  Tensor self_part = where(target != -1.0, self, 0.0);
  return apply_loss_reduction(margin_part + self_part, reduction);
}

Tensor multi_margin_loss(const Tensor& self, const Tensor& target, const Scalar& p_, const Scalar& margin_,
                         const Tensor& weight, int64_t reduction) {
  const char* fn = "multi_margin_loss";
  check_reduction(reduction, fn);
  const double p = p_.to_double(), margin = margin_.to_double();
  TG_CHECK(p == 1 || p == 2, "{}: only p == 1 and p == 2 supported (got p = {})", fn, p);
  check_defined({self}, "input", fn);
  check_float(self, "input", fn);
  check_class_targets(target, fn);
  const auto [nframe, C] = frames_and_classes(self, fn);
  TG_CHECK(target.dim() <= 1 && target.numel() == nframe, "{}: inconsistent target size, got: {} (input {}, target {})",
           fn, to_string(target.sizes()), describe(self), describe(target));
  if (weight.defined()) {
    TG_CHECK(weight.dim() == 1, "{}: weight must be one-dimensional (got weight {})", fn, describe(weight));
    TG_CHECK(weight.numel() == C, "{}: expected a weight of {} elements, one per class, got weight {}", fn, C,
             describe(weight));
  }
  if (target.numel() > 0) {
    NoGradGuard ng;
    TG_CHECK(target.min().item<int64_t>() >= 0 && target.max().item<int64_t>() < C,
             "{}: target out of range (targets must be in [0, {}), got target {})", fn, C, describe(target));
  }
  Tensor x = self.reshape({nframe, C});
  Tensor t = target.reshape({nframe, 1});
  // max(0, margin - x[y] + x[i])^p for every class i but the target y
  Tensor z = positive_part(margin - x.gather(1, t) + x);
  Tensor h = where(arange(C, TensorOptions().dtype(kInt64)).unsqueeze(0) == t, 0.0, p == 2 ? z * z : z);
  if (weight.defined()) h = h * weight.index_select(0, t.reshape({-1})).unsqueeze(1);
  Tensor loss = h.sum(1) / static_cast<double>(C);
  if (reduction == Reduction::None) return target.dim() == 0 ? loss.reshape(IntArrayRef()) : loss;
  return apply_loss_reduction(loss, reduction);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                             int64_t reduction) {
  const char* fn = "cosine_embedding_loss";
  check_reduction(reduction, fn);
  check_defined({input1, input2, target}, "input1, input2 and target", fn);
  const int64_t targ_dim = target.dim();
  TG_CHECK(targ_dim == 1 || targ_dim == 0, "{}: 0D or 1D target tensor expected, multi-target not supported (got {})",
           fn, describe(target));
  TG_CHECK(input1.dim() == targ_dim + 1 && input2.dim() == targ_dim + 1,
           "{}: {}D target tensor expects {}D input tensors, but found inputs with sizes {} and {}.", fn, targ_dim,
           targ_dim + 1, to_string(input1.sizes()), to_string(input2.sizes()));
  broadcast_checked(input1, input2, fn);
  Tensor prod_sum = (input1 * input2).sum(targ_dim);
  Tensor mag_square1 = (input1 * input1).sum(targ_dim) + kCosineEps;
  Tensor mag_square2 = (input2 * input2).sum(targ_dim) + kCosineEps;
  Tensor cos = prod_sum / sqrt(mag_square1 * mag_square2);
  broadcast_checked(cos, target, fn);
  Tensor pos = where(target == 1.0, 1 - cos, 0.0);
  Tensor neg = where(target == -1.0, clamp_min(cos - margin, 0), 0.0);
  return apply_loss_reduction(pos + neg, reduction);
}

Tensor multilabel_margin_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  const char* fn = "multilabel_margin_loss";
  check_reduction(reduction, fn);
  check_defined({self}, "input", fn);
  check_float(self, "input", fn);
  check_class_targets(target, fn);
  const auto [nframe, C] = frames_and_classes(self, fn);
  const bool consistent = self.dim() <= 1 ? target.dim() <= 1 && target.numel() == C
                                          : target.dim() == 2 && target.size(0) == nframe && target.size(1) == C;
  TG_CHECK(consistent, "{}: inconsistent size {} for argument #2 'target' (input {}, target {})", fn,
           to_string(target.sizes()), describe(self), describe(target));
  // Each row's target classes are its entries before the first -1. The pairs (target class j,
  // other class i) are laid out as [N, K, C]: K target slots per row (the longest row's count),
  // a mask marking the real slots and the classes that are not targets of the row.
  std::vector<int64_t> t = target.contiguous().tolist<int64_t>();
  for (int64_t v : t)
    TG_CHECK(v >= -1 && v < C,
             "{}: argument #2 'target' is out of range (classes in [0, {}) or -1 are allowed, got {})", fn, C, v);
  std::vector<std::vector<int64_t>> rows(static_cast<size_t>(nframe));
  size_t K = 1;
  for (int64_t n = 0; n < nframe; ++n) {
    for (int64_t k = 0; k < C && t[static_cast<size_t>(n * C + k)] >= 0; ++k)
      rows[static_cast<size_t>(n)].push_back(t[static_cast<size_t>(n * C + k)]);
    K = std::max(K, rows[static_cast<size_t>(n)].size());
  }
  std::vector<int64_t> slots(static_cast<size_t>(nframe) * K, 0), pairs(static_cast<size_t>(nframe) * K * C, 0);
  for (size_t n = 0; n < rows.size(); ++n) {
    std::vector<bool> is_target(static_cast<size_t>(C), false);
    for (int64_t j : rows[n]) is_target[static_cast<size_t>(j)] = true;
    for (size_t k = 0; k < rows[n].size(); ++k) {
      slots[n * K + k] = rows[n][k];
      for (int64_t i = 0; i < C; ++i) pairs[(n * K + k) * C + i] = is_target[static_cast<size_t>(i)] ? 0 : 1;
    }
  }
  const auto i64 = TensorOptions().dtype(kInt64);
  const int64_t k64 = static_cast<int64_t>(K);
  Tensor j = tensor(slots, i64).reshape({nframe, k64});
  Tensor mask = tensor(pairs, i64).reshape({nframe, k64, C}) != 0;
  Tensor x = self.reshape({nframe, C});
  // max(0, 1 - (x[j] - x[i])) for each target class j and each class i that is not a target
  Tensor z = positive_part(1 - x.gather(1, j).unsqueeze(2) + x.unsqueeze(1));
  Tensor loss = where(mask, z, 0.0).sum({1, 2}) / static_cast<double>(C);
  if (reduction == Reduction::None) return target.dim() <= 1 ? loss.reshape(IntArrayRef()) : loss;
  return apply_loss_reduction(loss, reduction);
}

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin,
                           double p, double eps, bool swap, int64_t reduction) {
  const char* fn = "triplet_margin_loss";
  check_reduction(reduction, fn);
  check_defined({anchor, positive, negative}, "anchor, positive and negative", fn);
  TG_CHECK(anchor.dim() == positive.dim() && positive.dim() == negative.dim(),
           "{}: All inputs should have same dimension but got {}D, {}D and {}D inputs.", fn, anchor.dim(),
           positive.dim(), negative.dim());
  Tensor dist_pos = pairwise_distance(anchor, positive, p, eps);
  Tensor dist_neg = pairwise_distance(anchor, negative, p, eps);
  if (swap) dist_neg = min(dist_neg, pairwise_distance(positive, negative, p, eps));
  return apply_loss_reduction(clamp_min(margin + dist_pos - dist_neg, 0), reduction);
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full, double eps,
                        int64_t reduction) {
  const char* fn = "poisson_nll_loss";
  check_reduction(reduction, fn);
  check_same_shape(input, target, fn);
  Tensor loss = log_input ? exp(input) - target * input : input - target * log(input + eps);
  if (full) {
    // target log(target) - target + 0.5 log(2 pi target) where target > 1, else 0; computed at a
    // stand-in target of 2 elsewhere, so that neither the value nor its gradient meets log(0)
    Tensor counted = target > 1.0;
    Tensor t = where(counted, target, 2.0);
    Tensor stirling = t * log(t) - t + 0.5 * log((2 * kPi) * t);
    loss = loss + where(counted, stirling, 0.0);
  }
  return apply_loss_reduction(loss, reduction);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                           int64_t reduction) {
  const char* fn = "margin_ranking_loss";
  check_reduction(reduction, fn);
  check_defined({input1, input2, target}, "input1, input2 and target", fn);
  TG_CHECK(input1.dim() == input2.dim() && input1.dim() == target.dim(),
           "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: {}, input2: {}, "
           "target: {}",
           to_string(input1.sizes()), to_string(input2.sizes()), to_string(target.sizes()));
  broadcast_shapes(broadcast_checked(input1, input2, fn), target.sizes(), fn);
  return apply_loss_reduction(clamp_min(-target * (input1 - input2) + margin, 0), reduction);
}

// ---- distances ----------------------------------------------------------------------------------

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
  const char* fn = "cosine_similarity";
  check_defined({x1, x2}, "x1 and x2", fn);
  const ScalarType common = result_type(x1, x2);
  TG_CHECK(is_floating_point(common),
           "{}: expected common dtype to be floating point, yet common dtype is {} (x1 {}, x2 {})", fn,
           dtype_name(common), describe(x1), describe(x2));
  const Shape size = broadcast_checked(x1, x2, fn);
  Tensor a = x1.to(common).expand(size), b = x2.to(common).expand(size);
  // As PyTorch: each squared norm is clamped to eps^2 without the clamp being differentiated.
  auto clamped_norm = [dim, eps](const Tensor& x) {
    Tensor sq = (x * x).sum(dim, true);
    Tensor clamped;
    {
      NoGradGuard ng;
      clamped = clamp_min(sq, eps * eps);
    }
    return sqrt(with_gradient_of(clamped, sq));
  };
  return ((a / clamped_norm(a)) * (b / clamped_norm(b))).sum(dim);
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  const char* fn = "pairwise_distance";
  check_defined({x1, x2}, "x1 and x2", fn);
  TG_CHECK(p >= 0, "{}: p must be non-negative (got p = {})", fn, p);
  broadcast_checked(x1, x2, fn);
  const int64_t innermost = std::max(x1.dim(), x2.dim()) - 1;
  TG_CHECK(innermost >= 0, "{}: expected inputs of at least 1 dimension (got x1 {}, x2 {})", fn, describe(x1),
           describe(x2));
  return vector_norm(x1 - x2 + eps, p, innermost, keepdim);
}

Tensor pdist(const Tensor& input, double p) {
  TG_CHECK(input.defined(), "pdist: input must be defined");
  TG_CHECK(input.dim() == 2, "pdist only supports 2D tensors, got: {}D (input {})", input.dim(), describe(input));
  TG_CHECK(input.is_floating_point(), "pdist only supports floating-point dtypes (got input {})", describe(input));
  TG_CHECK(p >= 0, "pdist only supports non-negative p values (got p = {})", p);
  const int64_t n = input.size(0);
  std::vector<int64_t> first, second;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) {
      first.push_back(i);
      second.push_back(j);
    }
  const auto i64 = TensorOptions().dtype(kInt64);
  Tensor d = input.index_select(0, tensor(first, i64)) - input.index_select(0, tensor(second, i64));
  return vector_norm(d, p, 1, false);
}

// ---- the F:: losses that libtorch writes in its functional header -------------------------------

namespace nn {
namespace functional {

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultilabelSoftMarginLossFuncOptions& o) {
  const char* fn = "multilabel_soft_margin_loss";
  check_same_shape(input, target, fn);
  check_float(input, "input", fn);
  TG_CHECK(input.dim() >= 1, "{}: expected an input with a class dimension, got {}", fn, describe(input));
  Tensor loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input));
  if (o.weight().defined()) loss = loss * o.weight();
  const int64_t class_dim = input.dim() - 1;
  loss = loss.sum(class_dim) / static_cast<double>(input.size(class_dim));
  return apply_loss_reduction(loss, tg::detail::reduction_of(o.reduction()));
}

Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                                         const TripletMarginWithDistanceLossFuncOptions& o) {
  const auto& distance_function = o.distance_function();
  auto distance = [&distance_function](const Tensor& a, const Tensor& b) {
    return distance_function ? (*distance_function)(a, b) : tg::pairwise_distance(a, b);
  };
  Tensor dist_pos = distance(anchor, positive);
  Tensor dist_neg = distance(anchor, negative);
  if (o.swap()) dist_neg = min(dist_neg, distance(positive, negative));
  return apply_loss_reduction(clamp_min(dist_pos - dist_neg + o.margin(), 0), tg::detail::reduction_of(o.reduction()));
}

}  // namespace functional
}  // namespace nn

}  // namespace tg
