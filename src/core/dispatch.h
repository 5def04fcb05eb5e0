#pragma once
// Dtype dispatch: calls f(T{}) with the C++ type of a ScalarType.
#include <cstdint>

#include "tensorgrad/dtype.h"
#include "tensorgrad/error.h"

namespace tg {

template <typename F>
decltype(auto) dispatch_all(ScalarType t, F&& f) {
  switch (t) {
    case kFloat32: return f(float{});
    case kFloat64: return f(double{});
    case kInt64: return f(int64_t{});
    case kBool: return f(bool{});
    default: break;
  }
  TG_ERROR("tensorgrad has no {} tensors (its dtypes are float32, float64, int64 and bool)", dtype_name(t));
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
