// Matrix products. mm and bmm are primitives (Eigen GEMM); matmul composes them with views.
#include <Eigen/Core>

#include "kernels/copy.h"
#include "core/dispatch.h"
#include "ops/op_util.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

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

struct MmBackward : Node {
  SavedVariable self_, mat2_;
  InputMeta self_meta, mat2_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    if (should_compute_output(0)) r[0] = reduce_grad(mm(g[0], mat2_.unpack().t()), self_meta);
    if (should_compute_output(1)) r[1] = reduce_grad(mm(self_.unpack().t(), g[0]), mat2_meta);
    return r;
  }
  void release_variables() override { self_.reset(); mat2_.reset(); }
  std::string name() const override { return "MmBackward"; }
};

struct BmmBackward : Node {
  SavedVariable self_, mat2_;
  InputMeta self_meta, mat2_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    if (should_compute_output(0)) r[0] = reduce_grad(bmm(g[0], mat2_.unpack().transpose(1, 2)), self_meta);
    if (should_compute_output(1)) r[1] = reduce_grad(bmm(self_.unpack().transpose(1, 2), g[0]), mat2_meta);
    return r;
  }
  void release_variables() override { self_.reset(); mat2_.reset(); }
  std::string name() const override { return "BmmBackward"; }
};

void check_mm_dtypes(const Tensor& a, const Tensor& b, const char* fn) {
  TG_CHECK(a.dtype() == b.dtype(), "{}: expected m1 and m2 to have the same dtype, but got: {} != {} (shapes {} and {})",
           fn, dtype_name(a.dtype()), dtype_name(b.dtype()), to_string(a.sizes()), to_string(b.sizes()));
  TG_CHECK(a.dtype() != kBool, "{}: not implemented for bool tensors", fn);
}

}  // namespace

Tensor mm(const Tensor& self, const Tensor& mat2) {
  TG_CHECK(self.dim() == 2, "mm: self must be a matrix (got a {}-D tensor of shape {})", self.dim(), to_string(self.sizes()));
  TG_CHECK(mat2.dim() == 2, "mm: mat2 must be a matrix (got a {}-D tensor of shape {})", mat2.dim(), to_string(mat2.sizes()));
  TG_CHECK(self.size(1) == mat2.size(0),
           "mm: mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})", self.size(0), self.size(1), mat2.size(0),
           mat2.size(1));
  check_mm_dtypes(self, mat2, "mm");
  Tensor out = make_empty(Shape({self.size(0), mat2.size(1)}), self.dtype());
  dispatch_numeric(self.dtype(), "mm", [&](auto tag) {
    using T = decltype(tag);
    gemm<T>(as_matrix<T>(self), as_matrix<T>(mat2), impl_of(out).data<T>());
  });
  if (compute_requires_grad(self, mat2)) {
    auto n = record<MmBackward>(out, self, mat2);
    if (n->should_compute_output(1)) n->self_ = SavedVariable(self, false);
    if (n->should_compute_output(0)) n->mat2_ = SavedVariable(mat2, false);
    n->self_meta = InputMeta(self);
    n->mat2_meta = InputMeta(mat2);
  }
  return out;
}

Tensor bmm(const Tensor& self, const Tensor& mat2) {
  TG_CHECK(self.dim() == 3 && mat2.dim() == 3, "bmm: expected 3-D tensors, got shapes {} and {}", to_string(self.sizes()),
           to_string(mat2.sizes()));
  TG_CHECK(self.size(0) == mat2.size(0) && self.size(2) == mat2.size(1),
           "bmm: shapes cannot be multiplied ({} and {})", to_string(self.sizes()), to_string(mat2.sizes()));
  check_mm_dtypes(self, mat2, "bmm");
  int64_t B = self.size(0), n = self.size(1), k = self.size(2), m = mat2.size(2);
  Tensor out = make_empty(Shape({B, n, m}), self.dtype());
  const TensorImpl& ai = impl_of(self);
  const TensorImpl& bi = impl_of(mat2);
  dispatch_numeric(self.dtype(), "bmm", [&](auto tag) {
    using T = decltype(tag);
    T* o = impl_of(out).data<T>();
    for (int64_t b = 0; b < B; ++b) {
      auto A = as_matrix<T>(self, ai.offset + b * ai.strides[0], n, k, ai.strides[1], ai.strides[2]);
      auto M = as_matrix<T>(mat2, bi.offset + b * bi.strides[0], k, m, bi.strides[1], bi.strides[2]);
      gemm<T>(A, M, o + b * n * m);
    }
  });
  if (compute_requires_grad(self, mat2)) {
    auto nd = record<BmmBackward>(out, self, mat2);
    if (nd->should_compute_output(1)) nd->self_ = SavedVariable(self, false);
    if (nd->should_compute_output(0)) nd->mat2_ = SavedVariable(mat2, false);
    nd->self_meta = InputMeta(self);
    nd->mat2_meta = InputMeta(mat2);
  }
  return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  int64_t da = a.dim(), db = b.dim();
  TG_CHECK(da > 0 && db > 0, "matmul: both arguments to matmul need to be at least 1D, but they are {}D and {}D",
           da, db);
  auto mismatch = [&](int64_t ka, int64_t kb) {
    TG_CHECK(ka == kb, "matmul: shapes cannot be multiplied ({} and {}): inner dimensions {} and {} differ",
             to_string(a.sizes()), to_string(b.sizes()), ka, kb);
  };
  if (da == 1 && db == 1) {
    mismatch(a.size(0), b.size(0));
    return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape(IntArrayRef());
  }
  if (da == 2 && db == 1) {
    mismatch(a.size(1), b.size(0));
    return mm(a, b.unsqueeze(1)).squeeze(1);
  }
  if (da == 1 && db == 2) {
    mismatch(a.size(0), b.size(0));
    return mm(a.unsqueeze(0), b).squeeze(0);
  }
  if (da == 2 && db == 2) {
    mismatch(a.size(1), b.size(0));
    return mm(a, b);
  }
  // Batched. A 1-D operand becomes a matrix and its extra dim is removed at the end.
  Tensor A = da == 1 ? a.unsqueeze(0) : a;
  Tensor B = db == 1 ? b.unsqueeze(1) : b;
  mismatch(A.size(-1), B.size(-2));
  int64_t n = A.size(-2), k = A.size(-1), m = B.size(-1);
  Tensor out;
  if (B.dim() == 2) {
    // [..., n, k] @ [k, m]: fold the batch into the rows of one matrix product
    Shape lead(A.sizes());
    lead.resize(lead.size() - 2);
    Tensor r = mm(A.reshape({-1, k}), B);
    Shape s = lead;
    s.push_back(n);
    s.push_back(m);
    out = r.reshape(s);
  } else {
    Shape ba(A.sizes()), bb(B.sizes());
    ba.resize(ba.size() - 2);
    bb.resize(bb.size() - 2);
    Shape batch = broadcast_shapes(ba, bb, "matmul");
    Shape ea = batch, eb = batch;
    ea.push_back(n); ea.push_back(k);
    eb.push_back(k); eb.push_back(m);
    int64_t nb = batch.numel();
    Tensor r = bmm(A.expand(ea).reshape({nb, n, k}), B.expand(eb).reshape({nb, k, m}));
    Shape s = batch;
    s.push_back(n);
    s.push_back(m);
    out = r.reshape(s);
  }
  if (da == 1) out = out.squeeze(-2);
  if (db == 1) out = out.squeeze(-1);
  return out;
}

Tensor Tensor::matmul(const Tensor& other) const { return tg::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return tg::mm(*this, other); }

}  // namespace tg
