// Matrix products. mm, bmm, mv and dot are ops on the GEMM kernel (kernels/linalg.cpp); matmul
// composes them with views, the way libtorch 1.13 does (so its results have libtorch's nodes).
#include "kernels/linalg.h"
#include "ops/op_util.h"

namespace tg {

namespace {

void check_dtypes(const Tensor& a, const Tensor& b, const char* fn) {
  TG_CHECK(a.dtype() == b.dtype(), "{}: expected m1 and m2 to have the same dtype, but got: {} != {} (shapes {} and {})",
           fn, dtype_name(a.dtype()), dtype_name(b.dtype()), to_string(a.sizes()), to_string(b.sizes()));
  TG_CHECK(a.dtype() != kBool, "{}: not implemented for bool tensors", fn);
}

// t seen as a matrix of the given shape (no copy, no autograd): a vector as a row or a column.
Tensor as_row(const Tensor& v) {
  const TensorImpl& vi = impl_of(v);
  return make_view(v, Shape({1, vi.sizes[0]}), Shape({vi.sizes[0] * vi.strides[0], vi.strides[0]}), vi.offset);
}
Tensor as_column(const Tensor& v) {
  const TensorImpl& vi = impl_of(v);
  return make_view(v, Shape({vi.sizes[0], 1}), Shape({vi.strides[0], 1}), vi.offset);
}
// The contiguous result of a kernel, given its final shape.
Tensor reshaped(Tensor t, const Shape& shape) {
  impl_of(t).sizes = shape;
  impl_of(t).strides = contiguous_strides(shape);
  return t;
}

}  // namespace

Tensor mm(const Tensor& self, const Tensor& mat2) {
  TG_CHECK(self.dim() == 2, "mm: self must be a matrix (got a {}-D tensor of shape {})", self.dim(), to_string(self.sizes()));
  TG_CHECK(mat2.dim() == 2, "mm: mat2 must be a matrix (got a {}-D tensor of shape {})", mat2.dim(), to_string(mat2.sizes()));
  TG_CHECK(self.size(1) == mat2.size(0),
           "mm: mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})", self.size(0), self.size(1), mat2.size(0),
           mat2.size(1));
  check_dtypes(self, mat2, "mm");
  Tensor out = kernels::mm(self, mat2);
  record("MmBackward0", out, inputs(self, mat2), save(for_grad(1, self), for_grad(0, mat2)), [](auto& c) -> Grads {
    auto [a, b] = c.saved();
    return {c.needs(0) ? mm(c.grad(), b.t()) : Tensor(), c.needs(1) ? mm(a.t(), c.grad()) : Tensor()};
  });
  return out;
}

// Composed (docs/architecture.md, "Composed ops"): its derivatives are those of mm, mul and add.
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha) {
  Tensor prod = mm(mat1, mat2);
  Shape shape;
  TG_CHECK(try_broadcast_shapes(self.sizes(), prod.sizes(), shape) && shape == Shape(prod.sizes()),
           "addmm: self of shape {} cannot be broadcast to the product's shape {} (mat1 {}, mat2 {})",
           to_string(self.sizes()), to_string(prod.sizes()), to_string(mat1.sizes()), to_string(mat2.sizes()));
  if (alpha.toDouble() != 1.0) prod = prod * alpha;
  if (beta.toDouble() == 0.0) return prod;
  return (beta.toDouble() == 1.0 ? self : self * beta) + prod;
}

Tensor bmm(const Tensor& self, const Tensor& mat2) {
  TG_CHECK(self.dim() == 3 && mat2.dim() == 3, "bmm: expected 3-D tensors, got shapes {} and {}", to_string(self.sizes()),
           to_string(mat2.sizes()));
  TG_CHECK(self.size(0) == mat2.size(0) && self.size(2) == mat2.size(1),
           "bmm: shapes cannot be multiplied ({} and {})", to_string(self.sizes()), to_string(mat2.sizes()));
  check_dtypes(self, mat2, "bmm");
  Tensor out = kernels::bmm(self, mat2);
  record("BmmBackward0", out, inputs(self, mat2), save(for_grad(1, self), for_grad(0, mat2)), [](auto& c) -> Grads {
    auto [a, b] = c.saved();
    return {c.needs(0) ? bmm(c.grad(), b.transpose(1, 2)) : Tensor(),
            c.needs(1) ? bmm(a.transpose(1, 2), c.grad()) : Tensor()};
  });
  return out;
}

Tensor mv(const Tensor& self, const Tensor& vec) {
  TG_CHECK(self.dim() == 2 && vec.dim() == 1, "mv: vector + matrix @ vector expected, got {}D and {}D tensors ({}, {})",
           self.dim(), vec.dim(), describe(self), describe(vec));
  TG_CHECK(self.size(1) == vec.size(0), "mv: size mismatch, got input ({}), mat ({}x{}), vec ({}) ({}, {})",
           self.size(0), self.size(0), self.size(1), vec.size(0), describe(self), describe(vec));
  check_dtypes(self, vec, "mv");
  Tensor out = reshaped(kernels::mm(self, as_column(vec)), Shape({self.size(0)}));
  // d/dself = g vec^T (an outer product), d/dvec = self^T g
  record("MvBackward0", out, inputs(self, vec), save(for_grad(1, self), for_grad(0, vec)), [](auto& c) -> Grads {
    auto [a, v] = c.saved();
    return {c.needs(0) ? mm(c.grad().unsqueeze(1), v.unsqueeze(0)) : Tensor(), c.needs(1) ? mv(a.t(), c.grad()) : Tensor()};
  });
  return out;
}

Tensor dot(const Tensor& self, const Tensor& other) {
  TG_CHECK(self.dim() == 1 && other.dim() == 1, "dot: 1D tensors expected, but got {}D and {}D tensors ({}, {})",
           self.dim(), other.dim(), describe(self), describe(other));
  TG_CHECK(self.size(0) == other.size(0),
           "dot: inconsistent tensor size, expected tensor [{}] and src [{}] to have the same number of elements, but "
           "got {} and {} elements respectively ({}, {})",
           self.size(0), other.size(0), self.size(0), other.size(0), describe(self), describe(other));
  check_dtypes(self, other, "dot");
  Tensor out = reshaped(kernels::mm(as_row(self), as_column(other)), Shape());
  record("DotBackward0", out, inputs(self, other), save(for_grad(1, self), for_grad(0, other)), [](auto& c) -> Grads {
    auto [a, b] = c.saved();
    return {c.needs(0) ? c.grad() * b : Tensor(), c.needs(1) ? c.grad() * a : Tensor()};
  });
  return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  const int64_t da = a.dim(), db = b.dim();
  TG_CHECK(da > 0 && db > 0, "matmul: both arguments to matmul need to be at least 1D, but they are {}D and {}D",
           da, db);
  auto check_inner = [&](int64_t ka, int64_t kb) {
    TG_CHECK(ka == kb, "matmul: shapes cannot be multiplied ({} and {}): inner dimensions {} and {} differ",
             to_string(a.sizes()), to_string(b.sizes()), ka, kb);
  };
  check_inner(a.size(-1), b.size(db == 1 ? 0 : -2));
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze_(0);
  if (da == 2 && db == 2) return mm(a, b);
  const int64_t k = a.size(-1);
  if (db <= 2) {
    // [..., n, k] @ [k, m] (or [k]): fold a's batch into the rows of one product
    Shape out(a.sizes());
    out.resize(out.size() - 1);
    if (db == 2) out.push_back(b.size(1));
    Tensor rows = a.reshape({-1, k});
    return unsafe_view(db == 2 ? mm(rows, b) : mv(rows, b), out);
  }
  if (da <= 2) {
    // [n, k] (or [k]) @ [..., k, m] = ([..., m, k] @ [k, n])^T: fold b's batch the same way
    Shape out(b.sizes());
    out.resize(out.size() - 2);
    out.push_back(b.size(-1));
    Tensor rows = b.transpose(-1, -2).reshape({-1, k});
    if (da == 1) return unsafe_view(mv(rows, a), out);
    out.push_back(a.size(0));
    return unsafe_view(mm(rows, a.t()), out).transpose(-1, -2).contiguous();
  }
  // both batched: broadcast the batch dims, then one bmm
  const int64_t n = a.size(-2), m = b.size(-1);
  Shape ba(a.sizes()), bb(b.sizes());
  ba.resize(ba.size() - 2);
  bb.resize(bb.size() - 2);
  Shape batch = broadcast_shapes(ba, bb, "matmul");
  Shape ea = batch, eb = batch, out = batch;
  ea.push_back(n);
  ea.push_back(k);
  eb.push_back(k);
  eb.push_back(m);
  out.push_back(n);
  out.push_back(m);
  const int64_t nb = batch.numel();
  return unsafe_view(bmm(a.expand(ea).reshape({nb, n, k}), b.expand(eb).reshape({nb, k, m})), out);
}

Tensor Tensor::matmul(const Tensor& other) const { return tg::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return tg::mm(*this, other); }
Tensor Tensor::addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta, const Scalar& alpha) const {
  return tg::addmm(*this, mat1, mat2, beta, alpha);
}
Tensor Tensor::bmm(const Tensor& other) const { return tg::bmm(*this, other); }
Tensor Tensor::mv(const Tensor& vec) const { return tg::mv(*this, vec); }
Tensor Tensor::dot(const Tensor& other) const { return tg::dot(*this, other); }

}  // namespace tg
