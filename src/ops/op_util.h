#pragma once
// What every op file needs: the declaration vocabulary of autograd/record.h, type promotion, and
// small helpers. An op file deals with shapes, dtypes, broadcasting and autograd; its loops over
// buffers are in src/kernels/ (docs/architecture.md, "Layers").
#include "autograd/record.h"
#include "core/tensor_impl.h"

namespace tg {

using autograd::for_grad;
using autograd::Grads;
using autograd::inputs;
using autograd::record;
using autograd::save;

// PyTorch's result_type for two tensors: dimensioned tensors decide unless a zero-dim operand is
// of a higher category (bool < integer < floating).
ScalarType result_type(const Tensor& a, const Tensor& b);
// Result type of tensor (op) scalar.
ScalarType result_type(const Tensor& a, const Scalar& s);

// x itself when floating, else x converted to the default dtype (for ops such as exp on int64).
inline Tensor to_float_input(const Tensor& x) { return x.is_floating_point() ? x : x.to(get_default_dtype()); }

// A 0-dim tensor of dtype `t` holding `s`.
Tensor scalar_to_tensor(const Scalar& s, ScalarType t);

// libtorch's _unsafe_view: a view of a contiguous tensor in `shape` (UnsafeViewBackward0), for ops
// whose result libtorch builds that way (reshape of a copy, matmul).
Tensor unsafe_view(const Tensor& self, IntArrayRef shape);

// "[float32 [2, 3]]" for messages.
std::string describe(const Tensor& t);

}  // namespace tg
