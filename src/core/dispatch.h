#pragma once
// Dtype dispatch: calls f(T{}) with the C++ type of a ScalarType.
//
// dispatch_all covers every dtype (kernels that move, convert or compare elements use it);
// dispatch_compute, dispatch_float and dispatch_numeric cover the compute types only (float32,
// float64, int64, bool): kernels that do arithmetic are entered with those, a tensor of another
// dtype being read as its compute_type() and the result rounded or wrapped back by the kernel's
// entry point (see docs/architecture.md, "Dtypes").
#include <cstdint>
#include <type_traits>

#include "tensorgrad/dtype.h"
#include "tensorgrad/error.h"
#include "tensorgrad/half.h"

namespace tg {

// One element converted from S to D. A floating value (float, double, Half, BFloat16) becomes an
// integer through int64, truncating toward zero, and wraps to D's width, as PyTorch's CPU casts
// do (-1.0 as uint8 is 255); NaN and values outside int64 give INT64_MIN's low bits (x86's
// result) instead of undefined behaviour.
template <typename D, typename S>
inline D convert(S s) {
  if constexpr (std::is_integral<D>::value && !std::is_same<D, bool>::value && !std::is_integral<S>::value) {
    const double d = static_cast<double>(s);
    const bool fits = d >= -9223372036854775808.0 && d < 9223372036854775808.0;
    return static_cast<D>(fits ? static_cast<int64_t>(d) : INT64_MIN);
  } else {
    return static_cast<D>(s);
  }
}

template <typename F>
decltype(auto) dispatch_all(ScalarType t, F&& f) {
  switch (t) {
    case kFloat32: return f(float{});
    case kFloat64: return f(double{});
    case kInt64: return f(int64_t{});
    case kBool: return f(bool{});
    case kUInt8: return f(uint8_t{});
    case kInt8: return f(int8_t{});
    case kInt16: return f(int16_t{});
    case kInt32: return f(int32_t{});
    case kFloat16: return f(Half{});
    case kBFloat16: return f(BFloat16{});
  }
  TG_ERROR("unknown dtype {}", static_cast<int>(t));
}

// The compute types. Reaching one of these with another dtype is a bug in the kernel's entry point.
template <typename F>
decltype(auto) dispatch_compute(ScalarType t, F&& f) {
  switch (t) {
    case kFloat32: return f(float{});
    case kFloat64: return f(double{});
    case kInt64: return f(int64_t{});
    case kBool: return f(bool{});
    default: break;
  }
  TG_ERROR("internal error: a {} tensor reached a kernel that computes in float32, float64, int64 or bool",
           dtype_name(t));
}

template <typename F>
decltype(auto) dispatch_float(ScalarType t, const char* fn, F&& f) {
  switch (t) {
    case kFloat32: return f(float{});
    case kFloat64: return f(double{});
    default: TG_ERROR("{}: expected a floating-point tensor (float32 or float64), got {}", fn, dtype_name(t));
  }
}

// Numeric types (no bool).
template <typename F>
decltype(auto) dispatch_numeric(ScalarType t, const char* fn, F&& f) {
  switch (t) {
    case kFloat32: return f(float{});
    case kFloat64: return f(double{});
    case kInt64: return f(int64_t{});
    default: TG_ERROR("{}: not implemented for {} tensors", fn, dtype_name(t));
  }
}

}  // namespace tg
