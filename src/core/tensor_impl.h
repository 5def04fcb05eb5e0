#pragma once
// The private representation of a tensor: storage (shared by views), view geometry, and the
// autograd metadata. Nothing outside src/ sees this header.

#include <atomic>
#include <cstdlib>
#include <memory>
#include <vector>

#include "tensorgrad/autograd/node.h"
#include "tensorgrad/tensor.h"

namespace tg {

// A reference-counted buffer. Its version counter is shared by every view of it.
struct Storage {
  explicit Storage(size_t nbytes);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  // Enlarges the buffer to n bytes (a no-op if it has them): the old bytes are kept, the new ones are zeros. Every
  // tensor on this storage sees the new buffer (resize_).
  void grow(size_t n);
  void* data = nullptr;
  size_t nbytes = 0;
  uint32_t version = 0;
  // The version at which an in-place op last rewrote the history of a tensor on this storage
  // (see Note [Views of a base modified in place]).
  uint32_t history_rewrite_version = 0;

 private:
  void* base_ = nullptr;  // what malloc returned; data is base_ rounded up (Note [Storage alignment])
};

struct TensorHook {
  unsigned handle;
  std::function<Tensor(const Tensor&)> fn;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;  // in elements
  Shape sizes;
  Shape strides;
  int64_t numel = 0;
  ScalarType dtype = kFloat32;
  bool requires_grad = false;  // meaningful for leaves; non-leaves require grad via grad_fn
  bool retains_grad = false;
  bool is_view = false;        // shares storage with another tensor created by a view op
  uint32_t view_version = 0;   // the storage's version when this view was created
  uint32_t output_nr = 0;
  std::shared_ptr<autograd::Node> grad_fn;
  std::weak_ptr<autograd::Node> grad_accumulator;
  Tensor grad;
  std::unique_ptr<std::vector<TensorHook>> hooks;  // leaf hooks, run by AccumulateGrad
  unsigned retain_grad_hook = 0;

  ~TensorImpl();

  template <typename T> T* data() const {
    return static_cast<T*>(storage->data) + offset;
  }
  void* raw_data() const { return static_cast<char*>(storage->data) + offset * element_size(dtype); }
  bool is_contiguous() const;
  bool requires_grad_any() const { return requires_grad || grad_fn != nullptr; }
  bool is_floating() const { return is_floating_point(dtype); }
  void bump_version() { ++storage->version; }
};

// Row-major strides for `sizes`.
Shape contiguous_strides(const Shape& sizes);

// A fresh, uninitialised, contiguous tensor.
Tensor make_empty(const Shape& sizes, ScalarType dtype);
// A tensor viewing `base`'s storage with other geometry (no autograd history).
Tensor make_view(const Tensor& base, const Shape& sizes, const Shape& strides, int64_t offset);

// Throws "expected a defined tensor" (kept out of line so that impl_of stays tiny).
[[noreturn]] void throw_undefined_tensor();
// Every op reaches a tensor's data through here, so an undefined (default-constructed) tensor
// passed to any op raises a tg::Error instead of dereferencing null.
inline TensorImpl& impl_of(const Tensor& t) {
  TensorImpl* p = t.unsafeGetTensorImpl();
  if (__builtin_expect(p == nullptr, 0)) throw_undefined_tensor();
  return *p;
}

// The impl behind a Tensor method's `this`: "`fn`: called on an undefined tensor" when there is none.
inline const TensorImpl& checked(const Tensor& t, const char* fn) {
  TG_CHECK(t.defined(), "{}: called on an undefined tensor", fn);
  return *t.unsafeGetTensorImpl();
}

}  // namespace tg
