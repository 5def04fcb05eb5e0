#pragma once
/// \file scalar.h
/// tg::Scalar: a number passed where libtorch takes a c10::Scalar (an int, a double or a bool).

#include <cstdint>
#include <type_traits>

#include "tensorgrad/dtype.h"

namespace tg {

class Scalar {
 public:
  Scalar() : Scalar(int64_t(0)) {}
  template <typename T, std::enable_if_t<std::is_integral<T>::value && !std::is_same<T, bool>::value, int> = 0>
  /* implicit */ Scalar(T v) : d_(static_cast<double>(v)), i_(static_cast<int64_t>(v)), type_(kInt64) {}
  template <typename T, std::enable_if_t<std::is_floating_point<T>::value, int> = 0>
  /* implicit */ Scalar(T v) : d_(static_cast<double>(v)), i_(static_cast<int64_t>(v)), type_(kFloat64) {}
  template <typename T, std::enable_if_t<std::is_same<T, bool>::value, int> = 0>
  /* implicit */ Scalar(T v) : d_(v ? 1.0 : 0.0), i_(v ? 1 : 0), type_(kBool) {}
  template <typename T, std::enable_if_t<std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value, int> = 0>
  /* implicit */ Scalar(T v) : Scalar(static_cast<float>(v)) {}

  double to_double() const { return d_; }
  int64_t to_long() const { return i_; }
  bool to_bool() const { return d_ != 0.0; }
  template <typename T> T to() const;
  bool is_floating_point() const { return type_ == kFloat64; }
  bool is_integral() const { return type_ == kInt64; }
  bool is_bool() const { return type_ == kBool; }
  /// kFloat64 for a floating value, kInt64 for an integer, kBool for a bool.
  ScalarType type() const { return type_; }

  // libtorch's spellings (c10::Scalar): x.item().toDouble(), ...
  double toDouble() const { return d_; }
  float toFloat() const { return static_cast<float>(d_); }
  int64_t toLong() const { return type_ == kFloat64 ? static_cast<int64_t>(d_) : i_; }
  int toInt() const { return static_cast<int>(toLong()); }
  bool toBool() const { return to_bool(); }
  bool isFloatingPoint() const { return is_floating_point(); }
  /// With include_bool, a bool counts as integral too (as c10::Scalar::isIntegral).
  bool isIntegral(bool include_bool) const { return is_integral() || (include_bool && is_bool()); }
  bool isBoolean() const { return is_bool(); }

 private:
  double d_;
  int64_t i_;
  ScalarType type_;
};

template <> inline double Scalar::to<double>() const { return d_; }
template <> inline float Scalar::to<float>() const { return static_cast<float>(d_); }
template <> inline int64_t Scalar::to<int64_t>() const { return type_ == kFloat64 ? static_cast<int64_t>(d_) : i_; }
template <> inline bool Scalar::to<bool>() const { return d_ != 0.0; }

}  // namespace tg
