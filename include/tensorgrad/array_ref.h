#pragma once
/// \file array_ref.h
/// tg::ArrayRef<T>: a non-owning view of contiguous elements, as libtorch's c10::ArrayRef. It
/// accepts one element, a braced list, a std::vector or a pointer and a length, and is valid only
/// while they are: take it as a parameter, never keep it. tg::TensorList is ArrayRef<Tensor>; for
/// integers tensorgrad has its own IntArrayRef (shape.h).

#include <cstddef>
#include <initializer_list>
#include <vector>

#include "tensorgrad/error.h"

namespace tg {

template <typename T> class ArrayRef {
 public:
  using value_type = T;
  using iterator = const T*;
  using const_iterator = const T*;
  using size_type = size_t;

  constexpr ArrayRef() = default;
  /* implicit */ ArrayRef(const T& one) : data_(&one), size_(1) {}  // NOLINT: implicit, as libtorch's
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // valid for the call it is passed to
#endif
  /* implicit */ ArrayRef(std::initializer_list<T> l) : data_(l.begin()), size_(l.size()) {}  // NOLINT
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  template <typename A>
  /* implicit */ ArrayRef(const std::vector<T, A>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
  ArrayRef(const T* data, size_t size) : data_(data), size_(size) {}
  ArrayRef(const T* begin, const T* end) : data_(begin), size_(static_cast<size_t>(end - begin)) {}

  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return data_[i]; }
  /// Element i, checked: a tg::Error when i >= size().
  const T& at(size_t i) const {
    TG_CHECK(i < size_, "ArrayRef: invalid index {}; the length is {}", i, size_);
    return data_[i];
  }
  const T& front() const {
    TG_CHECK(size_ > 0, "ArrayRef: front() of an empty ArrayRef");
    return data_[0];
  }
  const T& back() const {
    TG_CHECK(size_ > 0, "ArrayRef: back() of an empty ArrayRef");
    return data_[size_ - 1];
  }
  /// The elements [n, n + m).
  ArrayRef slice(size_t n, size_t m) const {
    TG_CHECK(n + m <= size_, "ArrayRef: slice({}, {}) of an ArrayRef of length {}", n, m, size_);
    return ArrayRef(data_ + n, m);
  }
  ArrayRef slice(size_t n) const { return slice(n, size_ - n); }
  /// A copy of the elements.
  std::vector<T> vec() const { return std::vector<T>(begin(), end()); }
  operator std::vector<T>() const { return vec(); }  // NOLINT: implicit, as libtorch's

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace tg
