#pragma once
/// \file shape.h
/// Shapes stored inline (no heap allocation per tensor), and IntArrayRef, the non-owning view a
/// shape or dims argument is passed as: one integer, a braced list, a std::vector, or a Shape.

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

namespace tg {

/// Tensors have at most this many dimensions. See docs/architecture.md, "Tensors".
constexpr int kMaxDims = 8;

class Shape;

/// A non-owning view of a list of int64, like libtorch's IntArrayRef. Valid for the duration of
/// the call it is passed to.
class IntArrayRef {
 public:
  constexpr IntArrayRef() = default;
  /* implicit */ IntArrayRef(const int64_t& one) : data_(&one), size_(1) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // valid for the call it is passed to
#endif
  /* implicit */ IntArrayRef(std::initializer_list<int64_t> l) : data_(l.begin()), size_(l.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  /* implicit */ IntArrayRef(const std::vector<int64_t>& v) : data_(v.data()), size_(v.size()) {}
  /* implicit */ IntArrayRef(const Shape& s);
  IntArrayRef(const int64_t* data, size_t size) : data_(data), size_(size) {}

  const int64_t* begin() const { return data_; }
  const int64_t* end() const { return data_ + size_; }
  const int64_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t operator[](size_t i) const { return data_[i]; }
  int64_t back() const { return data_[size_ - 1]; }
  std::vector<int64_t> vec() const { return std::vector<int64_t>(begin(), end()); }
  bool equals(IntArrayRef o) const;

 private:
  const int64_t* data_ = nullptr;
  size_t size_ = 0;
};

/// Element-wise comparison, as libtorch's ArrayRef: x.sizes() == y.sizes().
inline bool operator==(IntArrayRef a, IntArrayRef b) { return a.equals(b); }
inline bool operator!=(IntArrayRef a, IntArrayRef b) { return !a.equals(b); }

/// An inline list of at most kMaxDims int64 values: the sizes or strides of a tensor.
class Shape {
 public:
  Shape() = default;
  /* implicit */ Shape(IntArrayRef r);
  Shape(std::initializer_list<int64_t> l) : Shape(IntArrayRef(l)) {}
  explicit Shape(size_t n, int64_t fill = 0);

  int64_t* begin() { return d_; }
  int64_t* end() { return d_ + n_; }
  const int64_t* begin() const { return d_; }
  const int64_t* end() const { return d_ + n_; }
  const int64_t* data() const { return d_; }
  int64_t* data() { return d_; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  int64_t& operator[](size_t i) { return d_[i]; }
  int64_t operator[](size_t i) const { return d_[i]; }
  int64_t back() const { return d_[n_ - 1]; }
  void push_back(int64_t v);
  void insert(size_t pos, int64_t v);
  void erase(size_t pos);
  void resize(size_t n, int64_t fill = 0);
  std::vector<int64_t> vec() const { return std::vector<int64_t>(begin(), end()); }
  int64_t numel() const;
  bool operator==(const Shape& o) const {
    if (n_ != o.n_) return false;
    for (uint8_t i = 0; i < n_; ++i)
      if (d_[i] != o.d_[i]) return false;
    return true;
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }

 private:
  int64_t d_[kMaxDims] = {};
  uint8_t n_ = 0;
};

inline IntArrayRef::IntArrayRef(const Shape& s) : data_(s.data()), size_(s.size()) {}

/// "[2, 3]"
std::string to_string(IntArrayRef s);
inline std::string to_string(const Shape& s) { return to_string(IntArrayRef(s)); }
/// Prints "[2, 3]", as libtorch prints t.sizes().
std::ostream& operator<<(std::ostream& os, IntArrayRef s);
inline std::ostream& operator<<(std::ostream& os, const Shape& s) { return os << IntArrayRef(s); }

/// Wraps a possibly negative dim into [0, ndim); throws "Dimension out of range" otherwise.
/// `fn` names the calling function in the message.
int64_t maybe_wrap_dim(int64_t dim, int64_t ndim, const char* fn = "");
/// The broadcast shape of two shapes (NumPy rules); throws with both shapes when they differ.
Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* fn = "");
/// The broadcast shape of two shapes, or false (out untouched) when they do not broadcast.
bool try_broadcast_shapes(IntArrayRef a, IntArrayRef b, Shape& out);

}  // namespace tg
