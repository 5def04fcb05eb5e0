#pragma once
// Helpers shared by the op files: type promotion and gradient reduction to an input's shape.
#include "autograd/function_impl.h"
#include "core/tensor_impl.h"

namespace tg {

// Shape and dtype of a forward input, kept by a node to shape the input's gradient.
struct InputMeta {
  InputMeta() = default;
  explicit InputMeta(const Tensor& t) : sizes(impl_of(t).sizes), dtype(impl_of(t).dtype) {}
  Shape sizes;
  ScalarType dtype = kFloat32;
};

// Sums a broadcast gradient back to the input's shape and converts it to the input's dtype.
// This is the one place where broadcasting is undone (see DESIGN.md).
Tensor reduce_grad(const Tensor& grad, const InputMeta& m);

// PyTorch's result_type for two tensors: dimensioned tensors decide unless a zero-dim operand is
// of a higher category (bool < integer < floating).
ScalarType result_type(const Tensor& a, const Tensor& b);
// Result type of tensor (op) scalar.
ScalarType result_type(const Tensor& a, const Scalar& s);

// x itself when floating, else x converted to the default dtype (for ops such as exp on int64).
inline Tensor to_float_input(const Tensor& x) { return x.is_floating_point() ? x : x.to(get_default_dtype()); }

// A 0-dim tensor of dtype `t` holding `s`.
Tensor scalar_to_tensor(const Scalar& s, ScalarType t);

// "[float32 [2, 3]]" for messages.
std::string describe(const Tensor& t);

}  // namespace tg
