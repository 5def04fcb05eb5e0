#pragma once
/// \file dtype.h
/// Element types. Names follow libtorch: tg::kFloat32 == tg::kFloat, and so on.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "tensorgrad/half.h"

namespace tg {

/// The element types of tensors, named as libtorch's. float32, float64, int64 and bool are the
/// compute types; uint8, int8, int16, int32, float16 and bfloat16 are stored as themselves and
/// computed in a compute type (compute_type()), each op's result rounded or wrapped back to its
/// dtype, as PyTorch does on the CPU (docs/architecture.md, "Dtypes").
enum class ScalarType : uint8_t {
  Float = 0,
  Double = 1,
  Long = 2,
  Bool = 3,
  Byte,
  Char,
  Short,
  Int,
  Half,
  BFloat16,
};
using Dtype = ScalarType;

constexpr ScalarType kFloat32 = ScalarType::Float;
constexpr ScalarType kFloat = ScalarType::Float;
constexpr ScalarType kFloat64 = ScalarType::Double;
constexpr ScalarType kDouble = ScalarType::Double;
constexpr ScalarType kInt64 = ScalarType::Long;
constexpr ScalarType kLong = ScalarType::Long;
constexpr ScalarType kBool = ScalarType::Bool;
constexpr ScalarType kUInt8 = ScalarType::Byte;
constexpr ScalarType kByte = ScalarType::Byte;
constexpr ScalarType kInt8 = ScalarType::Char;
constexpr ScalarType kChar = ScalarType::Char;
constexpr ScalarType kInt16 = ScalarType::Short;
constexpr ScalarType kShort = ScalarType::Short;
constexpr ScalarType kInt32 = ScalarType::Int;
constexpr ScalarType kInt = ScalarType::Int;
constexpr ScalarType kFloat16 = ScalarType::Half;
constexpr ScalarType kHalf = ScalarType::Half;
constexpr ScalarType kBFloat16 = ScalarType::BFloat16;

/// "float32", "float64", "int64", "bool", "uint8", "int8", "int16", "int32", "float16",
/// "bfloat16" (PyTorch's names, as in "torch.int32").
const char* dtype_name(ScalarType t);
/// libtorch's name of the scalar type, as c10::toString: "Float", "Double", "Long", "Bool", ...
const char* toString(ScalarType t);
/// Prints the C++ element type, as libtorch prints t.dtype(): "float", "double", "long int",
/// "bool".
std::ostream& operator<<(std::ostream& os, ScalarType t);
/// Size of one element in bytes.
size_t element_size(ScalarType t);
inline bool is_floating_point(ScalarType t) {
  return t == kFloat32 || t == kFloat64 || t == kFloat16 || t == kBFloat16;
}
/// The integer dtypes (uint8 to int64); bool too when include_bool.
inline bool is_integral(ScalarType t, bool include_bool = false) {
  return t == kInt64 || t == kInt32 || t == kInt16 || t == kInt8 || t == kUInt8 || (include_bool && t == kBool);
}
/// libtorch's spellings of the two tests above.
inline bool isFloatingType(ScalarType t) { return is_floating_point(t); }
inline bool isIntegralType(ScalarType t, bool include_bool) { return is_integral(t, include_bool); }
/// The dtype kernels compute a tensor of dtype t in: t itself for float32, float64, int64 and
/// bool; float32 for float16 and bfloat16; int64 for the narrower integers.
inline ScalarType compute_type(ScalarType t) {
  if (t == kFloat16 || t == kBFloat16) return kFloat32;
  if (t == kInt32 || t == kInt16 || t == kInt8 || t == kUInt8) return kInt64;
  return t;
}
/// The type both operands of a binary op are converted to, as PyTorch's promote_types: bool
/// below the integers, the integers below the floating types, the wider type of a category wins;
/// uint8 with int8 gives int16, float16 with bfloat16 gives float32.
ScalarType promote_types(ScalarType a, ScalarType b);

/// The dtype factories use when none is given (float32, as in PyTorch).
ScalarType get_default_dtype();
void set_default_dtype(ScalarType t);
/// libtorch's get_default_dtype() returns a caffe2::TypeMeta; tensorgrad has no TypeMeta, and
/// these two keep code that converts between the two compiling.
inline ScalarType typeMetaToScalarType(ScalarType t) { return t; }
inline ScalarType scalarTypeToTypeMeta(ScalarType t) { return t; }

}  // namespace tg
