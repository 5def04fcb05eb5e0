#pragma once
// The loops behind the tensor factories: values from a buffer, random samples, ranges, identity.
// Each fills a fresh contiguous tensor. No autograd.
#include <random>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "kernels/copy.h"

namespace tg {
namespace kernels {

// t[i] = data[i] converted to t's dtype, for the first t.numel() values.
template <typename S>
void fill_from(const Tensor& t, const S* data) {
  dispatch_all(impl_of(t).dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    for (int64_t i = 0; i < impl_of(t).numel; ++i) p[i] = convert<T>(data[i]);
  });
}
// Values of Scalars (integers stay exact in int64 tensors).
void fill_from_scalars(const Tensor& t, const Scalar* values);
// Uniform samples in [0, 1) (floating t).
void fill_uniform(const Tensor& t, std::mt19937_64& gen, const char* fn);
// Standard normal samples (floating t), by Box-Muller.
void fill_normal(const Tensor& t, std::mt19937_64& gen, const char* fn);
// Integers uniform in [low, low + range).
void fill_randint(const Tensor& t, int64_t low, uint64_t range, std::mt19937_64& gen);
// start + step * i.
void fill_arange(const Tensor& t, double start, double step);
// `steps` points from start to end, both included, evaluated from both ends as PyTorch does.
void fill_linspace(const Tensor& t, double start, double end);
// Ones on the diagonal of a zero-filled [n, m] t.
void fill_eye(const Tensor& t);

}  // namespace kernels
}  // namespace tg
