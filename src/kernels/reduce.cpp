// Reduction kernels.
#include "kernels/reduce.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/dispatch.h"
#include "kernels/copy.h"

namespace tg {
namespace kernels {

namespace {
// A view of x with its dims in the order `perm` (no copy).
Tensor permuted(const Tensor& x, const Shape& perm) {
  const TensorImpl& xi = impl_of(x);
  Shape s, st;
  for (auto d : perm) {
    s.push_back(xi.sizes[d]);
    st.push_back(xi.strides[d]);
  }
  return make_view(x, s, st, xi.offset);
}
}  // namespace

Tensor sum(const Tensor& x, const bool* mask, const Shape& out_keep) {
  const TensorImpl& xi = impl_of(x);
  if (needs_compute_cast(xi.dtype)) return from_compute(kernels::sum(to_compute(x), mask, out_keep), xi.dtype);
  const Shape& in = xi.sizes;
  const int64_t nd = static_cast<int64_t>(in.size());
  Tensor out = make_empty(out_keep, xi.dtype);
  // Is the reduced set a prefix, a suffix, or neither?
  int64_t first_kept = nd, last_kept = -1;
  for (int64_t d = 0; d < nd; ++d)
    if (!mask[d]) {
      first_kept = std::min(first_kept, d);
      last_kept = std::max(last_kept, d);
    }
  bool kept_contiguous_block = true;
  for (int64_t d = first_kept; d <= last_kept; ++d)
    if (mask[d]) kept_contiguous_block = false;
  Tensor xc = as_contiguous(x);
  const int64_t kept = impl_of(out).numel;
  dispatch_numeric(xi.dtype, "sum", [&](auto tag) {
    using T = decltype(tag);
    const T* p = impl_of(xc).data<T>();
    T* o = impl_of(out).data<T>();
    if (kept_contiguous_block) {
      // layout [pre, kept, post] with pre and post reduced
      int64_t pre = 1, post = 1;
      for (int64_t d = 0; d < first_kept && d < nd; ++d) pre *= in[d];
      for (int64_t d = last_kept + 1; d < nd; ++d) post *= in[d];
      if (last_kept < 0) {
        pre = xi.numel;
        post = 1;
      }
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
    // General: move kept dims first, then sum the rows of the [kept, reduced] matrix.
    Shape perm;
    for (int64_t d = 0; d < nd; ++d)
      if (!mask[d]) perm.push_back(d);
    for (int64_t d = 0; d < nd; ++d)
      if (mask[d]) perm.push_back(d);
    Tensor xp = contiguous_copy(permuted(x, perm));
    const T* q = impl_of(xp).data<T>();
    const int64_t red = kept == 0 ? 0 : xi.numel / kept;
    for (int64_t k = 0; k < kept; ++k) {
      T acc = 0;
      for (int64_t j = 0; j < red; ++j) acc += q[k * red + j];
      o[k] = acc;
    }
  });
  return out;
}

Tensor max_all(const Tensor& x, bool is_max) {
  const TensorImpl& xi = impl_of(x);
  Tensor xc = as_contiguous(x);
  Tensor out = make_empty(Shape(), xi.dtype);
  dispatch_all(xi.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* p = impl_of(xc).data<T>();
    T best = p[0];
    for (int64_t k = 1; k < xi.numel; ++k) {
      T v = p[k];
      if (v != v) {  // NaN propagates
        best = v;
        break;
      }
      if (is_max ? v > best : v < best) best = v;
    }
    *impl_of(out).data<T>() = best;
  });
  return out;
}

std::pair<Tensor, Tensor> max_dim(const Tensor& x, int64_t dim, bool keepdim, bool is_max) {
  const TensorImpl& xi = impl_of(x);
  const int64_t nd = static_cast<int64_t>(xi.sizes.size());
  const int64_t len = nd == 0 ? 1 : xi.sizes[dim];
  // rows along dim: move dim last
  Shape perm;
  for (int64_t d = 0; d < nd; ++d)
    if (d != dim) perm.push_back(d);
  if (nd > 0) perm.push_back(dim);
  Tensor xp = as_contiguous(permuted(x, perm));
  Shape out_shape = xi.sizes;
  if (nd > 0) {
    if (keepdim) out_shape[dim] = 1;
    else out_shape.erase(dim);
  }
  Tensor values = make_empty(out_shape, xi.dtype);
  Tensor indices = make_empty(out_shape, kInt64);
  const int64_t rows = len == 0 ? 0 : xi.numel / len;
  dispatch_all(xi.dtype, [&](auto tag) {
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
        T c = row[k];
        if (c != c || (is_max ? c > best : c < best)) {
          best = c;
          bi = k;
        }
      }
      v[r] = best;
      ix[r] = bi;
    }
  });
  return {values, indices};
}

bool all(const Tensor& x) {
  Tensor b = as_contiguous(x, kBool);
  const bool* p = impl_of(b).data<bool>();
  return std::all_of(p, p + impl_of(b).numel, [](bool v) { return v; });
}

bool any(const Tensor& x) {
  Tensor b = as_contiguous(x, kBool);
  const bool* p = impl_of(b).data<bool>();
  return std::any_of(p, p + impl_of(b).numel, [](bool v) { return v; });
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  Tensor ac = as_contiguous(a, kFloat64), bc = as_contiguous(b, kFloat64);
  const double* x = impl_of(ac).data<double>();
  const double* y = impl_of(bc).data<double>();
  for (int64_t i = 0; i < impl_of(ac).numel; ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) {
      if (!(equal_nan && std::isnan(x[i]) && std::isnan(y[i]))) return false;
      continue;
    }
    if (x[i] == y[i]) continue;
    if (!(std::fabs(x[i] - y[i]) <= atol + rtol * std::fabs(y[i]))) return false;
  }
  return true;
}

bool equal(const Tensor& a, const Tensor& b) {
  Tensor ac = as_contiguous(a, kFloat64), bc = as_contiguous(b, kFloat64);
  const double* x = impl_of(ac).data<double>();
  const double* y = impl_of(bc).data<double>();
  return std::equal(x, x + impl_of(ac).numel, y);
}

}  // namespace kernels
}  // namespace tg
