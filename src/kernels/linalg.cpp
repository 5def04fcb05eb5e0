// Matrix products on Eigen's GEMM, without copying operands that are row- or column-major.
#include "kernels/linalg.h"

#include <Eigen/Core>
#include <algorithm>

#include "core/dispatch.h"
#include "kernels/copy.h"

namespace tg {
namespace kernels {

namespace {

// A 2-D operand as an Eigen map, without copying when it is row- or column-major.
template <typename T>
struct MatOperand {
  Tensor keep;  // keeps a copy alive when one was needed
  const T* data = nullptr;
  int64_t rows = 0, cols = 0, ld = 0;
  bool row_major = true;
};

template <typename T>
MatOperand<T> as_matrix(const Tensor& t, int64_t offset_elems = 0, int64_t rows = -1, int64_t cols = -1,
                        int64_t rs = 0, int64_t cs = 0) {
  MatOperand<T> m;
  const TensorImpl& ti = impl_of(t);
  if (rows < 0) {
    rows = ti.sizes[0];
    cols = ti.sizes[1];
    rs = ti.strides[0];
    cs = ti.strides[1];
    offset_elems = ti.offset;
  }
  m.rows = rows;
  m.cols = cols;
  if (cs == 1 && (rs >= cols || rows <= 1)) {
    m.row_major = true;
    m.ld = std::max<int64_t>(rs, std::max<int64_t>(cols, 1));
    m.data = static_cast<const T*>(ti.storage->data) + offset_elems;
  } else if (rs == 1 && (cs >= rows || cols <= 1)) {
    m.row_major = false;
    m.ld = std::max<int64_t>(cs, std::max<int64_t>(rows, 1));
    m.data = static_cast<const T*>(ti.storage->data) + offset_elems;
  } else {
    Tensor v = make_view(t, Shape({rows, cols}), Shape({rs, cs}), offset_elems);
    m.keep = kernels::contiguous_copy(v);
    m.row_major = true;
    m.ld = std::max<int64_t>(cols, 1);
    m.data = impl_of(m.keep).template data<T>();
  }
  return m;
}

template <typename T>
void gemm(const MatOperand<T>& a, const MatOperand<T>& b, T* out) {
  using RM = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using CM = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<RM> o(out, a.rows, b.cols);
  if (a.rows == 0 || b.cols == 0) return;
  if (a.cols == 0) {
    o.setZero();
    return;
  }
  auto run = [&](const auto& A) {
    if (b.row_major) o.noalias() = A * Eigen::Map<const RM, 0, Stride>(b.data, b.rows, b.cols, Stride(b.ld));
    else o.noalias() = A * Eigen::Map<const CM, 0, Stride>(b.data, b.rows, b.cols, Stride(b.ld));
  };
  if (a.row_major) run(Eigen::Map<const RM, 0, Stride>(a.data, a.rows, a.cols, Stride(a.ld)));
  else run(Eigen::Map<const CM, 0, Stride>(a.data, a.rows, a.cols, Stride(a.ld)));
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  const TensorImpl& ai = impl_of(a);
  if (needs_compute_cast(ai.dtype)) return from_compute(kernels::mm(to_compute(a), to_compute(b)), ai.dtype);
  const TensorImpl& bi = impl_of(b);
  Tensor out = make_empty(Shape({ai.sizes[0], bi.sizes[1]}), ai.dtype);
  dispatch_numeric(ai.dtype, "mm", [&](auto tag) {
    using T = decltype(tag);
    gemm<T>(as_matrix<T>(a), as_matrix<T>(b), impl_of(out).data<T>());
  });
  return out;
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  const TensorImpl& ai = impl_of(a);
  if (needs_compute_cast(ai.dtype)) return from_compute(kernels::bmm(to_compute(a), to_compute(b)), ai.dtype);
  const TensorImpl& bi = impl_of(b);
  const int64_t B = ai.sizes[0], n = ai.sizes[1], k = ai.sizes[2], m = bi.sizes[2];
  Tensor out = make_empty(Shape({B, n, m}), ai.dtype);
  dispatch_numeric(ai.dtype, "bmm", [&](auto tag) {
    using T = decltype(tag);
    T* o = impl_of(out).data<T>();
    for (int64_t i = 0; i < B; ++i) {
      auto A = as_matrix<T>(a, ai.offset + i * ai.strides[0], n, k, ai.strides[1], ai.strides[2]);
      auto M = as_matrix<T>(b, bi.offset + i * bi.strides[0], k, m, bi.strides[1], bi.strides[2]);
      gemm<T>(A, M, o + i * n * m);
    }
  });
  return out;
}

}  // namespace kernels
}  // namespace tg
