#pragma once
/// \file engine.h
/// Running backward: tg::autograd::backward and tg::autograd::grad, with PyTorch's semantics.

#include <optional>
#include <vector>

#include "tensorgrad/tensor.h"

namespace tg {
namespace autograd {

/// Accumulates d(sum of tensors[i] * grad_tensors[i]) / d(leaf) into every leaf's grad().
/// A grad_tensors entry may be undefined for a one-element tensor (it is then 1).
/// retain_graph defaults to create_graph; without it, saved tensors are freed.
/// With `inputs`, gradients are accumulated into those tensors' grad() only (leaves or not), and
/// every other grad() is left as it is.
void backward(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const std::vector<Tensor>& inputs = {});

/// Returns d(sum of outputs[i] * grad_outputs[i]) / d(inputs[j]) for each input, without
/// touching any grad(). With allow_unused, an input the outputs do not depend on gets an
/// undefined tensor; otherwise that is an error. `inputs` must not be empty.
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {},
                         std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                         bool allow_unused = false);

/// A tensor of `data` without its history (sharing its storage), as a new leaf that requires grad
/// when asked: libtorch's make_variable.
Tensor make_variable(const Tensor& data, bool requires_grad = false);

}  // namespace autograd
}  // namespace tg
