#pragma once
/// \file activation.h
/// Activation functions beyond sigmoid / tanh / relu (declared in tensor.h), and the fused
/// backward ops they use. See docs/activations.md for the table of formulas and advice.

#include "tensorgrad/tensor.h"

namespace tg {

/// grad * y * (1 - y), where y = sigmoid(x): the backward of sigmoid, as a differentiable op.
Tensor sigmoid_backward(const Tensor& grad, const Tensor& y);
/// grad * (1 - y^2), where y = tanh(x): the backward of tanh, as a differentiable op.
Tensor tanh_backward(const Tensor& grad, const Tensor& y);
/// grad where self > threshold, else 0: the backward of relu / threshold, as a differentiable op
/// (its derivative w.r.t. self is a defined zero, as PyTorch's).
Tensor threshold_backward(const Tensor& grad, const Tensor& self, double threshold);

}  // namespace tg
