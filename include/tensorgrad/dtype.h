#pragma once
/// \file dtype.h
/// Element types. Names follow libtorch: tg::kFloat32 == tg::kFloat, and so on.

#include <cstdint>
#include <iosfwd>
#include <string>

namespace tg {

enum class ScalarType : uint8_t { Float = 0, Double = 1, Long = 2, Bool = 3 };
using Dtype = ScalarType;

constexpr ScalarType kFloat32 = ScalarType::Float;
constexpr ScalarType kFloat = ScalarType::Float;
constexpr ScalarType kFloat64 = ScalarType::Double;
constexpr ScalarType kDouble = ScalarType::Double;
constexpr ScalarType kInt64 = ScalarType::Long;
constexpr ScalarType kLong = ScalarType::Long;
constexpr ScalarType kBool = ScalarType::Bool;

/// "float32", "float64", "int64", "bool".
const char* dtype_name(ScalarType t);
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

}  // namespace tg
