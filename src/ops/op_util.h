#pragma once
// What every op file needs: the declaration vocabulary of autograd/record.h, type promotion, and
// small helpers. An op file deals with shapes, dtypes, broadcasting and autograd; its loops over
// buffers are in src/kernels/ (docs/architecture.md, "Layers").
#include <functional>

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

// In-place ops (Note [In-place ops and autograd] in ops/inplace.cpp). check_inplace refuses a leaf that requires
// grad while grad mode is on.
void check_inplace(const Tensor& self, const char* fn);
// An expanded tensor has several elements on one memory location: an elementwise in-place op would apply several
// times to it (PyTorch refuses these; fill_ and zero_ are fine).
void check_no_internal_overlap(const Tensor& self, const char* fn);
// Replaces self's values by oop(snapshot), an out-of-place op on a contiguous snapshot of self that keeps self's old
// place in the graph, and makes the result's node self's new grad_fn (refused on a view).
void inplace_with_history(Tensor& self, const char* fn, const std::function<Tensor(const Tensor&)>& oop);

// "[float32 [2, 3]]" for messages.
std::string describe(const Tensor& t);

}  // namespace tg
