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

}  // namespace tg
