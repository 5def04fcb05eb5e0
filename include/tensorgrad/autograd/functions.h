#pragma once
/// \file functions.h
/// Graph functions libtorch's tests use directly (torch/csrc/autograd/functions/basic_ops.h).

#include <string>

#include "tensorgrad/autograd/node.h"

namespace tg {
namespace autograd {

/// A function whose outputs are copies of its inputs and whose backward gives every input an
/// undefined gradient: a way to check how a backward rule, or a custom Function, handles a
/// gradient that is missing. `UndefinedGrad().apply({y})[0].backward()` runs the graph of y
/// with an undefined incoming gradient (so a custom Function receives zeros, or an undefined
/// tensor after set_materialize_grads(false)).
class UndefinedGrad : public Node {
 public:
  /// One copy per input; a copy of an input that requires grad is recorded with an
  /// "UndefinedGradBackward" node.
  variable_list apply(variable_list&& inputs) override;
  std::string name() const override { return "UndefinedGrad"; }
};

}  // namespace autograd
}  // namespace tg
