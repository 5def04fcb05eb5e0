// Reductions: sum, mean, max/min (all, and along a dim), argmax/argmin, norm, sum_to.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/pointwise.h"
#include "ops/op_util.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

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

// Sums `x` (already of the accumulation dtype) over the masked dims into a tensor of shape
// r.out_keep. Fast paths for reducing everything, a prefix or a suffix of dims.
Tensor sum_kernel(const Tensor& x, const ReduceDims& r) {
  const TensorImpl& xi = impl_of(x);
  const Shape& in = xi.sizes;
  int64_t nd = static_cast<int64_t>(in.size());
  Tensor out = make_empty(r.out_keep, xi.dtype);
  // Is the reduced set a prefix, a suffix, or neither?
  int64_t first_kept = nd, last_kept = -1;
  for (int64_t d = 0; d < nd; ++d)
    if (!r.mask[d]) {
      first_kept = std::min(first_kept, d);
      last_kept = std::max(last_kept, d);
    }
  bool kept_contiguous_block = true;
  for (int64_t d = first_kept; d <= last_kept; ++d)
    if (r.mask[d]) kept_contiguous_block = false;
  Tensor xc = kernels::as_contiguous(x);
  int64_t kept = impl_of(out).numel;
  dispatch_numeric(xi.dtype, "sum", [&](auto tag) {
    using T = decltype(tag);
    const T* p = impl_of(xc).data<T>();
    T* o = impl_of(out).data<T>();
    if (kept_contiguous_block) {
      // layout [pre, kept, post] with pre and post reduced
      int64_t pre = 1, post = 1;
      for (int64_t d = 0; d < first_kept && d < nd; ++d) pre *= in[d];
      for (int64_t d = last_kept + 1; d < nd; ++d) post *= in[d];
      if (last_kept < 0) { pre = xi.numel; post = 1; }
      using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
      if (post == 1) {
        Eigen::Map<const Mat> m(p, pre, kept);
        Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> ov(o, kept);
        if (pre == 0) ov.setZero(); else ov = m.colwise().sum();
      } else {
        // [pre, kept, post]: sum post for each (pre, kept), then over pre
        Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> ov(o, kept);
        ov.setZero();
        for (int64_t a = 0; a < pre; ++a) {
          Eigen::Map<const Mat> m(p + a * kept * post, kept, post);
          if (post > 0) ov += m.rowwise().sum();
        }
      }
      return;
    }
    // General: move kept dims first, then sum rows of the [kept, reduced] matrix.
    Shape perm, psizes;
    for (int64_t d = 0; d < nd; ++d)
      if (!r.mask[d]) perm.push_back(d);
    for (int64_t d = 0; d < nd; ++d)
      if (r.mask[d]) perm.push_back(d);
    Tensor xp = kernels::contiguous_copy(make_view(x, [&] { Shape s; for (auto d : perm) s.push_back(in[d]); return s; }(),
                                                   [&] { Shape s; for (auto d : perm) s.push_back(xi.strides[d]); return s; }(),
                                                   xi.offset));
    const T* q = impl_of(xp).data<T>();
    int64_t red = kept == 0 ? 0 : xi.numel / kept;
    for (int64_t k = 0; k < kept; ++k) {
      T acc = 0;
      for (int64_t j = 0; j < red; ++j) acc += q[k * red + j];
      o[k] = acc;
    }
  });
  return out;
}

struct SumBackward : Node {
  Shape self_sizes;
  Shape keep_shape;  // the output shape with keepdim (grad is reshaped to it before expanding)
  double scale = 1;  // 1 for sum, 1/count for mean
  const char* label = "SumBackward";
  variable_list apply(variable_list&& g) override {
    Tensor gk = g[0].reshape(keep_shape).expand(self_sizes);
    return {scale == 1 ? gk : gk * scale};
  }
  std::string name() const override { return label; }
};

Tensor sum_impl(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype, bool mean) {
  const char* fn = mean ? "mean" : "sum";
  ScalarType acc = dtype ? *dtype : (self.is_floating_point() ? self.dtype() : kInt64);
  if (mean) {
    TG_CHECK(is_floating_point(acc),
             "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
             "Got: {} (shape {})", dtype_name(acc), to_string(self.sizes()));
  }
  ReduceDims r = make_reduce_dims(impl_of(self).sizes, dims, keepdim, fn);
  Tensor x = self.dtype() == acc ? self : self.to(acc);
  Tensor out = sum_kernel(x, r);
  if (mean) {
    double inv = r.count == 0 ? NAN : 1.0 / static_cast<double>(r.count);
    kernels::binary_inplace(out, scalar_to_tensor(inv, acc), "mean", [](auto a, auto b) { return a * b; });
  }
  out = make_view(out, r.out, contiguous_strides(r.out), 0);
  // A fresh buffer given its final shape, not a view of a tensor the caller holds: in-place ops
  // on a sum may record a graph (x.sum().mul_(2)), as in PyTorch.
  impl_of(out).is_view = false;
  if (compute_requires_grad(x)) {
    auto n = record<SumBackward>(out, x);
    n->self_sizes = impl_of(x).sizes;
    n->keep_shape = r.out_keep;
    n->scale = mean ? 1.0 / static_cast<double>(r.count) : 1.0;
    n->label = mean ? "MeanBackward" : "SumBackward";
  }
  return out;
}

}  // namespace

Tensor sum(const Tensor& self, std::optional<ScalarType> dtype) { return sum_impl(self, {}, false, dtype, false); }
Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return sum_impl(self, dim, keepdim, dtype, false);
}
Tensor mean(const Tensor& self, std::optional<ScalarType> dtype) { return sum_impl(self, {}, false, dtype, true); }
Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<ScalarType> dtype) {
  return sum_impl(self, dim, keepdim, dtype, true);
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

// The gradient of max()/min() over everything: shared equally among the elements equal to the
// result (PyTorch's evenly_distribute_backward).
struct MaxAllBackward : Node {
  SavedVariable self_, result_;
  bool is_max = true;
  variable_list apply(variable_list&& g) override {
    Tensor x = self_.unpack(), y = result_.unpack(this);
    Tensor mask = (x == y).to(x.dtype());
    return {mask * (g[0] / mask.sum())};
  }
  void release_variables() override { self_.reset(); result_.reset(); }
  std::string name() const override { return is_max ? "MaxBackward" : "MinBackward"; }
};

Tensor max_all(const Tensor& self, bool is_max) {
  const TensorImpl& si = impl_of(self);
  const char* fn = is_max ? "max" : "min";
  TG_CHECK(si.numel > 0, "{}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction "
           "dim with the 'dim' argument (shape {})", fn, to_string(si.sizes));
  TG_CHECK(si.dtype != kBool || true, "");
  Tensor xc = kernels::as_contiguous(self);
  Tensor out = make_empty(Shape(), si.dtype);
  dispatch_all(si.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* p = impl_of(xc).data<T>();
    T best = p[0];
    for (int64_t k = 1; k < si.numel; ++k) {
      T v = p[k];
      if (v != v) { best = v; break; }  // NaN propagates
      if (is_max ? v > best : v < best) best = v;
    }
    *impl_of(out).data<T>() = best;
  });
  if (compute_requires_grad(self)) {
    auto n = record<MaxAllBackward>(out, self);
    n->self_ = SavedVariable(self, false);
    n->result_ = SavedVariable(out, true);
    n->is_max = is_max;
  }
  return out;
}

// Values and first indices of the max (min) along `dim`.
std::tuple<Tensor, Tensor> max_dim_kernel(const Tensor& self, int64_t dim, bool keepdim, bool is_max, const char* fn) {
  const TensorImpl& si = impl_of(self);
  int64_t nd = static_cast<int64_t>(si.sizes.size());
  dim = maybe_wrap_dim(dim, nd, fn);
  int64_t len = nd == 0 ? 1 : si.sizes[dim];
  TG_CHECK(len > 0, "{}(): Expected reduction dim {} to have non-zero size (shape {})", fn, dim, to_string(si.sizes));
  // move dim last
  Shape perm;
  for (int64_t d = 0; d < nd; ++d)
    if (d != dim) perm.push_back(d);
  if (nd > 0) perm.push_back(dim);
  Shape ps, pst;
  for (auto d : perm) {
    ps.push_back(si.sizes[d]);
    pst.push_back(si.strides[d]);
  }
  Tensor xp = kernels::as_contiguous(make_view(self, ps, pst, si.offset));
  Shape out_shape = si.sizes;
  if (nd > 0) {
    if (keepdim) out_shape[dim] = 1; else out_shape.erase(dim);
  }
  Tensor values = make_empty(out_shape, si.dtype);
  Tensor indices = make_empty(out_shape, kInt64);
  int64_t rows = len == 0 ? 0 : si.numel / len;
  dispatch_all(si.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* p = impl_of(xp).data<T>();
    T* v = impl_of(values).data<T>();
    int64_t* ix = impl_of(indices).data<int64_t>();
    for (int64_t r = 0; r < rows; ++r) {
      const T* row = p + r * len;
      T best = row[0];
      int64_t bi = 0;
      for (int64_t k = 1; k < len; ++k) {
        if (best != best) break;
        T x = row[k];
        if (x != x || (is_max ? x > best : x < best)) { best = x; bi = k; }
      }
      v[r] = best;
      ix[r] = bi;
    }
  });
  return {values, indices};
}

// Writes grad at `indices` along `dim` into zeros of `sizes`; differentiable (its gradient
// gathers the incoming gradient at the same indices).
Tensor index_select_backward(const Tensor& grad, const Shape& sizes, int64_t dim, const Tensor& indices, bool keepdim);

struct IndexGatherBackward : Node {  // backward of index_select_backward
  SavedVariable indices_;
  int64_t dim = 0;
  bool keepdim = false;
  variable_list apply(variable_list&& gg) override {
    Tensor idx = indices_.unpack();
    Tensor ik = keepdim ? idx : idx.unsqueeze(dim);
    Tensor r = gather(gg[0], dim, ik);
    return {keepdim ? r : r.squeeze(dim)};
  }
  void release_variables() override { indices_.reset(); }
  std::string name() const override { return "ValueSelectingReductionBackwardBackward"; }
};

Tensor index_select_backward(const Tensor& grad, const Shape& sizes, int64_t dim, const Tensor& indices, bool keepdim) {
  Tensor gk = keepdim ? grad : grad.unsqueeze(dim);
  Tensor ik = keepdim ? indices : indices.unsqueeze(dim);
  Tensor out = zeros(sizes, grad.dtype());
  {
    NoGradGuard ng;
    out = scatter(out, dim, ik, gk);
  }
  if (compute_requires_grad(grad)) {
    auto n = record<IndexGatherBackward>(out, grad);
    n->indices_ = SavedVariable(indices, false);
    n->dim = dim;
    n->keepdim = keepdim;
  }
  return out;
}

struct MaxDimBackward : Node {
  SavedVariable indices_;
  Shape self_sizes;
  int64_t dim = 0;
  bool keepdim = false;
  bool is_max = true;
  variable_list apply(variable_list&& g) override {
    return {index_select_backward(g[0], self_sizes, dim, indices_.unpack(), keepdim)};
  }
  void release_variables() override { indices_.reset(); }
  std::string name() const override { return is_max ? "MaxBackward" : "MinBackward"; }
};

std::tuple<Tensor, Tensor> max_dim(const Tensor& self, int64_t dim, bool keepdim, bool is_max) {
  const char* fn = is_max ? "max" : "min";
  auto [values, indices] = max_dim_kernel(self, dim, keepdim, is_max, fn);
  if (compute_requires_grad(self)) {
    auto n = record<MaxDimBackward>(values, self);
    n->indices_ = SavedVariable(indices, false);
    n->self_sizes = impl_of(self).sizes;
    n->dim = self.dim() == 0 ? 0 : maybe_wrap_dim(dim, self.dim(), fn);
    n->keepdim = keepdim || self.dim() == 0;
    n->is_max = is_max;
  }
  return {values, indices};
}

}  // namespace

Tensor max(const Tensor& self) { return max_all(self, true); }
Tensor min(const Tensor& self) { return max_all(self, false); }
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim) { return max_dim(self, dim, keepdim, true); }
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim) { return max_dim(self, dim, keepdim, false); }

Tensor argmax(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  if (!dim) {
    TG_CHECK(self.numel() > 0, "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor flat = self.reshape({-1});
    Tensor idx = std::get<1>(max_dim_kernel(flat, 0, false, true, "argmax"));
    return keepdim ? idx.reshape(Shape(static_cast<size_t>(self.dim()), 1)) : idx;
  }
  return std::get<1>(max_dim_kernel(self, *dim, keepdim, true, "argmax"));
}

Tensor argmin(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  if (!dim) {
    TG_CHECK(self.numel() > 0, "argmin(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor flat = self.reshape({-1});
    Tensor idx = std::get<1>(max_dim_kernel(flat, 0, false, false, "argmin"));
    return keepdim ? idx.reshape(Shape(static_cast<size_t>(self.dim()), 1)) : idx;
  }
  return std::get<1>(max_dim_kernel(self, *dim, keepdim, false, "argmin"));
}

// ---- norm ----------------------------------------------------------------------------------

namespace {
struct NormBackward : Node {
  SavedVariable self_, result_;
  double p = 2;
  Shape keep_shape;
  variable_list apply(variable_list&& g) override {
    Tensor x = self_.unpack();
    Tensor y = result_.unpack(this).reshape(keep_shape);
    Tensor gk = g[0].reshape(keep_shape);
    if (p == 1) return {gk * sign(x)};
    // d||x||_p/dx = x |x|^(p-2) / ||x||^(p-1); defined as 0 where the norm is 0 (as PyTorch)
    Tensor zero = y == 0.0;
    Tensor scale = where(zero, zeros_like(y), gk / (p == 2 ? y : pow(y, p - 1)));
    if (p == 2) return {x * scale};
    return {x * pow(abs(x), p - 2) * scale};
  }
  void release_variables() override { self_.reset(); result_.reset(); }
  std::string name() const override { return "NormBackward"; }
};

Tensor norm_impl(const Tensor& self, double p, IntArrayRef dims, bool keepdim) {
  TG_CHECK(self.is_floating_point(), "norm(): input dtype should be a floating point type, got {} (shape {})",
           dtype_name(self.dtype()), to_string(self.sizes()));
  TG_CHECK(p > 0 && std::isfinite(p), "norm: only finite p > 0 is supported, got p = {}", p);
  ReduceDims r = make_reduce_dims(impl_of(self).sizes, dims, keepdim, "norm");
  Tensor out;
  {
    NoGradGuard ng;
    Tensor s = p == 2 ? sum_kernel(self * self, r) : (p == 1 ? sum_kernel(abs(self), r) : sum_kernel(pow(abs(self), p), r));
    out = p == 1 ? s : (p == 2 ? sqrt(s) : pow(s, 1.0 / p));
    out = out.reshape(r.out).clone();
  }
  if (compute_requires_grad(self)) {
    auto n = record<NormBackward>(out, self);
    n->self_ = SavedVariable(self, false);
    n->result_ = SavedVariable(out, true);
    n->p = p;
    n->keep_shape = r.out_keep;
  }
  return out;
}
}  // namespace

Tensor norm(const Tensor& self, const Scalar& p) { return norm_impl(self, p.to_double(), {}, false); }
Tensor norm(const Tensor& self, const Scalar& p, IntArrayRef dim, bool keepdim) {
  return norm_impl(self, p.to_double(), dim, keepdim);
}

// ---- all / any ------------------------------------------------------------------------------

Tensor all(const Tensor& self) {
  Tensor b = kernels::as_contiguous(self, kBool);
  const bool* p = impl_of(b).data<bool>();
  bool r = std::all_of(p, p + impl_of(b).numel, [](bool v) { return v; });
  return tensor(r);
}

Tensor any(const Tensor& self) {
  Tensor b = kernels::as_contiguous(self, kBool);
  const bool* p = impl_of(b).data<bool>();
  bool r = std::any_of(p, p + impl_of(b).numel, [](bool v) { return v; });
  return tensor(r);
}

Tensor Tensor::all() const { return tg::all(*this); }
Tensor Tensor::any() const { return tg::any(*this); }

}  // namespace tg
