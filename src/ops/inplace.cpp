// In-place ops: add_, sub_, mul_, div_, zero_, fill_, copy_, clamp_.
//
// Note [In-place ops and autograd]
// Without a graph to record (grad mode off, or nothing requires grad) an in-place op writes
// straight into the tensor's storage and bumps its version counter, so that a backward that
// saved the old values fails instead of computing a wrong gradient.
// With a graph to record, the op is computed out of place from a snapshot of the old values
// (which keeps the old place in the graph), the result is written into the storage, and the
// tensor's grad_fn becomes the new node: the same history PyTorch builds. In-place ops on a
// leaf that requires grad are refused, as in PyTorch. Recording an in-place op on a view is not
// supported (PyTorch rewrites the base's history there); it raises a clear error.
#include "kernels/elementwise.h"
#include "ops/op_util.h"

namespace tg {

void check_inplace(const Tensor& self, const char* fn) {
  TG_CHECK(self.defined(), "{}: called on an undefined tensor", fn);
  const TensorImpl& i = impl_of(self);
  TG_CHECK(!(GradMode::is_enabled() && i.requires_grad && !i.grad_fn),
           "{}: a leaf Variable that requires grad is being used in an in-place operation. (shape {}, dtype {}; "
           "wrap the update in a tg::NoGradGuard)",
           fn, to_string(i.sizes), dtype_name(i.dtype));
}

void inplace_with_history(Tensor& self, const char* fn, const std::function<Tensor(const Tensor&)>& oop) {
  TensorImpl& si = impl_of(self);
  TG_CHECK(!si.is_view,
           "{}: in-place operations on a view of a tensor are not supported while recording a graph (view of shape "
           "{}); use the out-of-place op, or clone() first",
           fn, to_string(si.sizes));
  // Snapshot: old values in a new buffer, the old place in the graph.
  Tensor old = kernels::contiguous_copy(self);
  TensorImpl& oi = impl_of(old);
  oi.grad_fn = si.grad_fn;
  oi.output_nr = si.output_nr;
  oi.requires_grad = si.requires_grad;
  Tensor r = oop(old);
  TG_CHECK(r.sizes().equals(si.sizes), "{}: output with shape {} doesn't match the broadcast shape {}", fn,
           to_string(si.sizes), to_string(r.sizes()));
  kernels::copy_into(self, r);
  autograd::rebase_history(self, impl_of(r).grad_fn, impl_of(r).output_nr);
}

void check_no_internal_overlap(const Tensor& self, const char* fn) {
  const TensorImpl& i = impl_of(self);
  for (size_t d = 0; d < i.sizes.size(); ++d)
    TG_CHECK(i.strides[d] != 0 || i.sizes[d] <= 1,
             "{}: unsupported operation: more than one element of the written-to tensor refers to a single memory "
             "location. Please clone() the tensor before performing the operation. (shape {}, strides {})",
             fn, to_string(i.sizes), to_string(i.strides));
}

namespace {

bool recording(const Tensor& self, const Tensor* other) {
  return GradMode::is_enabled() && (self.requires_grad() || (other && other->requires_grad()));
}

void check_result_fits(const Tensor& self, ScalarType rt, IntArrayRef other_shape, const char* fn) {
  ScalarType st = self.dtype();
  TG_CHECK(promote_types(st, rt) == st || (is_floating_point(st) && is_floating_point(rt)),
           "{}: result type {} can't be cast to the desired output type {}", fn, dtype_name(rt), dtype_name(st));
  Shape b = broadcast_shapes(self.sizes(), other_shape, fn);
  TG_CHECK(b == Shape(self.sizes()), "{}: output with shape {} doesn't match the broadcast shape {}", fn,
           to_string(self.sizes()), to_string(b));
}

template <typename OutOfPlace, typename Kernel>
Tensor& binary_inplace_op(Tensor& self, const Tensor& other, const char* fn, OutOfPlace&& oop, Kernel&& k) {
  check_inplace(self, fn);
  TG_CHECK(other.defined(), "{}: the other tensor is undefined", fn);
  check_no_internal_overlap(self, fn);
  check_result_fits(self, promote_types(self.dtype(), other.dtype()), other.sizes(), fn);
  if (recording(self, &other)) {
    // y.mul_(y): the node must save the snapshot, not y itself, which would then own the node
    // through its grad_fn (a reference cycle) and be at a newer version at backward.
    inplace_with_history(self, fn, [&](const Tensor& old) { return oop(old, other.is_same(self) ? old : other); });
  } else {
    kernels::binary_inplace(self, other, k);
    impl_of(self).bump_version();
  }
  return self;
}

// The same for a scalar operand: the kernel reads the scalar itself (no 0-dim tensor per call).
template <typename OutOfPlace, typename Kernel>
Tensor& scalar_inplace_op(Tensor& self, const Scalar& other, const Scalar& operand, const char* fn, OutOfPlace&& oop,
                          Kernel&& k) {
  check_inplace(self, fn);
  check_no_internal_overlap(self, fn);
  check_result_fits(self, result_type(self, other), IntArrayRef(), fn);
  if (recording(self, nullptr)) {
    inplace_with_history(self, fn, oop);
  } else {
    kernels::scalar_inplace(self, operand, k);
    impl_of(self).bump_version();
  }
  return self;
}

// fill_ / zero_: the new values do not depend on the old ones (a defined zero gradient).
Tensor& fill_impl(Tensor& self, const Scalar& value, const char* fn, const char* node) {
  check_inplace(self, fn);
  if (recording(self, nullptr)) {
    inplace_with_history(self, fn, [&](const Tensor& old) {
      Tensor r = full_like(old, value);
      record(node, r, inputs(old), [](auto& c) { return zeros_like(c.grad()); });
      return r;
    });
  } else {
    kernels::fill(self, value);
    impl_of(self).bump_version();
  }
  return self;
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, const Scalar& alpha) {
  double a = alpha.to_double();
  return binary_inplace_op(*this, other, "add_", [&](const Tensor& o, const Tensor& b) { return tg::add(o, b, alpha); },
                           [a](auto x, auto y) { return x + static_cast<decltype(x)>(a * y); });
}
Tensor& Tensor::sub_(const Tensor& other, const Scalar& alpha) {
  double a = alpha.to_double();
  return binary_inplace_op(*this, other, "sub_", [&](const Tensor& o, const Tensor& b) { return tg::sub(o, b, alpha); },
                           [a](auto x, auto y) { return x - static_cast<decltype(x)>(a * y); });
}
Tensor& Tensor::mul_(const Tensor& other) {
  return binary_inplace_op(*this, other, "mul_", [](const Tensor& o, const Tensor& b) { return tg::mul(o, b); },
                           [](auto x, auto y) { return x * y; });
}
Tensor& Tensor::div_(const Tensor& other) {
  TG_CHECK(is_floating_point(), "div_: result type {} can't be cast to the desired output type {}",
           dtype_name(get_default_dtype()), dtype_name(dtype()));
  return binary_inplace_op(*this, other, "div_", [](const Tensor& o, const Tensor& b) { return tg::div(o, b); },
                           [](auto x, auto y) { return x / y; });
}
Tensor& Tensor::add_(const Scalar& other, const Scalar& alpha) {
  return scalar_inplace_op(*this, other, other.to_double() * alpha.to_double(), "add_",
                           [&](const Tensor& o) { return tg::add(o, other, alpha); }, [](auto x, auto s) { return x + s; });
}
Tensor& Tensor::sub_(const Scalar& other, const Scalar& alpha) {
  return scalar_inplace_op(*this, other, other.to_double() * alpha.to_double(), "sub_",
                           [&](const Tensor& o) { return tg::sub(o, other, alpha); }, [](auto x, auto s) { return x - s; });
}
Tensor& Tensor::mul_(const Scalar& other) {
  return scalar_inplace_op(*this, other, other, "mul_", [&](const Tensor& o) { return tg::mul(o, other); },
                           [](auto x, auto s) { return x * s; });
}
Tensor& Tensor::div_(const Scalar& other) {
  TG_CHECK(is_floating_point(), "div_: result type {} can't be cast to the desired output type {}",
           dtype_name(get_default_dtype()), dtype_name(dtype()));
  return scalar_inplace_op(*this, other, other, "div_", [&](const Tensor& o) { return tg::div(o, other); },
                           [](auto x, auto s) { return x / s; });
}

Tensor& Tensor::fill_(const Scalar& value) { return fill_impl(*this, value, "fill_", "FillBackward2"); }
Tensor& Tensor::zero_() { return fill_impl(*this, 0, "zero_", "ZeroBackward0"); }

// masked_fill_ and the random fills: the new values, written with copy_ (which records the graph
// as every in-place op does, and refuses a leaf that requires grad).
Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& value) {
  check_inplace(*this, "masked_fill_");
  return copy_(tg::masked_fill(*this, mask, value));
}
Tensor& Tensor::uniform_(double from, double to) {
  check_inplace(*this, "uniform_");
  TG_CHECK(from <= to, "uniform_ expects to return a [from, to) range, but found from={} > to={}", from, to);
  Tensor r;
  {
    NoGradGuard no_grad;
    r = tg::rand(sizes(), tg::dtype(dtype())) * (to - from) + from;
  }
  return copy_(r);
}
Tensor& Tensor::normal_(double mean, double std) {
  check_inplace(*this, "normal_");
  TG_CHECK(std >= 0.0, "normal_ expects std >= 0.0, but found std {}", std);
  Tensor r;
  {
    NoGradGuard no_grad;
    r = tg::randn(sizes(), tg::dtype(dtype())) * std + mean;
  }
  return copy_(r);
}
Tensor& Tensor::random_(int64_t from, int64_t to) {
  check_inplace(*this, "random_");
  TG_CHECK(from < to, "random_ expects 'from' to be less than 'to', but got from={} >= to={}", from, to);
  Tensor r;
  {
    NoGradGuard no_grad;
    r = tg::randint(from, to, sizes()).to(dtype());
  }
  return copy_(r);
}

Tensor& Tensor::copy_(const Tensor& src, bool) {
  check_inplace(*this, "copy_");
  TG_CHECK(src.defined(), "copy_: the source tensor is undefined");
  check_no_internal_overlap(*this, "copy_");
  Shape b = broadcast_shapes(sizes(), src.sizes(), "copy_");
  TG_CHECK(b == Shape(sizes()), "copy_: the source of shape {} cannot be broadcast to the destination shape {}",
           to_string(src.sizes()), to_string(sizes()));
  if (recording(*this, &src)) {
    inplace_with_history(*this, "copy_", [&](const Tensor& old) {
      Tensor r = make_empty(impl_of(old).sizes, impl_of(old).dtype);
      kernels::copy_into(r, src);
      // the old values get a zero gradient; src gets the gradient (summed to its shape, cast to its dtype)
      record("tg::autograd::CopyBackwards", r, inputs(old, src),
             [](auto& c) -> Grads { return {c.needs(0) ? zeros_like(c.grad()) : Tensor(), c.grad()}; });
      return r;
    });
  } else {
    kernels::copy_into(*this, src);
    impl_of(*this).bump_version();
  }
  return *this;
}

Tensor& Tensor::clamp_(std::optional<Scalar> mn, std::optional<Scalar> mx) {
  check_inplace(*this, "clamp_");
  check_no_internal_overlap(*this, "clamp_");
  if (recording(*this, nullptr)) {
    inplace_with_history(*this, "clamp_", [&](const Tensor& old) { return tg::clamp(old, mn, mx); });
  } else {
    Tensor r = tg::clamp(*this, mn, mx);
    kernels::copy_into(*this, r);
    impl_of(*this).bump_version();
  }
  return *this;
}

}  // namespace tg
