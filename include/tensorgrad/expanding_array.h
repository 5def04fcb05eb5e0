#pragma once
/// \file expanding_array.h
/// tg::ExpandingArray<D>: D integers given as one (repeated D times) or as D of them, as
/// libtorch's torch::ExpandingArray, the type of options such as a padding or a kernel size:
///
///     ReflectionPad2dOptions(2);              // padding [2, 2, 2, 2]
///     ReflectionPad2dOptions({1, 1, 2, 0});   // padding [1, 1, 2, 0]
///
/// A list of another length is a tg::Error. `*a` is the std::array, `a->size()` its length, and
/// it converts to IntArrayRef; it prints as "[1, 1, 2, 0]".

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <type_traits>
#include <vector>

#include "tensorgrad/error.h"
#include "tensorgrad/shape.h"

namespace tg {

template <size_t D, typename T = int64_t> class ExpandingArray {
 public:
  /* implicit */ ExpandingArray(T single) { values_.fill(single); }  // NOLINT: implicit, as libtorch's
  /* implicit */ ExpandingArray(std::initializer_list<T> list) : ExpandingArray(std::vector<T>(list)) {}
  /* implicit */ ExpandingArray(const std::vector<T>& list) {  // NOLINT
    TG_CHECK(list.size() == D, "ExpandingArray: expected {} values, but instead got {}", D, list.size());
    for (size_t i = 0; i < D; ++i) values_[i] = list[i];
  }
  /* implicit */ ExpandingArray(const std::array<T, D>& values) : values_(values) {}  // NOLINT

  std::array<T, D>& operator*() { return values_; }
  const std::array<T, D>& operator*() const { return values_; }
  std::array<T, D>* operator->() { return &values_; }
  const std::array<T, D>* operator->() const { return &values_; }
  /// The values as an IntArrayRef (valid while this array lives).
  template <typename U = T, typename = std::enable_if_t<std::is_same<U, int64_t>::value>>
  operator IntArrayRef() const {  // NOLINT: implicit, as libtorch's
    return IntArrayRef(values_.data(), D);
  }
  size_t size() const noexcept { return D; }
  bool operator==(const ExpandingArray& other) const { return values_ == other.values_; }

 private:
  std::array<T, D> values_{};
};

template <size_t D, typename T> std::ostream& operator<<(std::ostream& stream, const ExpandingArray<D, T>& a) {
  stream << "[";
  for (size_t i = 0; i < D; ++i) stream << (i ? ", " : "") << (*a)[i];
  return stream << "]";
}

}  // namespace tg
