// Reductions: sum, mean, max/min (all, and along a dim), argmax/argmin, norm, all/any, sum_to.
#include <algorithm>
#include <cmath>

#include "kernels/elementwise.h"
#include "kernels/reduce.h"
#include "ops/op_util.h"

namespace tg {

namespace {

// Reduced-dims bookkeeping.
struct ReduceDims {
  bool mask[kMaxDims] = {};
  Shape out_keep;    // output shape with keepdim
  Shape out;         // output shape as requested
  int64_t count = 1; // elements reduced into each output
};

ReduceDims make_reduce_dims(const Shape& in, IntArrayRef dims, bool keepdim, const char* fn) {
  ReduceDims r;
  int64_t nd = static_cast<int64_t>(in.size());
  if (dims.empty()) {
    for (int64_t d = 0; d < nd; ++d) r.mask[d] = true;
  }
  for (int64_t d : dims) {
    int64_t w = maybe_wrap_dim(d, nd, fn);
    TG_CHECK(nd == 0 || !r.mask[w], "{}: dim {} appears multiple times in the list of dims", fn, w);
    if (nd > 0) r.mask[w] = true;
  }
  for (int64_t d = 0; d < nd; ++d) {
    if (r.mask[d]) {
      r.count *= in[d];
      r.out_keep.push_back(1);
      if (keepdim) r.out.push_back(1);
    } else {
      r.out_keep.push_back(in[d]);
      r.out.push_back(in[d]);
    }
  }
  return r;
}

// all_dims: the overload without dims (SumBackward0 / MeanBackward0), as libtorch names them.
Tensor sum_impl(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype, bool mean,
                bool all_dims) {
  const char* fn = mean ? "mean" : "sum";
  ScalarType acc = dtype ? *dtype : (self.is_floating_point() ? self.dtype() : kInt64);
  if (mean) {
    TG_CHECK(is_floating_point(acc),
             "mean(): could not infer output dtype. {} dtype must be either a floating point or complex dtype. "
             "Got: {} (shape {})", dtype ? "Optional" : "Input", dtype_name(dtype ? *dtype : self.dtype()),
             to_string(self.sizes()));
  }
  ReduceDims r = make_reduce_dims(impl_of(self).sizes, dims, keepdim, fn);
  Tensor x = self.dtype() == acc ? self : self.to(acc);
  Tensor out = kernels::sum(x, r.mask, r.out_keep);
  if (mean) {
    const double inv = r.count == 0 ? NAN : 1.0 / static_cast<double>(r.count);
    kernels::scalar_inplace(out, inv, [](auto a, auto b) { return a * b; });
  }
  // The fresh buffer given its final shape: not a view of a tensor the caller holds, so that
  // in-place ops on a sum may record a graph (x.sum().mul_(2)), as in PyTorch.
  impl_of(out).sizes = r.out;
  impl_of(out).strides = contiguous_strides(r.out);
  // The gradient, given the reduced dims back, is expanded to the input's shape (/ count for mean).
  const char* node = mean ? (all_dims ? "MeanBackward0" : "MeanBackward1") : (all_dims ? "SumBackward0" : "SumBackward1");
  const double scale = mean ? 1.0 / static_cast<double>(r.count) : 1.0;
  record(node, out, inputs(x), [keep = r.out_keep, scale](auto& c) {
    Tensor g = c.grad().reshape(keep).expand(c.input_sizes(0));
    return scale == 1 ? g : g * scale;
  });
  return out;
}

}  // namespace

Tensor sum(const Tensor& self, std::optional<ScalarType> dtype) { return sum_impl(self, {}, false, dtype, false, true); }
Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return sum_impl(self, dim, keepdim, dtype, false, false);
}
Tensor mean(const Tensor& self, std::optional<ScalarType> dtype) { return sum_impl(self, {}, false, dtype, true, true); }
Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return sum_impl(self, dim, keepdim, dtype, true, false);
}

Tensor var(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  TG_CHECK(self.is_floating_point(), "var: only floating-point tensors are supported, got {}", describe(self));
  if (dim.empty()) return var(self.reshape({-1}), {0}, unbiased, false);  // all elements
  Tensor m = self.mean(dim, true);
  Tensor d = self - m;
  const int64_t n = self.numel() / std::max<int64_t>(m.numel(), 1);
  return (d * d).sum(dim, keepdim) / static_cast<double>(unbiased ? n - 1 : n);
}
Tensor std(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  return sqrt(var(self, dim, unbiased, keepdim));
}

Tensor sum_to(const Tensor& self, IntArrayRef shape) {
  const Shape& in = impl_of(self).sizes;
  if (in == Shape(shape)) return self;
  TG_CHECK(shape.size() <= in.size(), "sum_to: cannot sum a tensor of shape {} to shape {}", to_string(in),
           to_string(shape));
  size_t lead = in.size() - shape.size();
  Shape dims;
  for (size_t i = 0; i < in.size(); ++i) {
    if (i < lead) {
      dims.push_back(static_cast<int64_t>(i));
    } else if (shape[i - lead] == 1 && in[i] != 1) {
      dims.push_back(static_cast<int64_t>(i));
    } else {
      TG_CHECK(shape[i - lead] == in[i], "sum_to: cannot sum a tensor of shape {} to shape {}", to_string(in),
               to_string(shape));
    }
  }
  if (dims.empty()) return self.reshape(shape);
  return sum(self, dims, true).reshape(shape);
}

// ---- max / min ----------------------------------------------------------------------------

namespace {

Tensor max_all(const Tensor& self, bool is_max) {
  const TensorImpl& si = impl_of(self);
  const char* fn = is_max ? "max" : "min";
  TG_CHECK(si.numel > 0, "{}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction "
           "dim with the 'dim' argument (shape {})", fn, to_string(si.sizes));
  Tensor out = kernels::max_all(self, is_max);
  // shared equally among the elements equal to the result (PyTorch's evenly_distribute_backward)
  record(is_max ? "MaxBackward1" : "MinBackward1", out, inputs(self), save(self, out), [](auto& c) {
    auto [x, y] = c.saved();
    Tensor mask = (x == y).to(x.dtype());
    return mask * (c.grad() / mask.sum());
  });
  return out;
}

std::tuple<Tensor, Tensor> max_dim(const Tensor& self, int64_t dim, bool keepdim, bool is_max) {
  const char* fn = is_max ? "max" : "min";
  const TensorImpl& si = impl_of(self);
  const int64_t nd = static_cast<int64_t>(si.sizes.size());
  const int64_t d = maybe_wrap_dim(dim, nd, fn);
  TG_CHECK(nd == 0 || si.sizes[d] > 0, "{}(): Expected reduction dim {} to have non-zero size (shape {})", fn, d,
           to_string(si.sizes));
  auto [values, indices] = kernels::max_dim(self, d, keepdim, is_max);
  // The gradient goes to the index returned: zeros with the gradient scattered there (libtorch's
  // value_selecting_reduction_backward), itself differentiable w.r.t. the gradient.
  const bool kept = keepdim || nd == 0;
  record(is_max ? "MaxBackward0" : "MinBackward0", values, inputs(self), save(indices), [d, kept](auto& c) {
    Tensor idx = c.saved(0);
    Tensor g = kept ? c.grad() : c.grad().unsqueeze(d);
    return zeros(c.input_sizes(0), TensorOptions().dtype(c.grad().dtype())).scatter(d, kept ? idx : idx.unsqueeze(d), g);
  });
  return {values, indices};
}

}  // namespace

Tensor max(const Tensor& self) { return max_all(self, true); }
Tensor min(const Tensor& self) { return max_all(self, false); }
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim) { return max_dim(self, dim, keepdim, true); }
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim) { return max_dim(self, dim, keepdim, false); }

namespace {
Tensor arg_reduce(const Tensor& self, std::optional<int64_t> dim, bool keepdim, bool is_max) {
  const char* fn = is_max ? "argmax" : "argmin";
  if (!dim) {
    TG_CHECK(self.numel() > 0, "{}(): Expected reduction dim to be specified for input.numel() == 0.", fn);
    Tensor idx = kernels::max_dim(self.reshape({-1}), 0, false, is_max).second;
    return keepdim ? idx.reshape(Shape(static_cast<size_t>(self.dim()), 1)) : idx;
  }
  const int64_t nd = self.dim();
  const int64_t d = maybe_wrap_dim(*dim, nd, fn);
  TG_CHECK(nd == 0 || self.size(d) > 0, "{}(): Expected reduction dim {} to have non-zero size (shape {})", fn, d,
           to_string(self.sizes()));
  return kernels::max_dim(self, d, keepdim, is_max).second;
}
}  // namespace

Tensor argmax(const Tensor& self, std::optional<int64_t> dim, bool keepdim) { return arg_reduce(self, dim, keepdim, true); }
Tensor argmin(const Tensor& self, std::optional<int64_t> dim, bool keepdim) { return arg_reduce(self, dim, keepdim, false); }

// ---- norm ----------------------------------------------------------------------------------

namespace {
// all_dims: the overload without dims (NormBackward0), as libtorch names it.
Tensor norm_impl(const Tensor& self, double p, IntArrayRef dims, bool keepdim, bool all_dims) {
  TG_CHECK(self.is_floating_point(), "norm(): input dtype should be a floating point type, got {} (shape {})",
           dtype_name(self.dtype()), to_string(self.sizes()));
  TG_CHECK(p > 0 && std::isfinite(p), "norm: only finite p > 0 is supported, got p = {}", p);
  ReduceDims r = make_reduce_dims(impl_of(self).sizes, dims, keepdim, "norm");
  Tensor out;
  {
    NoGradGuard ng;
    Tensor a = p == 2 ? self * self : (p == 1 ? abs(self) : pow(abs(self), p));
    Tensor s = kernels::sum(a, r.mask, r.out_keep);
    out = p == 1 ? s : (p == 2 ? sqrt(s) : pow(s, 1.0 / p));
    impl_of(out).sizes = r.out;
    impl_of(out).strides = contiguous_strides(r.out);
  }
  // d||x||_p/dx = x |x|^(p-2) / ||x||^(p-1), sign(x) for p = 1; 0 where the norm is 0 (as PyTorch)
  record(all_dims ? "NormBackward0" : "NormBackward1", out, inputs(self), save(self, out),
         [p, keep = r.out_keep](auto& c) {
           auto [x, result] = c.saved();
           Tensor y = result.reshape(keep), gk = c.grad().reshape(keep);
           if (p == 1) return gk * sign(x);
           Tensor scale = where(y == 0.0, zeros_like(y), gk / (p == 2 ? y : pow(y, p - 1)));
           return p == 2 ? x * scale : x * pow(abs(x), p - 2) * scale;
         });
  return out;
}
}  // namespace

Tensor norm(const Tensor& self, const Scalar& p) { return norm_impl(self, p.to_double(), {}, false, true); }
Tensor norm(const Tensor& self, const Scalar& p, IntArrayRef dim, bool keepdim) {
  return norm_impl(self, p.to_double(), dim, keepdim, false);
}

// ---- all / any ------------------------------------------------------------------------------

Tensor all(const Tensor& self) { return tensor(kernels::all(self)); }
Tensor any(const Tensor& self) { return tensor(kernels::any(self)); }

Tensor Tensor::all() const { return tg::all(*this); }
Tensor Tensor::any() const { return tg::any(*this); }

}  // namespace tg
