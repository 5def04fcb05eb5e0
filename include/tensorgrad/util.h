#pragma once
/// \file util.h
/// Small utilities libtorch programs use from c10: tg::irange (c10::irange), tg::str (c10::str),
/// tg::Join (c10::Join) and tg::demangle (c10::demangle).

#include <cstdint>
#include <iterator>
#include <sstream>
#include <string>
#include <type_traits>
#include <typeinfo>

namespace tg {

namespace detail {
template <typename I> class IntegerRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = I;
    using difference_type = std::ptrdiff_t;
    using pointer = const I*;
    using reference = I;
    explicit iterator(I v) : v_(v) {}
    I operator*() const { return v_; }
    iterator& operator++() {
      ++v_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++v_;
      return old;
    }
    bool operator==(const iterator& o) const { return v_ == o.v_; }
    bool operator!=(const iterator& o) const { return v_ != o.v_; }

   private:
    I v_;
  };
  IntegerRange(I begin, I end) : begin_(begin), end_(end < begin ? begin : end) {}
  iterator begin() const { return iterator(begin_); }
  iterator end() const { return iterator(end_); }

 private:
  I begin_, end_;
};
}  // namespace detail

/// for (const auto i : tg::irange(n)): i = 0, 1, ..., n - 1 (nothing when n <= 0), with i of
/// n's type.
template <typename I, std::enable_if_t<std::is_integral<I>::value, int> = 0> detail::IntegerRange<I> irange(I end) {
  return detail::IntegerRange<I>(I(0), end);
}
/// for (const auto i : tg::irange(b, e)): i = b, ..., e - 1, with i of e's type.
template <typename B, typename E, std::enable_if_t<std::is_integral<B>::value && std::is_integral<E>::value, int> = 0>
detail::IntegerRange<E> irange(B begin, E end) {
  return detail::IntegerRange<E>(static_cast<E>(begin), end);
}

/// The arguments printed one after the other with operator<<, as c10::str.
template <typename... Args> std::string str(const Args&... args) {
  std::ostringstream os;
  (void)(os << ... << args);
  return os.str();
}
inline std::string str() { return std::string(); }

/// The elements of a container printed with operator<<, separated by `delimiter` (c10::Join).
template <typename Container> std::string Join(const std::string& delimiter, const Container& v) {
  std::ostringstream os;
  bool first = true;
  for (const auto& e : v) {
    if (!first) os << delimiter;
    os << e;
    first = false;
  }
  return os.str();
}

/// A type's name as C++ source spells it ("int", "tg::nn::LinearImpl"), as c10::demangle; the
/// mangled name itself when it cannot be demangled.
std::string demangle(const char* mangled);
/// demangle(typeid(T).name()).
template <typename T> std::string demangle_type() { return demangle(typeid(T).name()); }

}  // namespace tg
