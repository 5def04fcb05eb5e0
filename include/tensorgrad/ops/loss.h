#pragma once
/// \file loss.h
/// Loss functions with libtorch's names, signatures and defaults. `reduction` is one of
/// tg::Reduction::None (per-element losses), Mean (the default) and Sum. An optional weight is
/// passed as an undefined tg::Tensor() when absent.

#include <cstdint>

#include "tensorgrad/tensor.h"

namespace tg {

/// As libtorch's at::Reduction.
namespace Reduction {
enum Reduction : int64_t { None = 0, Mean = 1, Sum = 2 };
}

/// (input - target)^2, reduced.
Tensor mse_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean);
/// |input - target|, reduced. Its gradient at input == target is 0.
Tensor l1_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean);
/// 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = input - target); beta = 0 gives l1.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean,
                      double beta = 1.0);
/// 0.5 d^2 where |d| <= delta, delta (|d| - 0.5 delta) elsewhere.
Tensor huber_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean, double delta = 1.0);
/// -w (t log(x) + (1 - t) log(1 - x)) for probabilities x in [0, 1]; each log is clamped to >= -100
/// (as PyTorch), so x = 0 or 1 gives a finite loss.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                            int64_t reduction = Reduction::Mean);
/// Binary cross entropy on logits, computed stably: (1 - t) x + (1 + (pos_weight - 1) t) softplus(-x),
/// times weight. Finite for logits of any size.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                                        const Tensor& pos_weight = {}, int64_t reduction = Reduction::Mean);
/// Negative log likelihood: -weight[t] * input[i, t] for log-probabilities input [N, C] (or [C],
/// or [N, C, d1, ...]) and int64 class targets; targets equal to ignore_index contribute nothing.
/// Mean divides by the summed weights of the counted targets.
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
/// nll_loss(log_softmax(input, 1), target) for int64 class targets, or -sum(t * log_softmax(input))
/// over classes for float class-probability targets of input's shape. label_smoothing mixes the
/// target with the uniform distribution. (libtorch's name.)
Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                          int64_t reduction = Reduction::Mean, int64_t ignore_index = -100,
                          double label_smoothing = 0.0);

/// The same as cross_entropy_loss (the name of torch.nn.functional.cross_entropy).
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = {},
                     int64_t reduction = Reduction::Mean, int64_t ignore_index = -100, double label_smoothing = 0.0);

/// Kullback-Leibler divergence for log-probabilities `input`: target (log target - input), 0 where
/// target is 0; with log_target the target is given as log-probabilities. Mean averages over
/// every element (divide a Sum by the batch size for the mathematical "batchmean").
Tensor kl_div(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean, bool log_target = false);

// ---- the rarer losses (src/ops/loss_extra.cpp): compositions of differentiable ops ----------------

/// log(1 + exp(-target * input)), reduced: the two-class logistic loss for targets in {-1, 1}.
Tensor soft_margin_loss(const Tensor& input, const Tensor& target, int64_t reduction = Reduction::Mean);
/// input where target != -1, plus max(0, margin - input) where target != 1 (targets in {-1, 1}), reduced.
Tensor hinge_embedding_loss(const Tensor& self, const Tensor& target, double margin = 1.0,
                            int64_t reduction = Reduction::Mean);
/// The multi-class hinge loss for input [N, C] (or [C]) and int64 class targets [N] (or 0-dim):
/// per row, sum over i != y of w[y] max(0, margin - x[y] + x[i])^p / C, for p = 1 or 2.
Tensor multi_margin_loss(const Tensor& self, const Tensor& target, const Scalar& p = 1, const Scalar& margin = 1,
                         const Tensor& weight = {}, int64_t reduction = Reduction::Mean);
/// 1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1; the cosine is
/// taken over the last dim of [N, D] inputs with a target [N], or of [D] inputs with a 0-dim target.
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                             int64_t reduction = Reduction::Mean);
/// The multi-label hinge loss for input [N, C] (or [C]) and an int64 target of the same shape
/// whose classes end at the first -1: per row, sum over target classes j and non-target classes i
/// of max(0, 1 - (x[j] - x[i])) / C.
Tensor multilabel_margin_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean);
/// max(0, margin + d(anchor, positive) - d(anchor, negative)) with d = pairwise_distance(., ., p,
/// eps); with swap, d(anchor, negative) is replaced by the smaller of it and d(positive, negative).
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin = 1.0,
                           double p = 2, double eps = 1e-06, bool swap = false, int64_t reduction = Reduction::Mean);
/// The negative log likelihood of a Poisson target: exp(input) - target input with log_input,
/// input - target log(input + eps) without; `full` adds Stirling's approximation of log(target!),
/// target log(target) - target + 0.5 log(2 pi target), where target > 1.
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full, double eps,
                        int64_t reduction);
/// max(0, -target (input1 - input2) + margin), reduced (targets in {-1, 1}).
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                           int64_t reduction = Reduction::Mean);

}  // namespace tg
