#pragma once
/// \file activation.h
/// Activation functions as graph ops. sigmoid, tanh and relu are declared in tensor.h.
/// Each entry gives the formula, the output range and the derivative; the value of the
/// derivative at a kink follows PyTorch. docs/activations.md has the full table and advice.

#include <string>

#include "tensorgrad/tensor.h"

namespace tg {

/// The activations without parameters, as (function, module): tg::nn has one module per entry,
/// tg::nn::Name with forward tg::fn(input) (nn/modules.h).
#define TG_PARAMETERLESS_ACTIVATIONS(X)                                                                     \
  X(silu, SiLU) X(mish, Mish) X(sigmoid, Sigmoid) X(tanh, Tanh) \
  X(hardsigmoid, Hardsigmoid) X(hardswish, Hardswish) X(logsigmoid, LogSigmoid) X(softsign, Softsign)

/// x where x > threshold, value elsewhere (as torch::threshold). d/dx = 1 where x > threshold, else 0.
Tensor threshold(const Tensor& x, const Scalar& threshold, const Scalar& value);
/// x for x > 0, negative_slope * x otherwise. Range (-inf, inf).
/// d/dx = 1 for x > 0, negative_slope for x <= 0 (leaky_relu'(0) = negative_slope).
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope = 0.01);
/// scale * (x for x > 0, alpha * (e^(input_scale * x) - 1) otherwise). Range (-alpha*scale, inf).
/// d/dx = scale for x > 0, scale * alpha * input_scale * e^(input_scale * x) for x <= 0 (so
/// elu'(0) = alpha with the defaults).
Tensor elu(const Tensor& x, const Scalar& alpha = 1, const Scalar& scale = 1, const Scalar& input_scale = 1);
/// scale * elu(x, alpha) with alpha = 1.6732632423543772, scale = 1.0507009873554805 (self-normalising).
/// Range (-1.7581, inf); d/dx = scale for x > 0, scale * alpha * e^x for x <= 0.
Tensor selu(const Tensor& x);
/// max(0, x) + min(0, alpha * (e^(x / alpha) - 1)). Range (-alpha, inf).
/// d/dx = 1 for x > 0, e^(x / alpha) for x <= 0 (celu'(0) = 1).
Tensor celu(const Tensor& x, const Scalar& alpha = 1.0);
/// x for x > 0, weight * x otherwise; weight has one value, or one per channel (dim 1), and is
/// learnable. d/dx = 1 for x > 0, weight for x <= 0; d/dweight = x for x <= 0, else 0.
Tensor prelu(const Tensor& x, const Tensor& weight);
/// x * sigmoid(x) (Swish with beta = 1). Range about (-0.2785, inf).
/// d/dx = s (1 + x (1 - s)) with s = sigmoid(x).
Tensor silu(const Tensor& x);
/// Gaussian error linear unit: x * Phi(x) = x/2 (1 + erf(x / sqrt 2)), or with approximate =
/// "tanh": x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Range about (-0.17, inf).
/// d/dx = Phi(x) + x phi(x) (exact form).
Tensor gelu(const Tensor& x, const std::string& approximate = "none");
/// log(1 + e^(beta x)) / beta, and x itself where beta x > threshold. Range (0, inf).
/// d/dx = sigmoid(beta x) (1 where beta x > threshold).
Tensor softplus(const Tensor& x, const Scalar& beta = 1, const Scalar& threshold = 20);
/// x * tanh(softplus(x)). Range about (-0.3088, inf).
/// d/dx = t + x s (1 - t^2) with t = tanh(softplus(x)), s = sigmoid(x).
Tensor mish(const Tensor& x);
/// clamp(x, min_val, max_val). d/dx = 1 strictly inside (min_val, max_val), 0 elsewhere,
/// including at the bounds (as PyTorch).
Tensor hardtanh(const Tensor& x, const Scalar& min_val = -1, const Scalar& max_val = 1);
/// min(max(x, 0), 6). d/dx = 1 for 0 < x < 6, else 0 (relu6'(0) = relu6'(6) = 0).
Tensor relu6(const Tensor& x);
/// relu6(x + 3) / 6. Range [0, 1]. d/dx = 1/6 for -3 < x < 3, else 0.
Tensor hardsigmoid(const Tensor& x);
/// x * relu6(x + 3) / 6. Range [-0.375, inf). d/dx = 0 for x < -3, x/3 + 1/2 for -3 <= x <= 3,
/// 1 for x > 3 (as PyTorch).
Tensor hardswish(const Tensor& x);
/// log(sigmoid(x)) = min(x, 0) - log(1 + e^-|x|). Range (-inf, 0). d/dx = sigmoid(-x).
Tensor logsigmoid(const Tensor& x);
/// libtorch's spelling of logsigmoid.
inline Tensor log_sigmoid(const Tensor& x) { return logsigmoid(x); }
/// x / (1 + |x|). Range (-1, 1). d/dx = 1 / (1 + |x|)^2.
Tensor softsign(const Tensor& x);
/// x - lambd for x > lambd, x + lambd for x < -lambd, 0 in between (lambd >= 0). Range (-inf, inf).
/// d/dx = 1 for |x| > lambd, 0 for |x| <= lambd (softshrink'(+-lambd) = 0, as PyTorch).
Tensor softshrink(const Tensor& x, const Scalar& lambd = 0.5);
/// x for |x| > lambd, 0 for |x| <= lambd. d/dx = 1 for |x| > lambd, 0 for |x| <= lambd.
Tensor hardshrink(const Tensor& x, const Scalar& lambd = 0.5);
/// The error function 2/sqrt(pi) * integral_0^x e^(-t^2) dt. Range (-1, 1).
/// d/dx = 2/sqrt(pi) e^(-x^2).
Tensor erf(const Tensor& x);

/// e^x_i / sum_j e^x_j along dim (the maximum is subtracted first). Range (0, 1), sums to 1.
/// Backward: y * (g - sum(g * y)) along dim.
Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
/// x_i - logsumexp(x) along dim. Range (-inf, 0]. Backward: g - e^y * sum(g) along dim.
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
/// log(sum e^x) over dims (the maximum is subtracted first). d/dx = e^(x - result).
Tensor logsumexp(const Tensor& x, IntArrayRef dim, bool keepdim = false);

/// The perceptron's step function: 0 for x < 0, values where x == 0, 1 for x > 0. Forward only:
/// its derivative is zero almost everywhere and undefined at 0, so the result never requires grad.
Tensor heaviside(const Tensor& x, const Tensor& values);

/// x * sigmoid(beta x). beta = 1 gives silu. Range about (-0.2785/beta, inf) for beta > 0.
/// d/dx = s + beta x s (1 - s) with s = sigmoid(beta x); d/dbeta = x^2 s (1 - s).
Tensor swish(const Tensor& x, double beta = 1.0);
/// Swish with a learnable beta (a one-element tensor), which receives a gradient.
Tensor swish(const Tensor& x, const Tensor& beta);
/// (x + sqrt(x^2 + b)) / 2, a smooth relu; b > 0. Range (0, inf).
/// d/dx = (1 + x / sqrt(x^2 + b)) / 2. Computed as b / (2 (sqrt(x^2 + b) - x)) for x < 0, which
/// has no cancellation.
Tensor squareplus(const Tensor& x, double b = 4);
/// Smooth maximum unit: ((1 + alpha) x + (1 - alpha) x erf(mu (1 - alpha) x)) / 2, a smooth
/// approximation of leaky relu; mu is a learnable one-element tensor and receives a gradient.
Tensor smu(const Tensor& x, const Tensor& mu, double alpha = 0.25);
/// SMU-1: ((1 + alpha) x + sqrt(((1 - alpha) x)^2 + mu^2)) / 2; mu is a learnable one-element tensor.
Tensor smu1(const Tensor& x, const Tensor& mu, double alpha = 0.25);
/// Maxout: the maximum over groups of `pieces` consecutive features along dim; the size of dim
/// must be a multiple of pieces and shrinks by that factor. The gradient flows to the maximum.
Tensor maxout(const Tensor& x, int64_t pieces, int64_t dim = -1);

/// grad * y * (1 - y), where y = sigmoid(x): the backward of sigmoid, as a differentiable op.
Tensor sigmoid_backward(const Tensor& grad, const Tensor& y);
/// grad * (1 - y^2), where y = tanh(x): the backward of tanh, as a differentiable op.
Tensor tanh_backward(const Tensor& grad, const Tensor& y);
/// grad where self > threshold, else 0: the backward of relu / threshold, as a differentiable op
/// (its derivative w.r.t. self is a defined zero, as PyTorch's).
Tensor threshold_backward(const Tensor& grad, const Tensor& self, double threshold);

}  // namespace tg
