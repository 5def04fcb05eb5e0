#pragma once
/// \file dtype.h
/// Element types. Names follow libtorch: tg::kFloat32 == tg::kFloat, and so on.

#include <cstdint>
#include <iosfwd>
#include <string>

namespace tg {

/// Tensors hold float32, float64, int64 or bool. The other names of libtorch's dtypes exist so that
/// code mentioning them compiles; making a tensor of one of them is a tg::Error (docs/libtorch.md).
enum class ScalarType : uint8_t {
  Float = 0,
  Double = 1,
  Long = 2,
  Bool = 3,
  // Named, not supported:
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
// Named, not supported (see ScalarType):
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

/// True for the dtypes tensors can have: float32, float64, int64, bool.
inline bool is_supported(ScalarType t) { return t == kFloat32 || t == kFloat64 || t == kInt64 || t == kBool; }
/// Throws tg::Error "<fn>: tensorgrad has no <dtype> tensors ..." unless is_supported(t).
void check_supported(ScalarType t, const char* fn);

/// "float32", "float64", "int64", "bool" (and "int32", "float16", ... for the named-only types).
const char* dtype_name(ScalarType t);
/// libtorch's name of the scalar type, as c10::toString: "Float", "Double", "Long", "Bool", ...
const char* toString(ScalarType t);
/// Prints the C++ element type, as libtorch prints t.dtype(): "float", "double", "long int",
/// "bool".
std::ostream& operator<<(std::ostream& os, ScalarType t);
/// Size of one element in bytes.
size_t element_size(ScalarType t);
inline bool is_floating_point(ScalarType t) { return t == kFloat32 || t == kFloat64; }
/// The type both operands of a binary op are converted to (PyTorch's promote_types):
/// bool < int64 < float32 < float64.
ScalarType promote_types(ScalarType a, ScalarType b);

/// The dtype factories use when none is given (float32, as in PyTorch).
ScalarType get_default_dtype();
void set_default_dtype(ScalarType t);
/// libtorch's get_default_dtype() returns a caffe2::TypeMeta; tensorgrad has no TypeMeta, and
/// these two keep code that converts between the two compiling.
inline ScalarType typeMetaToScalarType(ScalarType t) { return t; }
inline ScalarType scalarTypeToTypeMeta(ScalarType t) { return t; }

}  // namespace tg
